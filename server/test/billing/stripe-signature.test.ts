// Stripe-Signature in live mode fails closed: only a header in Stripe's format
// whose v1 matches the raw body and the secret, signed within 300 s of the
// clock, is VALID. Every forged or garbled header is a 403 that changes nothing.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { LIVE_ENV } from '../support/twilio';
import { checkoutCompleted, newCustomerId, newSubscriptionId, postStripeEvent, subscriptionEvent, TEST_WEBHOOK_SECRET } from './stripe-fixtures';

jest.setTimeout(120_000);

const NOW = '2026-01-15T15:00:00.000Z';
const NOW_SECONDS = Math.floor(new Date(NOW).getTime() / 1000);
const at = (offsetSeconds: number) => new Date(new Date(NOW).getTime() + offsetSeconds * 1000);

/** Stripe's v1: HMAC-SHA256 of "<t>.<body>" with the endpoint secret, lowercase hex. */
const v1 = (payload: string, t: number | string = NOW_SECONDS, secret = TEST_WEBHOOK_SECRET) =>
  crypto.createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');

async function postWithHeader(server: RunningServer, payload: string, header: string) {
  const response = await fetch(`${server.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
  return { status: response.status, outcome: response.headers.get('x-callsnare-outcome'), body: (await response.json()) as { error?: { code: string } } };
}

describe.each(testDatabaseKinds)('Stripe-Signature verification on %s', (kind) => {
  let db: Database;
  let live: RunningServer;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    live = await startTestServer(db, { clock, env: LIVE_ENV, start: { stripe: null } });
  });
  afterAll(async () => {
    await live?.close();
    await db?.close();
  });
  beforeEach(() => clock.set(NOW));

  async function subscribedOrg() {
    const { orgId } = await createTestOrg(db);
    const customer = newCustomerId();
    const subscription = newSubscriptionId();
    expect((await postStripeEvent(live, checkoutCompleted({ orgId, customer, subscription, created: at(-600) }), { clock })).status).toBe(200);
    expect((await postStripeEvent(live, subscriptionEvent('updated', { customer, subscription, status: 'active', created: at(-500) }), { clock })).status).toBe(
      200,
    );
    return { orgId, customer, subscription };
  }
  const logsOf = (eventId: string) => db.prisma.webhookLog.findMany({ where: { provider: 'STRIPE', eventId } });

  // Each builds a header for `payload` that must not verify.
  const forgedHeaders: [string, (payload: string) => string][] = [
    ['an empty v1 (t=1,v1=)', () => 't=1,v1='],
    ['an empty v1 with a current timestamp', () => `t=${NOW_SECONDS},v1=`],
    ['a v1 without "="', () => `t=${NOW_SECONDS},v1`],
    ['a 64-character v1 with one non-ASCII character', (p) => `t=${NOW_SECONDS},v1=${v1(p).slice(0, 63)}\u00e9`],
    ['a v1 shorter than 64 hex digits', (p) => `t=${NOW_SECONDS},v1=${v1(p).slice(0, 63)}`],
    ['no timestamp', (p) => `v1=${v1(p)}`],
    ['a non-numeric timestamp', (p) => `t=abc,v1=${v1(p, 'abc')}`],
    ['a timestamp with trailing garbage', (p) => `t=${NOW_SECONDS}x,v1=${v1(p, `${NOW_SECONDS}x`)}`],
    ['two timestamps', (p) => `t=${NOW_SECONDS},t=${NOW_SECONDS},v1=${v1(p)}`],
    ['the right v1 in uppercase', (p) => `t=${NOW_SECONDS},v1=${v1(p).toUpperCase()}`],
    ['whitespace inside the header', (p) => `t=${NOW_SECONDS}, v1=${v1(p)}`],
    ['whitespace inside a value', (p) => `t= ${NOW_SECONDS},v1=${v1(p)}`],
    ['an empty v1 next to the right one', (p) => `t=${NOW_SECONDS},v1=,v1=${v1(p)}`],
    ['a garbled v1 next to the right one', (p) => `t=${NOW_SECONDS},v1=zz,v1=${v1(p)}`],
    ['two wrong v1 values', (p) => `t=${NOW_SECONDS},v1=${v1(p, NOW_SECONDS, 'whsec_other')},v1=${'0'.repeat(64)}`],
    ['the right HMAC under the v0 scheme only', (p) => `t=${NOW_SECONDS},v0=${v1(p)}`],
    ['a v1 made with another secret', (p) => `t=${NOW_SECONDS},v1=${v1(p, NOW_SECONDS, 'whsec_other')}`],
    ['a v1 over another timestamp than the one sent', (p) => `t=${NOW_SECONDS},v1=${v1(p, NOW_SECONDS - 1)}`],
    ['just a comma', () => ','],
    ['no key/value pairs at all', () => 'garbage'],
  ];

  it.each(forgedHeaders)('a forged customer.subscription.deleted with %s is answered 403 REJECTED and the subscription stays active', async (_name, header) => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const event = subscriptionEvent('deleted', { customer, subscription, status: 'canceled', created: at(-1) });
    const payload = JSON.stringify(event);
    const response = await postWithHeader(live, payload, header(payload));
    expect(response).toMatchObject({ status: 403, outcome: 'REJECTED', body: { error: { code: 'FORBIDDEN' } } });
    const logs = await logsOf(event.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ signature: 'INVALID', outcome: 'REJECTED', httpStatus: 403 });
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: event.id } })).toBe(0);
    expect(await db.prisma.subscription.findUniqueOrThrow({ where: { orgId } })).toMatchObject({ status: 'active', stripeSubscriptionId: subscription });
  });

  it('a forged checkout.session.completed cannot re-activate a cancelled organization', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    expect(
      (await postStripeEvent(live, subscriptionEvent('deleted', { customer, subscription, status: 'canceled', created: at(-100) }), { clock })).status,
    ).toBe(200);
    const forged = checkoutCompleted({ orgId, customer, subscription: newSubscriptionId(), created: at(-1) });
    const response = await postWithHeader(live, JSON.stringify(forged), `t=${NOW_SECONDS},v1=`);
    expect(response.status).toBe(403);
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { orgId } })).status).toBe('canceled');
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: forged.id } })).toBe(0);
  });

  it('a right signature whose timestamp is outside 300 s of the clock is rejected, whatever else the header holds', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const event = subscriptionEvent('deleted', { customer, subscription, status: 'canceled', created: at(-1) });
    const payload = JSON.stringify(event);
    const stale = NOW_SECONDS - 301;
    const response = await postWithHeader(live, payload, `t=${stale},v1=,v1=${v1(payload, stale)}`);
    expect(response.status).toBe(403);
    const alone = await postWithHeader(live, payload, `t=${stale},v1=${v1(payload, stale)}`);
    expect(alone.status).toBe(403);
    const [, log] = await logsOf(event.id);
    expect(log!.error).toMatch(/300 s/);
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { orgId } })).status).toBe('active');
  });

  it('accepts any well-formed v1 that matches, as Stripe sends one per secret while a secret is being rolled', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const event = subscriptionEvent('updated', { customer, subscription, status: 'active', cancelAtPeriodEnd: true, created: at(-1) });
    const payload = JSON.stringify(event);
    const header = `t=${NOW_SECONDS},v1=${v1(payload, NOW_SECONDS, 'whsec_rolled_away')},v1=${v1(payload)},v0=${'ab'.repeat(32)}`;
    const response = await postWithHeader(live, payload, header);
    expect(response).toMatchObject({ status: 200, outcome: 'PROCESSED' });
    expect((await logsOf(event.id))[0]).toMatchObject({ signature: 'VALID' });
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { orgId } })).cancelAtPeriodEnd).toBe(true);
  });

  it('checks the signature before reading the body: signed but not JSON is 400 MALFORMED, unsigned garbage is 403', async () => {
    const payload = '{"id": "evt_1", nope';
    const signed = await postWithHeader(live, payload, `t=${NOW_SECONDS},v1=${v1(payload)}`);
    expect(signed).toMatchObject({ status: 400, outcome: 'MALFORMED' });
    const forged = await postWithHeader(live, payload, `t=${NOW_SECONDS},v1=`);
    expect(forged).toMatchObject({ status: 403, outcome: 'REJECTED' });
    const rows = await db.prisma.webhookLog.findMany({
      where: { provider: 'STRIPE', requestId: { not: null }, payload: { path: ['body', 'unparsable'], equals: payload } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((row) => [row.signature, row.outcome, row.httpStatus])).toEqual([
      ['VALID', 'MALFORMED', 400],
      ['INVALID', 'REJECTED', 403],
    ]);
  });
});
