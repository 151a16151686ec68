// Sends one typed GraphQL operation to CallSnare: auth header, per-attempt timeout,
// retries with backoff (honouring Retry-After), an Idempotency-Key on every mutation
// (the same one on each retry), and the mapping of answers to the SDK's error classes. Uses only fetch/AbortController, so it runs in Node ≥ 20
// and in browsers.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, OperationTypeNode, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { CallSnareError, NetworkError, RateLimitedError, ServerError, TimeoutError, errorFromGraphQL, type GraphQLErrorPayload } from './errors.js';
import { SDK_VERSION } from './version.js';

/** The subset of `fetch` the SDK uses; pass your own (a proxy agent, a test double). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface CallSnareOptions {
  /** An API credential secret (`cs_test_…` or `cs_live_…`), sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** Where CallSnare runs, e.g. `http://127.0.0.1:4000` (the SDK posts to `${baseUrl}/graphql`). */
  baseUrl: string;
  /** Replaces the global `fetch`. */
  fetch?: FetchLike;
  /** Per attempt, from sending the request to having read the answer. Default 30 000 ms. */
  timeoutMs?: number;
  /** How many times a failed request is retried (see README "Retries"). Default 3; 0 disables retries. */
  maxRetries?: number;
  /**
   * The longest the SDK waits before a retry. A `Retry-After` longer than this is not
   * waited for: the RateLimitedError is thrown at once. Default 60 000 ms.
   */
  maxRetryDelayMs?: number;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Replaces how the SDK waits between retries (tests; custom schedulers). Receives the delay in ms. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per-call options of every method. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait); the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /**
   * Mutations only: the `Idempotency-Key` of this call (1–255 printable ASCII). By default
   * the SDK makes a new one per call and sends it on every retry of that call. Pass your
   * own to make a mutation safe to repeat across calls or processes (say, the id of the
   * job that makes it): within 24 h the same key and arguments get the first answer again
   * and nothing runs twice.
   */
  idempotencyKey?: string;
}

/**
 * `variables` is optional exactly when the operation has no required variable.
 * (`Exact<{ [key: string]: never }>` and all-optional variable types accept `{}`.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is the empty variables object a call may leave out, tested with extends
export type VariablesArgs<V> = {} extends V ? [variables?: V, options?: RequestOptions] : [variables: V, options?: RequestOptions];

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const RETRY_AFTER_JITTER_MS = 250;

/** Why an attempt failed in a way that may be retried. */
type RetryReason =
  /** HTTP 429: the server refused before running anything. */
  | 'rate_limited'
  /** The connection was never made (refused, no such host): nothing reached the server. */
  | 'not_connected'
  /** HTTP 502/503/504: a proxy or the server was unavailable; it may or may not have run. */
  | 'unavailable'
  /** The connection broke or timed out after the request may have been sent. */
  | 'network'
  /** HTTP 409 IDEMPOTENCY_KEY_IN_USE: an earlier attempt with this key is still running. */
  | 'in_use';

/** Error codes (Node/undici) raised before a single byte of the request left the machine. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

interface AttemptFailure {
  error: CallSnareError;
  retry: RetryReason | null;
  /** Server-requested wait (Retry-After), in seconds. */
  retryAfterSeconds?: number;
}

class AttemptFailed extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.error.message);
  }
}

