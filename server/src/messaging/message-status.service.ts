// Applying a provider's delivery report to an outbound message. Reports come
// at least once and in any order; the update is conditional on the current
// status being earlier in the lifecycle, so replays and late reports change nothing.
import type { Tx } from '../db/types';
import type { MessageStatus } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { isUuid } from '../common/ids';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { optOutCaller } from './consent.service';
import { fromTwilioStatus, isForward, statusesBefore } from './message-status';
import { RECIPIENT_OPTED_OUT } from './sms-transport';
import { crossTenant } from '../db/tenant-guard';
import { explainCarrierError } from './carrier-errors';
import { recordCarrierFiltering } from './carrier-filtering';

export interface DeliveryReport {
  /** Our message id, from the statusCallback URL we gave the provider (absent for messages sent elsewhere). */
  messageId: string | null;
  providerSid: string;
  providerStatus: string;
  errorCode: string | null;
}

export type DeliveryReportResult =
  { applied: true; orgId: string; messageId: string; status: MessageStatus } | { applied: false; orgId: string | null; duplicate: boolean; reason: string };

export interface DeliveryReportOptions {
  /** The dashboard's public base URL: a carrier-filtering staff alert links to the lead. */
  dashboardBaseUrl?: string;
}

export async function applyDeliveryReport(
  tx: Tx,
  actorFor: (orgId: string) => Actor,
  report: DeliveryReport,
  clock: Clock,
  options: DeliveryReportOptions = {},
): Promise<DeliveryReportResult> {
  const next = fromTwilioStatus(report.providerStatus);
  if (!next) return { applied: false, orgId: null, duplicate: false, reason: `unknown message status "${report.providerStatus}"` };
  const message = await findReportedMessage(tx, report);
  if (!message) return { applied: false, orgId: null, duplicate: false, reason: `no outbound message ${report.providerSid}` };
  if (message.status === next) return { applied: false, orgId: message.orgId, duplicate: true, reason: `already ${next}` };
  if (!isForward(message.status, next)) {
    return { applied: false, orgId: message.orgId, duplicate: false, reason: `stale report: ${report.providerStatus} after ${message.status}` };
  }
  const now = clock.now();
  const failed = next === 'FAILED' || next === 'UNDELIVERED';
  const explained = failed && report.errorCode ? explainCarrierError(report.errorCode) : null;
  const { count } = await tx.message.updateMany({
    where: { id: message.id, orgId: message.orgId, status: { in: statusesBefore(next) } },
    data: {
      status: next,
      // The report can overtake the worker's own record of the send.
      ...(message.providerSid ? {} : { providerSid: report.providerSid }),
      ...(report.errorCode ? { errorCode: report.errorCode } : {}),
      ...(explained ? { failureReason: explained.reason } : {}),
      ...(next === 'DELIVERED' ? { deliveredAt: now } : {}),
      nextAttemptAt: null,
    },
  });
  // A concurrent replay of the same report won the conditional update.
  if (count === 0) return { applied: false, orgId: message.orgId, duplicate: true, reason: `already ${next}` };

  if (failed) {
    const actor = actorFor(message.orgId);
    await appendLeadEvents(tx, [
      leadEventRow(
        actor,
        message.leadId,
        message.kind === 'TEXT_BACK' ? 'TEXT_BACK_FAILED' : 'MESSAGE_FAILED',
        {
          messageId: message.id,
          providerSid: report.providerSid,
          status: report.providerStatus,
          errorCode: report.errorCode,
          ...(explained ? { reason: explained.reason } : {}),
        },
        now,
      ),
    ]);
    if (report.errorCode === RECIPIENT_OPTED_OUT) {
      await optOutCaller(tx, actor, { leadId: message.leadId, phone: message.toPhone, cause: `carrier:${RECIPIENT_OPTED_OUT}`, messageId: message.id }, clock);
    }
    if (explained?.filtering && report.errorCode) {
      await recordCarrierFiltering(tx, {
        orgId: message.orgId,
        fromPhone: message.fromPhone,
        code: report.errorCode,
        leadId: message.leadId,
        callerPhone: message.toPhone,
        dashboardBaseUrl: options.dashboardBaseUrl ?? '',
        at: now,
      });
    }
  }
  return { applied: true, orgId: message.orgId, messageId: message.id, status: next };
}

/** A delivery report names its message by our id or the provider's, never by organization: the message says which it is. */
function findReportedMessage(tx: Tx, report: DeliveryReport) {
  return crossTenant('a delivery report names its message by id', () => findReportedMessageInAnyOrg(tx, report));
}

async function findReportedMessageInAnyOrg(tx: Tx, report: DeliveryReport) {
  const select = { id: true, orgId: true, leadId: true, kind: true, status: true, providerSid: true, fromPhone: true, toPhone: true } as const;
  if (report.messageId && isUuid(report.messageId)) {
    const byId = await tx.message.findFirst({
      where: { id: report.messageId, direction: 'OUTBOUND', OR: [{ providerSid: null }, { providerSid: report.providerSid }] },
      select,
    });
    if (byId) return byId;
  }
  return tx.message.findFirst({ where: { providerSid: report.providerSid, direction: 'OUTBOUND' }, select });
}
