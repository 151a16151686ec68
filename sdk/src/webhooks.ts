// Receiving CallSnare's outbound webhooks: `verifyWebhook` checks the
// `CallSnare-Signature` header (t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>,
// one v1 per signing secret while a rotated secret is in its grace period) and
// returns the event, typed by its `type`. Web Crypto only, so it runs wherever the
// rest of the SDK does (Node ≥ 20, Deno, Bun, edge runtimes).
import type { WebhookCallback, WebhookLead, WebhookMessage } from './webhook-objects.js';

/** The event types CallSnare sends, as named in `createWebhookEndpoint(input: { events })`. */
export const WEBHOOK_EVENT_TYPES = ['lead.created', 'lead.updated', 'lead.opted_out', 'message.received', 'callback.created', 'callback.completed'] as const;

/** One of the event types this SDK version knows. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The header CallSnare signs each delivery with. */
export const WEBHOOK_SIGNATURE_HEADER = 'CallSnare-Signature';
/** The header carrying the event id (the body's `id`), the same on every retry of the event. */
export const WEBHOOK_EVENT_ID_HEADER = 'CallSnare-Event-Id';
/** How far the signature's timestamp may be from now, by default: 5 minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The object each event type carries in `data.object`: the object's state when the event was written. */
export interface WebhookEventObjects {
  'lead.created': WebhookLead;
  'lead.updated': WebhookLead;
  'lead.opted_out': WebhookLead;
  'message.received': WebhookMessage;
  'callback.created': WebhookCallback;
  'callback.completed': WebhookCallback;
}

interface WebhookEventBase<TType extends string, TObject> {
  /** The event id (`evt_…`): the same on every delivery and redelivery of this event; dedupe on it. */
  id: string;
  type: TType;
  /** When the change happened, in Unix seconds. Deliveries are not ordered: compare this, not arrival order. */
  created: number;
  /** The organization the event belongs to. */
  orgId: string;
  data: { object: TObject };
}

/** An event of a type this SDK version knows, e.g. `WebhookEventOf<'lead.created'>`. */
export type WebhookEventOf<TType extends WebhookEventType> = WebhookEventBase<TType, WebhookEventObjects[TType]>;

/** A verified event of a type this SDK version knows; `switch (event.type)` narrows `data.object`. */
export type KnownWebhookEvent = { [TType in WebhookEventType]: WebhookEventOf<TType> }[WebhookEventType];

/**
 * A verified event of a type added to CallSnare after this SDK version: signed and
 * well formed, so it is returned rather than refused. Acknowledge it (2xx) and
 * ignore it, or read `data.object` yourself; `isKnownWebhookEvent` tells the two apart.
 */
export type UnknownWebhookEvent = WebhookEventBase<string, Record<string, unknown>>;

/** What `verifyWebhook` returns. */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

const knownTypes: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);

/**
 * True for the event types this SDK version knows. Check it before `switch (event.type)`:
 * an unknown type's `data.object` is untyped, so without it the cases do not narrow.
 */
export function isKnownWebhookEvent(event: WebhookEvent): event is KnownWebhookEvent {
  return knownTypes.has(event.type);
}

/** Why `verifyWebhook` refused a request. */
export type WebhookSignatureErrorReason =
  /** No `CallSnare-Signature` header (or an empty one). */
  | 'MISSING_HEADER'
  /** The header has no `t=<unix seconds>` or no `v1=<64 hex digits>`. */
  | 'MALFORMED_HEADER'
  /** A signature matched, but its timestamp is further from now than `toleranceSeconds` (a replay, or a clock off). */
  | 'TIMESTAMP_OUT_OF_TOLERANCE'
  /** No v1 signature matches the body with any of the secrets (a wrong secret, a changed body, or not from CallSnare). */
  | 'NO_MATCHING_SIGNATURE'
  /** Correctly signed, but not a CallSnare event (not JSON, or without id, type, created, orgId, data.object). */
  | 'INVALID_PAYLOAD';

/** Thrown (as a rejection) by `verifyWebhook`; answer the request with 400 and do not process it. */
export class WebhookSignatureError extends Error {
  readonly reason: WebhookSignatureErrorReason;

  constructor(reason: WebhookSignatureErrorReason, message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
    this.reason = reason;
  }
}

export interface VerifyWebhookOptions {
  /** How far (either way) the signed timestamp may be from `now`. Default 300 s; `Infinity` turns the check off. */
  toleranceSeconds?: number;
  /** The time to check the timestamp against (tests); default the current time. */
  now?: Date;
}

