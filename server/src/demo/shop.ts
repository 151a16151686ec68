// The demo shop as the story sees it: its settings, staff and "now", and the
// time rules the live system applies (business hours, when a callback is due),
// taken from common/shop-time.ts and callbacks/callback-timing.ts so the demo
// cannot drift from them.
import type { OrgSettings } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import type { BusinessHours } from '../common/shop-time';
import { readBusinessHours } from '../settings/settings.service';
import { isWithinBusinessHours, shopClock, type OpeningState } from '../common/shop-time';
import { missedCallDueAt, nextAttemptTimes } from '../callbacks/callback-timing';

const MINUTE = 60_000;

export interface StaffMember {
  userId: string;
  membershipId: string;
  email: string;
  name: string;
  role: Role;
  /** Staff alerts: the member's own phone and what they want texted to it. */
  phone: string | null;
  alertOnMissedCall: boolean;
  alertOnReply: boolean;
  onCall: boolean;
}

export interface DemoShop {
  orgId: string;
  trackingNumber: string;
  forwardTo: string;
  settings: OrgSettings;
  businessHours: BusinessHours;
  staff: StaffMember[];
  /** The dashboard's address, for the links in staff alerts. */
  dashboardBaseUrl: string;
  /** The story ends here (ms). */
  now: number;
  /** The story starts here (ms). */
  weekStart: number;
}

export function demoShop(fields: Omit<DemoShop, 'businessHours'>): DemoShop {
  return { ...fields, businessHours: readBusinessHours(fields.settings) };
}

// The story asks about the same minutes again and again (every draw of every
// lead): answers are kept per shop and per minute. Business hours are whole
// minutes, so the minute an instant falls in decides.
interface MinuteAnswers {
  open: Map<number, boolean>;
  /** minute -> the first open minute at or after it */
  opening: Map<number, number>;
  local: Map<number, number>;
}
const answers = new WeakMap<DemoShop, MinuteAnswers>();

function answersFor(shop: DemoShop): MinuteAnswers {
  let found = answers.get(shop);
  if (!found) answers.set(shop, (found = { open: new Map(), opening: new Map(), local: new Map() }));
  return found;
}

function openAtMinute(shop: DemoShop, minute: number): boolean {
  const { open } = answersFor(shop);
  let answer = open.get(minute);
  if (answer === undefined) open.set(minute, (answer = isWithinBusinessHours(new Date(minute * MINUTE), shop.settings.timezone, shop.businessHours)));
  return answer;
}

export function isOpen(shop: DemoShop, at: number): boolean {
  return openAtMinute(shop, Math.floor(at / MINUTE));
}

/** The shop's next opening at or after `at`, to the minute (the demo shop always has hours within a week). */
export function openingAfter(shop: DemoShop, at: number): number {
  if (isOpen(shop, at) && at % MINUTE === 0) return at;
  const { opening } = answersFor(shop);
  const first = Math.ceil(at / MINUTE);
  const walked: number[] = [];
  let minute = first;
  let found: number | undefined;
  for (let i = 0; i < 7 * 24 * 60; i++, minute++) {
    found = opening.get(minute);
    if (found !== undefined) break;
    if (openAtMinute(shop, minute)) {
      found = minute;
      break;
    }
    walked.push(minute);
  }
  if (found === undefined) return at;
  for (const m of walked) opening.set(m, found);
  opening.set(first, found);
  return found * MINUTE;
}

/** `at` if the shop is open then, else its next opening. */
export function duringHours(shop: DemoShop, at: number): number {
  return isOpen(shop, at) ? at : openingAfter(shop, at);
}

/** Minutes since local midnight at the shop. */
export function localMinutes(shop: DemoShop, at: number): number {
  const minute = Math.floor(at / MINUTE);
  const { local } = answersFor(shop);
  let answer = local.get(minute);
  if (answer === undefined) local.set(minute, (answer = shopClock(new Date(minute * MINUTE), shop.settings.timezone).minutes));
  return answer;
}

/** Month 1-12 at the shop. */
export function localMonth(shop: DemoShop, at: number): number {
  return Number(shopClock(new Date(at), shop.settings.timezone).date.slice(5, 7));
}

/**
 * A missed call's first callback, by the live rule (callbacks/callback-timing.ts):
 * SLA minutes after the call during business hours; outside them SLA minutes
 * after the next opening, the time the after-hours text-back promised.
 */
export function missedCallCallback(shop: DemoShop, calledAt: number): { dueAt: number; opensAt: number | null } {
  const opensAt = isOpen(shop, calledAt) ? null : openingAfter(shop, calledAt);
  const state: OpeningState = opensAt === null ? { open: true } : { open: false, nextOpening: new Date(opensAt) };
  return { dueAt: missedCallDueAt(new Date(calledAt), state, shop.settings.callbackSlaMinutes).getTime(), opensAt };
}

/**
 * The attempt after `attempt` went unanswered at `at`, by the live rule
 * (settings.callbackRetryMinutes, business hours respected); null when the
 * cadence has no more attempts and staff must decide.
 */
export function nextAttempt(shop: DemoShop, at: number, attempt: number): { scheduledFor: number; dueAt: number } | null {
  const next = nextAttemptTimes(new Date(at), attempt, { ...shop.settings, businessHours: shop.businessHours });
  return next && { scheduledFor: next.scheduledFor.getTime(), dueAt: next.dueAt.getTime() };
}

/**
 * When the next attempt would be due, the same rule on the remembered minutes:
 * fast enough to try every minute of a week when choosing a time. The story
 * itself always uses nextAttempt.
 */
export function nextAttemptDueEstimate(shop: DemoShop, at: number, attempt: number): number | null {
  const waitMinutes = shop.settings.callbackRetryMinutes[attempt - 1];
  if (waitMinutes === undefined) return null;
  return duringHours(shop, at + waitMinutes * MINUTE) + shop.settings.callbackSlaMinutes * MINUTE;
}
