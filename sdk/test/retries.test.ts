// Retries, backoff, Retry-After, timeouts and network errors, and why retrying a
// mutation is safe: every mutation call carries one Idempotency-Key, the same on each
// retry, so the server runs it at most once and answers a retry with the first answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestLead } from '../../server/test/support/leads';
import { CallSnare, NetworkError, RateLimitedError, ServerError, TimeoutError, type FetchLike } from '../src/index';
import { startSdkTestServer, type SdkTestServer } from './support/harness';

jest.setTimeout(60_000);

/** Records every wait the SDK asks for, without waiting. */
function recordedSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

/** The Idempotency-Key header of a request, if any. */
function keyOf(init: RequestInit): string | null {
  return new Headers(init.headers).get('idempotency-key');
}

/**
 * Counts fetch calls and records their Idempotency-Key; the first `failures` answer with
 * `status` (an HTML page, as a proxy would). With `forward`, the failing ones reach the
 * real server first (it runs the operation; the proxy loses its answer).
 */
function flakyFetch(failures: number, status: number, options: { forward?: boolean } = {}) {
  const calls = { count: 0, keys: [] as (string | null)[] };
  const fetchImpl: FetchLike = async (input, init) => {
    calls.count += 1;
    calls.keys.push(keyOf(init));
    if (calls.count <= failures) {
      if (options.forward) await (await fetch(input, init)).text();
      return new Response('<html>Bad gateway</html>', { status, headers: { 'content-type': 'text/html' } });
    }
    return fetch(input, init);
  };
  return { calls, fetchImpl };
}

/** A local HTTP server with a scripted (mis)behaviour, counting the requests it got. */
async function stubServer(onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    onRequest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HTTP 429 from the rate limiter (3 requests per minute)', () => {
  let api: SdkTestServer;
  /** Lets time pass for the server's rate limiter while the SDK "waits". */
  let clockOffsetMs = 0;

  beforeAll(async () => {
    api = await startSdkTestServer({ env: { RATE_LIMIT_API_PER_MIN: '3' } });
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffsetMs);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await api?.close();
  });

  /** A client whose waits advance the clock instead of sleeping, recording the Retry-After it saw. */
  async function throttledClient(scopes: Parameters<SdkTestServer['client']>[0], options: { maxRetries?: number; maxRetryDelayMs?: number } = {}) {
    const waits: number[] = [];
    const retryAfter: number[] = [];
    const statuses: number[] = [];
    const client = await api.client(scopes, {
      ...options,
      sleep: async (ms) => {
        waits.push(ms);
        clockOffsetMs += ms;
      },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        if (response.status === 429) retryAfter.push(Number(response.headers.get('retry-after')));
        return response;
      },
    });
    return { client, waits, retryAfter, statuses };
  }

  it('a query waits at least Retry-After, then succeeds', async () => {
    const { client, waits, retryAfter, statuses } = await throttledClient(['leads:read']);
    for (let i = 0; i < 3; i++) await client.viewer();
    const viewer = await client.viewer();
    expect(viewer.actorType).toBe('CREDENTIAL');
    expect(statuses).toEqual([200, 200, 200, 429, 200]);
    expect(retryAfter[0]).toBeGreaterThan(0);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(retryAfter[0]! * 1000);
    expect(waits[0]).toBeLessThan(retryAfter[0]! * 1000 + 1000);
  });

  it('a mutation is retried after a 429 (it did not run) and runs exactly once', async () => {
    const lead = await createTestLead(api.db, api.orgId);
    const { client, statuses } = await throttledClient(['leads:read', 'leads:write']);
    for (let i = 0; i < 3; i++) await client.viewer();
    const note = await client.leads.addNote(lead.id, 'Called back, no answer');
    expect(note.type).toBe('NOTE_ADDED');
    expect(statuses).toEqual([200, 200, 200, 429, 200]);
    expect(await api.db.prisma.leadEvent.count({ where: { leadId: lead.id, type: 'NOTE_ADDED' } })).toBe(1);
  });

  it('with retries used up, a RateLimitedError carries retryAfterSeconds and the request id', async () => {
    const { client, waits, retryAfter } = await throttledClient(['leads:read'], { maxRetries: 0 });
    for (let i = 0; i < 3; i++) await client.viewer();
    const error = (await client.viewer().catch((thrown: unknown) => thrown)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: retryAfter[0], requestId: expect.any(String) });
    expect(waits).toEqual([]);
  });

  it('a Retry-After longer than maxRetryDelayMs is not waited for', async () => {
    const { client, waits } = await throttledClient(['leads:read'], { maxRetryDelayMs: 500 });
    for (let i = 0; i < 3; i++) await client.viewer();
    await expect(client.viewer()).rejects.toBeInstanceOf(RateLimitedError);
    expect(waits).toEqual([]);
  });
});

