// Stripe-hosted pages for the owner: Checkout to subscribe, the billing portal
// to change card or plan or cancel. Live mode only: sandbox never calls Stripe.
// The org is named in client_reference_id, which is how the webhook links the
// Stripe customer back to it (stripe-webhook.service.ts).
import type { Config } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import type { Actor } from '../common/actor';
import { DomainError, badInput } from '../common/errors';
import { isStripeInvalidRequest, type StripeClient } from './stripe-client';

export interface BillingSessionDeps {
  config: Pick<Config, 'integrationMode' | 'publicBaseUrl'>;
  stripe: StripeClient | null;
}

/** Statuses under which a second subscription would double-bill: manage the existing one in the portal instead. */
const CURRENT_STATUSES = new Set(['active', 'trialing', 'past_due', 'unpaid']);
const PRICE_ID = /^price_[A-Za-z0-9_]{1,200}$/;

export async function createCheckoutSession(
  prisma: PrismaClient,
  actor: Actor,
  input: { priceId: string },
  deps: BillingSessionDeps,
): Promise<{ url: string }> {
  const stripe = liveStripe(deps, 'createCheckoutSession');
  const priceId = input.priceId.trim();
  if (!PRICE_ID.test(priceId)) throw badInput('priceId must be a Stripe price id (price_…)', { priceId: 'not a Stripe price id' });
  const subscription = await prisma.subscription.findUnique({ where: { orgId: actor.orgId }, select: { status: true, stripeCustomerId: true } });
  if (subscription && CURRENT_STATUSES.has(subscription.status)) {
    throw new DomainError('CONFLICT', `This organization already has a subscription (${subscription.status}); change it with createBillingPortalSession`);
  }
  const session = await callStripe(() =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: priceId, quantity: 1 }],
      client_reference_id: actor.orgId,
      ...(subscription ? { customer: subscription.stripeCustomerId } : {}),
      metadata: { orgId: actor.orgId },
      subscription_data: { metadata: { orgId: actor.orgId } },
      success_url: billingPageUrl(deps.config, 'checkout=success'),
      cancel_url: billingPageUrl(deps.config, 'checkout=canceled'),
    }),
  );
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { url: session.url };
}

export async function createBillingPortalSession(prisma: PrismaClient, actor: Actor, deps: BillingSessionDeps): Promise<{ url: string }> {
  const stripe = liveStripe(deps, 'createBillingPortalSession');
  const subscription = await prisma.subscription.findUnique({ where: { orgId: actor.orgId }, select: { stripeCustomerId: true } });
  if (!subscription) throw new DomainError('NOT_FOUND', 'No Stripe customer on file for this organization; subscribe first with createCheckoutSession');
  const session = await callStripe(() =>
    stripe.billingPortal.sessions.create({ customer: subscription.stripeCustomerId, return_url: billingPageUrl(deps.config) }),
  );
  return { url: session.url };
}

function liveStripe(deps: BillingSessionDeps, operation: string): StripeClient {
  if (deps.config.integrationMode !== 'live' || !deps.stripe) {
    throw new DomainError('BAD_USER_INPUT', `${operation} needs live mode (INTEGRATION_MODE=live with STRIPE_SECRET_KEY): sandbox never calls Stripe`, {
      reason: 'LIVE_MODE_REQUIRED',
    });
  }
  return deps.stripe;
}

function billingPageUrl(config: Pick<Config, 'publicBaseUrl'>, query?: string): string {
  return `${config.publicBaseUrl}/billing${query ? `?${query}` : ''}`;
}

/** Stripe's answer to a bad request (e.g. an unknown price) is the caller's problem; anything else is ours. */
async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isStripeInvalidRequest(error)) {
      throw new DomainError('BAD_USER_INPUT', `Stripe refused the request: ${error.message}`, { reason: 'STRIPE_INVALID_REQUEST' });
    }
    throw error;
  }
}