export class Transport {
  private readonly endpoint: string;
  private readonly apiKey: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly headers: Record<string, string>;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: CallSnareOptions) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers can pass nothing, or a non-string
    if (!options || typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('CallSnare: `apiKey` is required (an API credential secret, cs_test_… or cs_live_…)');
    }
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
      throw new TypeError('CallSnare: `baseUrl` is required, e.g. "http://127.0.0.1:4000"');
    }
    const base = options.baseUrl.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/graphql') ? base : `${base}/graphql`;
    this.apiKey = options.apiKey.trim();
    const userFetch = options.fetch;
    if (!userFetch && typeof globalThis.fetch !== 'function') {
      throw new TypeError('CallSnare: no global fetch (Node ≥ 20 or a browser); pass `fetch`');
    }
    // Called as a plain function: browsers refuse window.fetch with another `this`.
    this.fetchImpl = (input, init) => (userFetch ?? globalThis.fetch)(input, init);
    this.timeoutMs = positiveNumber(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxRetries = Math.floor(nonNegativeNumber(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries'));
    this.maxRetryDelayMs = nonNegativeNumber(options.maxRetryDelayMs, DEFAULT_MAX_RETRY_DELAY_MS, 'maxRetryDelayMs');
    this.headers = { ...options.headers };
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Runs one operation, retrying where that is safe; resolves with `data` or rejects with a CallSnareError. */
  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables | undefined,
    options: RequestOptions = {},
  ): Promise<TResult> {
    const operation = operationOf(document);
    const body = JSON.stringify({ query: printed(document), operationName: operation.name, variables: variables ?? {} });
    // One key for the call and all its retries: the server runs the mutation at most once and
    // answers a retry with the first answer, so a mutation is as safe to retry as a query.
    const idempotencyKey = operation.kind === 'mutation' ? (options.idempotencyKey ?? newIdempotencyKey()) : undefined;
    if (idempotencyKey !== undefined && !/^[\x20-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new TypeError('CallSnare: `idempotencyKey` must be 1–255 printable ASCII characters');
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        return (await this.attempt(body, options, idempotencyKey)) as TResult;
      } catch (thrown) {
        if (!(thrown instanceof AttemptFailed)) throw thrown;
        const { error, retry, retryAfterSeconds } = thrown.failure;
        const delayMs = this.retryDelay(retry, attempt, retryAfterSeconds);
        if (delayMs === null) throw error;
        await this.sleep(delayMs, options.signal);
        if (options.signal?.aborted) throw options.signal.reason;
      }
    }
  }

  /** How long to wait before the next attempt, or null to give up. */
  private retryDelay(reason: RetryReason | null, attempt: number, retryAfterSeconds?: number): number | null {
    if (reason === null || attempt >= this.maxRetries) return null;
    if (retryAfterSeconds !== undefined) {
      // Never earlier than asked; a little jitter so throttled clients do not return in lockstep.
      const delay = retryAfterSeconds * 1000 + Math.random() * RETRY_AFTER_JITTER_MS;
      return delay > this.maxRetryDelayMs + RETRY_AFTER_JITTER_MS ? null : delay;
    }
    // Exponential backoff with "equal jitter": half fixed, half random.
    const ceiling = Math.min(this.maxRetryDelayMs, BACKOFF_BASE_MS * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private async attempt(body: string, options: RequestOptions, idempotencyKey: string | undefined): Promise<unknown> {
    const clientRequestId = newRequestId();
    const headers: Record<string, string> = {
      ...this.headers,
      ...options.headers,
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${this.apiKey}`,
      'x-callsnare-sdk': `@callsnare/sdk@${SDK_VERSION}`,
    };
    if (clientRequestId) headers['x-request-id'] = clientRequestId;

    const controller = new AbortController();
    // An object, not a `let`: TypeScript would narrow a boolean set in the callback to `false` below.
    const deadline = { passed: false };
    const timer = setTimeout(() => {
      deadline.passed = true;
      controller.abort();
    }, this.timeoutMs);
    const userSignal = options.signal;
    const onUserAbort = () => controller.abort(userSignal?.reason);
    if (userSignal?.aborted) {
      clearTimeout(timer);
      throw userSignal.reason;
    }
    userSignal?.addEventListener('abort', onUserAbort, { once: true });

    let response: Response | undefined;
    try {
      response = await this.fetchImpl(this.endpoint, { method: 'POST', headers, body, signal: controller.signal });
      const text = await response.text();
      return this.interpret(response, text, clientRequestId);
    } catch (thrown) {
      if (thrown instanceof AttemptFailed) throw thrown;
      if (userSignal?.aborted) throw userSignal.reason;
      const requestId = response?.headers.get('x-request-id') ?? clientRequestId;
      if (deadline.passed) {
        throw new AttemptFailed({
          error: new TimeoutError(`CallSnare did not answer within ${this.timeoutMs} ms`, {
            code: 'TIMEOUT',
            requestId,
            status: response?.status ?? null,
            timeoutMs: this.timeoutMs,
            cause: thrown,
          }),
          retry: 'network',
        });
      }
      const notConnected = response === undefined && hasErrorCode(thrown, NOT_CONNECTED_CODES);
      throw new AttemptFailed({
        error: new NetworkError(`Could not reach CallSnare at ${this.endpoint}: ${describe(thrown)}`, {
          code: 'NETWORK_ERROR',
          requestId,
          status: response?.status ?? null,
          cause: thrown,
        }),
        retry: notConnected ? 'not_connected' : 'network',
      });
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  /** Turns an HTTP answer into `data`, or throws AttemptFailed with the typed error. */
  private interpret(response: Response, text: string, clientRequestId: string | null): unknown {
    const status = response.status;
    const requestId = response.headers.get('x-request-id') ?? clientRequestId;
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
    const unavailable = status === 502 || status === 503 || status === 504;
    const retry: RetryReason | null = status === 429 ? 'rate_limited' : unavailable ? 'unavailable' : null;

    const payload = parseGraphQLResponse(text);
    if (payload && Array.isArray(payload.errors) && payload.errors.length > 0) {
      const error = errorFromGraphQL(payload.errors, { requestId, status, retryAfterSeconds });
      const serverWait = error instanceof RateLimitedError ? error.retryAfterSeconds : (retryAfterSeconds ?? undefined);
      throw new AttemptFailed({
        error,
        retry: retry ?? (error.code === 'RATE_LIMITED' ? 'rate_limited' : error.code === 'IDEMPOTENCY_KEY_IN_USE' ? 'in_use' : null),
        retryAfterSeconds: serverWait,
      });
    }
    if (status === 429) {
      const wait = retryAfterSeconds ?? 60;
      throw new AttemptFailed({
        error: new RateLimitedError(`Too many requests; retry after ${wait} seconds`, {
          code: 'RATE_LIMITED',
          requestId,
          status,
          retryAfterSeconds: wait,
        }),
        retry,
        retryAfterSeconds: wait,
      });
    }
    if (status >= 500 || !response.ok || !payload || payload.data === undefined || payload.data === null) {
      const error =
        status >= 500
          ? new ServerError(`CallSnare answered HTTP ${status}`, { code: 'HTTP_ERROR', requestId, status })
          : new CallSnareError(`Unexpected answer from CallSnare (HTTP ${status})`, { code: 'HTTP_ERROR', requestId, status });
      throw new AttemptFailed({ error, retry, retryAfterSeconds: retryAfterSeconds ?? undefined });
    }
    return payload.data;
  }
}

export type OperationKind = 'query' | 'mutation';

interface GraphQLResponse {
  data?: unknown;
  errors?: GraphQLErrorPayload[];
}

/** The JSON body, or null when it is not a JSON object (a proxy's HTML error page, an empty body). */
function parseGraphQLResponse(text: string): GraphQLResponse | null {
  try {
    const parsed: unknown = text ? JSON.parse(text) : null;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Kind and name of the document's (single) operation. */
export function operationOf(document: DocumentNode): { kind: OperationKind; name: string | undefined } {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operation === undefined || operations.length !== 1) {
    throw new TypeError(`CallSnare: a document must hold exactly one operation (found ${operations.length})`);
  }
  if (operation.operation === OperationTypeNode.SUBSCRIPTION) throw new TypeError('CallSnare: subscriptions are not supported');
  return { kind: operation.operation, name: operation.name?.value };
}

const printedDocuments = new WeakMap<DocumentNode, string>();

function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

/** Retry-After as seconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** A random key per mutation call (a UUID where the platform has one). */
function newIdempotencyKey(): string {
  const uuid = newRequestId();
  if (uuid !== null) return uuid;
  let key = '';
  for (let i = 0; i < 32; i += 1) key += Math.floor(Math.random() * 16).toString(16);
  return key;
}

function newRequestId(): string | null {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return typeof crypto?.randomUUID === 'function' ? crypto.randomUUID() : null;
}

/** Whether the error or any error in its cause chain carries one of `codes` (undici wraps them). */
function hasErrorCode(error: unknown, codes: ReadonlySet<string>, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && codes.has(code)) return true;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => hasErrorCode(inner, codes, depth + 1))) return true;
  return hasErrorCode(cause, codes, depth + 1);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function positiveNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`CallSnare: \`${name}\` must be a positive number`);
  return value;
}

function nonNegativeNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`CallSnare: \`${name}\` must be a number ≥ 0`);
  return value;
}
