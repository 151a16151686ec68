// Whether a missed call gets a text-back, which template, and when it may
// leave: not before the recipient's calling window opens, on the recipient's
// clock (compliance/recipient-window.ts), narrowed by the shop's quiet hours.
// Pure: the missed-call service gathers the facts, this decides. The last
// rules, the cooldown (no second text while one is pending or within
// textBackCooldownMinutes) and the frequency cap (maxAutomatedTextsPerDay per
// rolling 24 h), need the caller's other texts: the missed-call statement
// checks them as it inserts (recovery/missed-call-writes.ts).
import type { OrgSettings } from '../generated/prisma/client';
import { readBusinessHours } from '../settings/settings.service';
import { callerFirstName, renderTemplate } from '../settings/templates';
import { describeOpening, openingState, type OpeningState } from '../common/shop-time';
import { recipientWindow, type RecipientWindow } from '../compliance/recipient-window';

export type TextBackSkipReason = 'disabled' | 'opted_out' | 'own_number' | 'cooldown' | 'billing_paused' | 'frequency_cap';

export type TextBackDecision =
  | {
      send: true;
      body: string;
      template: 'business_hours' | 'after_hours';
      /** Outside the recipient's window or in the shop's quiet hours: the text waits in the outbox until then. */
      deferredUntil: Date | null;
      /** The window read on the recipient's clock, the shop's quiet hours applied (the message's evidence). */
      window: RecipientWindow;
    }
  | { send: false; reason: TextBackSkipReason };

export type TextBackSettings = Pick<
  OrgSettings,
  | 'businessName'
  | 'timezone'
  | 'textBackEnabled'
  | 'businessHoursTemplate'
  | 'afterHoursTemplate'
  | 'businessHours'
  | 'quietHoursEnabled'
  | 'quietHoursStart'
  | 'quietHoursEnd'
  | 'callbackSlaMinutes'
>;

export interface TextBackFacts {
  settings: TextBackSettings;
  callerPhone: string;
  callerName: string | null;
  callerOptedOut: boolean;
  /** The org's tracking numbers and the phones they forward to. */
  ownNumbers: ReadonlySet<string>;
  /** The plan gate paused automatic text-backs (billing/plan-gate.ts): the call is still recorded. */
  billingPaused?: boolean;
  now: Date;
  /**
   * Whether the shop is open now, when the caller already worked it out (the
   * missed call dates its callback from the same opening the text promises).
   */
  shop?: OpeningState;
}

export function decideTextBack(facts: TextBackFacts): TextBackDecision {
  const { settings, now } = facts;
  // Order matters only for the reason recorded: consent first, then configuration.
  if (facts.callerOptedOut) return { send: false, reason: 'opted_out' };
  if (facts.ownNumbers.has(facts.callerPhone)) return { send: false, reason: 'own_number' };
  if (!settings.textBackEnabled) return { send: false, reason: 'disabled' };
  if (facts.billingPaused) return { send: false, reason: 'billing_paused' };

  const shop = facts.shop ?? openingState(now, settings.timezone, readBusinessHours(settings));
  const open = shop.open;
  let callbackEta = `within ${settings.callbackSlaMinutes} minutes`;
  if (!shop.open) {
    callbackEta = shop.nextOpening ? describeOpening(shop.nextOpening, now, settings.timezone) : 'as soon as we can';
  }
  const body = renderTemplate(open ? settings.businessHoursTemplate : settings.afterHoursTemplate, {
    businessName: settings.businessName,
    callerFirstName: callerFirstName(facts.callerName),
    callbackEta,
  });
  const window = recipientWindow(facts.callerPhone, now, {
    shopTimeZone: settings.timezone,
    shopQuietHours: { enabled: settings.quietHoursEnabled, start: settings.quietHoursStart, end: settings.quietHoursEnd },
  });
  return { send: true, body, template: open ? 'business_hours' : 'after_hours', deferredUntil: window.nextAllowedAt, window };
}
