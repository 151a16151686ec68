// Writes audit entries in the caller's transaction, chained per org: each
// entry's hash covers its content and the previous entry's hash, so editing or
// deleting a stored row breaks the chain at that point (see verifyAuditChain).
import crypto from 'node:crypto';
import type { Tx } from '../db/types';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { systemClock } from '../shared/clock';
import type { AuditAction } from './actions';

/** { field: { before, after } } — never secrets or hashes. */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditInput {
  action: AuditAction;
  target?: { type: string; id: string } | null;
  changes?: AuditChanges;
  /** Override the actor's org (e.g. a failed sign-in with no org: null). */
  orgId?: string | null;
}

interface ChainedFields {
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

export function auditHash(fields: ChainedFields): string {
  const canonical = canonicalJson({ ...fields, createdAt: fields.createdAt.toISOString() });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** Walks an org's chain in order; returns the first entry whose hash or link does not hold. */
export async function verifyAuditChain(
  tx: Tx,
  orgId: string,
): Promise<{ ok: true; entries: number } | { ok: false; entries: number; brokenAtSeq: number; entryId: string; reason: string }> {
  let prevHash: string | null = null;
  let expectedSeq = 1;
  let count = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await tx.auditEntry.findMany({
      where: { orgId },
      orderBy: { seq: 'asc' },
      take: 500,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const entry of page) {
      count++;
      if (entry.seq !== expectedSeq) {
        return { ok: false, entries: count, brokenAtSeq: expectedSeq, entryId: entry.id, reason: `entry #${expectedSeq} is missing` };
      }
      if (entry.prevHash !== prevHash) {
        return { ok: false, entries: count, brokenAtSeq: entry.seq, entryId: entry.id, reason: 'link to the previous entry does not match' };
      }
      const recomputed = auditHash(chainedFieldsOf(entry));
      if (recomputed !== entry.hash) {
        return { ok: false, entries: count, brokenAtSeq: entry.seq, entryId: entry.id, reason: 'content does not match its hash' };
      }
      prevHash = entry.hash;
      expectedSeq++;
    }
    if (page.length < 500) return { ok: true, entries: count };
    cursor = page[page.length - 1]!.id;
  }
}

/** Exactly the fields the hash covers, taken from a stored row. */
function chainedFieldsOf(entry: ChainedFields & Record<string, unknown>): ChainedFields {
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

/** JSON with object keys sorted at every level, so equal content hashes equally. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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
