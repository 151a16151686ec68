// Evidence of every provider delivery, accepted or not: one WebhookLog row
// each. Written after the delivery's own transaction, never inside it, and
// never allowed to fail a delivery that was handled: a payload the database
// will not store is replaced by a note, and if even that fails the entry goes
// to the process log instead.
import type { Request } from 'express';
import type { Database } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
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

export async function writeWebhookLog(deps: { db: Database; logger: Logger }, entry: WebhookLogEntry): Promise<void> {
  const row = {
    ...entry,
    durationMs: Math.max(0, Math.round(entry.durationMs)),
    error: entry.error?.slice(0, 1000) ?? null,
  };
  try {
    // Selecting only the id halves the cost of the insert on the hot path.
    await deps.db.prisma.webhookLog.create({ data: row, select: { id: true } });
    return;
  } catch (error) {
    deps.logger.warn({ err: error, route: entry.route, eventId: entry.eventId }, 'webhook log: payload not storable; storing without it');
  }
  try {
    await deps.db.prisma.webhookLog.create({ data: { ...row, payload: { note: 'payload could not be stored' } }, select: { id: true } });
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
  const json = JSON.stringify(clean) ?? 'null';
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
  if (typeof value === 'string') return value.replace(/\u0000/g, '');
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_LOGGED_BODY_DEPTH) return `[cut: nested deeper than ${MAX_LOGGED_BODY_DEPTH} levels]`;
  if (Array.isArray(value)) return value.map((item) => storableCopy(item, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [key.replace(/\u0000/g, ''), storableCopy(v, depth + 1)]));
}
