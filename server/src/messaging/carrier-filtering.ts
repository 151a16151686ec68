// A tracking line whose texts carriers filter or refuse as unregistered (Twilio 30007, 30032,
// 30034): the line records the latest such failure, and the first one since the line was last
// known to be fine alerts the organization's managers, once: a dashboard notice and staff
// alerts to the OWNERs and ADMINs who take alerts. "First" is decided by one conditional
// UPDATE (carrierFilteringAt IS NULL), so simultaneous reports alert once. Setting the line's
// registration to registered/verified clears it (settings/tracking-lines.service.ts), and the
// next failure alerts again.
import type { Tx } from '../db/types';
import { raiseNotice } from '../notices/notices.service';
import { queueStaffAlerts } from '../staff-alerts/staff-alerts.queue';
import { isWithinBusinessHours } from '../common/shop-time';
import { formatPhone } from '../common/phone';
import { readBusinessHours } from '../settings/settings.service';

export interface CarrierFilteringReport {
  orgId: string;
  /** The tracking line the text was sent from. */
  fromPhone: string;
  code: string;
  /** The lead whose text was filtered (the staff alert links to it). */
  leadId: string;
  callerPhone: string;
  dashboardBaseUrl: string;
  at: Date;
}

/** Records a filtering failure on the sending line; returns true when it raised the line's alert. */
export async function recordCarrierFiltering(tx: Tx, report: CarrierFilteringReport): Promise<boolean> {
  const first = await tx.$queryRaw<{ id: string; number: string }[]>`
    UPDATE "TrackingLine" SET "carrierFilteringCode" = ${report.code}, "carrierFilteringAt" = ${report.at}::timestamptz, "updatedAt" = ${report.at}::timestamptz
    WHERE "orgId" = ${report.orgId}::uuid AND number = ${report.fromPhone} AND "carrierFilteringAt" IS NULL
    RETURNING id, number`;
  const line = first[0];
  if (!line) {
    // Already flagged (or not one of the org's lines any more): keep the latest code, alert nobody.
    await tx.trackingLine.updateMany({
      where: { orgId: report.orgId, number: report.fromPhone, carrierFilteringAt: { lte: report.at } },
      data: { carrierFilteringCode: report.code, carrierFilteringAt: report.at },
    });
    return false;
  }
  const episode = `${line.id}:${report.at.getTime()}`;
  await raiseNotice(tx, {
    orgId: report.orgId,
    kind: 'CARRIER_FILTERING',
    dedupeKey: `carrier:${episode}`,
    subjectId: line.id,
    message: carrierFilteringNotice(line.number, report.code),
  });
  const settings = await tx.orgSettings.findUnique({ where: { orgId: report.orgId }, select: { timezone: true, businessHours: true } });
  await queueStaffAlerts(tx, {
    orgId: report.orgId,
    leadId: report.leadId,
    kind: 'CARRIER_FILTERING',
    cause: `carrier:${episode}`,
    callerPhone: report.callerPhone,
    fromPhone: report.fromPhone,
    withinBusinessHours: settings ? isWithinBusinessHours(report.at, settings.timezone, readBusinessHours(settings)) : true,
    dashboardBaseUrl: report.dashboardBaseUrl,
    at: report.at,
  });
  return true;
}

export function carrierFilteringNotice(lineNumber: string, code: string): string {
  return (
    `Carriers are blocking texts from your tracking number ${formatPhone(lineNumber)} (Twilio error ${code}). ` +
    'Check its messaging registration (A2P 10DLC or toll-free verification) in Settings; once it is registered, set it there so the next block alerts you again.'
  );
}
