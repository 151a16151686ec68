// The per-request GraphQL context: who is calling (resolved once, here) and
// the dependencies resolvers hand to services.
import type { Request, Response } from 'express';
import { actorOfIdentity, type Actor, type RequestMeta } from '../common/actor';
import type { AppDeps } from '../app-deps';
import type { Identity, IdentityProblem } from '../common/identity';
import type { SignInLimiter } from '../http/sign-in-limiter';
import { DomainError } from '../common/errors';

export interface GraphQLContext {
  deps: AppDeps;
  /** HTTP only: in a live subscription (WebSocket) req, res and signInLimiter throw when read (liveContext in api/subscriptions.ts). */
  req: Request;
  res: Response;
  request: RequestMeta;
  identity: Identity | null;
  /** Why a presented Bearer token was not accepted (null when none was sent). */
  identityProblem: IdentityProblem | null;
  /** Counts sign-in attempts per IP + email (shared across requests). */
  signInLimiter: SignInLimiter;
}

/** The signed-in staff user's session, whatever their membership; FORBIDDEN for credentials. */
export function sessionOf(context: GraphQLContext): Extract<Identity, { kind: 'user' }> {
  const identity = context.identity;
  if (!identity) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
  if (identity.kind !== 'user') throw new DomainError('FORBIDDEN', 'Only a signed-in staff session can do this', { requiredIdentity: 'session' });
  return identity;
}

/** The acting identity as a service Actor; UNAUTHENTICATED without one. */
export function actorOf(context: GraphQLContext): Actor {
  return actorOfIdentity(context.identity, context.request);
}
