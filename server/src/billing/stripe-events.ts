// What a Stripe event says, read defensively from its JSON: the billing
// record it leaves and the subscription facts it carries. Pure. Reads both the
// current API shape (periods and prices on subscription items, an invoice's
// subscription under `parent`) and the older one, so an endpoint pinned to an
// older API version keeps working.

/** The event types CallSnare acts on (docs/public/webhooks.md). Anything else is logged IGNORED. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.trial_will_end',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

export type HandledStripeEventType = (typeof HANDLED_STRIPE_EVENTS)[number];

/** The minimum every Stripe event has; anything less is a malformed delivery. */
export interface StripeEventEnvelope {
  id: string;
  type: string;
  /** Event creation time at Stripe: the order events are applied in. */
  created: Date;
  object: Record<string, unknown>;
}

/** Subscription state as a subscription object states it. */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  status: string;
  priceId: string | null;
  plan: string | null;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface BillingRecordFacts {
  amount: number | null;
  currency: string | null;
  status: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  stripeInvoiceId: string | null;
}

export type StripeEventFacts = {
  record: BillingRecordFacts;
} & (
  | { kind: 'checkout'; orgReference: string | null; mode: string | null; paymentStatus: string | null }
  | { kind: 'subscription'; subscription: SubscriptionSnapshot }
  | { kind: 'invoice'; paid: boolean; priceId: string | null }
);

export class MalformedStripeEvent extends Error {}

/** Parses the raw body into the envelope, or throws MalformedStripeEvent saying what is missing. */
export function readStripeEvent(rawBody: string): StripeEventEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new MalformedStripeEvent('body is not JSON');
  }
  if (!isRecord(parsed)) throw new MalformedStripeEvent('body is not a JSON object');
  const id = str(parsed.id);
  const type = str(parsed.type);
  const created = parsed.created;
  const object = isRecord(parsed.data) ? parsed.data.object : undefined;
  if (!id || !id.startsWith('evt_')) throw new MalformedStripeEvent('"id" must be a Stripe event id (evt_…)');
  if (!type) throw new MalformedStripeEvent('"type" is missing');
  if (typeof created !== 'number' || !Number.isFinite(created)) throw new MalformedStripeEvent('"created" must be a Unix timestamp');
  if (!isRecord(object)) throw new MalformedStripeEvent('"data.object" is missing');
  return { id, type, created: new Date(created * 1000), object };
}

export function isHandledStripeEvent(type: string): type is HandledStripeEventType {
  return (HANDLED_STRIPE_EVENTS as readonly string[]).includes(type);
}

export function stripeEventFacts(type: HandledStripeEventType, object: Record<string, unknown>): StripeEventFacts {
  if (type === 'checkout.session.completed') {
    return {
      kind: 'checkout',
      orgReference: str(object.client_reference_id),
      mode: str(object.mode),
      paymentStatus: str(object.payment_status),
      record: {
        amount: int(object.amount_total),
        currency: str(object.currency),
        status: str(object.payment_status) ?? str(object.status),
        periodStart: null,
        periodEnd: null,
        stripeCustomerId: idOf(object.customer),
        stripeSubscriptionId: idOf(object.subscription),
        stripeInvoiceId: idOf(object.invoice),
      },
    };
  }
  if (type === 'invoice.paid' || type === 'invoice.payment_failed') {
    const line = firstItem(object.lines);
    const period = isRecord(line?.period) ? line.period : null;
    const parent = isRecord(object.parent) ? object.parent : null;
    const details = isRecord(parent?.subscription_details) ? parent.subscription_details : null;
    const pricing = isRecord(line?.pricing) ? line.pricing : null;
    const priceDetails = isRecord(pricing?.price_details) ? pricing.price_details : null;
    return {
      kind: 'invoice',
      paid: type === 'invoice.paid',
      priceId: idOf(priceDetails?.price) ?? idOf(line?.price),
      record: {
        amount: type === 'invoice.paid' ? (int(object.amount_paid) ?? int(object.total)) : (int(object.amount_due) ?? int(object.total)),
        currency: str(object.currency),
        status: str(object.status),
        periodStart: time(period?.start) ?? time(object.period_start),
        periodEnd: time(period?.end) ?? time(object.period_end),
        stripeCustomerId: idOf(object.customer),
        stripeSubscriptionId: idOf(details?.subscription) ?? idOf(object.subscription),
        stripeInvoiceId: str(object.id),
      },
    };
  }
  const subscription = subscriptionSnapshot(object);
  const item = firstItem(object.items);
  return {
    kind: 'subscription',
    subscription,
    record: {
      amount: int((isRecord(item?.price) ? item.price : {}).unit_amount),
      currency: str(object.currency) ?? str((isRecord(item?.price) ? item.price : {}).currency),
      status: subscription.status,
      periodStart: time(item?.current_period_start) ?? time(object.current_period_start),
      periodEnd: subscription.currentPeriodEnd,
      stripeCustomerId: idOf(object.customer),
      stripeSubscriptionId: subscription.subscriptionId,
      stripeInvoiceId: idOf(object.latest_invoice),
    },
  };
}

function subscriptionSnapshot(object: Record<string, unknown>): SubscriptionSnapshot {
  const item = firstItem(object.items);
  const price = isRecord(item?.price) ? item.price : isRecord(object.plan) ? object.plan : null;
  const status = str(object.status);
  const subscriptionId = str(object.id);
  if (!status || !subscriptionId) throw new MalformedStripeEvent('the subscription object needs "id" and "status"');
  return {
    subscriptionId,
    status,
    priceId: str(price?.id),
    plan: str(price?.nickname) ?? str(price?.lookup_key) ?? null,
    currentPeriodEnd: time(item?.current_period_end) ?? time(object.current_period_end),
    trialEnd: time(object.trial_end),
    cancelAtPeriodEnd: object.cancel_at_period_end === true,
  };
}

/** Stripe sends related objects as an id or, when expanded, as the object. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (isRecord(value)) return str(value.id);
  return null;
}

function firstItem(list: unknown): Record<string, unknown> | null {
  if (!isRecord(list) || !Array.isArray(list.data)) return null;
  const first: unknown = list.data[0];
  return isRecord(first) ? first : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : null;
}

function time(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? new Date(value * 1000) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
