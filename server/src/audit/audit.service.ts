// Writes audit entries in the caller's transaction, chained per org: each
// entry's hash covers its content and the previous entry's hash, so editing or
// deleting a stored row breaks the chain at that point (see verifyAuditChain).
// Hashes are keyed (HMAC with the audit signing key), so whoever can write to
// the database but lacks the key cannot recompute them after an edit. Their
// prefix names the version (docs/public/security.md says how to recompute each):
// - "h2:<hex>" (new entries): HMAC-SHA256 of "callsnare-audit-entry/2\n" + the
//   entry's RFC 8785 (JCS) canonical JSON, so any JCS implementation reproduces it;
// - "h1:<hex>": HMAC-SHA256 of the canonical JSON alone;
// - bare hex: the SHA-256 of entries written before signing existed.
// Versions only go up along a chain: an older version after a newer one is a
// downgrade and breaks it.
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';
import type { AuditAction } from './actions';
import { auditSigningKeyInUse, type AuditSigningKey } from './audit-signing';

/** { field: { before, after } } — never secrets or hashes. */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditInput {
  action: AuditAction;
  target?: { type: string; id: string } | null;
  changes?: AuditChanges;
  /** Override the actor's org (e.g. a failed sign-in with no org: null). */
  orgId?: string | null;
}

export interface ChainedFields {
  orgId: string | null;
  seq: number;
  action: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  targetType: string | null;
  targetId: string | null;
  changes: unknown;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  prevHash: string | null;
}

