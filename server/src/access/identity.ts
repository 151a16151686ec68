// Resolves the caller of a request: `Authorization: Bearer <credential>` or the
// `callsnare_session` cookie. Nothing else grants an identity.
import crypto from 'node:crypto';
import type { Request } from 'express';
import type { AppDeps } from '../app-deps';
import type { Identity } from '../graphql/context';
import { authenticateCredential } from './credentials.service';

export const SESSION_COOKIE = 'callsnare_session';

export type IdentityResult = { identity: Identity | null; problem: 'invalid_credential' | null };

export async function resolveIdentity(deps: AppDeps, req: Request): Promise<IdentityResult> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return { identity: null, problem: 'invalid_credential' };
    const credential = await authenticateCredential(deps.db.prisma, match[1]!, deps.clock);
    if (!credential) return { identity: null, problem: 'invalid_credential' };
    return { identity: { kind: 'credential', ...credential }, problem: null };
  }
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!token) return { identity: null, problem: null };
  return { identity: await identityFromSessionToken(deps, token), problem: null };
}

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

async function identityFromSessionToken(deps: AppDeps, token: string): Promise<Identity | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const now = deps.clock.now();
  const session = await deps.db.prisma.session.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    include: { user: { select: { id: true, email: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.idleExpiresAt <= now) return null;
  const membership = session.activeOrgId
    ? await deps.db.prisma.membership.findUnique({
        where: { orgId_userId: { orgId: session.activeOrgId, userId: session.userId } },
        select: { role: true },
      })
    : null;
  return {
    kind: 'user',
    userId: session.user.id,
    email: session.user.email,
    sessionId: session.id,
    orgId: membership ? session.activeOrgId : null,
    role: membership?.role ?? null,
  };
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
