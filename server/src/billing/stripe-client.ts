// The Stripe API client a process uses: live mode only (config validation
// guarantees STRIPE_SECRET_KEY there); sandbox never calls Stripe. Tests pass
// their own client built with a fake network (Stripe.createFetchHttpClient).
import Stripe from 'stripe';
import type { Config } from '../config';

export type StripeClient = Stripe;

/** Seconds of clock skew a Stripe-Signature timestamp may have (Stripe's own default). */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export function createStripeClient(config: Pick<Config, 'integrationMode' | 'stripe'>, options: { httpClient?: Stripe.HttpClient } = {}): StripeClient | null {
  if (config.integrationMode !== 'live' || !config.stripe.secretKey) return null;
  return new Stripe(config.stripe.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'CallSnare' },
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
}
