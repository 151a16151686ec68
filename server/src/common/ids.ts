import { randomFillSync } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else can't name a row (and would make PostgreSQL reject the query). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// UUIDv7 like Prisma's @default(uuid(7)), made here when a statement must insert
// rows that refer to each other (the raw-SQL hot path) or rows of a given time
// (demo history). Monotonic within a process: rows made in one transaction sort
// (createdAt, id) in the order they were made.
let lastMs = 0;
let counter = 0;
const random = Buffer.alloc(10);

export function newRowId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    counter = (counter + 1) & 0xfff;
    if (counter === 0) ms = ++lastMs;
  } else {
    lastMs = ms;
    counter = 0;
  }
  return formatUuidv7(ms, counter);
}

/** A UUIDv7 for a given instant (ordering within the same millisecond is random). */
export function uuidv7At(ms: number): string {
  randomFillSync(random, 0, 2);
  return formatUuidv7(ms, random.readUInt16BE(0) & 0xfff);
}

function formatUuidv7(ms: number, sequence: number): string {
  randomFillSync(random);
  const hex = ms.toString(16).padStart(12, '0');
  const randA = (0x7000 | sequence).toString(16);
  const randB = ((random[0] & 0x3f) | 0x80).toString(16).padStart(2, '0') + random.toString('hex', 1, 8);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${randA}-${randB.slice(0, 4)}-${randB.slice(4, 16)}`;
}
