// How one Stripe event moves an org's subscription state. Pure: the webhook
// service loads the stored row and writes what this returns. Events arrive out
// of order, so an event older than the newest one applied (Stripe's `created`)
// never changes the state; its billing record is still kept. `created` has
// one-second resolution, so events of the same second are put in a fixed
// order of their own (docs/decisions/0007-stripe-event-ordering.md): the
// final state never depends on which of them arrived first.
import type { Subscription } from '../generated/prisma/client';
import type { StripeEventEnvelope, StripeEventFacts, SubscriptionSnapshot } from './stripe-events';

export type StoredSubscription = Pick<
  Subscription,
  | 'stripeCustomerId'
  | 'stripeSubscriptionId'
  | 'status'
  | 'priceId'
  | 'plan'
  | 'currentPeriodEnd'
  | 'trialEnd'
  | 'cancelAtPeriodEnd'
  | 'pastDueSince'
  | 'stripeEventCreatedAt'
>;

/** The fields an audit entry compares (the ordering bookkeeping is left out). */
export const AUDITED_SUBSCRIPTION_FIELDS = [
  'status',
  'plan',
  'priceId',
  'currentPeriodEnd',
  'trialEnd',
  'cancelAtPeriodEnd',
  'pastDueSince',
  'stripeCustomerId',
  'stripeSubscriptionId',
] as const;

export type SubscriptionChange = { next: StoredSubscription; note: string | null } | { next: null; note: string };

/** An event already recorded (its BillingRecord) with the same `created` second as the one being applied. */
export interface SameSecondEvent {
  stripeEventId: string;
  type: string;
  /** The subscription's status for subscription events; the invoice's for invoice events. */
  status: string | null;
  stripeSubscriptionId: string | null;
}

/** A subscription that has ended for good; a late event about it must not end its replacement. */
const TERMINAL_STATUSES = new Set(['canceled', 'incomplete_expired']);
/** States a paid invoice brings back to active. */
const UNPAID_STATUSES = new Set(['past_due', 'unpaid', 'incomplete']);
/** States a failed payment turns into past_due (Stripe does the same; its subscription.updated may come later). */
const PAYING_STATUSES = new Set(['active', 'trialing']);

export function nextSubscriptionState(
  current: StoredSubscription | null,
  event: Pick<StripeEventEnvelope, 'id' | 'type' | 'created'>,
  facts: StripeEventFacts,
  customerId: string,
  sameSecond: readonly SameSecondEvent[] = [],
): SubscriptionChange {
  if (facts.kind === 'checkout') return linkCheckout(current, facts, customerId);
  if (!current) return { next: null, note: 'no subscription on file for this customer' };
  if (current.stripeEventCreatedAt && event.created < current.stripeEventCreatedAt) {
    return {
      next: null,
      note: `event created ${event.created.toISOString()} is older than the state already applied (${current.stripeEventCreatedAt.toISOString()}): recorded, state unchanged`,
    };
  }
  if (current.stripeEventCreatedAt && event.created.getTime() === current.stripeEventCreatedAt.getTime()) {
    const outranking = outrankedBy(
      current,
      { stripeEventId: event.id, type: event.type, status: facts.record.status, stripeSubscriptionId: facts.record.stripeSubscriptionId },
      sameSecond,
    );
    if (outranking) {
      return {
        next: null,
        note: `created in the same second as ${outranking}, which comes later in CallSnare's order for such events: recorded, state unchanged`,
      };
    }
  }
  if (facts.kind === 'subscription') return applySnapshot(current, event.created, facts.subscription);

  const invoiceSubscription = facts.record.stripeSubscriptionId;
  if (invoiceSubscription && current.stripeSubscriptionId && invoiceSubscription !== current.stripeSubscriptionId) {
    return {
      next: null,
      note: `invoice of subscription ${invoiceSubscription}, not the current one (${current.stripeSubscriptionId}): recorded, state unchanged`,
    };
  }
  let status = current.status;
  if (facts.paid && UNPAID_STATUSES.has(status)) status = 'active';
  if (!facts.paid && PAYING_STATUSES.has(status)) status = 'past_due';
  const periodEnd = facts.paid ? facts.record.periodEnd : null;
  return {
    next: {
      ...current,
      status,
      stripeSubscriptionId: current.stripeSubscriptionId ?? invoiceSubscription,
      priceId: facts.priceId ?? current.priceId,
      currentPeriodEnd: periodEnd && (!current.currentPeriodEnd || periodEnd > current.currentPeriodEnd) ? periodEnd : current.currentPeriodEnd,
      pastDueSince: pastDueSince(current, status, event.created),
      stripeEventCreatedAt: event.created,
    },
    note: null,
  };
}

