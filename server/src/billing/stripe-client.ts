// The Stripe API client a process uses: live mode only (config validation
// guarantees STRIPE_SECRET_KEY there); sandbox never calls Stripe. Tests pass
// their own client built with a fake network (Stripe.createFetchHttpClient).
//
// Typed by the two calls the product makes, not by the stripe package: its
// declarations (7.7 MB, 256 files) were half of everything the server's
// TypeScript program read, for every type check and every lint. A real Stripe
// client is assignable to StripeClient (tests pass one).
import type { Config } from '../config';

export interface CheckoutSessionParams {
  mode: 'subscription';
  line_items: { price: string; quantity: number }[];
  client_reference_id: string;
  customer?: string;
  metadata: Record<string, string>;
  subscription_data: { metadata: Record<string, string> };
  success_url: string;
  cancel_url: string;
}

export interface StripeClient {
  checkout: { sessions: { create(params: CheckoutSessionParams): Promise<{ id: string; url: string | null }> } };
  billingPortal: { sessions: { create(params: { customer: string; return_url: string }): Promise<{ id: string; url: string }> } };
}

/** Stripe's constructor, typed by what createStripeClient passes (see the header for why not the package's types). */
type StripeConstructor = new (
  secretKey: string,
  config: { maxNetworkRetries: number; timeout: number; appInfo: { name: string }; httpClient?: unknown },
) => StripeClient;

/** Seconds of clock skew a Stripe-Signature timestamp may have (Stripe's own default). */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Live mode's client. The stripe package is loaded on the first Checkout or portal
 * session, not at start-up: it is 219 modules (~3 MB of heap, ~16 MB of RSS, ~0.25 s)
 * that a server needs only when an owner opens billing.
 */
export function createStripeClient(config: Pick<Config, 'integrationMode' | 'stripe'>, options: { httpClient?: unknown } = {}): StripeClient | null {
  if (config.integrationMode !== 'live' || !config.stripe.secretKey) return null;
  const secretKey = config.stripe.secretKey;
  let client: StripeClient | null = null;
  const stripe = (): StripeClient => {
    if (!client) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- require() keeps the package's declarations out of the program (header)
      const Stripe = require('stripe') as StripeConstructor;
      client = new Stripe(secretKey, {
        maxNetworkRetries: 2,
        timeout: 20_000,
        appInfo: { name: 'CallSnare' },
        ...(options.httpClient ? { httpClient: options.httpClient } : {}),
      });
    }
    return client;
  };
  return {
    checkout: { sessions: { create: (params) => stripe().checkout.sessions.create(params) } },
    billingPortal: { sessions: { create: (params) => stripe().billingPortal.sessions.create(params) } },
  };
}

/** Stripe's refusal of a bad request (an unknown price, say): its errors carry their class name in `type`. */
export function isStripeInvalidRequest(error: unknown): error is Error {
  return error instanceof Error && (error as { type?: unknown }).type === 'StripeInvalidRequestError';
}
