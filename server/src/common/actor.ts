// Who is acting, for which org, from which request. Every service takes one.
import type { ActorType, Role } from '../generated/prisma/enums';
import type { Identity } from './identity';
import { DomainError } from './errors';

export interface RequestMeta {
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface Actor {
  type: ActorType;
  /** User id, credential id, provider name or null for the system. */
  id: string | null;
  /** What a person reading the audit log sees: an email, "API key Zapier sync", "Twilio". */
  label: string;
  /** The org every read and write is scoped to. */
  orgId: string;
  /** Staff sessions: the membership role in orgId. */
  role?: Role;
  /** Credentials: the scopes granted at creation. */
  scopes?: readonly string[];
  request: RequestMeta;
}

/** An actor for operator commands and background work. */
export function systemActor(orgId: string, label: string, request: RequestMeta = {}): Actor {
  return { type: 'SYSTEM', id: null, label, orgId, request };
}

/**
 * A request's identity as the Actor services take: UNAUTHENTICATED without one, FORBIDDEN for
 * a staff user with no membership left. GraphQL (graphql/context.ts) and plain HTTP routes share it.
 */
export function actorOfIdentity(identity: Identity | null, request: RequestMeta): Actor {
  if (!identity) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API credential as a Bearer token');
  if (identity.kind === 'credential') {
    return {
      type: 'CREDENTIAL',
      id: identity.credentialId,
      label: `API credential ${identity.name} (${identity.prefix}…)`,
      orgId: identity.orgId,
      scopes: identity.scopes,
      request,
    };
  }
  if (!identity.orgId || !identity.role) throw new DomainError('FORBIDDEN', 'You are not a member of any organization');
  return {
    type: 'USER',
    id: identity.userId,
    label: staffLabel({ email: identity.email, name: identity.name ?? null }),
    orgId: identity.orgId,
    role: identity.role,
    request,
  };
}

/** How a staff member appears in the audit trail and on timelines: their name and email, or the email alone. */
export function staffLabel(user: { email: string; name: string | null }): string {
  return user.name ? `${user.name} (${user.email})` : user.email;
}

// Who the automatic side acts as.
/** Twilio telling us something happened (a call, a text, a carrier block). */
export function twilioActor(orgId: string, request: RequestMeta = {}): Actor {
  return { type: 'PROVIDER', id: 'twilio', label: 'Twilio', orgId, request };
}

/** CallSnare deciding on its own (text-backs, callbacks, escalations). */
export function callsnareActor(orgId: string, request: RequestMeta = {}): Actor {
  return systemActor(orgId, 'CallSnare', request);
}