function applySnapshot(current: StoredSubscription, created: Date, snapshot: SubscriptionSnapshot): SubscriptionChange {
  const replaced = current.stripeSubscriptionId !== null && snapshot.subscriptionId !== current.stripeSubscriptionId;
  if (replaced && TERMINAL_STATUSES.has(snapshot.status) && !TERMINAL_STATUSES.has(current.status)) {
    return {
      next: null,
      note: `subscription ${snapshot.subscriptionId} ended, but ${current.stripeSubscriptionId} is the current one: recorded, state unchanged`,
    };
  }
  return {
    next: {
      ...current,
      stripeSubscriptionId: snapshot.subscriptionId,
      status: snapshot.status,
      priceId: snapshot.priceId ?? current.priceId,
      plan: snapshot.plan ?? current.plan,
      currentPeriodEnd: snapshot.currentPeriodEnd ?? current.currentPeriodEnd,
      trialEnd: snapshot.trialEnd,
      cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
      pastDueSince: pastDueSince(current, snapshot.status, created),
      stripeEventCreatedAt: created,
    },
    note: null,
  };
}

/**
 * Checkout links the org to its Stripe customer and subscription. The session
 * does not carry the subscription's status, so a new row starts from what the
 * payment says; the subscription events that follow (applied whatever their
 * order relative to this one: stripeEventCreatedAt stays empty) set the real state.
 */
function linkCheckout(current: StoredSubscription | null, facts: Extract<StripeEventFacts, { kind: 'checkout' }>, customerId: string): SubscriptionChange {
  const subscriptionId = facts.record.stripeSubscriptionId;
  const provisional = facts.paymentStatus === 'no_payment_required' ? 'trialing' : facts.paymentStatus === 'paid' ? 'active' : 'incomplete';
  const newSubscription = subscriptionId !== null && subscriptionId !== current?.stripeSubscriptionId;
  if (!current) {
    return {
      next: {
        stripeCustomerId: customerId,
        stripeSubscriptionId: subscriptionId,
        status: provisional,
        priceId: null,
        plan: null,
        currentPeriodEnd: null,
        trialEnd: null,
        cancelAtPeriodEnd: false,
        pastDueSince: null,
        stripeEventCreatedAt: null,
      },
      note: null,
    };
  }
  if (!newSubscription) return { next: { ...current, stripeCustomerId: customerId }, note: null };
  if (current.stripeSubscriptionId === null || TERMINAL_STATUSES.has(current.status)) {
    // A first or a renewed subscription: start over from this checkout.
    return {
      next: {
        ...current,
        stripeCustomerId: customerId,
        stripeSubscriptionId: subscriptionId,
        status: current.stripeSubscriptionId === null && current.stripeEventCreatedAt ? current.status : provisional,
        cancelAtPeriodEnd: false,
        pastDueSince: null,
        stripeEventCreatedAt: current.stripeSubscriptionId === null ? current.stripeEventCreatedAt : null,
      },
      note: null,
    };
  }
  return {
    next: null,
    note: `checkout for subscription ${subscriptionId} while ${current.stripeSubscriptionId} is still ${current.status}: recorded, state unchanged`,
  };
}

/** The grace period runs from the first moment a subscription went past_due, and ends when it leaves that state. */
function pastDueSince(current: StoredSubscription, status: string, at: Date): Date | null {
  if (status !== 'past_due') return null;
  return current.status === 'past_due' && current.pastDueSince ? current.pastDueSince : at;
}

/**
 * Same-second order, lowest first (see docs/decisions/0007-stripe-event-ordering.md):
 * 1. invoice events before subscription events: a subscription object already
 *    states what the payment did to it;
 * 2. by the status the event says: among invoices a failed payment before a paid
 *    one (a paid invoice cannot fail later); among subscriptions SUBSCRIPTION_ORDER,
 *    with customer.subscription.deleted and ended subscriptions last - an end is final;
 * 3. by event id, so two events that tie on all of that still have one order.
 * Only events about the same subscription compete: the end of a replaced
 * subscription and its replacement's start are not rivals.
 */
const SUBSCRIPTION_ORDER = ['incomplete', 'trialing', 'paused', 'past_due', 'unpaid', 'active'];
const ENDED_RANK = SUBSCRIPTION_ORDER.length;

function sameSecondKey(event: SameSecondEvent): [number, number, string] {
  if (event.type.startsWith('invoice.')) return [0, event.type === 'invoice.paid' ? 1 : 0, event.stripeEventId];
  const ended = event.type === 'customer.subscription.deleted' || TERMINAL_STATUSES.has(event.status ?? '');
  return [1, ended ? ENDED_RANK : SUBSCRIPTION_ORDER.indexOf(event.status ?? ''), event.stripeEventId];
}

function comesLater(a: SameSecondEvent, b: SameSecondEvent): boolean {
  const [ka, kb] = [sameSecondKey(a), sameSecondKey(b)];
  for (let i = 0; i < ka.length; i += 1) {
    const [x, y] = [ka[i], kb[i]];
    if (x !== y && x !== undefined && y !== undefined) return x > y;
  }
  return false;
}

/** The id of a recorded same-second event about the same subscription that comes after this one, if any. */
function outrankedBy(current: StoredSubscription, event: SameSecondEvent, sameSecond: readonly SameSecondEvent[]): string | null {
  const about = (e: SameSecondEvent) => e.stripeSubscriptionId ?? current.stripeSubscriptionId;
  const rival = sameSecond.find(
    (other) =>
      other.stripeEventId !== event.stripeEventId &&
      (other.type.startsWith('invoice.') || other.type.startsWith('customer.subscription.')) &&
      about(other) === about(event) &&
      comesLater(other, event),
  );
  return rival?.stripeEventId ?? null;
}
