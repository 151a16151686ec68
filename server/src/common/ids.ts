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
