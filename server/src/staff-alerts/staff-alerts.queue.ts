// Staff alerts are queued in the transaction that recorded their cause (the
// missed call, the caller's reply, the overdue callback), one row per member
// who should hear about it, and sent by the outbox worker. Who hears about it
// (docs/decisions/0014-staff-alerts-and-on-call.md):
//   - a member can be alerted when they joined (accepted), set a phone, opted
//     in to this kind of alert, and their phone has not texted STOP to the shop;
//   - during business hours, every such member;
//   - after hours, those of them marked on call; when none of them is, the
//     OWNERs among them (somebody must learn of the call).
// Never to the caller themselves, and one text per phone when members share one.
// idempotencyKey ("alert:<cause>:<membership>") makes a redelivered webhook or
// a re-run escalation queue nothing new.
import type { Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
import type { StaffAlertKind } from '../generated/prisma/enums';
import { formatPhone } from '../common/phone';

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

/**
 * The membership column that opts in to this kind: overdue callbacks and carrier filtering
 * (managers only, see audienceRoles) follow missed calls, the alerts a member takes by default.
 */
export function alertPreference(kind: StaffAlertKind): 'alertOnMissedCall' | 'alertOnReply' {
  return kind === 'REPLY_RECEIVED' ? 'alertOnReply' : 'alertOnMissedCall';
}

// Plain hyphens, not dashes: a body in the GSM-7 alphabet fits 160 characters per segment, not 70.
export function staffAlertBody(kind: StaffAlertKind, callerPhone: string, leadUrl: string): string {
  const caller = formatPhone(callerPhone);
  switch (kind) {
    case 'MISSED_CALL':
      return `CallSnare: missed call from ${caller} - reply or call back: ${leadUrl}`;
    case 'REPLY_RECEIVED':
      return `CallSnare: ${caller} texted back - answer: ${leadUrl}`;
    case 'CALLBACK_OVERDUE':
      return `CallSnare: callback to ${caller} is overdue - call now: ${leadUrl}`;
    case 'CARRIER_FILTERING':
      return `CallSnare: carriers are blocking texts from your tracking number (one to ${caller} failed) - check its messaging registration in Settings: ${leadUrl}`;
  }
}

export function leadUrl(dashboardBaseUrl: string, leadId: string): string {
  return `${dashboardBaseUrl.replace(/\/+$/, '')}/leads/${leadId}`;
}

/** Queues the alerts for one cause (one statement); returns how many were queued. */
export async function queueStaffAlerts(tx: Tx, alert: StaffAlertCause): Promise<number> {
  return tx.$executeRaw(staffAlertsInsert(alert, Prisma.sql`(SELECT ${alert.leadId}::uuid AS id)`));
}

/**
 * The INSERT queueStaffAlerts runs, for one lead per row of `leads` (a relation
 * with an `id` column): a larger statement can queue the alerts of a lead it
 * is opening in the same statement (recovery/missed-call-writes.ts), and
 * queues nothing when `leads` is empty.
 */
export function staffAlertsInsert(alert: Omit<StaffAlertCause, 'leadId'>, leads: Prisma.Sql): Prisma.Sql {
  // The body links to the lead, whose id may be known only to the database: the link is cut around it.
  const [beforeId = '', afterId = ''] = staffAlertBody(alert.kind, alert.callerPhone, leadUrl(alert.dashboardBaseUrl, LEAD_ID_MARK)).split(LEAD_ID_MARK);
  const optedIn = Prisma.raw(`m."${alertPreference(alert.kind)}"`);
  const audience = alert.withinBusinessHours
    ? Prisma.sql`SELECT * FROM reachable`
    : Prisma.sql`SELECT * FROM reachable WHERE "onCall"
        UNION ALL
        SELECT * FROM reachable WHERE role = 'OWNER'::"Role" AND NOT EXISTS (SELECT 1 FROM reachable WHERE "onCall")`;
  return Prisma.sql`
    WITH reachable AS (
      SELECT m.id, m."orgId", m.phone, m.role, m."onCall", m."createdAt"
      FROM "Membership" m
      WHERE m."orgId" = ${alert.orgId}::uuid AND m."acceptedAt" IS NOT NULL AND m.phone IS NOT NULL
        AND m.phone <> ${alert.callerPhone} AND ${optedIn} AND ${audienceRoles(alert.kind)}
        AND NOT EXISTS (SELECT 1 FROM "Lead" l WHERE l."orgId" = m."orgId" AND l.phone = m.phone AND l."optedOut")
    ),
    audience AS (${audience}),
    one_per_phone AS (
      SELECT DISTINCT ON (phone) * FROM audience ORDER BY phone, "createdAt", id
    )
    INSERT INTO "StaffAlert" ("id", "orgId", "membershipId", "leadId", "kind", "toPhone", "fromPhone", "body", "status", "idempotencyKey", "nextAttemptAt", "createdAt", "updatedAt")
    SELECT ${UUIDV7_SQL}, a."orgId", a.id, lead.id, ${alert.kind}::"StaffAlertKind", a.phone, ${alert.fromPhone}, ${beforeId} || lead.id::text || ${afterId},
      'QUEUED'::"StaffAlertStatus", 'alert:' || ${alert.cause} || ':' || a.id::text, ${alert.at}::timestamptz, ${alert.at}::timestamptz, ${alert.at}::timestamptz
    FROM one_per_phone a CROSS JOIN ${leads} lead
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING id`;
}

/** Carrier filtering is the line's registration, a manager's business: OWNERs and ADMINs only. */
function audienceRoles(kind: StaffAlertKind): Prisma.Sql {
  return kind === 'CARRIER_FILTERING' ? Prisma.sql`m.role IN ('OWNER'::"Role", 'ADMIN'::"Role")` : Prisma.sql`TRUE`;
}

/** Stands for the lead's id while the alert body is cut around it (never in a phone number or URL). */
const LEAD_ID_MARK = '\u0000lead\u0000';

/** A UUIDv7 made by PostgreSQL (one per inserted row): the millisecond clock over a random v4. */
const UUIDV7_SQL = Prisma.raw(
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`,
);
