// API credentials: org-scoped Bearer secrets with fixed scopes
// (docs/decisions/0003-opaque-credentials.md).
import type { CredentialCache } from './credential-cache';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';
import type { CredentialMode } from '../generated/prisma/enums';
import { Prisma, type ApiCredential } from '../generated/prisma/client';
import { queryPrepared } from '../db/prepared';
import { recordAudit } from '../audit/audit.service';
import { badInput, isUniqueViolation, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { paginate, type Page } from '../db/pagination';
import { scopeProblems } from './scopes';
import { credentialModeOf, hashCredentialSecret, isWellFormedCredentialSecret, issueCredentialSecret } from './credential-secret';
import { requireManager } from './staff';

/** The longest a rotated secret keeps working next to its replacement. */
export const MAX_ROTATION_GRACE_SECONDS = 86_400;

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
export async function createApiCredential(tx: Tx, actor: Actor, input: CreateCredentialInput, mode: CredentialMode, clock: Clock = systemClock) {
  requireManager(actor, 'API credentials');
  const problems = createCredentialProblems(input, clock.now());
  const [firstProblem] = Object.values(problems);
  if (firstProblem !== undefined) throw badInput(firstProblem, problems);
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

export type CredentialStatus = 'ACTIVE' | 'GRACE_PERIOD' | 'REPLACED' | 'EXPIRED' | 'REVOKED';

/** Where a credential stands at `now`; only ACTIVE and GRACE_PERIOD authenticate. */
export function credentialStatus(credential: Pick<ApiCredential, 'revokedAt' | 'expiresAt' | 'graceUntil'>, now: Date): CredentialStatus {
  if (credential.revokedAt && credential.revokedAt <= now) return 'REVOKED';
  if (credential.expiresAt && credential.expiresAt <= now) return 'EXPIRED';
  if (credential.graceUntil) return credential.graceUntil <= now ? 'REPLACED' : 'GRACE_PERIOD';
  return 'ACTIVE';
}

/** The organization's credentials, newest first. Never secrets: only prefixes. */
export async function listApiCredentials(tx: Tx, actor: Actor, page: { first?: number | null; after?: string | null }): Promise<Page<ApiCredential>> {
  requireManager(actor, 'API credentials');
  return paginate<ApiCredential, Prisma.ApiCredentialWhereInput>({
    ...page,
    sortKey: 'createdAt',
    direction: 'desc',
    where: { orgId: actor.orgId },
    findMany: (args) => tx.apiCredential.findMany(args),
    count: (args) => tx.apiCredential.count(args),
  });
}

/**
 * Issues a replacement secret with the same name, scopes, mode and expiry. The
 * old secret keeps working until now + graceSeconds (0 = stops at once), so a
 * partner can deploy the new one without downtime.
 */
export async function rotateApiCredential(tx: Tx, actor: Actor, input: { id: string; graceSeconds: number }, clock: Clock = systemClock) {
  requireManager(actor, 'API credentials');
  const { graceSeconds } = input;
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_SECONDS) {
    throw badInput(`graceSeconds must be a whole number from 0 to ${MAX_ROTATION_GRACE_SECONDS} (24 hours)`, {
      graceSeconds: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS}`,
    });
  }
  const old = await findCredential(tx, actor, input.id);
  const now = clock.now();
  const status = credentialStatus(old, now);
  if (status !== 'ACTIVE') {
    const why = status === 'GRACE_PERIOD' || status === 'REPLACED' ? 'has already been rotated; rotate its replacement' : `is ${status.toLowerCase()}`;
    throw badInput(`This credential ${why}`, { id: why });
  }
  const graceUntil = new Date(now.getTime() + graceSeconds * 1000);
  // Claims the old credential: a concurrent rotation or revocation finds it taken.
  const { count } = await tx.apiCredential.updateMany({ where: { id: old.id, orgId: old.orgId, graceUntil: null, revokedAt: null }, data: { graceUntil } });
  if (count === 0) throw badInput('This credential was just rotated or revoked', { id: 'no longer active' });
  const issued = issueCredentialSecret(old.mode);
  let credential: ApiCredential;
  try {
    credential = await tx.apiCredential.create({
      data: {
        orgId: old.orgId,
        name: old.name,
        mode: old.mode,
        prefix: issued.displayPrefix,
        secretHash: issued.secretHash,
        scopes: old.scopes,
        createdById: actor.type === 'USER' ? actor.id : null,
        expiresAt: old.expiresAt,
        rotatedFromId: old.id,
        createdAt: now,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw badInput('This credential was just rotated', { id: 'already rotated' });
    throw error;
  }
  await recordAudit(
    tx,
    actor,
    {
      action: 'credential.rotated',
      target: { type: 'ApiCredential', id: old.id },
      changes: {
        graceUntil: { before: null, after: graceUntil.toISOString() },
        replacedBy: { before: null, after: { id: credential.id, prefix: credential.prefix } },
      },
    },
    clock,
  );
  return { credential, secret: issued.secret, previous: { ...old, graceUntil } };
}

/** Revokes at once (a rotated credential's grace ends too). Revoking twice changes nothing. */
export async function revokeApiCredential(tx: Tx, actor: Actor, id: string, clock: Clock = systemClock): Promise<ApiCredential> {
  requireManager(actor, 'API credentials');
  const credential = await findCredential(tx, actor, id);
  if (credential.revokedAt) return credential;
  const now = clock.now();
  const revoked = await tx.apiCredential.update({ where: { id: credential.id, orgId: actor.orgId }, data: { revokedAt: now } });
  await recordAudit(
    tx,
    actor,
    {
      action: 'credential.revoked',
      target: { type: 'ApiCredential', id: credential.id },
      changes: { revokedAt: { before: null, after: now.toISOString() } },
    },
    clock,
  );
  return revoked;
}

/** Tenant isolation: another organization's credential is NOT_FOUND, like a missing one. */
async function findCredential(tx: Tx, actor: Actor, id: string): Promise<ApiCredential> {
  if (!isUuid(id)) throw notFound('API credential');
  const credential = await tx.apiCredential.findFirst({ where: { id, orgId: actor.orgId } });
  if (!credential) throw notFound('API credential');
  return credential;
}

export type CredentialIdentity = {
  credentialId: string;
  orgId: string;
  name: string;
  prefix: string;
  scopes: string[];
};

const LAST_USED_RESOLUTION_MS = 60_000;

export type AuthenticatingCredential = Pick<
  ApiCredential,
  'id' | 'orgId' | 'name' | 'prefix' | 'scopes' | 'lastUsedAt' | 'expiresAt' | 'revokedAt' | 'graceUntil'
>;

/**
 * The credential a Bearer secret names, if it works now on a server that accepts
 * `acceptedMode` secrets; null otherwise. A malformed secret is rejected without
 * touching the database; expired, revoked and past-grace rotated credentials are
 * null. A sandbox key never works on a live server (nor a live key on a sandbox
 * one), so a test key pasted into production, or a production key into a test
 * setup, fails loudly instead of acting.
 */
export async function authenticateCredential(
  tx: Tx,
  secret: string,
  acceptedMode: CredentialMode,
  clock: Clock = systemClock,
  cache?: CredentialCache<AuthenticatingCredential>,
): Promise<CredentialIdentity | null> {
  if (!isWellFormedCredentialSecret(secret) || credentialModeOf(secret) !== acceptedMode) return null;
  const secretHash = hashCredentialSecret(secret);
  // Every API request starts here: a named statement (db/prepared.ts) reading only what is checked below.
  // Across organizations on purpose: the secret names its organization.
  const load = async () =>
    (
      await queryPrepared<AuthenticatingCredential>(
        tx,
        Prisma.sql`SELECT c.id, c."orgId", c.name, c.prefix, c.scopes, c."lastUsedAt", c."expiresAt", c."revokedAt", c."graceUntil"
          FROM "ApiCredential" c WHERE c."secretHash" = ${secretHash}`,
      )
    )[0];
  // A kept row is checked below exactly as a row just read.
  const credential = cache ? await cache.get(secretHash, load) : await load();
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
        orgId: credential.orgId,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }],
      },
      data: { lastUsedAt: now },
    });
    credential.lastUsedAt = now; // a kept row then asks again only a minute later
  }
  return {
    credentialId: credential.id,
    orgId: credential.orgId,
    name: credential.name,
    prefix: credential.prefix,
    scopes: credential.scopes,
  };
}
