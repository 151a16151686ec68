// Stripe's side of billing tests: events shaped like Stripe's (current API
// version), signed with real Stripe-Signature headers, posted to the server.
import crypto from 'node:crypto';
import Stripe from 'stripe';
import type { RunningServer } from '../../src/server';
import type { Clock } from '../../src/common/clock';

export const TEST_WEBHOOK_SECRET = 'whsec_callsnare';
const signer = new Stripe('sk_test_signer').webhooks;

const id = (prefix: string) => `${prefix}_${crypto.randomBytes(8).toString('hex')}`;
export const newCustomerId = () => id('cus');
export const newSubscriptionId = () => id('sub');
const seconds = (at: Date | string) => Math.floor(new Date(at).getTime() / 1000);

export interface TestEvent {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export function stripeEvent(type: string, object: Record<string, unknown>, created: Date | string): TestEvent {
  return { id: id('evt'), type, created: seconds(created), data: { object } };
}

export function checkoutCompleted(input: { orgId: string | null; customer: string; subscription: string; created: Date | string; paymentStatus?: string }) {
  return stripeEvent(
    'checkout.session.completed',
    {
      id: id('cs'),
      object: 'checkout.session',
      mode: 'subscription',
      status: 'complete',
      payment_status: input.paymentStatus ?? 'paid',
      client_reference_id: input.orgId,
      customer: input.customer,
      subscription: input.subscription,
      amount_total: 9900,
      currency: 'usd',
    },
    input.created,
  );
}

export function subscriptionEvent(
  type: 'created' | 'updated' | 'deleted' | 'trial_will_end',
  input: {
    customer: string;
    subscription: string;
    status: string;
    created: Date | string;
    periodStart?: Date | string;
    periodEnd?: Date | string;
    trialEnd?: Date | string | null;
    cancelAtPeriodEnd?: boolean;
    priceId?: string;
    plan?: string;
  },
) {
  return stripeEvent(
    `customer.subscription.${type}`,
    {
      id: input.subscription,
      object: 'subscription',
      customer: input.customer,
      status: input.status,
      cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
      trial_end: input.trialEnd ? seconds(input.trialEnd) : null,
      currency: 'usd',
      items: {
        object: 'list',
        data: [
          {
            id: id('si'),
            object: 'subscription_item',
            current_period_start: seconds(input.periodStart ?? '2026-01-01T00:00:00Z'),
            current_period_end: seconds(input.periodEnd ?? '2026-02-01T00:00:00Z'),
            price: { id: input.priceId ?? 'price_pro_monthly', object: 'price', nickname: input.plan ?? 'Pro', unit_amount: 9900, currency: 'usd' },
          },
        ],
      },
    },
    input.created,
  );
}

export function invoiceEvent(
  type: 'paid' | 'payment_failed',
  input: { customer: string; subscription: string; created: Date | string; amount?: number; periodStart?: Date | string; periodEnd?: Date | string },
) {
  const amount = input.amount ?? 9900;
  return stripeEvent(
    `invoice.${type}`,
    {
      id: id('in'),
      object: 'invoice',
      customer: input.customer,
      status: type === 'paid' ? 'paid' : 'open',
      currency: 'usd',
      amount_due: amount,
      amount_paid: type === 'paid' ? amount : 0,
      total: amount,
      parent: { type: 'subscription_details', subscription_details: { subscription: input.subscription } },
      lines: {
        object: 'list',
        data: [
          {
            id: id('il'),
            object: 'line_item',
            period: { start: seconds(input.periodStart ?? '2026-02-01T00:00:00Z'), end: seconds(input.periodEnd ?? '2026-03-01T00:00:00Z') },
            pricing: { type: 'price_details', price_details: { price: 'price_pro_monthly', product: 'prod_callsnare' } },
          },
        ],
      },
    },
    input.created,
  );
}

export interface StripeDelivery {
  status: number;
  outcome: string | null;
  body: any;
}

/** Posts an event the way Stripe does: raw JSON, Stripe-Signature over those exact bytes at the clock's time. */
export async function postStripeEvent(
  server: RunningServer,
  event: unknown,
  options: { clock?: Clock; secret?: string | null; signedAt?: Date; payload?: string; contentType?: string } = {},
): Promise<StripeDelivery> {
  const payload = options.payload ?? JSON.stringify(event);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const secret = options.secret === undefined ? TEST_WEBHOOK_SECRET : options.secret;
  if (secret) {
    const at = options.signedAt ?? options.clock?.now() ?? new Date();
    headers['stripe-signature'] = signer.generateTestHeaderString({ payload, secret, timestamp: seconds(at) });
  }
  const response = await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', headers, body: payload });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, outcome: response.headers.get('x-callsnare-outcome'), body };
}
