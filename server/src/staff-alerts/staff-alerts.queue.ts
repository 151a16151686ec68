// Staff alerts are queued in the transaction that recorded their cause (the
// missed call, the caller's reply, the overdue callback), one row per member
// who should hear about it, and sent by the outbox worker. Who hears about it:
//   - during business hours, every active member who set a phone and opted in
//     to this kind of alert;
//   - after hours, only those of them marked on call; when nobody is on call,
//     the owners who opted in (somebody must learn of the call).
// Never to a number that opted out of the shop's texts, never to the caller
// themselves. idempotencyKey ("alert:<cause>:<membership>") makes a redelivered
// webhook or a re-run escalation queue nothing new.
import type { Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
import type { StaffAlertKind } from '../generated/prisma/enums';
import { displayPhone } from '../recovery/inbound-sms.service';

export interface StaffAlertCause {
  orgId: string;
  leadId: string;
  kind: StaffAlertKind;
  /** What caused it, unique per cause: the provider ref ("call_missed:CA…") or "overdue:<callbackId>". */
  cause: string;
  callerPhone: string;
  /** The tracking line the alert is sent from. */
  fromPhone: string;
  withinBusinessHours: boolean;
  /** The dashboard's public base URL; the alert links to the lead. */
  dashboardBaseUrl: string;
  at: Date;
}

/** The membership column that opts in to this kind (overdue callbacks follow missed calls). */
function preference(kind: StaffAlertKind, alias: 'm' | 'oc'): Prisma.Sql {
  return Prisma.raw(`${alias}."${kind === 'REPLY_RECEIVED' ? 'alertOnReply' : 'alertOnMissedCall'}"`);
}

export function staffAlertBody(kind: StaffAlertKind, callerPhone: string, leadUrl: string): string {
  const caller = displayPhone(callerPhone);
  switch (kind) {
    case 'MISSED_CALL':
      return `CallSnare: missed call from ${caller} - reply or call back: ${leadUrl}`;
    case 'REPLY_RECEIVED':
      return `CallSnare: ${caller} texted back - answer: ${leadUrl}`;
    case 'CALLBACK_OVERDUE':
      return `CallSnare: callback to ${caller} is overdue - call now: ${leadUrl}`;
  }
}

export function leadUrl(dashboardBaseUrl: string, leadId: string): string {
  return `${dashboardBaseUrl.replace(/\/+$/, '')}/leads/${leadId}`;
}

/** Queues the alerts for one cause (one statement); returns how many were queued. */
export async function queueStaffAlerts(tx: Tx, alert: StaffAlertCause): Promise<number> {
  const body = staffAlertBody(alert.kind, alert.callerPhone, leadUrl(alert.dashboardBaseUrl, alert.leadId));
  const wall = new Date();
  // After hours: the on-call members; when none of them would hear it, the owners.
  const audience = alert.withinBusinessHours
    ? Prisma.sql`true`
    : Prisma.sql`(m."onCall" OR (m.role = 'OWNER'::"Role" AND NOT EXISTS (
        SELECT 1 FROM "Membership" oc WHERE oc."orgId" = m."orgId" AND oc."onCall" AND oc."acceptedAt" IS NOT NULL
          AND oc.phone IS NOT NULL AND ${preference(alert.kind, 'oc')})))`;
  const queued = await tx.$executeRaw`
    INSERT INTO "StaffAlert" ("id", "orgId", "membershipId", "leadId", "kind", "toPhone", "fromPhone", "body", "status", "idempotencyKey", "nextAttemptAt", "createdAt", "updatedAt")
    SELECT ${UUIDV7_SQL}, m."orgId", m.id, ${alert.leadId}::uuid, ${alert.kind}::"StaffAlertKind", m.phone, ${alert.fromPhone}, ${body},
      'QUEUED'::"StaffAlertStatus", 'alert:' || ${alert.cause} || ':' || m.id::text, ${alert.at}::timestamptz, ${alert.at}::timestamptz, ${wall}::timestamptz
    FROM "Membership" m
    WHERE m."orgId" = ${alert.orgId}::uuid AND m."acceptedAt" IS NOT NULL AND m.phone IS NOT NULL AND m.phone <> ${alert.callerPhone}
      AND ${preference(alert.kind, 'm')} AND ${audience}
      AND NOT EXISTS (SELECT 1 FROM "Lead" l WHERE l."orgId" = m."orgId" AND l.phone = m.phone AND l."optedOut")
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return queued;
}

/** A UUIDv7 made by PostgreSQL (one per inserted row): the millisecond clock over a random v4. */
const UUIDV7_SQL = Prisma.raw(
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`,
);
