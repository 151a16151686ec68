// Evidence of every provider delivery, accepted or not: one WebhookLog row
// each. Written after the delivery's own transaction, never inside it, and
// never allowed to fail a delivery that was handled: a payload the database
// will not store is replaced by a note, and if even that fails the entry goes
// to the process log instead. Rows are written in batches (WebhookLogWriter):
// one multi-row INSERT for every row logged while the previous one ran.
import type { Request } from 'express';
import type { Database } from '../db/client';
import { queryPrepared } from '../db/prepared';
import { insertRowsSql } from '../db/row-sql';
import { Prisma } from '../generated/prisma/client';
import { newRowId } from '../common/ids';
import type { SignatureCheck, WebhookOutcome, WebhookProvider } from '../generated/prisma/enums';
import type { Logger } from '../logger';

/** Stored request bodies are cut at 8 KiB. */
export const MAX_LOGGED_BODY_BYTES = 8 * 1024;
/** ...and at 32 levels of nesting (a Stripe event is under 10). */
export const MAX_LOGGED_BODY_DEPTH = 32;

/** Headers worth keeping as evidence. Everything else - Authorization, cookies, the signature itself - is dropped. */
const KEPT_HEADERS = ['content-type', 'content-length', 'user-agent', 'i-twilio-idempotency-token', 'x-home-region'];

export interface WebhookLogEntry {
  provider: WebhookProvider;
  route: string;
  eventId: string | null;
  orgId: string | null;
  signature: SignatureCheck;
  outcome: WebhookOutcome;
  httpStatus: number;
  receivedAt: Date;
  durationMs: number;
  payload: Prisma.InputJsonObject;
  error: string | null;
  requestId: string | null;
  ip: string | null;
}

interface WebhookLogDeps {
  db: Database;
  logger: Logger;
  /** The process's batching writer; without one (tools, some tests) each row is its own INSERT. */
  webhookLog?: WebhookLogWriter;
}

/** Resolves once the row is stored (or, if the database refused it, in the process log); never rejects. */
export async function writeWebhookLog(deps: WebhookLogDeps, entry: WebhookLogEntry): Promise<void> {
  if (deps.webhookLog) return deps.webhookLog.write(entry);
  await storeRows(deps, [logRow(entry)]);
}

export interface WebhookLogWriterOptions {
  /** Rows per INSERT at most; more waiting go in the next one. */
  maxRows: number;
}

type LogRow = Prisma.WebhookLogCreateManyInput & { id: string; payload: Prisma.InputJsonObject };

/**
 * Group commit for the webhook log. A row waits for at most the INSERT already
 * running (one at a time) and its own: idle, it is written at once (the
 * delivery's answer, which waits for it, is not delayed); during a burst every
 * row logged meanwhile goes into the next single multi-row INSERT, so the log
 * costs one round trip per batch instead of one per delivery. Deliveries
 * answer only after their row is stored, and close() (after the HTTP server
 * drained, on SIGTERM) waits for whatever is still queued: no row is lost on
 * a graceful stop.
 */
export class WebhookLogWriter {
  private queue: { row: LogRow; done: () => void }[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly deps: { db: Database; logger: Logger },
    private readonly options: WebhookLogWriterOptions = { maxRows: 200 },
  ) {}

  write(entry: WebhookLogEntry): Promise<void> {
    return new Promise<void>((done) => {
      this.queue.push({ row: logRow(entry), done });
      // Rows logged in the same turn of the event loop share the first INSERT.
      this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    });
  }

  /** Resolves when every row written so far is stored. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxRows);
        await storeRows(
          this.deps,
          batch.map((item) => item.row),
        );
        for (const item of batch) item.done();
      }
    } finally {
      this.draining = null;
    }
  }
}

function logRow(entry: WebhookLogEntry): LogRow {
  return { id: newRowId(), ...entry, durationMs: Math.max(0, Math.round(entry.durationMs)), error: entry.error?.slice(0, 1000) ?? null };
}

/**
 * The rows in one prepared INSERT (its text is the same for every batch: the
 * log costs no query planning or ORM work per delivery, only the rows).
 */
async function insertLogRows(db: Database, rows: LogRow[]): Promise<void> {
  await queryPrepared(db.prisma, insertRowsSql({ table: 'WebhookLog', fields: Prisma.WebhookLogScalarFieldEnum, rows }));
}

/** One INSERT for the batch; if the database refuses it, each row alone (and, failing that, without its payload). Never throws. */
async function storeRows(deps: { db: Database; logger: Logger }, rows: LogRow[]): Promise<void> {
  if (rows.length > 1) {
    try {
      await insertLogRows(deps.db, rows);
      return;
    } catch (error) {
      deps.logger.warn({ err: error, rows: rows.length }, 'webhook log: a batch was refused; storing its rows one by one');
    }
  }
  for (const row of rows) await storeRow(deps, row);
}

async function storeRow(deps: { db: Database; logger: Logger }, row: LogRow): Promise<void> {
  try {
    await insertLogRows(deps.db, [row]);
    return;
  } catch (error) {
    deps.logger.warn({ err: error, route: row.route, eventId: row.eventId }, 'webhook log: payload not storable; storing without it');
  }
  try {
    await insertLogRows(deps.db, [{ ...row, payload: { note: 'payload could not be stored' } }]);
  } catch (error) {
    // The database itself is failing; the process log is the only evidence left.
    deps.logger.error({ err: error, webhook: { ...row, payload: undefined } }, 'webhook log: could not write the log row');
  }
}

/**
 * What the log keeps of a request: method, path, kept headers, and the parsed
 * body (phone numbers included). Never throws: whatever a client sent, its
 * delivery still gets its log row.
 */
export function redactedRequest(req: Request): Prisma.InputJsonObject {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const request = { method: req.method, path: req.originalUrl, headers };
  try {
    return { ...request, body: truncatedBody(req.body) };
  } catch {
    return { ...request, body: { note: 'body could not be recorded' } };
  }
}

function truncatedBody(body: unknown): Prisma.InputJsonValue | null {
  if (body === undefined || body === null) return null;
  const clean = storableCopy(body, 0);
  const json = (JSON.stringify(clean) as string | undefined) ?? 'null';
  const bytes = Buffer.byteLength(json);
  if (bytes <= MAX_LOGGED_BODY_BYTES) return clean as Prisma.InputJsonValue;
  return { truncated: true, bytes, preview: Buffer.from(json).subarray(0, MAX_LOGGED_BODY_BYTES).toString('utf8') };
}

/**
 * A copy the database will store: no U+0000 (PostgreSQL's jsonb cannot hold
 * it), and nothing deeper than MAX_LOGGED_BODY_DEPTH - a body nested thousands
 * of levels deep would otherwise overflow the stack here or in JSON.stringify.
 * The depth limit also bounds this recursion.
 */
function storableCopy(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_LOGGED_BODY_DEPTH) return `[cut: nested deeper than ${MAX_LOGGED_BODY_DEPTH} levels]`;
  if (Array.isArray(value)) return value.map((item) => storableCopy(item, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [key.replaceAll('\u0000', ''), storableCopy(v, depth + 1)]));
}
