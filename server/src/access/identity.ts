// Resolves the caller of a request: `Authorization: Bearer <credential>` or the
// `callsnare_session` cookie. Nothing else grants an identity.
import { parse as parseCookie } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { Identity, IdentityProblem } from '../common/identity';
import { authenticateCredential } from './credentials.service';
import { credentialModeFor, credentialModeOf } from './credential-secret';
import { acceptedMembershipSql } from './staff';
import { queryPrepared } from '../db/prepared';
import { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
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
    const credential = await authenticateCredential(deps.db.prisma, secret, acceptedMode, deps.clock, deps.credentials);
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

/** A session, its user and the user's accepted membership in the session's organization, as one statement reads them. */
interface SessionRow {
  id: string;
  userId: string;
  activeOrgId: string | null;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  email: string;
  name: string | null;
  role: Role | null;
}

async function identityFromSessionToken(deps: AppDeps, token: string): Promise<Identity | null> {
  if (!isWellFormedToken(token)) return null;
  const now = deps.clock.now();
  const prisma = deps.db.prisma;
  // Every dashboard request starts here: one named statement (db/prepared.ts) for the session, its user and the
  // role, which is read on every request, so a role change or removal applies at once.
  const [session] = await queryPrepared<SessionRow>(
    prisma,
    Prisma.sql`SELECT s.id, s."userId", s."activeOrgId", s."lastSeenAt", s."idleExpiresAt", s."expiresAt", s."revokedAt",
        u.email, u.name, m.role
      FROM "Session" s
      JOIN "User" u ON u.id = s."userId"
      LEFT JOIN "Membership" m ON m."orgId" = s."activeOrgId" AND m."userId" = s."userId" AND ${acceptedMembershipSql('m')}
      WHERE s."tokenHash" = ${hashToken(token)}`,
  );
  if (!session || session.revokedAt || session.expiresAt <= now || session.idleExpiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    // Slide the idle expiry, never past the absolute one; at most one write a minute.
    const idleExpiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, session.expiresAt.getTime()));
    await prisma.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { lastSeenAt: now, idleExpiresAt } });
  }
  return {
    kind: 'user',
    userId: session.userId,
    email: session.email,
    name: session.name,
    sessionId: session.id,
    orgId: session.role ? session.activeOrgId : null,
    role: session.role,
  };
}

/** One cookie's value from a Cookie header (the `cookie` package parses it; the first of repeated names wins). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  return parseCookie(header)[name] ?? null;
}
