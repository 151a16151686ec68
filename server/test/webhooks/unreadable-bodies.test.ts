// Nothing a client sends makes a webhook route answer 5xx, and every delivery
// leaves exactly one webhook log row: deeply nested JSON, bodies that do not
// decompress, and encodings CallSnare does not read, on Twilio and Stripe routes.
import zlib from 'node:zlib';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { LIVE_ENV } from '../support/twilio';

jest.setTimeout(120_000);

const TWILIO_SMS = '/webhooks/twilio/sms';
const STRIPE = '/webhooks/stripe';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** An object nested `depth` levels deep, with a Stripe-looking envelope on top. */
function nestedEvent(depth: number): string {
  return `{"id":"evt_deep","type":"customer.subscription.deleted","created":1768489200,"data":{"object":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
}
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

let requestCounter = 0;

describe.each(testDatabaseKinds)('unreadable webhook bodies on %s', (kind) => {
  let db: Database;
  let live: RunningServer;
  let sandbox: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    const clock = new ManualClock('2026-01-15T15:00:00.000Z');
    live = await startTestServer(db, { clock, env: LIVE_ENV, start: { stripe: null } });
    sandbox = await startTestServer(db, { clock, env: { STRIPE_WEBHOOK_SECRET: 'whsec_callsnare' } });
  });
  afterAll(async () => {
    await live?.close();
    await sandbox?.close();
    await db?.close();
  });

  /** Posts raw bytes with a request id of its own, and returns the answer and the log rows it left. */
  async function deliver(server: RunningServer, path: string, body: string | Uint8Array, headers: Record<string, string>) {
    requestCounter += 1;
    const requestId = `unreadable-${kind}-${process.pid}-${requestCounter}`;
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, 'x-request-id': requestId }, body });
    const text = await response.text();
    const rows = await db.prisma.webhookLog.findMany({ where: { requestId } });
    return { status: response.status, text, rows };
  }

  function expectOneRefusal(result: Awaited<ReturnType<typeof deliver>>, status: number, provider: 'TWILIO' | 'STRIPE') {
    expect(result.status).toBe(status);
    expect(result.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ provider, httpStatus: status });
    expect(['MALFORMED', 'REJECTED']).toContain(result.rows[0]!.outcome);
  }

  it.each([
    ['3,000 levels of objects', nestedEvent(3_000)],
    ['100,000 levels of arrays', deepArray(100_000)],
  ])('Stripe: a body nested %s deep is refused with 4xx and logged once (live, unsigned)', async (_name, body) => {
    const result = await deliver(live, STRIPE, body, { 'content-type': JSON_TYPE, 'stripe-signature': 't=1,v1=' });
    expectOneRefusal(result, 403, 'STRIPE');
  });

  it('Stripe: a deeply nested body is logged with its depth cut, and the log stays readable', async () => {
    const result = await deliver(sandbox, STRIPE, nestedEvent(3_000), { 'content-type': JSON_TYPE });
    expect(result.status).toBeLessThan(500);
    expect(result.rows).toHaveLength(1);
    const stored = JSON.stringify(result.rows[0]!.payload);
    expect(stored.length).toBeLessThan(20_000);
    expect(stored).toContain('evt_deep');
  });

  it('Stripe (sandbox): 100,000 levels of arrays are malformed (400), logged once', async () => {
    expectOneRefusal(await deliver(sandbox, STRIPE, deepArray(100_000), { 'content-type': JSON_TYPE }), 400, 'STRIPE');
  });

  const garbage = Buffer.from('this is not compressed at all, just bytes');
  const truncatedGzip = zlib.gzipSync(Buffer.from('Body=hello&From=%2B13125550123')).subarray(0, 12);

  it.each([
    ['gzip garbage', 'gzip', garbage],
    ['a truncated gzip stream', 'gzip', truncatedGzip],
    ['deflate garbage', 'deflate', garbage],
    ['brotli garbage', 'br', garbage],
  ])('Twilio: %s is refused with 400 and logged once', async (_name, encoding, body) => {
    expectOneRefusal(await deliver(live, TWILIO_SMS, body, { 'content-type': FORM, 'content-encoding': encoding }), 400, 'TWILIO');
  });

  it.each([
    ['gzip garbage', 'gzip', garbage],
    ['a truncated gzip stream', 'gzip', truncatedGzip],
    ['deflate garbage', 'deflate', garbage],
  ])('Stripe: %s is refused with 400 and logged once', async (_name, encoding, body) => {
    expectOneRefusal(await deliver(live, STRIPE, body, { 'content-type': JSON_TYPE, 'content-encoding': encoding }), 400, 'STRIPE');
  });

  it.each([
    ['Twilio', TWILIO_SMS, FORM],
    ['Stripe', STRIPE, JSON_TYPE],
  ] as const)('%s: an unsupported Content-Encoding is refused with 415 and logged once', async (provider, path, type) => {
    const result = await deliver(live, path, garbage, { 'content-type': type, 'content-encoding': 'x-snappy' });
    expectOneRefusal(result, 415, provider === 'Twilio' ? 'TWILIO' : 'STRIPE');
    expect(result.rows[0]!.error).toMatch(/x-snappy/);
  });
});
