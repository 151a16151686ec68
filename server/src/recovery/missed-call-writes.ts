// A missed call's writes as ONE statement, atomic on its own (no BEGIN/COMMIT):
// the webhook hot path (docs/decisions/0005-outbox-and-idempotency.md,
// docs/architecture.md "Budgets"). Every row is the one the services write
// (newLeadRow, leadEventRow, queuedMessageRow, staffAlertsInsert), inserted
// through row-sql.ts, so there is one implementation of each rule:
//   - the key first: when CALL_MISSED's provider ref is already applied, the
//     statement reads that one index entry and writes nothing (a replay);
//   - the caller's open lead is touched (lastActivityAt, like every event), or
//     a new one opens, inheriting the latest lead's name and consent;
//   - CALL_MISSED; the text-back (unless one to this caller is pending or
//     within the cooldown, or the caller's phone already had the org's
//     maxAutomatedTextsPerDay automated texts in the last 24 h: the cooldown
//     and the frequency cap live here only) with TEXT_BACK_QUEUED, else
//     TEXT_BACK_SKIPPED; the text's evidence gets the count it was checked
//     against; the lead's one open callback
//     (Callback.openLeadId unique) with CALLBACK_OPENED, which also clears
//     needsDecision; the staff alerts.
// The text-back was decided in JS from what the caller's lead was assumed to
// say (name, consent): the statement writes only if the lead says that, and
// otherwise answers with what it says (decide again, send again). It also
// writes nothing when a concurrent write changed the lead after the
// statement's snapshot (the pending/cooldown check would read old rows): the
// caller retries behind a row lock then. So two calls from one phone never
// both count the same texts: they serialize on the caller's open lead row (or
// on its insert, Lead.openPhone unique), which makes the cooldown and the
// frequency cap race-free without a lock of their own.
import type { PrismaClient } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import { queryPrepared } from '../db/prepared';
import type { Actor } from '../common/actor';
import type { LeadEventType } from '../generated/prisma/enums';
import { newRowId } from '../common/ids';
import { leadEventRow } from '../leads/lead-events';
import { queuedMessageRow, type ClaimedMessage, type QueueMessageInput } from '../messaging/outbox.service';
import { staffAlertsInsert, type StaffAlertCause } from '../staff-alerts/staff-alerts.queue';
import { newLeadRow } from './caller-lead';
import { insertRowSql } from '../db/row-sql';
import { webhookEventInsertSql } from '../outbound-webhooks/webhook-events';

type EventActor = Pick<Actor, 'type' | 'id' | 'label' | 'orgId'>;

/** What the text-back decision read from the caller's lead. */
export interface CallerFacts {
  name: string | null;
  optedOut: boolean;
}

export interface MissedCallWrite {
  orgId: string;
  callerPhone: string;
  now: Date;
  /** Who reported the call (CALL_MISSED) and who decided the rest (SYSTEM). */
  provider: EventActor;
  system: EventActor;
  missed: { providerRef: string; data: Prisma.InputJsonObject };
  /** The facts the text-back decision assumed. */
  facts: CallerFacts;
  /** The text to queue unless one is pending or within the cooldown; null: decided against (`skippedData` says why). */
  textBack: {
    message: Omit<QueueMessageInput, 'leadId'>;
    cooldownMinutes: number;
    /** TEXT_BACK_QUEUED's data, without messageId (added here). */
    queuedData: Prisma.InputJsonObject;
    /** TEXT_BACK_SKIPPED's data when a pending text or the cooldown stops it. */
    cooldownData: Prisma.InputJsonObject;
    /** At most this many automated texts to the caller's phone per rolling 24 h (OrgSettings.maxAutomatedTextsPerDay). */
    maxPerDay: number;
    /** TEXT_BACK_SKIPPED's data when the cap stops it (the count read is added here). */
    capData: Prisma.InputJsonObject;
    /** Message.evidence, without the frequency check (added here from the count read). */
    evidence: Prisma.InputJsonObject;
  } | null;
  skippedData: Prisma.InputJsonObject | null;
  callback: { dueAt: Date; cause: Prisma.InputJsonObject };
  staffAlerts: Omit<StaffAlertCause, 'leadId'>;
}

