// What every fuzz test shares: the seed and run counts (FUZZ_SEED, FUZZ_RUNS,
// FUZZ_PATH), a runner whose failure says how to replay it, hostile text and
// JSON, and a fingerprint of stored rows to prove rejected input changed nothing.
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import type { Database } from '../../src/db/client';
import type { TestDatabaseKind } from '../support/database';
import type { CapturedLog } from '../support/captured-log';

function envInteger(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer (got "${raw}")`);
  return Number(raw);
}

/**
 * A live server needs AUDIT_SIGNING_KEY; a process signs with one key only, so
 * it is the key every test worker already uses (support/audit-signing-key.ts).
 */
export const LIVE_AUDIT_ENV = { AUDIT_SIGNING_KEY: Buffer.from('callsnare test audit signing key, not a secret').toString('hex') };

/** Fixed by default, so `npm test` is repeatable; FUZZ_SEED explores other inputs. */
export const FUZZ_SEED = envInteger('FUZZ_SEED') ?? 20_260_115;
/** FUZZ_RUNS replaces every property's run count (e.g. FUZZ_RUNS=2000 for a long local run). */
const FUZZ_RUNS = envInteger('FUZZ_RUNS');
/** FUZZ_PATH (printed with a failure) replays exactly the failing run and its shrinking. */
const FUZZ_PATH = process.env.FUZZ_PATH?.trim() || undefined;

/**
 * Runs per property. PostgreSQL repeats the same properties with half the runs,
 * so the fuzz suite on both databases stays well under a minute on two cores.
 */
export function fuzzRuns(kind: TestDatabaseKind, runs: number): number {
  if (FUZZ_RUNS !== undefined) return FUZZ_RUNS;
  return kind === 'postgres' ? Math.max(1, Math.ceil(runs / 2)) : runs;
}

/** fast-check's report, plus the environment that replays the failure. */
export async function checkProperty<Ts>(property: fc.IAsyncProperty<Ts>, numRuns: number): Promise<void> {
  const details = await fc.check(property, {
    seed: FUZZ_SEED,
    numRuns,
    path: FUZZ_PATH,
    includeErrorInReport: true,
    plugins: [fc.interruptAfterTimeLimit(240_000)],
  });
  if (!details.failed) return;
  const report = (await fc.asyncDefaultReportMessage(details)) ?? 'property failed';
  const { testPath, currentTestName } = expect.getState();
  const where = `${testPath ? path.relative(process.cwd(), testPath) : 'server/test/fuzz'}${currentTestName ? ` -t ${JSON.stringify(currentTestName)}` : ''}`;
  const replay = `Replay: FUZZ_SEED=${details.seed}${details.counterexamplePath ? ` FUZZ_PATH=${details.counterexamplePath}` : ''} npm test -- ${where}`;
  throw new Error(`${report}\n\n${replay}`);
}

/** The error lines the server logged for one request, short enough for a failure message. */
export function loggedErrors(log: CapturedLog, requestId: string | null): string {
  const lines = log.errors().filter((line) => line.requestId === requestId);
  if (lines.length === 0) return '(nothing at error level)';
  return lines
    .map((line) => {
      const err = line.err as { type?: string; code?: string; message?: string; stack?: string } | undefined;
      const at = err?.stack
        ?.split('\n')
        .find((frame) => frame.includes('/src/'))
        ?.trim();
      const message = (err?.message ?? '').replace(/\s+/g, ' ').trim().slice(0, 400);
      return `${line.msg}: ${err?.type ?? ''}${err?.code ? ` ${err.code}` : ''} ${message}${at ? ` (${at})` : ''}`;
    })
    .join(' | ');
}

// ---------------------------------------------------------------------------
// Hostile input

/** Text that has broken parsers, databases and loggers: NUL, lone surrogates, BOMs, escapes, separators. */
const HOSTILE_PIECES = [
  '\u0000',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uD83D', // the first half of an emoji, alone
  '\uFFFE',
  '\uFFFF',
  '\uFEFF',
  '\u2028',
  '\u202E',
  '\u0301',
  '😀',
  'é',
  '"',
  "'",
  '\\',
  '\\u0000',
  '\\uD800',
  '%00',
  '%FF',
  '%',
  '&',
  '=',
  '\r\n',
  '\t',
  '{',
  '}',
  '$',
  '#',
  '...',
  '|',
  '+1312555',
];

export function hostileText(maxPieces = 12): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme-ascii', maxLength: 8 })), {
      maxLength: maxPieces,
    })
    .map((pieces) => pieces.join(''));
}

/** Numbers past every limit: Int overflow, beyond 2^53, ±1e300, fractions where integers go. */
export const hugeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 63), 1e300, -1e300, 1.5, -0, 5e-324, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Timestamps at and past the edges of what JavaScript and PostgreSQL hold (PostgreSQL has no year 0). */
export const edgeTimestamp: fc.Arbitrary<string> = fc.constantFrom(
  '0000-01-01T00:00:00.000Z',
  '0000-12-31T23:59:59Z',
  '-000001-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '1969-12-31T23:59:59.999Z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01',
  '2026-01-01T00:00:00+99:00',
);

/** Any JSON value, with hostile strings and numbers, up to a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText(),
    hugeNumber,
    edgeTimestamp,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileText(3), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** `depth` levels of arrays or objects around a value, as JSON text (too deep for a naive recursive walk). */
export const deeplyNestedJson = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * Header values fetch can send: visible ASCII and Latin-1 bytes, tabs and spaces
 * (CR, LF and NUL are refused by the client, so they never reach a server anyway).
 */
export function headerValue(maxLength = 60): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)), { maxLength })
    .map((codes) => String.fromCharCode(...codes).trim());
}

// ---------------------------------------------------------------------------
// Stored rows

/**
 * How each table is fingerprinted. Columns that change on every accepted read
 * (a session's sliding expiry, a credential's lastUsedAt) are left out, and so
 * are failed sign-ins in the audit trail: recording those is the point.
 */
const FINGERPRINTED: Record<string, { omit?: string[]; where?: string }> = {
  Organization: {},
  User: {},
  Membership: {},
  Session: { omit: ['lastSeenAt', 'idleExpiresAt'] },
  ApiCredential: { omit: ['lastUsedAt'] },
  TrackingLine: {},
  OrgSettings: {},
  Lead: {},
  LeadEvent: {},
  Callback: {},
  Message: {},
  AuditEntry: { where: `"action" <> 'auth.sign_in_failed'` },
  WebhookLog: {},
  Subscription: {},
  BillingRecord: {},
};

export type TableName = keyof typeof FINGERPRINTED;
export const ALL_TABLES = Object.keys(FINGERPRINTED);
/** What a provider delivery can create or change in the business (not the log of the delivery itself). */
export const BUSINESS_TABLES: TableName[] = [
  'Lead',
  'LeadEvent',
  'Message',
  'Callback',
  'Subscription',
  'BillingRecord',
  'Organization',
  'OrgSettings',
  'TrackingLine',
];

/** Row count and a hash of every row's content, per table, in one statement. */
export async function fingerprintTables(db: Database, tables: readonly TableName[] = ALL_TABLES): Promise<Record<string, string>> {
  const columns = tables.map((table) => {
    const { omit = [], where } = FINGERPRINTED[table]!;
    const row = omit.length > 0 ? `(to_jsonb(t) - '{${omit.join(',')}}'::text[])::text` : 't::text';
    return `(SELECT count(*) || ' rows, ' || md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) FROM "${table}" t${where ? ` WHERE ${where}` : ''}) AS "${table}"`;
  });
  const [found] = await db.prisma.$queryRawUnsafe<Record<string, string>[]>(`SELECT ${columns.join(', ')}`);
  return found!;
}

export async function countWebhookLogs(db: Database): Promise<number> {
  return db.prisma.webhookLog.count();
}

/** The id the next writing transaction will get: it moves only when a transaction writes (reads never take one). */
async function writeHorizon(db: Database): Promise<string> {
  const [row] = await db.prisma.$queryRawUnsafe<{ horizon: string }[]>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS horizon');
  return row!.horizon;
}

/**
 * Which tables' rows changed since the last look. Cheap when nothing was
 * written: an unmoved write horizon means no row changed, and only a moved one
 * costs a fingerprint of the tables. (On a shared PostgreSQL server other
 * databases move the horizon too; that costs time, never correctness.)
 */
export class StoredRowsWatch {
  private constructor(
    private readonly db: Database,
    private readonly tables: readonly TableName[],
    private horizon: string,
    private fingerprint: Record<string, string>,
  ) {}

  static async start(db: Database, tables: readonly TableName[] = ALL_TABLES): Promise<StoredRowsWatch> {
    const horizon = await writeHorizon(db);
    return new StoredRowsWatch(db, tables, horizon, await fingerprintTables(db, tables));
  }

  /** The tables whose rows changed since the previous call (or start), each with its before and after. */
  async changes(): Promise<Record<string, { before: string; after: string }>> {
    const horizon = await writeHorizon(this.db);
    if (horizon === this.horizon) return {};
    const fingerprint = await fingerprintTables(this.db, this.tables);
    const changed = Object.fromEntries(
      this.tables
        .filter((table) => fingerprint[table] !== this.fingerprint[table])
        .map((table) => [table, { before: this.fingerprint[table]!, after: fingerprint[table]! }]),
    );
    this.horizon = horizon;
    this.fingerprint = fingerprint;
    return changed;
  }
}

// ---------------------------------------------------------------------------
// Bodies and their encodings

const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024, 'A'));

/**
 * A body as sent on the wire: as is, or announced with a Content-Encoding -
 * really compressed that way, compressed another way, random bytes, a gzip
 * bomb, or an encoding nobody implements.
 */
export function encodedBody(body: fc.Arbitrary<Uint8Array>): fc.Arbitrary<{ bytes: Uint8Array; contentEncoding: string | null }> {
  const compress: Record<string, (bytes: Uint8Array) => Buffer> = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync };
  const announced = fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'GZIP', 'gzip, deflate', 'x-gzip', 'compress', 'zstd', 'x-snappy', '');
  return fc.oneof(
    { weight: 3, arbitrary: body.map((bytes) => ({ bytes, contentEncoding: null })) },
    fc.tuple(body, fc.constantFrom('gzip', 'deflate', 'br')).map(([bytes, encoding]) => ({ bytes: compress[encoding]!(bytes), contentEncoding: encoding })),
    fc
      .tuple(body, fc.constantFrom('gzip', 'deflate', 'br'), announced)
      .map(([bytes, used, claimed]) => ({ bytes: compress[used]!(bytes), contentEncoding: claimed })),
    fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.oneof(announced, headerValue(20))).map(([bytes, claimed]) => ({ bytes, contentEncoding: claimed })),
    fc.tuple(body, fc.nat()).map(([bytes, cut]) => {
      const gzipped = zlib.gzipSync(bytes);
      return { bytes: gzipped.subarray(0, cut % gzipped.length), contentEncoding: 'gzip' };
    }),
    fc.constant({ bytes: GZIP_BOMB, contentEncoding: 'gzip' }),
  );
}

/** POSTs raw bytes; the answer's text and the request id the server gave it. */
export async function postBytes(url: string, bytes: Uint8Array, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers, body: bytes });
  const text = await response.text();
  return { status: response.status, text, requestId: response.headers.get('x-request-id') };
}
