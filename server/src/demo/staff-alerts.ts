// The staff alerts of the demo week: from the moment a member set up her phone,
// every missed call, reply and overdue callback texted to whom the live rule
// (staff-alerts/staff-alerts.queue.ts) picks, and sent.
import type { Prisma } from '../generated/prisma/client';
import { fakeTwilioSid, uuidv7At } from '../common/ids';
import { alertPreference, leadUrl, staffAlertBody } from '../staff-alerts/staff-alerts.queue';
import { itemAt, type Dice } from './random';
import type { AlertCause } from './lead-story';
import { isOpen, type DemoShop, type StaffMember } from './shop';

const MINUTE = 60_000;

/** How many of the latest missed calls happened after the alerts were set up: "a couple", with their replies and escalations. */
const ALERTED_MISSED_CALLS = 3;

/** When alerts were turned on: shortly before the few latest missed calls (null: no missed calls at all). */
export function alertsSetUpAt(causes: readonly AlertCause[], dice: Dice): number | null {
  const calls = causes.filter((cause) => cause.kind === 'MISSED_CALL').sort((a, b) => b.at - a.at);
  if (calls.length === 0) return null;
  const firstAlerted = itemAt(calls, Math.min(ALERTED_MISSED_CALLS, calls.length) - 1).at;
  const before = calls[ALERTED_MISSED_CALLS]?.at ?? firstAlerted - 60 * MINUTE;
  return Math.max(before + 1000, firstAlerted - dice.minutes(10, 90));
}

/**
 * Who hears about a cause: members with a phone who opted in to its kind
 * (overdue callbacks follow the missed-call choice); after hours only those on
 * call, or the owners when nobody is; never the caller's own phone.
 */
/** A member whose alerts can be texted: a phone is set. */
type TextableMember = StaffMember & { phone: string };

function audience(shop: DemoShop, cause: AlertCause): TextableMember[] {
  const optedIn = shop.staff.filter(
    (member): member is TextableMember => member.phone !== null && member.phone !== cause.callerPhone && member[alertPreference(cause.kind)],
  );
  if (isOpen(shop, cause.at)) return optedIn;
  const onCall = optedIn.filter((member) => member.onCall);
  return onCall.length > 0 ? onCall : optedIn.filter((member) => member.role === 'OWNER');
}

export function staffAlertRows(shop: DemoShop, causes: readonly AlertCause[], since: number | null, dice: Dice): Prisma.StaffAlertCreateManyInput[] {
  if (since === null) return [];
  const rows: Prisma.StaffAlertCreateManyInput[] = [];
  for (const cause of [...causes].sort((a, b) => a.at - b.at)) {
    if (cause.at < since) continue;
    for (const member of audience(shop, cause)) {
      const sentAt = Math.min(cause.at + dice.seconds(1, 4), shop.now);
      rows.push({
        id: uuidv7At(cause.at),
        orgId: shop.orgId,
        membershipId: member.membershipId,
        leadId: cause.leadId,
        kind: cause.kind,
        toPhone: member.phone,
        fromPhone: shop.trackingNumber,
        body: staffAlertBody(cause.kind, cause.callerPhone, leadUrl(shop.dashboardBaseUrl, cause.leadId)),
        status: 'SENT',
        idempotencyKey: `alert:${cause.cause}:${member.membershipId}`,
        providerSid: fakeTwilioSid('SM'),
        attempts: 1,
        nextAttemptAt: new Date(cause.at),
        sentAt: new Date(sentAt),
        createdAt: new Date(cause.at),
        updatedAt: new Date(sentAt),
      });
    }
  }
  return rows;
}
