// The missed call's writes as two statements inside the caller's transaction
// (the webhook hot path: docs/decisions/0005-outbox-and-idempotency.md,
// docs/architecture.md "Budgets"). Same rows, same rules and same concurrency
// behaviour as openLeadForCaller + leadEvent.create + queueOutboundMessage +
// opening the lead's one callback (Callback.openLeadId), without a round trip per row:
//   1. lead: touch the caller's open lead (row lock) or open one that inherits
//      the latest closed lead's name and consent (ON CONFLICT DO NOTHING), and
//      insert CALL_MISSED (LeadEvent.providerRef unique: a replay fails here);
//   2. text-back + callback: the QUEUED message unless a text-back to this
//      caller is pending or within the cooldown (checked in this statement,
//      i.e. after the lead lock, so concurrent calls from one caller get one
//      text), TEXT_BACK_QUEUED or TEXT_BACK_SKIPPED accordingly, the open
//      callback (Callback.openLeadId unique, ON CONFLICT DO NOTHING) and
//      CALLBACK_OPENED when it was opened; a callback opened this way also
//      clears the lead's needsDecision (there is something to do again).
// Ids are made here (UUIDv7, as Prisma would) so rows can refer to each other.
import { oneRow } from '../db/one-row';
import type { Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
import type { LeadEventType } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';
import { newRowId } from '../common/ids';

type EventActor = Pick<Actor, 'type' | 'id' | 'label' | 'orgId'>;

export interface MissedCallLead {
  id: string;
  name: string | null;
  optedOut: boolean;
  created: boolean;
}

function eventValues(
  id: string,
  actor: EventActor,
  leadId: Prisma.Sql,
  type: LeadEventType,
  data: Prisma.InputJsonObject,
  at: Date,
  providerRef: string | null,
) {
  return Prisma.sql`${id}::uuid, ${actor.orgId}::uuid, ${leadId}, ${type}::"LeadEventType", ${JSON.stringify(data)}::jsonb,
    ${actor.type}::"ActorType", ${actor.id}, ${actor.label}, ${providerRef}, ${at}::timestamptz`;
}

const EVENT_COLUMNS = Prisma.raw(`"id", "orgId", "leadId", "type", "data", "actorType", "actorId", "actorLabel", "providerRef", "createdAt"`);

/** Statement 1. Null when a concurrent delivery is opening this caller's lead (retry: it is visible then). */
async function leadAndMissedEvent(
  tx: Tx,
  actor: EventActor,
  phone: string,
  now: Date,
  event: { data: Prisma.InputJsonObject; providerRef: string },
): Promise<MissedCallLead | null> {
  const wall = new Date();
  const rows = await tx.$queryRaw<{ id: string; name: string | null; optedOut: boolean; created: boolean }[]>`
    WITH touched AS (
      UPDATE "Lead" SET "lastActivityAt" = ${now}::timestamptz, "updatedAt" = ${wall}::timestamptz
      WHERE "orgId" = ${actor.orgId}::uuid AND "openPhone" = ${phone}
      RETURNING id, name, "optedOut"
    ), previous AS (
      SELECT p.name, p."optedOut", p."optedOutAt" FROM "Lead" p
      WHERE p."orgId" = ${actor.orgId}::uuid AND p.phone = ${phone} AND NOT EXISTS (SELECT 1 FROM touched)
      ORDER BY p."createdAt" DESC LIMIT 1
    ), inserted AS (
      INSERT INTO "Lead" ("id", "orgId", "phone", "openPhone", "status", "name", "optedOut", "optedOutAt", "createdAt", "updatedAt", "lastActivityAt")
      SELECT ${newRowId()}::uuid, ${actor.orgId}::uuid, ${phone}, ${phone}, 'NEW'::"LeadStatus", p.name, COALESCE(p."optedOut", false), p."optedOutAt",
        ${now}::timestamptz, ${wall}::timestamptz, ${now}::timestamptz
      FROM (SELECT 1) one LEFT JOIN previous p ON true
      WHERE NOT EXISTS (SELECT 1 FROM touched)
      ON CONFLICT DO NOTHING
      RETURNING id, name, "optedOut"
    ), lead AS (
      SELECT id, name, "optedOut", false AS created FROM touched
      UNION ALL SELECT id, name, "optedOut", true AS created FROM inserted
    ), missed AS (
      INSERT INTO "LeadEvent" (${EVENT_COLUMNS})
      SELECT ${eventValues(newRowId(), actor, Prisma.sql`lead.id`, 'CALL_MISSED', event.data, now, event.providerRef)} FROM lead
      RETURNING id
    )
    SELECT lead.id::text AS id, lead.name, lead."optedOut", lead.created, (SELECT count(*) FROM missed)::int AS events FROM lead`;
  const [lead] = rows;
  return lead ? { id: lead.id, name: lead.name, optedOut: lead.optedOut, created: lead.created } : null;
}

export async function openLeadWithMissedEvent(
  tx: Tx,
  actor: EventActor,
  phone: string,
  now: Date,
  event: { data: Prisma.InputJsonObject; providerRef: string },
): Promise<MissedCallLead> {
  const lead = await leadAndMissedEvent(tx, actor, phone, now, event);
  if (lead) return lead;
  // Another delivery opened it meanwhile; DO NOTHING waited for that commit, so it is visible now.
  const raced = await leadAndMissedEvent(tx, actor, phone, now, event);
  if (!raced) throw new Error(`open lead for ${phone} vanished while being opened`);
  return raced;
}

export interface TextBackWrite {
  body: string;
  fromPhone: string;
  toPhone: string;
  idempotencyKey: string;
  nextAttemptAt: Date;
  cooldownMinutes: number;
  /** TEXT_BACK_QUEUED's data, without messageId (added here). */
  queuedData: Prisma.InputJsonObject;
  /** TEXT_BACK_SKIPPED's data when the cooldown stops it. */
  cooldownData: Prisma.InputJsonObject;
}

export interface AfterMissedResult {
  /** The queued text-back's id; null when none was queued. */
  messageId: string | null;
  callbackId: string;
  dueAt: Date;
  callbackOpened: boolean;
}

/** Statement 2. `textBack` null: the text-back was decided against, `skippedData` says why. */
export async function textBackAndCallback(
  tx: Tx,
  system: EventActor,
  input: {
    leadId: string;
    now: Date;
    textBack: TextBackWrite | null;
    skippedData: Prisma.InputJsonObject | null;
    dueAt: Date;
    /** Added to CALLBACK_OPENED's data: what opened it. */
    callbackCause: Prisma.InputJsonObject;
  },
): Promise<AfterMissedResult> {
  const { leadId, now, textBack } = input;
  const wall = new Date();
  const lead = Prisma.sql`${leadId}::uuid`;
  const messageId = newRowId();
  const textEventId = newRowId();
  const callbackId = newRowId();
  const callbackEventId = newRowId();
  const orgId = system.orgId;
  const skippedData = textBack ? textBack.cooldownData : input.skippedData!;
  const message = textBack
    ? Prisma.sql`
      INSERT INTO "Message" ("id", "orgId", "leadId", "direction", "kind", "body", "status", "fromPhone", "toPhone", "sentById", "idempotencyKey", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT ${messageId}::uuid, ${orgId}::uuid, ${lead}, 'OUTBOUND'::"MessageDirection", 'TEXT_BACK'::"MessageKind", ${textBack.body}, 'QUEUED'::"MessageStatus",
        ${textBack.fromPhone}, ${textBack.toPhone}, NULL, ${textBack.idempotencyKey}, 0, ${textBack.nextAttemptAt}::timestamptz, ${now}::timestamptz, ${wall}::timestamptz
      WHERE NOT EXISTS (
        SELECT 1 FROM "Message" m
        WHERE m."orgId" = ${orgId}::uuid AND m."toPhone" = ${textBack.toPhone} AND m.kind = 'TEXT_BACK'::"MessageKind"
          AND (m.status IN ('QUEUED'::"MessageStatus", 'SENDING'::"MessageStatus")
            ${textBack.cooldownMinutes > 0 ? Prisma.sql`OR (m."createdAt" >= ${new Date(now.getTime() - textBack.cooldownMinutes * 60_000)}::timestamptz AND m.status <> 'CANCELED'::"MessageStatus")` : Prisma.empty}))
      RETURNING id`
    : Prisma.sql`SELECT NULL::uuid AS id WHERE false`;
  const queuedData = textBack ? { messageId, ...textBack.queuedData } : {};
  const callbackData = { callbackId, dueAt: input.dueAt.toISOString(), ...input.callbackCause };
  const row = oneRow(
    await tx.$queryRaw<{ queued: number; opened: number; existingId: string | null; existingDueAt: Date | string | null }[]>`
    WITH msg AS (${message}
    ), queued AS (
      INSERT INTO "LeadEvent" (${EVENT_COLUMNS})
      SELECT ${eventValues(textEventId, system, lead, 'TEXT_BACK_QUEUED', queuedData, now, null)} FROM msg
      RETURNING id
    ), skipped AS (
      INSERT INTO "LeadEvent" (${EVENT_COLUMNS})
      SELECT ${eventValues(textEventId, system, lead, 'TEXT_BACK_SKIPPED', skippedData, now, null)} WHERE NOT EXISTS (SELECT 1 FROM msg)
      RETURNING id
    ), cb AS (
      INSERT INTO "Callback" ("id", "orgId", "leadId", "openLeadId", "status", "dueAt", "createdAt", "updatedAt")
      VALUES (${callbackId}::uuid, ${orgId}::uuid, ${lead}, ${lead}, 'OPEN'::"CallbackStatus", ${input.dueAt}::timestamptz, ${now}::timestamptz, ${wall}::timestamptz)
      ON CONFLICT DO NOTHING
      RETURNING id
    ), opened AS (
      INSERT INTO "LeadEvent" (${EVENT_COLUMNS})
      SELECT ${eventValues(callbackEventId, system, lead, 'CALLBACK_OPENED', callbackData, now, null)} FROM cb
      RETURNING id
    ), decided AS (
      -- Runs whether or not it is read (a data-modifying WITH always does).
      UPDATE "Lead" SET "needsDecision" = false, "updatedAt" = ${wall}::timestamptz
      WHERE id = ${lead} AND "orgId" = ${orgId}::uuid AND "needsDecision" AND EXISTS (SELECT 1 FROM cb)
      RETURNING id
    )
    SELECT (SELECT count(*) FROM msg)::int AS queued,
      (SELECT count(*) FROM opened)::int AS opened,
      (SELECT c.id::text FROM "Callback" c WHERE c."openLeadId" = ${lead}) AS "existingId",
      (SELECT c."dueAt" FROM "Callback" c WHERE c."openLeadId" = ${lead}) AS "existingDueAt",
      (SELECT count(*) FROM queued)::int + (SELECT count(*) FROM skipped)::int AS "textEvents"`,
  );
  const queued = row.queued > 0;
  if (row.opened > 0) return { messageId: queued ? messageId : null, callbackId, dueAt: input.dueAt, callbackOpened: true };
  let existing = row.existingId ? { id: row.existingId, dueAt: new Date(row.existingDueAt!) } : null;
  // Opened by a transaction that committed after this statement's snapshot (ON CONFLICT waited for it).
  existing ??= await tx.callback.findUniqueOrThrow({ where: { openLeadId: leadId }, select: { id: true, dueAt: true } });
  return { messageId: queued ? messageId : null, callbackId: existing.id, dueAt: existing.dueAt, callbackOpened: false };
}