export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput, clock: Clock = systemClock) {
  const orgId = input.orgId === undefined ? actor.orgId : input.orgId;
  // Serialise writers of one org's chain for the rest of this transaction.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'audit:' + (orgId ?? 'global')}))`;
  const previous = await tx.auditEntry.findFirst({
    where: { orgId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const fields: ChainedFields = {
    orgId,
    seq: (previous?.seq ?? 0) + 1,
    action: input.action,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    changes: input.changes ?? {},
    requestId: actor.request.requestId ?? null,
    ip: actor.request.ip ?? null,
    userAgent: actor.request.userAgent ?? null,
    createdAt: clock.now(),
    prevHash: previous?.hash ?? null,
  };
  return tx.auditEntry.create({
    data: { ...fields, actorType: actor.type, changes: fields.changes as object, hash: auditHash(fields) },
  });
}

/** How an entry's hash was made, from oldest to newest; an entry's hash names its version by prefix. */
export const AUDIT_HASH_VERSIONS = ['legacy', 'h1', 'h2'] as const;
export type AuditHashVersion = (typeof AUDIT_HASH_VERSIONS)[number];

/** What an h2 MAC covers before the canonical JSON: binds the version, so an h2 hash can never pass for another kind. */
const H2_DOMAIN = 'callsnare-audit-entry/2\n';

export function auditHashVersionOf(hash: string): AuditHashVersion {
  if (hash.startsWith('h2:')) return 'h2';
  if (hash.startsWith('h1:')) return 'h1';
  return 'legacy';
}

/** The hash a new entry gets: the newest version, signed with the key this process uses (audit-signing.ts). */
export function auditHash(fields: ChainedFields, key: AuditSigningKey | null = auditSigningKeyInUse()): string {
  if (!key) throw new Error('audit entries cannot be written before an audit signing key is loaded (startServer and the CLI load it)');
  return signedAuditHash(fields, key);
}

/** The newest signed version: "h2:" + HMAC-SHA256 of the domain line and the RFC 8785 canonical content, prevHash included. */
export function signedAuditHash(fields: ChainedFields, key: AuditSigningKey): string {
  return 'h2:' + key.signEntry(H2_DOMAIN + canonicalContent(fields));
}

/** "h1:" + HMAC-SHA256 of the canonical content: how signed entries were hashed before h2. Verified, never written. */
export function h1AuditHash(fields: ChainedFields, key: AuditSigningKey): string {
  return 'h1:' + key.signEntry(canonicalContent(fields));
}

/** SHA-256 of the canonical content: how entries were hashed before signing. Anyone can compute it. */
export function legacyAuditHash(fields: ChainedFields): string {
  return crypto.createHash('sha256').update(canonicalContent(fields)).digest('hex');
}

/**
 * The entry's content as RFC 8785 canonical JSON (createdAt as ISO 8601 UTC with
 * milliseconds). The sorted-keys JSON that h1 and legacy entries were hashed over
 * before is byte for byte the same for every value a stored row can hold (JSON
 * read back from PostgreSQL), so it verifies them too.
 */
function canonicalContent(fields: ChainedFields): string {
  return canonicalJson({ ...fields, createdAt: fields.createdAt.toISOString() });
}

function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

/** A signed entry met while no key is available: it can be neither trusted nor called broken. */
export class AuditKeyUnavailableError extends Error {
  constructor(readonly seq: number) {
    super(
      `entry #${seq} is signed, and no audit signing key is available to check it: set AUDIT_SIGNING_KEY, or DATA_DIR to the installation that holds its audit-signing.key`,
    );
    this.name = 'AuditKeyUnavailableError';
  }
}

export type AuditChainResult = { ok: true; entries: number } | { ok: false; entries: number; brokenAtSeq: number; entryId: string; reason: string };

export interface AuditChainReport {
  /** Entries whose content and link hold, in order. */
  entries: number;
  /** How many of them were hashed before signing existed (they all come first). */
  legacyEntries: number;
  /** The last entry that holds. */
  head: { seq: number; hash: string } | null;
  /** The first entry that does not hold, if any. */
  broken: { seq: number; entryId: string; reason: string } | null;
}

/** Walks an org's chain in order; returns the first entry whose hash or link does not hold. */
export async function verifyAuditChain(tx: Tx, orgId: string, key: AuditSigningKey | null = auditSigningKeyInUse()): Promise<AuditChainResult> {
  const report = await inspectAuditChain(tx, orgId, key);
  if (!report.broken) return { ok: true, entries: report.entries };
  return { ok: false, entries: report.entries + 1, brokenAtSeq: report.broken.seq, entryId: report.broken.entryId, reason: report.broken.reason };
}

/**
 * The chain as far as it holds: every entry's seq, link to the previous one and
 * hash (keyed or legacy, by its format). Throws AuditKeyUnavailableError when a
 * signed entry comes up and `key` is null.
 */
export async function inspectAuditChain(tx: Tx, orgId: string, key: AuditSigningKey | null): Promise<AuditChainReport> {
  let prevHash: string | null = null;
  let expectedSeq = 1;
  let count = 0;
  let legacy = 0;
  let newest: AuditHashVersion = 'legacy';
  let cursor: string | undefined;
  const report = (broken: AuditChainReport['broken']): AuditChainReport => ({
    entries: count,
    legacyEntries: legacy,
    head: prevHash === null ? null : { seq: expectedSeq - 1, hash: prevHash },
    broken,
  });
  for (;;) {
    const page = await tx.auditEntry.findMany({
      where: { orgId },
      orderBy: { seq: 'asc' },
      take: 500,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const entry of page) {
      if (entry.seq !== expectedSeq) return report({ seq: expectedSeq, entryId: entry.id, reason: `entry #${expectedSeq} is missing` });
      if (entry.prevHash !== prevHash) return report({ seq: entry.seq, entryId: entry.id, reason: 'link to the previous entry does not match' });
      const version = auditHashVersionOf(entry.hash);
      if (AUDIT_HASH_VERSIONS.indexOf(version) < AUDIT_HASH_VERSIONS.indexOf(newest)) {
        const reason = version === 'legacy' ? 'unsigned entry after signed ones (downgrade)' : `${version} entry after ${newest} ones (downgrade)`;
        return report({ seq: entry.seq, entryId: entry.id, reason });
      }
      const expected = expectedAuditHash(version, chainedFieldsOf(entry), key);
      if (!sameText(expected, entry.hash)) return report({ seq: entry.seq, entryId: entry.id, reason: 'content does not match its hash' });
      newest = version;
      if (version === 'legacy') legacy++;
      count++;
      prevHash = entry.hash;
      expectedSeq++;
    }
    const last = page.at(-1);
    if (page.length < 500 || last === undefined) return report(null);
    cursor = last.id;
  }
}

/** The hash an entry of `version` must have; throws AuditKeyUnavailableError for a signed entry when `key` is null. */
function expectedAuditHash(version: AuditHashVersion, fields: ChainedFields, key: AuditSigningKey | null): string {
  if (version === 'legacy') return legacyAuditHash(fields);
  if (!key) throw new AuditKeyUnavailableError(fields.seq);
  return version === 'h2' ? signedAuditHash(fields, key) : h1AuditHash(fields, key);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** Exactly the fields the hash covers, taken from a stored row. */
export function chainedFieldsOf(entry: ChainedFields & Record<string, unknown>): ChainedFields {
  return {
    orgId: entry.orgId,
    seq: entry.seq,
    action: entry.action,
    actorType: entry.actorType,
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    targetType: entry.targetType,
    targetId: entry.targetId,
    changes: entry.changes,
    requestId: entry.requestId,
    ip: entry.ip,
    userAgent: entry.userAgent,
    createdAt: entry.createdAt,
    prevHash: entry.prevHash,
  };
}

/** Before/after for the fields that changed. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): AuditChanges {
  const changes: AuditChanges = {};
  for (const key of Object.keys(after)) {
    const b = before[key];
    const a = after[key];
    if (canonicalJson(b) !== canonicalJson(a)) changes[key] = { before: b ?? null, after: a ?? null };
  }
  return changes;
}
