// POST /webhooks/stripe end to end, with real Stripe-Signature headers:
// signature checks per mode, exactly-once under replays, out-of-order events,
// org resolution, each event type's effect on records, state and audit.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { LIVE_ENV } from '../support/twilio';
import {
  checkoutCompleted,
  invoiceEvent,
  newCustomerId,
  newSubscriptionId,
  postStripeEvent,
  stripeEvent,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
  type TestEvent,
} from './stripe-fixtures';

jest.setTimeout(120_000);

const NOW = '2026-01-15T15:00:00.000Z';
const at = (offsetSeconds: number) => new Date(new Date(NOW).getTime() + offsetSeconds * 1000);

describe.each(testDatabaseKinds)('Stripe webhooks on %s', (kind) => {
  let db: Database;
  let sandbox: RunningServer;
  let live: RunningServer;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    sandbox = await startTestServer(db, { clock, env: { STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET } });
    live = await startTestServer(db, { clock, env: LIVE_ENV, start: { stripe: null } });
  });
  afterAll(async () => {
    await sandbox?.close();
    await live?.close();
    await db?.close();
  });
  beforeEach(() => clock.set(NOW));

  /** An org linked to a fresh Stripe customer through a signed checkout.session.completed. */
  async function subscribedOrg() {
    const { orgId } = await createTestOrg(db);
    const customer = newCustomerId();
    const subscription = newSubscriptionId();
    const response = await postStripeEvent(live, checkoutCompleted({ orgId, customer, subscription, created: at(-600) }), { clock });
    expect(response.status).toBe(200);
    return { orgId, customer, subscription };
  }
  const logsOf = (eventId: string) => db.prisma.webhookLog.findMany({ where: { provider: 'STRIPE', eventId }, orderBy: { id: 'asc' } });
  const auditOf = (orgId: string) => db.prisma.auditEntry.findMany({ where: { orgId, action: 'billing.subscription_changed' }, orderBy: { seq: 'asc' } });
  const subscriptionOf = (orgId: string) => db.prisma.subscription.findUniqueOrThrow({ where: { orgId } });

  it('checkout.session.completed links the org (client_reference_id) to its Stripe customer and subscription', async () => {
    const { orgId } = await createTestOrg(db);
    const customer = newCustomerId();
    const subscription = newSubscriptionId();
    const event = checkoutCompleted({ orgId, customer, subscription, created: at(-5) });
    const response = await postStripeEvent(live, event, { clock });
    expect(response).toMatchObject({ status: 200, outcome: 'PROCESSED', body: { received: true } });

    expect(await subscriptionOf(orgId)).toMatchObject({
      stripeCustomerId: customer,
      stripeSubscriptionId: subscription,
      status: 'active',
      stripeEventCreatedAt: null,
    });
    const record = await db.prisma.billingRecord.findUniqueOrThrow({ where: { stripeEventId: event.id } });
    expect(record).toMatchObject({
      orgId,
      type: 'checkout.session.completed',
      amount: 9900,
      currency: 'usd',
      status: 'paid',
      stripeCustomerId: customer,
      stripeSubscriptionId: subscription,
    });
    expect(record.occurredAt.toISOString()).toBe(at(-5).toISOString());
    const [log] = await logsOf(event.id);
    expect(log).toMatchObject({ orgId, signature: 'VALID', outcome: 'PROCESSED', httpStatus: 200, route: '/webhooks/stripe', error: null });
    expect(JSON.stringify(log!.payload)).not.toContain('v1=');

    const [audit] = await auditOf(orgId);
    expect(audit).toMatchObject({ actorType: 'PROVIDER', actorId: 'stripe', actorLabel: 'Stripe', targetType: 'Subscription' });
    expect(audit!.changes).toMatchObject({
      status: { before: null, after: 'active' },
      stripeCustomerId: { before: null, after: customer },
      stripeSubscriptionId: { before: null, after: subscription },
    });
  });

  it('live mode: a bad signature is answered 403, logged REJECTED, and changes nothing', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const event = subscriptionEvent('updated', { customer, subscription, status: 'canceled', created: at(-1) });
    const response = await postStripeEvent(live, event, { clock, secret: 'whsec_not_the_right_one' });
    expect(response.status).toBe(403);
    expect(response.outcome).toBe('REJECTED');
    expect(response.body.error.code).toBe('FORBIDDEN');
    const [log] = await logsOf(event.id);
    expect(log).toMatchObject({ signature: 'INVALID', outcome: 'REJECTED', httpStatus: 403 });
    expect(log!.error).toMatch(/does not match/);
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: event.id } })).toBe(0);
    expect((await subscriptionOf(orgId)).status).toBe('active');

    const unsigned = await postStripeEvent(live, event, { clock, secret: null });
    expect(unsigned.status).toBe(403);
    expect((await logsOf(event.id)).map((row) => row.signature)).toEqual(['INVALID', 'MISSING']);
  });

  it('live mode: a signature timestamp more than 300 s old is rejected as stale; 299 s is accepted', async () => {
    const { customer, subscription } = await subscribedOrg();
    const stale = subscriptionEvent('updated', { customer, subscription, status: 'active', created: at(-400) });
    const response = await postStripeEvent(live, stale, { clock, signedAt: at(-301) });
    expect(response.status).toBe(403);
    const [log] = await logsOf(stale.id);
    expect(log).toMatchObject({ signature: 'INVALID', outcome: 'REJECTED' });
    expect(log!.error).toMatch(/300 s/);

    const fresh = subscriptionEvent('updated', { customer, subscription, status: 'active', created: at(-400) });
    expect((await postStripeEvent(live, fresh, { clock, signedAt: at(-299) })).status).toBe(200);
  });

  it('sandbox: a delivery with a bad signature is still applied, and the failed check is recorded', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const event = subscriptionEvent('updated', { customer, subscription, status: 'active', cancelAtPeriodEnd: true, created: at(-1) });
    const response = await postStripeEvent(sandbox, event, { clock, secret: 'whsec_wrong' });
    expect(response).toMatchObject({ status: 200, outcome: 'PROCESSED' });
    const [log] = await logsOf(event.id);
    expect(log).toMatchObject({ signature: 'INVALID', outcome: 'PROCESSED' });
    expect(log!.error).toMatch(/does not match/);
    expect((await subscriptionOf(orgId)).cancelAtPeriodEnd).toBe(true);
  });

  it('a replayed event answers 200, is logged DUPLICATE and changes nothing', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const event = subscriptionEvent('updated', { customer, subscription, status: 'past_due', created: at(-60) });
    expect((await postStripeEvent(live, event, { clock })).outcome).toBe('PROCESSED');
    const audits = (await auditOf(orgId)).length;
    // Meanwhile a newer event moved the state on; the replay must not move it back.
    expect((await postStripeEvent(live, subscriptionEvent('updated', { customer, subscription, status: 'active', created: at(-30) }), { clock })).status).toBe(
      200,
    );
    const before = await subscriptionOf(orgId);

    const replay = await postStripeEvent(live, event, { clock });
    expect(replay).toMatchObject({ status: 200, outcome: 'DUPLICATE', body: { received: true } });
    expect(await subscriptionOf(orgId)).toEqual(before);
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: event.id } })).toBe(1);
    expect((await auditOf(orgId)).length).toBe(audits + 1);
    expect((await logsOf(event.id)).map((row) => row.outcome)).toEqual(['PROCESSED', 'DUPLICATE']);
  });

  it('20 concurrent replays of one event make one billing record and one audit entry', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const audits = (await auditOf(orgId)).length;
    const event = invoiceEvent('payment_failed', { customer, subscription, created: at(-10) });
    const responses = await Promise.all(Array.from({ length: 20 }, () => postStripeEvent(live, event, { clock })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.filter((r) => r.outcome === 'PROCESSED')).toHaveLength(1);
    expect(responses.filter((r) => r.outcome === 'DUPLICATE')).toHaveLength(19);
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: event.id } })).toBe(1);
    expect((await auditOf(orgId)).length).toBe(audits + 1);
    expect(await db.prisma.webhookLog.count({ where: { eventId: event.id } })).toBe(20);
  });

  it('an older customer.subscription.updated arriving after a newer one is recorded but never regresses the state', async () => {
    const { orgId, customer, subscription } = await subscribedOrg();
    const older = subscriptionEvent('updated', { customer, subscription, status: 'past_due', priceId: 'price_basic', plan: 'Basic', created: at(-120) });
    const newer = subscriptionEvent('updated', { customer, subscription, status: 'active', priceId: 'price_pro', plan: 'Pro', created: at(-60) });
    expect((await postStripeEvent(live, newer, { clock })).outcome).toBe('PROCESSED');
    const audits = (await auditOf(orgId)).length;
    const late = await postStripeEvent(live, older, { clock });
    expect(late).toMatchObject({ status: 200, outcome: 'PROCESSED' });

    expect(await subscriptionOf(orgId)).toMatchObject({ status: 'active', priceId: 'price_pro', plan: 'Pro', pastDueSince: null });
    expect((await subscriptionOf(orgId)).stripeEventCreatedAt?.toISOString()).toBe(at(-60).toISOString());
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: { in: [older.id, newer.id] } } })).toBe(2);
    expect((await auditOf(orgId)).length).toBe(audits);
    const [log] = await logsOf(older.id);
    expect(log!.error).toMatch(/older than the state already applied/);
  });

  it('an event for an unknown Stripe customer is logged IGNORED with the reason and stores nothing', async () => {
    const customer = newCustomerId();
    const event = invoiceEvent('paid', { customer, subscription: newSubscriptionId(), created: at(-5) });
    const response = await postStripeEvent(live, event, { clock });
    expect(response).toMatchObject({ status: 200, outcome: 'IGNORED' });
    const [log] = await logsOf(event.id);
    expect(log).toMatchObject({ outcome: 'IGNORED', orgId: null, signature: 'VALID' });
    expect(log!.error).toContain(`no organization is linked to Stripe customer ${customer}`);
    expect(await db.prisma.billingRecord.count({ where: { stripeEventId: event.id } })).toBe(0);

    const strangers = checkoutCompleted({ orgId: 'not-an-org', customer, subscription: newSubscriptionId(), created: at(-5) });
    expect((await postStripeEvent(live, strangers, { clock })).outcome).toBe('IGNORED');
    expect((await logsOf(strangers.id))[0]!.error).toMatch(/not a CallSnare organization id/);
  });

  it("a customer linked to one org cannot be claimed by another org's checkout", async () => {
    const first = await subscribedOrg();
    const { orgId: otherOrg } = await createTestOrg(db);
    const event = checkoutCompleted({ orgId: otherOrg, customer: first.customer, subscription: newSubscriptionId(), created: at(-5) });
    expect((await postStripeEvent(live, event, { clock })).outcome).toBe('IGNORED');
    expect(await db.prisma.subscription.findUnique({ where: { orgId: otherOrg } })).toBeNull();
    expect((await subscriptionOf(first.orgId)).stripeCustomerId).toBe(first.customer);
  });

  it('each event type stores its billing record and moves the subscription as Stripe says', async () => {
    const { orgId } = await createTestOrg(db);
    const customer = newCustomerId();
    const subscription = newSubscriptionId();
    const post = async (event: TestEvent) => {
      const response = await postStripeEvent(live, event, { clock });
      expect(response).toMatchObject({ status: 200, outcome: 'PROCESSED' });
      return db.prisma.billingRecord.findUniqueOrThrow({ where: { stripeEventId: event.id } });
    };

    await post(checkoutCompleted({ orgId, customer, subscription, paymentStatus: 'no_payment_required', created: at(-1000) }));
    expect((await subscriptionOf(orgId)).status).toBe('trialing');

    const created = await post(
      subscriptionEvent('created', {
        customer,
        subscription,
        status: 'trialing',
        trialEnd: '2026-01-29T00:00:00Z',
        periodEnd: '2026-01-29T00:00:00Z',
        created: at(-1001),
      }),
    );
    expect(created).toMatchObject({
      type: 'customer.subscription.created',
      status: 'trialing',
      amount: 9900,
      currency: 'usd',
      stripeSubscriptionId: subscription,
    });
    expect(await subscriptionOf(orgId)).toMatchObject({
      status: 'trialing',
      priceId: 'price_pro_monthly',
      plan: 'Pro',
      trialEnd: new Date('2026-01-29T00:00:00Z'),
    });

    const trialEnding = await post(
      subscriptionEvent('trial_will_end', {
        customer,
        subscription,
        status: 'trialing',
        trialEnd: '2026-01-29T00:00:00Z',
        periodEnd: '2026-01-29T00:00:00Z',
        created: at(-900),
      }),
    );
    expect(trialEnding.type).toBe('customer.subscription.trial_will_end');

    const updated = await post(
      subscriptionEvent('updated', {
        customer,
        subscription,
        status: 'active',
        periodStart: '2026-01-29T00:00:00Z',
        periodEnd: '2026-02-28T00:00:00Z',
        created: at(-800),
      }),
    );
    expect(updated.periodEnd).toEqual(new Date('2026-02-28T00:00:00Z'));
    expect(await subscriptionOf(orgId)).toMatchObject({ status: 'active', trialEnd: null, currentPeriodEnd: new Date('2026-02-28T00:00:00Z') });

    const failed = await post(
      invoiceEvent('payment_failed', { customer, subscription, created: at(-700), periodStart: '2026-02-28T00:00:00Z', periodEnd: '2026-03-28T00:00:00Z' }),
    );
    expect(failed).toMatchObject({ type: 'invoice.payment_failed', amount: 9900, status: 'open' });
    expect(failed.stripeInvoiceId).toMatch(/^in_/);
    expect(await subscriptionOf(orgId)).toMatchObject({ status: 'past_due', pastDueSince: at(-700), currentPeriodEnd: new Date('2026-02-28T00:00:00Z') });

    const paid = await post(
      invoiceEvent('paid', { customer, subscription, created: at(-600), periodStart: '2026-02-28T00:00:00Z', periodEnd: '2026-03-28T00:00:00Z' }),
    );
    expect(paid).toMatchObject({
      type: 'invoice.paid',
      amount: 9900,
      status: 'paid',
      periodStart: new Date('2026-02-28T00:00:00Z'),
      periodEnd: new Date('2026-03-28T00:00:00Z'),
    });
    expect(await subscriptionOf(orgId)).toMatchObject({ status: 'active', pastDueSince: null, currentPeriodEnd: new Date('2026-03-28T00:00:00Z') });

    await post(
      subscriptionEvent('updated', { customer, subscription, status: 'active', cancelAtPeriodEnd: true, periodEnd: '2026-03-28T00:00:00Z', created: at(-500) }),
    );
    expect((await subscriptionOf(orgId)).cancelAtPeriodEnd).toBe(true);

    const deleted = await post(
      subscriptionEvent('deleted', { customer, subscription, status: 'canceled', periodEnd: '2026-03-28T00:00:00Z', created: at(-400) }),
    );
    expect(deleted.status).toBe('canceled');
    expect((await subscriptionOf(orgId)).status).toBe('canceled');

    const statuses = (await auditOf(orgId)).map((entry) => (entry.changes as Record<string, { after: unknown }>).status?.after ?? null);
    expect(statuses).toEqual(['trialing', null, 'active', 'past_due', 'active', null, 'canceled']);
    expect(await db.prisma.billingRecord.count({ where: { orgId } })).toBe(8);
  });

  it('refuses what is not a Stripe event: not JSON (400), not application/json (415), unhandled types (IGNORED)', async () => {
    const notJson = await postStripeEvent(live, null, { clock, payload: '{"id": "evt_1", nope' });
    expect(notJson).toMatchObject({ status: 400, outcome: 'MALFORMED' });
    const form = await postStripeEvent(live, null, { clock, payload: 'id=evt_1', contentType: 'application/x-www-form-urlencoded' });
    expect(form).toMatchObject({ status: 415, outcome: 'MALFORMED' });
    const other = stripeEvent('charge.refunded', { id: 'ch_1', object: 'charge' }, at(-1));
    expect(await postStripeEvent(live, other, { clock })).toMatchObject({ status: 200, outcome: 'IGNORED' });
    expect((await logsOf(other.id))[0]!.error).toMatch(/charge.refunded/);
  });
});
