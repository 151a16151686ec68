// What the subscription state means for the product (the plan gate):
// active/trialing: everything works; past_due: text-backs keep running for a
// 7-day grace period; after it, or when canceled/unpaid, automatic text-backs
// pause (missed calls are still recorded). No Stripe data (sandbox, demo): active.
import type { Subscription } from '../generated/prisma/client';

export const PAST_DUE_GRACE_DAYS = 7;
const DAY_MS = 86_400_000;

export type PlanGate =
  | { textBacksActive: true; banner: string | null; meaning: string }
  | { textBacksActive: false; banner: string; meaning: string; reason: 'payment_overdue' | 'subscription_inactive' };

type GateInput = Pick<Subscription, 'status' | 'pastDueSince'> | null;

export function planGate(subscription: GateInput, now: Date): PlanGate {
  if (!subscription) {
    return { textBacksActive: true, banner: null, meaning: 'No subscription on file (sandbox or demo): everything works.' };
  }
  switch (subscription.status) {
    case 'active':
      return { textBacksActive: true, banner: null, meaning: 'Subscription active: everything works.' };
    case 'trialing':
      return { textBacksActive: true, banner: null, meaning: 'Free trial: everything works until the trial ends.' };
    case 'past_due': {
      const since = subscription.pastDueSince ?? now;
      const graceEnds = new Date(since.getTime() + PAST_DUE_GRACE_DAYS * DAY_MS);
      if (now < graceEnds) {
        return {
          textBacksActive: true,
          banner: `Payment failed. Text-backs keep running until ${graceEnds.toISOString().slice(0, 10)}; update your card to avoid a pause.`,
          meaning: `Payment overdue: text-backs continue during a ${PAST_DUE_GRACE_DAYS}-day grace period.`,
        };
      }
      return {
        textBacksActive: false,
        reason: 'payment_overdue',
        banner: 'Payment overdue for more than 7 days: automatic text-backs are paused. Missed calls are still recorded.',
        meaning: 'Payment overdue past the grace period: automatic text-backs paused until payment resumes.',
      };
    }
    default:
      return {
        textBacksActive: false,
        reason: 'subscription_inactive',
        banner: `Subscription ${subscription.status.replace(/_/g, ' ')}: automatic text-backs are paused. Missed calls are still recorded.`,
        meaning: 'No active subscription: automatic text-backs paused until payment resumes; leads and evidence are still recorded.',
      };
  }
}
