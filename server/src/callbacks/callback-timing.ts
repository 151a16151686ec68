// When a callback is owed, in the shop's time (common/shop-time.ts):
//   - a missed call inside business hours: SLA minutes after the call;
//   - outside them: SLA minutes after the next opening, the time the
//     after-hours text-back named ("we'll call you back tomorrow at 8:00 AM");
//     a shop with no business hours at all: SLA minutes after the call;
//   - a retry after NO_ANSWER / LEFT_VOICEMAIL: settings.callbackRetryMinutes[attempt - 1]
//     minutes after the attempt, moved to the next opening when that falls
//     outside business hours. The retry may be made from then (scheduledFor)
//     and is due SLA minutes later (dueAt), like a first callback from its opening.
import type { BusinessHours } from '../common/shop-time';
import { duringBusinessHours, type OpeningState } from '../common/shop-time';

const MINUTE = 60_000;

export function missedCallDueAt(calledAt: Date, shop: OpeningState, slaMinutes: number): Date {
  const from = shop.open ? calledAt : (shop.nextOpening ?? calledAt);
  return new Date(from.getTime() + slaMinutes * MINUTE);
}

export interface RetryCadence {
  timezone: string;
  businessHours: BusinessHours;
  callbackSlaMinutes: number;
  callbackRetryMinutes: readonly number[];
}

/** The next attempt after `attempt` went unanswered at `at`; null when the cadence has no more attempts. */
export function nextAttemptTimes(at: Date, attempt: number, cadence: RetryCadence): { scheduledFor: Date; dueAt: Date } | null {
  const waitMinutes = cadence.callbackRetryMinutes[attempt - 1];
  if (waitMinutes === undefined) return null;
  const scheduledFor = duringBusinessHours(new Date(at.getTime() + waitMinutes * MINUTE), cadence.timezone, cadence.businessHours);
  return { scheduledFor, dueAt: new Date(scheduledFor.getTime() + cadence.callbackSlaMinutes * MINUTE) };
}