export type MissedCallWritten =
  | {
      outcome: 'written';
      leadId: string;
      leadCreated: boolean;
      messageId: string | null;
      /** The queued text as written claimed for its claimedBy (queuedMessageRow): what that worker sends; null when not claimed. */
      claimed: ClaimedMessage | null;
      /** Staff alerts queued. */
      staffAlerts: number;
      /** Why a decided text-back was not queued (null when queued or decided against). */
      stoppedBy: 'cooldown' | 'frequency_cap' | null;
      callbackId: string;
      callbackOpened: boolean;
    }
  | { outcome: 'duplicate' }
  /** The caller's lead says something else than `facts` assumed: nothing was written. */
  | { outcome: 'facts'; facts: CallerFacts }
  /** A concurrent write changed the caller's lead after this statement's snapshot: nothing was written. */
  | { outcome: 'conflict' };

interface Row {
  duplicate: boolean;
  leadId: string | null;
  created: boolean | null;
  name: string | null;
  optedOut: boolean | null;
  queued: boolean;
  capped: boolean | null;
  opened: boolean;
  callbackId: string | null;
  alerts: number;
}

export async function writeMissedCall(db: PrismaClient | Tx, write: MissedCallWrite): Promise<MissedCallWritten> {
  const { orgId, callerPhone: phone, now, textBack } = write;
  const wall = new Date();
  const ids = { lead: newRowId(), messageId: newRowId(), callbackId: newRowId() };
  const lead = Prisma.sql`lead`;
  const byLead = { leadId: Prisma.sql`lead.id` };
  const event = (
    actor: EventActor,
    type: LeadEventType,
    data: Prisma.InputJsonObject,
    only: { providerRef?: string; where?: Prisma.Sql; data?: Prisma.Sql } = {},
  ) =>
    insertRowSql({
      table: 'LeadEvent',
      fields: Prisma.LeadEventScalarFieldEnum,
      row: { id: newRowId(), ...leadEventRow(actor, '', type, data, now, only.providerRef ?? null) },
      computed: only.data ? { ...byLead, data: only.data } : byLead,
      from: lead,
      ...(only.where ? { where: only.where } : {}),
      tail: Prisma.sql`RETURNING id`,
    });
  const messageRow = textBack ? queuedMessageRow({ orgId }, { ...textBack.message, leadId: '' }, now) : null;
  const message =
    textBack && messageRow
      ? insertRowSql({
          table: 'Message',
          fields: Prisma.MessageScalarFieldEnum,
          row: { id: ids.messageId, ...messageRow, updatedAt: wall },
          computed: {
            ...byLead,
            evidence: Prisma.sql`${JSON.stringify(textBack.evidence)}::jsonb || jsonb_build_object('frequency', jsonb_build_object(
            'automatedTextsInLast24h', (SELECT n FROM recent), 'cap', ${textBack.maxPerDay}::int, 'windowHours', 24))`,
          },
          from: lead,
          where: Prisma.sql`(SELECT n FROM recent) < ${textBack.maxPerDay}::int AND NOT EXISTS (
          SELECT 1 FROM "Message" m
          WHERE m."orgId" = ${orgId}::uuid AND m."toPhone" = ${phone} AND m.kind = 'TEXT_BACK'::"MessageKind"
            AND (m.status IN ('QUEUED'::"MessageStatus", 'SENDING'::"MessageStatus")
              ${
                textBack.cooldownMinutes > 0
                  ? Prisma.sql`OR (m."createdAt" >= ${new Date(now.getTime() - textBack.cooldownMinutes * 60_000)}::timestamptz AND m.status <> 'CANCELED'::"MessageStatus")`
                  : Prisma.empty
              }))`,
          tail: Prisma.sql`RETURNING id`,
        })
      : Prisma.sql`SELECT NULL::uuid AS id WHERE false`;
  const newLead = insertRowSql({
    table: 'Lead',
    fields: Prisma.LeadScalarFieldEnum,
    row: { id: ids.lead, ...newLeadRow(orgId, phone, now, 'NEW', null), updatedAt: wall },
    // What the new lead inherits is read by this statement (the gate checked it is what the decision assumed).
    computed: { optedOut: Prisma.sql`COALESCE(p."optedOut", false)`, optedOutAt: Prisma.sql`p."optedOutAt"`, name: Prisma.sql`p.name` },
    from: Prisma.sql`(SELECT 1) one LEFT JOIN previous p ON true`,
    where: Prisma.sql`NOT EXISTS (SELECT 1 FROM existing) AND EXISTS (SELECT 1 FROM go)`,
    tail: Prisma.sql`ON CONFLICT DO NOTHING RETURNING id`,
  });
  const callback = insertRowSql({
    table: 'Callback',
    fields: Prisma.CallbackScalarFieldEnum,
    row: { id: ids.callbackId, orgId, status: 'OPEN', dueAt: write.callback.dueAt, createdAt: now, updatedAt: wall } satisfies Omit<
      Prisma.CallbackUncheckedCreateInput,
      'leadId'
    >,
    computed: { leadId: Prisma.sql`lead.id`, openLeadId: Prisma.sql`lead.id` },
    from: lead,
    tail: Prisma.sql`ON CONFLICT DO NOTHING RETURNING id`,
  });
  const skippedData = textBack ? textBack.cooldownData : (write.skippedData ?? {});
  // A decided text-back stopped by the cap says so, with the count it read; else the cooldown (or the decision's reason).
  const skippedComputed = textBack
    ? Prisma.sql`CASE WHEN (SELECT n FROM recent) >= ${textBack.maxPerDay}::int
        THEN ${JSON.stringify(textBack.capData)}::jsonb || jsonb_build_object('automatedTextsInLast24h', (SELECT n FROM recent))
        ELSE ${JSON.stringify(textBack.cooldownData)}::jsonb END`
    : undefined;
  // Automated texts to this phone in the rolling 24 h, every lead of the org (the cap's count; CANCELED never left).
  const recent = textBack
    ? Prisma.sql`SELECT count(*)::int AS n FROM "Message" m
      WHERE m."orgId" = ${orgId}::uuid AND m."toPhone" = ${phone} AND m.kind IN ('TEXT_BACK'::"MessageKind", 'AUTO_REPLY'::"MessageKind")
        AND m.status <> 'CANCELED'::"MessageStatus" AND m."createdAt" > ${new Date(now.getTime() - 24 * 3_600_000)}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM dup)`
    : Prisma.sql`SELECT 0 AS n`;
  const queuedData = textBack ? { messageId: ids.messageId, ...textBack.queuedData } : {};
  const callbackData = { callbackId: ids.callbackId, dueAt: write.callback.dueAt.toISOString(), ...write.callback.cause };

  // Prepared: planning this statement costs more than running it, a replay most of all.
  const [row] = await queryPrepared<Row>(
    db,
    Prisma.sql`
    WITH dup AS (
      SELECT 1 FROM "LeadEvent" WHERE "providerRef" = ${write.missed.providerRef}
    ), existing AS (
      SELECT l.id, l.xmin AS version, l.name, l."optedOut" FROM "Lead" l
      WHERE l."orgId" = ${orgId}::uuid AND l."openPhone" = ${phone} AND NOT EXISTS (SELECT 1 FROM dup)
    ), previous AS (
      SELECT p.name, p."optedOut", p."optedOutAt" FROM "Lead" p
      WHERE p."orgId" = ${orgId}::uuid AND p.phone = ${phone} AND NOT EXISTS (SELECT 1 FROM dup) AND NOT EXISTS (SELECT 1 FROM existing)
      ORDER BY p."createdAt" DESC LIMIT 1
    ), facts AS (
      SELECT name, "optedOut" FROM existing
      UNION ALL SELECT name, "optedOut" FROM previous
      UNION ALL SELECT NULL, false WHERE NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM previous)
    ), go AS (
      SELECT 1 FROM facts f WHERE NOT EXISTS (SELECT 1 FROM dup) AND f.name IS NOT DISTINCT FROM ${write.facts.name} AND f."optedOut" = ${write.facts.optedOut}
    ), touched AS (
      -- Only the row version this statement read (xmin): a concurrent write makes it touch nothing (and write nothing).
      UPDATE "Lead" l SET "lastActivityAt" = GREATEST(l."lastActivityAt", ${now}::timestamptz), "updatedAt" = ${wall}::timestamptz,
        "needsDecision" = l."needsDecision" AND EXISTS (SELECT 1 FROM "Callback" c WHERE c."openLeadId" = l.id)
      FROM existing e
      WHERE l.id = e.id AND l."orgId" = ${orgId}::uuid AND l.xmin = e.version AND EXISTS (SELECT 1 FROM go)
      RETURNING l.id
    ), inserted AS (${newLead}
    ), lead AS (
      SELECT id, false AS created FROM touched UNION ALL SELECT id, true AS created FROM inserted
    ), missed AS (${event(write.provider, 'CALL_MISSED', write.missed.data, { providerRef: write.missed.providerRef })}
    ), recent AS (${recent}
    ), msg AS (${message}
    ), queued AS (${event(write.system, 'TEXT_BACK_QUEUED', queuedData, { where: Prisma.sql`EXISTS (SELECT 1 FROM msg)` })}
    ), skipped AS (${event(write.system, 'TEXT_BACK_SKIPPED', skippedData, {
      where: Prisma.sql`NOT EXISTS (SELECT 1 FROM msg)`,
      ...(skippedComputed ? { data: skippedComputed } : {}),
    })}
    ), cb AS (${callback}
    ), opened AS (${event(write.system, 'CALLBACK_OPENED', callbackData, { where: Prisma.sql`EXISTS (SELECT 1 FROM cb)` })}
    ), alerts AS (${staffAlertsInsert(write.staffAlerts, lead)}
    ), lead_created AS (${webhookEventInsertSql(orgId, 'lead.created', Prisma.sql`inserted`, Prisma.sql`inserted.id`, now)}
    ), callback_created AS (${webhookEventInsertSql(orgId, 'callback.created', Prisma.sql`cb`, Prisma.sql`cb.id`, now)}
    )
    SELECT EXISTS (SELECT 1 FROM dup) AS duplicate,
      (SELECT id::text FROM lead) AS "leadId", (SELECT created FROM lead) AS created,
      (SELECT name FROM facts LIMIT 1) AS name, (SELECT "optedOut" FROM facts LIMIT 1) AS "optedOut",
      EXISTS (SELECT 1 FROM msg) AS queued, (SELECT n FROM recent) >= ${textBack?.maxPerDay ?? 0}::int AS capped, EXISTS (SELECT 1 FROM cb) AS opened,
      (SELECT c.id::text FROM "Callback" c WHERE c."openLeadId" = (SELECT id FROM lead)) AS "callbackId",
      (SELECT count(*)::int FROM alerts) AS alerts`,
  );
  if (!row) throw new Error('the missed-call statement returned no row');
  if (row.duplicate) return { outcome: 'duplicate' };
  if (row.leadId === null) {
    const found = { name: row.name, optedOut: row.optedOut ?? false };
    const same = found.name === write.facts.name && found.optedOut === write.facts.optedOut;
    return same ? { outcome: 'conflict' } : { outcome: 'facts', facts: found };
  }
  const stoppedBy = !textBack || row.queued ? null : row.capped ? 'frequency_cap' : 'cooldown';
  const written = {
    leadId: row.leadId,
    leadCreated: row.created === true,
    messageId: row.queued ? ids.messageId : null,
    claimed: row.queued && messageRow?.status === 'SENDING' ? claimedText(ids.messageId, row.leadId, messageRow) : null,
    staffAlerts: row.alerts,
    stoppedBy,
  } as const;
  if (row.opened) return { outcome: 'written', ...written, callbackId: ids.callbackId, callbackOpened: true };
  // Opened by a transaction that committed after this statement's snapshot (ON CONFLICT waited for it).
  const callbackId = row.callbackId ?? (await db.callback.findUniqueOrThrow({ where: { openLeadId: row.leadId, orgId }, select: { id: true } })).id;
  return { outcome: 'written', ...written, callbackId, callbackOpened: false };
}

/** The text a claimed row holds, as the worker it was claimed for sends it (from the row itself, so the two cannot differ). */
function claimedText(id: string, leadId: string, row: Extract<ReturnType<typeof queuedMessageRow>, { status: 'SENDING' }>): ClaimedMessage {
  const { orgId, kind, body, fromPhone, toPhone, attempts, createdAt } = row;
  return { id, orgId, leadId, kind, body, fromPhone, toPhone, attempts, createdAt, providerSid: null };
}
