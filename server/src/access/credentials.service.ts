// API credentials: org-scoped Bearer secrets with fixed scopes
// (docs/decisions/0003-opaque-credentials.md).
import type { Tx } from '../db/types';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { systemClock } from '../shared/clock';
import type { CredentialMode } from '../generated/prisma/enums';
import { recordAudit } from '../audit/audit.service';
import { badInput } from '../shared/errors';
import { scopeProblems } from './scopes';
import { hashCredentialSecret, isWellFormedCredentialSecret, issueCredentialSecret } from './credential-secret';

export interface CreateCredentialInput {
  name: string;
  scopes: readonly string[];
  expiresAt?: Date | null;
}

export function createCredentialProblems(input: CreateCredentialInput, now: Date): Record<string, string> {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) fields.name = 'credential name must be 1–100 characters';
  const scopes = scopeProblems(input.scopes);
  if (scopes.length > 0) fields.scopes = scopes.join('; ');
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) fields.expiresAt = 'expiry must be in the future';
  return fields;
}

/** Creates a credential and returns its secret: the only time it is ever available. */
export async function createApiCredential(
  tx: Tx,
  actor: Actor,
  input: CreateCredentialInput,
  mode: CredentialMode,
  clock: Clock = systemClock,
) {
  const problems = createCredentialProblems(input, clock.now());
  if (Object.keys(problems).length > 0) throw badInput(Object.values(problems)[0]!, problems);
  const issued = issueCredentialSecret(mode);
  const scopes = [...new Set(input.scopes)].sort();
  const credential = await tx.apiCredential.create({
    data: {
      orgId: actor.orgId,
      name: input.name.trim(),
      mode,
      prefix: issued.displayPrefix,
      secretHash: issued.secretHash,
      scopes,
      createdById: actor.type === 'USER' ? actor.id : null,
      expiresAt: input.expiresAt ?? null,
      createdAt: clock.now(),
    },
  });
  await recordAudit(
    tx,
    actor,
    {
      action: 'credential.created',
      target: { type: 'ApiCredential', id: credential.id },
      changes: {
        name: { before: null, after: credential.name },
        prefix: { before: null, after: credential.prefix },
        scopes: { before: null, after: scopes },
        expiresAt: { before: null, after: credential.expiresAt?.toISOString() ?? null },
      },
    },
    clock,
  );
  return { credential, secret: issued.secret };
}

export type CredentialIdentity = {
  credentialId: string;
  orgId: string;
  name: string;
  prefix: string;
  scopes: string[];
};

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a Bearer secret to its credential, or null. A malformed secret is
 * rejected without touching the database. Expired, revoked and past-grace
 * rotated credentials are null.
 */
export async function authenticateCredential(tx: Tx, secret: string, clock: Clock = systemClock): Promise<CredentialIdentity | null> {
  if (!isWellFormedCredentialSecret(secret)) return null;
  const credential = await tx.apiCredential.findUnique({ where: { secretHash: hashCredentialSecret(secret) } });
  if (!credential) return null;
  const now = clock.now();
  if (credential.revokedAt && credential.revokedAt <= now) return null;
  if (credential.expiresAt && credential.expiresAt <= now) return null;
  if (credential.graceUntil && credential.graceUntil <= now) return null;
  if (!credential.lastUsedAt || now.getTime() - credential.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // At most one write a minute per credential, and only if nobody else just did it.
    await tx.apiCredential.updateMany({
      where: {
        id: credential.id,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }],
      },
      data: { lastUsedAt: now },
    });
  }
  return {
    credentialId: credential.id,
    orgId: credential.orgId,
    name: credential.name,
    prefix: credential.prefix,
    scopes: credential.scopes,
  };
}
