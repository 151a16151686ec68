import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else can't name a row (and would make PostgreSQL reject the query). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A UUIDv7 like Prisma's @default(uuid(7)), made here when a statement must insert
 * rows that refer to each other (the raw-SQL hot path). The `uuid` package keeps a
 * per-process counter, so ids made one after another sort in the order they were
 * made, even within one millisecond: rows of one transaction sort (createdAt, id).
 */
export function newRowId(): string {
  return uuidv7();
}

/** A UUIDv7 for a given instant (demo history); ordering within the same millisecond is random. */
export function uuidv7At(ms: number): string {
  return uuidv7({ msecs: ms });
}

/** Random bytes drawn for identifiers at a time: one call to crypto.randomBytes per 4 KiB. */
const ID_POOL_BYTES = 4096;
let idPool = Buffer.alloc(0);
let idPoolAt = 0;

/**
 * `bytes` random bytes as hex, for identifiers (webhook event ids, fake Twilio sids),
 * never for secrets: keys and session tokens take crypto.randomBytes of their own.
 * Each byte of the pool is used once. A call to crypto.randomBytes costs ~5 µs here
 * whatever its size, and the missed-call statement names two webhook events.
 */
export function randomHex(bytes: number): string {
  if (idPoolAt + bytes > idPool.length) {
    idPool = crypto.randomBytes(Math.max(ID_POOL_BYTES, bytes));
    idPoolAt = 0;
  }
  const hex = idPool.toString('hex', idPoolAt, idPoolAt + bytes);
  idPoolAt += bytes;
  return hex;
}

/** A fake Twilio id: prefix + 32 hex digits, like the real ones (CA… calls, SM… messages, RE… recordings, AC… accounts). */
export function fakeTwilioSid(prefix: 'CA' | 'SM' | 'RE' | 'AC'): string {
  return `${prefix}${randomHex(16)}`;
}
