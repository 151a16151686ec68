// Signed checkpoints of an org's audit chain: "entry #seq had hash head at
// time at", signed with a key derived from the audit signing key. Kept outside
// the database, a checkpoint lets `audit verify --against` notice what the chain
// alone cannot: newest entries deleted (truncation) or the chain rebuilt from
// some entry on. (The idea of CloudTrail's digest files.)
import crypto from 'node:crypto';
import type { Tx } from '../db/types';
import type { Clock } from '../common/clock';
import type { AuditSigningKey } from './audit-signing';
import { inspectAuditChain, type AuditChainReport } from './audit.service';

export interface AuditCheckpoint {
  orgId: string;
  /** The last entry covered; 0 for an org with no entries yet. */
  seq: number;
  /** The hash of entry #seq (null when seq is 0). */
  head: string | null;
  /** When the checkpoint was taken, ISO 8601. */
  at: string;
  /** Hex HMAC-SHA256 over the fields above (checkpointSignature). */
  signature: string;
}

/** The text a checkpoint signature covers: versioned, one field per line, in a fixed order. */
function canonicalCheckpoint(fields: Omit<AuditCheckpoint, 'signature'>): string {
  return ['callsnare-audit-checkpoint/1', fields.orgId, String(fields.seq), fields.head ?? '', fields.at].join('\n');
}

export function checkpointSignature(key: AuditSigningKey, fields: Omit<AuditCheckpoint, 'signature'>): string {
  return key.signCheckpoint(canonicalCheckpoint(fields));
}

export type TakeCheckpointResult = { ok: true; checkpoint: AuditCheckpoint } | { ok: false; chain: AuditChainReport };

/** Signs the chain's current head, but only if the whole chain holds: a checkpoint never vouches for a broken chain. */
export async function takeAuditCheckpoint(tx: Tx, orgId: string, key: AuditSigningKey, clock: Clock): Promise<TakeCheckpointResult> {
  const chain = await inspectAuditChain(tx, orgId, key);
  if (chain.broken) return { ok: false, chain };
  const fields = { orgId, seq: chain.head?.seq ?? 0, head: chain.head?.hash ?? null, at: clock.now().toISOString() };
  return { ok: true, checkpoint: { ...fields, signature: checkpointSignature(key, fields) } };
}

/** A checkpoint read from a file, or what is wrong with it. */
export function parseAuditCheckpoint(text: string): AuditCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const c = value as Partial<Record<keyof AuditCheckpoint, unknown>> | null;
  if (!c || typeof c !== 'object' || Array.isArray(c)) return 'not a JSON object';
  if (typeof c.orgId !== 'string') return 'orgId is missing';
  if (typeof c.seq !== 'number' || !Number.isInteger(c.seq) || c.seq < 0) return 'seq must be a whole number';
  if (c.head !== null && typeof c.head !== 'string') return 'head must be a hash or null';
  if ((c.seq === 0) !== (c.head === null)) return 'head must be null exactly when seq is 0';
  if (typeof c.at !== 'string' || Number.isNaN(Date.parse(c.at))) return 'at must be a time';
  if (typeof c.signature !== 'string' || !/^[0-9a-f]{64}$/.test(c.signature)) return 'signature must be 64 hex characters';
  return { orgId: c.orgId, seq: c.seq, head: c.head, at: c.at, signature: c.signature };
}

export function checkpointSignatureHolds(key: AuditSigningKey, checkpoint: AuditCheckpoint): boolean {
  const { signature, ...fields } = checkpoint;
  const expected = Buffer.from(checkpointSignature(key, fields), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

export type CheckpointVerdict =
  { ok: true; chain: AuditChainReport } | { ok: false; kind: 'forged' | 'broken' | 'truncated' | 'rewritten'; chain: AuditChainReport | null; message: string };

/**
 * The chain must hold, still reach entry #seq, and entry #seq must still have
 * the hash the checkpoint recorded. The checkpoint itself must carry a valid
 * signature first: a forged one proves nothing.
 */
export async function verifyAgainstCheckpoint(tx: Tx, checkpoint: AuditCheckpoint, key: AuditSigningKey): Promise<CheckpointVerdict> {
  if (!checkpointSignatureHolds(key, checkpoint)) {
    return { ok: false, kind: 'forged', chain: null, message: 'the checkpoint signature is invalid: forged, or made with another AUDIT_SIGNING_KEY' };
  }
  const chain = await inspectAuditChain(tx, checkpoint.orgId, key);
  if (chain.broken)
    return { ok: false, kind: 'broken', chain, message: `audit chain broken at entry #${chain.broken.seq} (${chain.broken.entryId}): ${chain.broken.reason}` };
  if (checkpoint.seq === 0) return { ok: true, chain };
  if (chain.entries < checkpoint.seq) {
    return {
      ok: false,
      kind: 'truncated',
      chain,
      message: `audit chain truncated: the checkpoint covers entry #${checkpoint.seq} but the chain ends at ${chain.entries === 0 ? 'no entry' : `entry #${chain.entries}`}`,
    };
  }
  const entry = await tx.auditEntry.findFirst({ where: { orgId: checkpoint.orgId, seq: checkpoint.seq }, select: { hash: true } });
  if (entry?.hash !== checkpoint.head) {
    return { ok: false, kind: 'rewritten', chain, message: `audit chain rewritten: entry #${checkpoint.seq} no longer has the hash the checkpoint recorded` };
  }
  return { ok: true, chain };
}
