// createCheckoutSession / createBillingPortalSession: owner only, live mode
// only, through the Stripe client with only its network faked.
import Stripe from 'stripe';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { LIVE_ENV } from '../support/twilio';
import { checkoutCompleted, newCustomerId, newSubscriptionId, postStripeEvent } from './stripe-fixtures';

jest.setTimeout(120_000);

interface StripeCall {
  method: string;
  path: string;
  params: URLSearchParams;
}

const CHECKOUT = 'mutation($priceId: String!) { createCheckoutSession(priceId: $priceId) { url } }';
const PORTAL = 'mutation { createBillingPortalSession { url } }';

describe.each(testDatabaseKinds)('billing sessions on %s', (kind) => {
  let db: Database;
  let live: RunningServer;
  let sandbox: RunningServer;
  const calls: StripeCall[] = [];

  /** Stripe's API as seen over the network; everything above it is the real client. */
  const fakeStripeFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const params = new URLSearchParams(typeof init?.body === 'string' ? init.body : '');
    calls.push({ method: init?.method ?? 'GET', path: url.pathname, params });
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'request-id': 'req_fake' } });
    if (url.pathname === '/v1/checkout/sessions') {
      if (params.get('line_items[0][price]') === 'price_missing') {
        return json(400, { error: { type: 'invalid_request_error', message: "No such price: 'price_missing'", param: 'line_items[0][price]' } });
      }
      return json(200, { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_1' });
    }
    if (url.pathname === '/v1/billing_portal/sessions') {
      return json(200, { id: 'bps_1', object: 'billing_portal.session', url: 'https://billing.stripe.com/p/session/bps_1' });
    }
    return json(404, { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } });
  };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    const stripe = new Stripe(LIVE_ENV.STRIPE_SECRET_KEY!, { httpClient: Stripe.createFetchHttpClient(fakeStripeFetch), maxNetworkRetries: 0 });
    live = await startTestServer(db, { env: LIVE_ENV, start: { stripe } });
    sandbox = await startTestServer(db);
  });
  afterAll(async () => {
    await live?.close();
    await sandbox?.close();
    await db?.close();
  });
  beforeEach(() => {
    calls.length = 0;
  });

  async function ownerCookie(orgId: string) {
    const owner = await ownerOf(db, orgId);
    return openTestSession(db, owner.userId, orgId);
  }

  it('gives the owner a Stripe Checkout URL naming the org as client_reference_id', async () => {
    const { orgId } = await createTestOrg(db);
    const { body } = await graphql(live.url, CHECKOUT, { cookie: await ownerCookie(orgId), variables: { priceId: 'price_pro_monthly' } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.createCheckoutSession.url).toBe('https://checkout.stripe.com/c/pay/cs_test_1');
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
    expect(call!.params.get('client_reference_id')).toBe(orgId);
    expect(call!.params.get('mode')).toBe('subscription');
    expect(call!.params.get('line_items[0][price]')).toBe('price_pro_monthly');
    expect(call!.params.get('success_url')).toBe(`${LIVE_ENV.PUBLIC_BASE_URL}/billing?checkout=success`);
  });

  it('answers BAD_USER_INPUT for a price Stripe does not know, and for something that is not a price id', async () => {
    const { orgId } = await createTestOrg(db);
    const cookie = await ownerCookie(orgId);
    const missing = await graphql(live.url, CHECKOUT, { cookie, variables: { priceId: 'price_missing' } });
    expect(missing.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'STRIPE_INVALID_REQUEST' });
    const garbage = await graphql(live.url, CHECKOUT, { cookie, variables: { priceId: 'pro plan please' } });
    expect(garbage.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(calls).toHaveLength(1);
  });

  it('gives the owner a billing portal URL for the linked Stripe customer, and NOT_FOUND before there is one', async () => {
    const { orgId } = await createTestOrg(db);
    const cookie = await ownerCookie(orgId);
    const before = await graphql(live.url, PORTAL, { cookie });
    expect(before.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const customer = newCustomerId();
    expect((await postStripeEvent(live, checkoutCompleted({ orgId, customer, subscription: newSubscriptionId(), created: new Date() }))).status).toBe(200);
    const after = await graphql(live.url, PORTAL, { cookie });
    expect(after.body.data!.createBillingPortalSession.url).toBe('https://billing.stripe.com/p/session/bps_1');
    expect(calls.at(-1)!.params.get('customer')).toBe(customer);

    // A second subscription would double-bill: the portal is the way to change it.
    const again = await graphql(live.url, CHECKOUT, { cookie, variables: { priceId: 'price_pro_monthly' } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('is for owners only: an ADMIN is FORBIDDEN and Stripe is never called', async () => {
    const { orgId } = await createTestOrg(db);
    const admin = await createTestStaff(db, orgId, 'ADMIN');
    const cookie = await openTestSession(db, admin.userId, orgId);
    for (const query of [CHECKOUT, PORTAL]) {
      const { body } = await graphql(live.url, query, { cookie, variables: query === CHECKOUT ? { priceId: 'price_pro_monthly' } : {} });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(calls).toHaveLength(0);
  });

  it('in sandbox answers a clear error saying live mode is required', async () => {
    const { orgId } = await createTestOrg(db);
    const cookie = await ownerCookie(orgId);
    for (const query of [CHECKOUT, PORTAL]) {
      const { body } = await graphql(sandbox.url, query, { cookie, variables: query === CHECKOUT ? { priceId: 'price_pro_monthly' } : {} });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'LIVE_MODE_REQUIRED' });
      expect(body.errors?.[0]?.message).toMatch(/live mode/);
    }
    expect(calls).toHaveLength(0);
  });
});
