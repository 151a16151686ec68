// A real graphql-ws client (over the ws package) against a test server, the
// way the dashboard or a partner connects: cookie and Origin on the upgrade
// request, or a Bearer credential in connectionParams.
import WebSocket from 'ws';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import type { RunningServer } from '../../src/server';
import { InMemoryLiveBus } from '../../src/live/live-bus';

export function liveUrl(server: RunningServer): string {
  return `${server.url.replace(/^http/, 'ws')}/graphql`;
}

export interface LiveAuth {
  cookie?: string;
  /** Sent as connectionParams.authorization: "Bearer <secret>". */
  bearer?: string;
  /** The Origin header of the upgrade request (browsers always send one). */
  origin?: string;
}

export interface Closed {
  code: number;
  reason: string;
}

/** What one subscription received, in order; next() waits for the following result. */
export class Feed {
  readonly results: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  error: unknown = undefined;
  completed = false;
  private read = 0;
  private waiting: (() => void)[] = [];

  push(result: FormattedExecutionResult<Record<string, unknown>, unknown>) {
    this.results.push(result);
    this.wake();
  }
  fail(error: unknown) {
    this.error = error;
    this.wake();
  }
  complete() {
    this.completed = true;
    this.wake();
  }

  /** The next result not read yet; rejects if the subscription ended first. */
  async next(): Promise<FormattedExecutionResult<Record<string, unknown>, unknown>> {
    while (this.read >= this.results.length) {
      if (this.error !== undefined) throw new Error(`the subscription failed: ${describeFailure(this.error)}`);
      if (this.completed) throw new Error('the subscription completed');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return this.results[this.read++]!;
  }

  /** Waits until the subscription ended (error or complete). */
  async ended(): Promise<void> {
    while (this.error === undefined && !this.completed) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private wake() {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

export interface LiveSession {
  client: Client;
  /** Resolves with the close code and reason once the server (or we) closed the socket. */
  closed: Promise<Closed>;
  subscribe(query: string, variables?: Record<string, unknown>): Feed;
  dispose(): Promise<void>;
}

/** Connects at once (not lazily) and never retries, so every close is observable. */
export function openLive(server: RunningServer, auth: LiveAuth = {}): LiveSession {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.origin) headers.origin = auth.origin;
  class HeaderedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  let onClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: liveUrl(server),
    webSocketImpl: HeaderedWebSocket,
    connectionParams: auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : undefined,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: (event as { reason?: string }).reason ?? '' }) },
  });
  return {
    client,
    closed,
    subscribe(query, variables) {
      const feed = new Feed();
      client.subscribe({ query, variables }, { next: (result) => feed.push(result), error: (error) => feed.fail(error), complete: () => feed.complete() });
      return feed;
    },
    async dispose() {
      await client.dispose();
    },
  };
}

/** Listeners on a channel of the server's (in-memory) bus. */
export function listenerCount(server: RunningServer, channel: string): number {
  const bus = server.deps.live;
  if (!(bus instanceof InMemoryLiveBus)) throw new Error('listenerCount needs the in-memory bus');
  return bus.listenerCount(channel);
}

/** Waits until `count` listeners are on the bus channel (a subscription is live once the server listens). */
export async function untilListening(server: RunningServer, channel: string, count = 1): Promise<void> {
  await until(() => listenerCount(server, channel) === count, `${count} listener(s) on ${channel}`);
}

/** Polls `condition` (10 ms apart) until it holds; fails after 10 s saying what never happened. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited 10 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The upgrade as a raw ws client sees it: the HTTP status when refused, or the open socket. */
export function rawUpgrade(
  server: RunningServer,
  options: { headers?: Record<string, string>; protocol?: string | null; path?: string } = {},
): Promise<{ status: number; socket: WebSocket | null; body: string }> {
  const url = options.path ? `${server.url.replace(/^http/, 'ws')}${options.path}` : liveUrl(server);
  const protocol = options.protocol === undefined ? 'graphql-transport-ws' : options.protocol;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocol === null ? [] : [protocol], { headers: options.headers ?? {} });
    socket.once('open', () => resolve({ status: 101, socket, body: '' }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, socket: null, body }));
    });
    socket.once('error', (error) => reject(error));
  });
}

/** Resolves with the socket's close code and reason. */
export function closeOf(socket: WebSocket): Promise<Closed> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

function describeFailure(error: unknown): string {
  if (Array.isArray(error)) return JSON.stringify(error);
  if (error && typeof error === 'object' && 'code' in error) return `closed ${(error as { code: number }).code} ${(error as { reason?: string }).reason ?? ''}`;
  return String(error);
}
