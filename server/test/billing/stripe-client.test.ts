// The Stripe client a process gets from its integration mode: live mode's loads the
// stripe package on the first call and sends through it (only the network is faked).
import Stripe from 'stripe';
import { loadConfig } from '../../src/config';
import { createStripeClient } from '../../src/billing/stripe-client';
import { LIVE_ENV } from '../support/twilio';

describe('createStripeClient', () => {
  it('gives a sandbox process no Stripe client', () => {
    expect(createStripeClient(loadConfig({ INTEGRATION_MODE: 'sandbox' }))).toBeNull();
  });

  it("gives a live process a client that creates Checkout and portal sessions through Stripe's API", async () => {
    const requests: { method: string; path: string; params: URLSearchParams }[] = [];
    const fakeStripeFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      requests.push({ method: init?.method ?? 'GET', path: url.pathname, params: new URLSearchParams(String(init?.body ?? '')) });
      const body =
        url.pathname === '/v1/checkout/sessions'
          ? { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_1' }
          : { id: 'bps_1', object: 'billing_portal.session', url: 'https://billing.stripe.com/p/session/bps_1' };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', 'request-id': 'req_1' } });
    };
    const stripe = createStripeClient(loadConfig(LIVE_ENV), { httpClient: Stripe.createFetchHttpClient(fakeStripeFetch) });

    const checkout = await stripe!.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_1', quantity: 1 }],
      client_reference_id: 'org_1',
      metadata: { orgId: 'org_1' },
      subscription_data: { metadata: { orgId: 'org_1' } },
      success_url: 'https://app.callsnare.test/billing?done=1',
      cancel_url: 'https://app.callsnare.test/billing',
    });
    const portal = await stripe!.billingPortal.sessions.create({ customer: 'cus_1', return_url: 'https://app.callsnare.test/billing' });

    expect(checkout).toMatchObject({ id: 'cs_test_1', url: 'https://checkout.stripe.com/c/pay/cs_test_1' });
    expect(portal).toMatchObject({ id: 'bps_1', url: 'https://billing.stripe.com/p/session/bps_1' });
    expect(requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /v1/checkout/sessions', 'POST /v1/billing_portal/sessions']);
    expect(requests[0]!.params.get('client_reference_id')).toBe('org_1');
  });
});
