// Resolves the caller of a request: `Authorization: Bearer <credential>` or the
// `callsnare_session` cookie. Nothing else grants an identity.
import { parse as parseCookie } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { Identity, IdentityProblem } from '../common/identity';
import { authenticateCredential } from './credentials.service';
import { credentialModeFor, credentialModeOf } from './credential-secret';
import { ACCEPTED_MEMBERSHIP } from './staff';
import { SESSION_COOKIE, SESSION_IDLE_MS, SESSION_TOUCH_INTERVAL_MS, hashToken, isWellFormedToken } from './sessions';

export type IdentityResult = { identity: Identity | null; problem: IdentityProblem | null };

export async function resolveIdentity(deps: AppDeps, req: Pick<Request, 'headers'>): Promise<IdentityResult> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const secret = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
    if (secret === undefined) return { identity: null, problem: 'invalid_credential' };
    const acceptedMode = credentialModeFor(deps.config.integrationMode);
    const mode = credentialModeOf(secret);
    if (mode && mode !== acceptedMode) return { identity: null, problem: 'credential_of_other_mode' };
    const credential = await authenticateCredential(deps.db.prisma, secret, acceptedMode, deps.clock);
    if (!credential) return { identity: null, problem: 'invalid_credential' };
    return { identity: { kind: 'credential', ...credential }, problem: null };
  }
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!token) return { identity: null, problem: null };
  const identity = await identityFromSessionToken(deps, token);
  return { identity, problem: identity ? null : 'invalid_session' };
}

const NO_IDENTITY: IdentityResult = { identity: null, problem: null };

/**
 * For /graphql: resolves the caller once per request and keeps it on res.locals
 * (for the rate limiter and the GraphQL context). If that fails (the database is
 * down), answers a GraphQL-shaped, masked 500.
 */
export function identifyRequest(deps: AppDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    resolveIdentity(deps, req).then(
      (result) => {
        res.locals.callsnareIdentity = result;
        next();
      },
      (error: unknown) => {
        deps.logger.error({ err: error, requestId: req.requestId }, 'graphql: could not resolve the identity');
        res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      },
    );
  };
}

/** What identifyRequest() found; no identity when it did not run. */
export function identityOf(res: Response): IdentityResult {
  return (res.locals.callsnareIdentity as IdentityResult | undefined) ?? NO_IDENTITY;
}

async function identityFromSessionToken(deps: AppDeps, token: string): Promise<Identity | null> {
  if (!isWellFormedToken(token)) return null;
  const now = deps.clock.now();
  const prisma = deps.db.prisma;
  const session = await prisma.session.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.idleExpiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    // Slide the idle expiry, never past the absolute one; at most one write a minute.
    const idleExpiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, session.expiresAt.getTime()));
    await prisma.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { lastSeenAt: now, idleExpiresAt } });
  }
  // The role is read on every request, so a role change or removal applies at once.
  const membership = session.activeOrgId
    ? await prisma.membership.findFirst({
        where: { orgId: session.activeOrgId, userId: session.userId, ...ACCEPTED_MEMBERSHIP },
        select: { role: true },
      })
    : null;
  return {
    kind: 'user',
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    sessionId: session.id,
    orgId: membership ? session.activeOrgId : null,
    role: membership?.role ?? null,
  };
}

/** One cookie's value from a Cookie header (the `cookie` package parses it; the first of repeated names wins). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  return parseCookie(header)[name] ?? null;
}