describe('against a real server behind a flaky proxy', () => {
  let api: SdkTestServer;

  beforeAll(async () => {
    api = await startSdkTestServer();
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([502, 503, 504])('a query is retried after HTTP %i with growing, jittered backoff', async (status) => {
    const { calls, fetchImpl } = flakyFetch(3, status);
    const { delays, sleep } = recordedSleep();
    const client = await api.client(['leads:read'], { fetch: fetchImpl, sleep });
    await expect(client.viewer()).resolves.toMatchObject({ actorType: 'CREDENTIAL' });
    expect(calls.count).toBe(4);
    expect(delays).toHaveLength(3);
    delays.forEach((delay, attempt) => {
      const ceiling = 500 * 2 ** attempt;
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
  });

  it('gives up after maxRetries with a ServerError', async () => {
    const { calls, fetchImpl } = flakyFetch(10, 503);
    const client = await api.client(['leads:read'], { fetch: fetchImpl, sleep: recordedSleep().sleep, maxRetries: 2 });
    const error = await client.viewer().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, code: 'HTTP_ERROR' });
    expect(calls.count).toBe(3);
  });

  it('a mutation that ran but whose answer a proxy lost (HTTP 503) is retried with the same key and has one effect', async () => {
    const lead = await createTestLead(api.db, api.orgId);
    const { calls, fetchImpl } = flakyFetch(2, 503, { forward: true });
    const client = await api.client(['leads:write'], { fetch: fetchImpl, sleep: recordedSleep().sleep });
    const note = await client.leads.addNote(lead.id, 'hello');
    expect(note.type).toBe('NOTE_ADDED');
    expect(calls.count).toBe(3);
    expect(calls.keys[0]).toEqual(expect.any(String));
    expect(new Set(calls.keys)).toEqual(new Set([calls.keys[0]]));
    expect(await api.db.prisma.leadEvent.count({ where: { orgId: api.orgId, leadId: lead.id, type: 'NOTE_ADDED' } })).toBe(1);
  });

  it('a mutation whose connection dropped after the server answered is retried with the same key and has one effect', async () => {
    const lead = await createTestLead(api.db, api.orgId);
    const keys: (string | null)[] = [];
    const answered: number[] = [];
    const client = await api.client(['leads:write'], {
      sleep: recordedSleep().sleep,
      fetch: async (input, init) => {
        keys.push(keyOf(init));
        const response = await fetch(input, init);
        answered.push(response.status);
        if (keys.length === 1) {
          await response.text();
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
        return response;
      },
    });
    const first = await client.leads.addNote(lead.id, 'dropped once');
    expect(answered).toEqual([200, 200]);
    expect(keys).toEqual([keys[0], keys[0]]);
    const notes = await api.db.prisma.leadEvent.findMany({ where: { orgId: api.orgId, leadId: lead.id, type: 'NOTE_ADDED' }, select: { id: true } });
    expect(notes).toEqual([{ id: first.id }]);
  });

  it('each mutation call has its own key, a caller can pass one, and queries send none', async () => {
    const lead = await createTestLead(api.db, api.orgId);
    const { calls, fetchImpl } = flakyFetch(0, 200);
    const client = await api.client(['leads:read', 'leads:write'], { fetch: fetchImpl, sleep: recordedSleep().sleep });
    await client.viewer();
    const a = await client.leads.addNote(lead.id, 'one');
    const b = await client.leads.addNote(lead.id, 'one');
    expect(a.id).not.toBe(b.id);
    const mine = await client.leads.addNote(lead.id, 'job 42', { idempotencyKey: 'crm-job-42' });
    // Another call (say, after the caller's own process restarted) with the same key and arguments: the first answer.
    const again = await client.leads.addNote(lead.id, 'job 42', { idempotencyKey: 'crm-job-42' });
    expect(again.id).toBe(mine.id);
    expect(calls.keys[0]).toBeNull();
    expect(calls.keys[1]).not.toBe(calls.keys[2]);
    expect(calls.keys.slice(3)).toEqual(['crm-job-42', 'crm-job-42']);
    expect(await api.db.prisma.leadEvent.count({ where: { orgId: api.orgId, leadId: lead.id, type: 'NOTE_ADDED' } })).toBe(3);
    await expect(client.leads.addNote(lead.id, 'other words', { idempotencyKey: 'crm-job-42' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 422,
    });
    await expect(client.leads.addNote(lead.id, 'x', { idempotencyKey: 'é' })).rejects.toBeInstanceOf(TypeError);
  });

  it('an error the caller must fix (FORBIDDEN) is not retried', async () => {
    const { calls, fetchImpl } = flakyFetch(0, 200);
    const client = await api.client(['leads:read'], { fetch: fetchImpl, sleep: recordedSleep().sleep });
    await expect(client.audit.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(calls.count).toBe(1);
  });
});

describe('timeouts', () => {
  let silent: Awaited<ReturnType<typeof stubServer>>;

  beforeAll(async () => {
    // Accepts requests and never answers.
    silent = await stubServer(() => undefined);
  });
  afterAll(async () => {
    await silent.close();
  });
  beforeEach(() => {
    silent.state.requests = 0;
  });

  it('aborts an attempt after timeoutMs with a TimeoutError', async () => {
    const client = new CallSnare({ apiKey: 'cs_test_x', baseUrl: silent.url, timeoutMs: 200, maxRetries: 0 });
    const started = Date.now();
    const error = await client.viewer().catch((thrown: unknown) => thrown);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeoutMs: 200, requestId: expect.any(String) });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('retries a query that timed out', async () => {
    const { delays, sleep } = recordedSleep();
    const client = new CallSnare({ apiKey: 'cs_test_x', baseUrl: silent.url, timeoutMs: 100, maxRetries: 2, sleep });
    await expect(client.viewer()).rejects.toBeInstanceOf(TimeoutError);
    expect(silent.state.requests).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it('retries a mutation that timed out, with the same Idempotency-Key each time', async () => {
    const keys: (string | null)[] = [];
    const client = new CallSnare({
      apiKey: 'cs_test_x',
      baseUrl: silent.url,
      timeoutMs: 100,
      maxRetries: 2,
      sleep: recordedSleep().sleep,
      fetch: (input, init) => {
        keys.push(keyOf(init));
        return fetch(input, init);
      },
    });
    await expect(client.leads.addNote('00000000-0000-0000-0000-000000000000', 'hi')).rejects.toBeInstanceOf(TimeoutError);
    expect(silent.state.requests).toBe(3);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
  });

  it('an AbortSignal cancels the call with its reason, without retrying', async () => {
    const client = new CallSnare({ apiKey: 'cs_test_x', baseUrl: silent.url, timeoutMs: 10_000, sleep: recordedSleep().sleep });
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.viewer({ signal: controller.signal })).rejects.toBe(reason);
    expect(silent.state.requests).toBe(1);
  });
});

describe('network errors', () => {
  it('connection refused: a query is retried, then a NetworkError', async () => {
    const port = await closedPort();
    const { delays, sleep } = recordedSleep();
    let calls = 0;
    const client = new CallSnare({
      apiKey: 'cs_test_x',
      baseUrl: `http://127.0.0.1:${port}`,
      sleep,
      fetch: (input, init) => {
        calls += 1;
        return fetch(input, init);
      },
    });
    const error = (await client.viewer().catch((thrown: unknown) => thrown)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: null });
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.cause).toBeDefined();
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
  });

  it('connection refused: a mutation is retried too (it never reached the server)', async () => {
    const port = await closedPort();
    let calls = 0;
    const client = new CallSnare({
      apiKey: 'cs_test_x',
      baseUrl: `http://127.0.0.1:${port}`,
      maxRetries: 2,
      sleep: recordedSleep().sleep,
      fetch: (input, init) => {
        calls += 1;
        return fetch(input, init);
      },
    });
    await expect(client.leads.update('00000000-0000-0000-0000-000000000000', { name: 'x' })).rejects.toBeInstanceOf(NetworkError);
    expect(calls).toBe(3);
  });

  it('a connection dropped after the request was sent: queries and mutations (same key) are retried', async () => {
    const dropping = await stubServer((req) => req.socket.destroy());
    try {
      const query = new CallSnare({ apiKey: 'cs_test_x', baseUrl: dropping.url, maxRetries: 2, sleep: recordedSleep().sleep });
      await expect(query.viewer()).rejects.toBeInstanceOf(NetworkError);
      expect(dropping.state.requests).toBe(3);

      dropping.state.requests = 0;
      const mutation = new CallSnare({ apiKey: 'cs_test_x', baseUrl: dropping.url, maxRetries: 2, sleep: recordedSleep().sleep });
      await expect(mutation.callbacks.cancel('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(NetworkError);
      expect(dropping.state.requests).toBe(3);
    } finally {
      await dropping.close();
    }
  });
});