/**
 * Checks that a webhook request came from CallSnare and returns its event.
 *
 * - `rawBody`: the request body exactly as received (a string, or the bytes: a Uint8Array or a
 *   Node.js buffer). Never a parsed and re-serialized object: the signature covers the exact bytes.
 * - `signatureHeader`: the `CallSnare-Signature` header (undefined when absent); Node's
 *   `req.headers['callsnare-signature']` can be passed as it is.
 * - `secret`: the endpoint's `whsec_…` signing secret, or several (e.g. the old and the new one
 *   while you roll a rotation out); a request signed with any of them is accepted.
 *
 * Rejects with a `WebhookSignatureError` whose `reason` says why. Signatures are compared in
 * constant time. Returns a Promise because Web Crypto's HMAC is asynchronous.
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  signatureHeader: string | readonly string[] | null | undefined,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0 || secrets.some((one) => typeof one !== 'string' || one === '')) {
    throw new TypeError('verifyWebhook: `secret` must be the endpoint signing secret (whsec_…), or a non-empty list of them');
  }
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof toleranceSeconds !== 'number' || Number.isNaN(toleranceSeconds) || toleranceSeconds < 0) {
    throw new TypeError('verifyWebhook: `toleranceSeconds` must be a number of seconds ≥ 0');
  }
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new TypeError('verifyWebhook: `rawBody` must be the raw request body (a string or bytes), not a parsed object');
  }

  const header = parseSignatureHeader(signatureHeader);
  const body = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : rawBody;
  const signedPayload = concatBytes(new TextEncoder().encode(`${header.timestamp}.`), body);

  let matched = false;
  for (const one of secrets) {
    const expected = await hmacSha256(one, signedPayload);
    for (const candidate of header.signatures) {
      // No early exit: every comparison runs, each in constant time.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookSignatureError('NO_MATCHING_SIGNATURE', 'No CallSnare-Signature v1 signature matches the body for the given secret(s)');
  }

  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - header.timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError(
      'TIMESTAMP_OUT_OF_TOLERANCE',
      `The signature's timestamp (${header.timestamp}) is more than ${toleranceSeconds} s from now (${nowSeconds})`,
    );
  }

  return parseEvent(body);
}

interface ParsedSignatureHeader {
  timestamp: number;
  signatures: Uint8Array[];
}

function parseSignatureHeader(header: string | readonly string[] | null | undefined): ParsedSignatureHeader {
  // A header sent more than once may reach a framework as a list: its entries are read together.
  const value = Array.isArray(header) ? header.join(',') : header;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new WebhookSignatureError('MISSING_HEADER', `No ${WEBHOOK_SIGNATURE_HEADER} header: not a CallSnare webhook delivery`);
  }
  let timestamp: number | null = null;
  const signatures: Uint8Array[] = [];
  for (const item of value.split(',')) {
    const separator = item.indexOf('=');
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    const entry = item.slice(separator + 1).trim();
    if (key === 't' && timestamp === null && /^\d{1,12}$/.test(entry)) timestamp = Number(entry);
    // Other schemes (a future v2) are skipped, as are v1 entries that cannot be an HMAC-SHA256.
    if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(entry)) signatures.push(hexToBytes(entry));
  }
  if (timestamp === null || signatures.length === 0) {
    throw new WebhookSignatureError('MALFORMED_HEADER', `The ${WEBHOOK_SIGNATURE_HEADER} header must read t=<unix seconds>,v1=<64 hex digits>[,v1=…]`);
  }
  return { timestamp, signatures };
}

function parseEvent(body: Uint8Array): WebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new WebhookSignatureError('INVALID_PAYLOAD', 'The body is signed but is not UTF-8 JSON');
  }
  if (!isRecord(parsed)) throw new WebhookSignatureError('INVALID_PAYLOAD', 'The body is signed but is not a JSON object');
  const { id, type, created, orgId, data } = parsed;
  const problems = [
    typeof id === 'string' && id !== '' ? null : 'id',
    typeof type === 'string' && type !== '' ? null : 'type',
    typeof created === 'number' && Number.isInteger(created) ? null : 'created',
    typeof orgId === 'string' && orgId !== '' ? null : 'orgId',
    isRecord(data) && isRecord(data.object) ? null : 'data.object',
  ].filter((problem) => problem !== null);
  if (problems.length > 0) {
    throw new WebhookSignatureError('INVALID_PAYLOAD', `The body is signed but is not a CallSnare event (missing or invalid: ${problems.join(', ')})`);
  }
  return parsed as unknown as WebhookEvent;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function hmacSha256(secret: string, payload: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  // Typed as always present (DOM lib); an old or stripped-down runtime may lack it.
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!subtle) throw new Error('verifyWebhook needs Web Crypto (globalThis.crypto.subtle): Node.js ≥ 20, Deno, Bun or a browser-like runtime');
  const key = await subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', key, payload));
}

/** Equal-length byte strings compared without data-dependent branches. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  a.forEach((byte, index) => {
    difference |= byte ^ (b[index] ?? 0);
  });
  return difference === 0;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
