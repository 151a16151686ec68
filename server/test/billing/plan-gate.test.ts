// The plan gate: what each subscription state means for text-backs, through
// the real Stripe webhooks, the billing query and a real missed call, with an
// injected clock for the 7-day past_due grace period.
import { planGate } from '../../src/billing/plan-gate';
import { testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { graphql } from '../support/server';
import { openTestSession, ownerOf } from '../support/sessions';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';
import { checkoutCompleted, invoiceEvent, newCustomerId, newSubscriptionId, postStripeEvent, subscriptionEvent, TEST_WEBHOOK_SECRET } from './stripe-fixtures';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const NOW = new Date('2026-01-15T15:00:00.000Z');

describe('planGate', () => {
  const gate = (status: string, pastDueSince: Date | null = null, now = NOW) => planGate({ status, pastDueSince }, now);

  it('treats an org with no Stripe data (sandbox, demo) as active', () => {
    expect(planGate(null, NOW)).toMatchObject({ textBacksActive: true, banner: null });
  });
  it.each(['active', 'trialing'])('keeps everything working while %s', (status) => {
    expect(gate(status)).toMatchObject({ textBacksActive: true, banner: null });
  });
  it('keeps text-backs running for 7 days of past_due, with a banner, then pauses them', () => {
    const since = new Date(NOW.getTime() - 6 * DAY);
    expect(gate('past_due', since)).toMatchObject({ textBacksActive: true, banner: expect.stringMatching(/Payment failed/) });
    expect(gate('past_due', since, new Date(since.getTime() + 7 * DAY - 1))).toMatchObject({ textBacksActive: true });
    expect(gate('past_due', since, new Date(since.getTime() + 7 * DAY))).toMatchObject({ textBacksActive: false, reason: 'payment_overdue' });
  });
  it.each(['canceled', 'unpaid', 'incomplete_expired'])('pauses text-backs when %s', (status) => {
    expect(gate(status)).toMatchObject({ textBacksActive: false, reason: 'subscription_inactive', banner: expect.stringMatching(/paused/) });
  });
});

describe.each(testDatabaseKinds)('the plan gate on %s', (kind) => {
  const fixture = useTestServer(kind, { now: NOW, env: { STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET } });
  const { clock } = fixture;

  async function subscribedOrg() {
    const org = await createTestOrg(fixture.db, { forwardTo: '+13125550100' });
    const customer = newCustomerId();
    const subscription = newSubscriptionId();
    await postStripeEvent(fixture.server, checkoutCompleted({ orgId: org.orgId, customer, subscription, created: new Date(NOW.getTime() - 60_000) }), {
      clock,
    });
    return { orgId: org.orgId, trackingNumber: org.trackingNumber!, customer, subscription };
  }

  async function billingOf(orgId: string) {
    const owner = await ownerOf(fixture.db, orgId);
    const cookie = await openTestSession(fixture.db, owner.userId, orgId, clock);
    const { body } = await graphql(
      fixture.server.url,
      '{ billing { status plan priceId currentPeriodEnd textBacksActive meaning banner records(first: 10) { totalCount nodes { type amount status } } } }',
      { cookie },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.billing;
  }

  /** A missed call from a new caller: what happened to its text-back. */
  async function missedCall(orgId: string, trackingNumber: string) {
    const caller = newCallerNumber();
    const response = await fixture.twilio.dialStatus(newCall(caller, trackingNumber), 'no-answer');
    expect(response.status).toBe(200);
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: caller }, include: { events: true, callbacks: true } });
    const types = lead.events.map((event) => event.type);
    return {
      types,
      skipped: lead.events.find((event) => event.type === 'TEXT_BACK_SKIPPED')?.data ?? null,
      callbacks: lead.callbacks.length,
      messages: await fixture.db.prisma.message.count({ where: { orgId, toPhone: caller } }),
    };
  }

  it('an org with no subscription on file works as active', async () => {
    const org = await createTestOrg(fixture.db, { forwardTo: '+13125550100' });
    expect(await billingOf(org.orgId)).toMatchObject({ status: 'none', textBacksActive: true, banner: null, records: { totalCount: 0 } });
    expect((await missedCall(org.orgId, org.trackingNumber!)).types).toContain('TEXT_BACK_QUEUED');
  });

  it('past_due: text-backs run with a banner for 7 days, then pause (the call is still recorded) until payment resumes', async () => {
    const { orgId, trackingNumber, customer, subscription } = await subscribedOrg();
    expect(await billingOf(orgId)).toMatchObject({ status: 'active', textBacksActive: true, banner: null });

    await postStripeEvent(fixture.server, invoiceEvent('payment_failed', { customer, subscription, created: NOW }), { clock });
    clock.advance(6 * DAY);
    const grace = await billingOf(orgId);
    expect(grace).toMatchObject({ status: 'past_due', textBacksActive: true, banner: expect.stringContaining('2026-01-22') });
    expect((await missedCall(orgId, trackingNumber)).types).toContain('TEXT_BACK_QUEUED');

    clock.advance(2 * DAY);
    expect(await billingOf(orgId)).toMatchObject({ status: 'past_due', textBacksActive: false, banner: expect.stringMatching(/paused/) });
    const paused = await missedCall(orgId, trackingNumber);
    expect(paused.types).toEqual(expect.arrayContaining(['CALL_MISSED', 'TEXT_BACK_SKIPPED', 'CALLBACK_OPENED']));
    expect(paused.types).not.toContain('TEXT_BACK_QUEUED');
    expect(paused.skipped).toMatchObject({ reason: 'billing_paused', billing: 'payment_overdue' });
    expect(paused).toMatchObject({ callbacks: 1, messages: 0 });

    await postStripeEvent(fixture.server, invoiceEvent('paid', { customer, subscription, created: clock.now() }), { clock });
    const resumed = await billingOf(orgId);
    expect(resumed).toMatchObject({ status: 'active', textBacksActive: true, banner: null });
    expect(resumed.records.nodes.map((node: { type: string }) => node.type)).toEqual(['invoice.paid', 'invoice.payment_failed', 'checkout.session.completed']);
    expect((await missedCall(orgId, trackingNumber)).types).toContain('TEXT_BACK_QUEUED');
  });

  it('canceled: text-backs pause at once; trialing keeps them running', async () => {
    const { orgId, trackingNumber, customer, subscription } = await subscribedOrg();
    await postStripeEvent(fixture.server, subscriptionEvent('updated', { customer, subscription, status: 'trialing', created: NOW }), { clock });
    expect(await billingOf(orgId)).toMatchObject({ status: 'trialing', plan: 'Pro', priceId: 'price_pro_monthly', textBacksActive: true });
    expect((await missedCall(orgId, trackingNumber)).types).toContain('TEXT_BACK_QUEUED');

    await postStripeEvent(
      fixture.server,
      subscriptionEvent('deleted', { customer, subscription, status: 'canceled', created: new Date(NOW.getTime() + 1000) }),
      {
        clock,
      },
    );
    expect(await billingOf(orgId)).toMatchObject({ status: 'canceled', textBacksActive: false });
    const paused = await missedCall(orgId, trackingNumber);
    expect(paused.skipped).toMatchObject({ reason: 'billing_paused', billing: 'subscription_inactive' });
    expect(paused.types).toContain('CALL_MISSED');
    expect(paused.messages).toBe(0);
  });
});
