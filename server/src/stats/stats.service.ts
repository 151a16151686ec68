// Recovery statistics for a time range, counted honestly: a lead counts as
// recovered when the caller replied or a callback was completed as BOOKED,
// never merely because a text was sent. Plus the inbox right now (what needs a
// human), counted from the flags the inbox orders by, so the two always agree.
import { oneRow } from '../db/one-row';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { badInput } from '../common/errors';
import { OPEN_CALLBACK_STATUSES } from '../leads/leads.service';

const DAY_MS = 86_400_000;
export const MAX_STATS_RANGE_DAYS = 366;

export interface RecoveryStats {
  since: Date;
  until: Date;
  missedCalls: number;
  /** Distinct callers behind those missed calls (leads). */
  missedCallLeads: number;
  textBacksSent: number;
  textBacksSkipped: number;
  replies: number;
  /** Leads texted in the range that replied / leads texted in the range. */
  replyRate: number | null;
  callbacksCompleted: number;
  medianMinutesToCallback: number | null;
  p90MinutesToCallback: number | null;
  bookedLeads: number;
  recoveredLeads: number;
  /** Recovered leads / leads with a missed call in the range. */
  recoveryRate: number | null;
  overdueCallbacksNow: number;
  missedCallsByDay: { date: string; count: number }[];
}

/** The inbox right now, whatever the range. */
export interface InboxCounts {
  /** Open leads (NEW or CONTACTED). */
  openLeads: number;
  /** Open leads whose caller's latest text is unanswered (first in the inbox). */
  needsReply: number;
  /** Open leads whose open callback is past due (Lead.callbackOverdue), whether or not they also need a reply. */
  callbackOverdue: number;
  /** Open leads whose every callback attempt went unanswered: staff must decide. */
  needsDecision: number;
  /** Open leads with a missed call the viewer has not seen (no read of the lead since that call). */
  newMissedCalls: number;
  /** Missed calls since midnight in the shop's time zone (repeat calls included). */
  missedCallsToday: number;
}

export function statsRange(since: Date | null | undefined, until: Date | null | undefined, now: Date): { since: Date; until: Date } {
  const end = until ?? now;
  const start = since ?? new Date(end.getTime() - 7 * DAY_MS);
  if (start.getTime() >= end.getTime()) throw badInput('since must be before until', { since: 'must be before until' });
  if (end.getTime() - start.getTime() > MAX_STATS_RANGE_DAYS * DAY_MS) {
    throw badInput(`the range may span at most ${MAX_STATS_RANGE_DAYS} days`, { since: `at most ${MAX_STATS_RANGE_DAYS} days before until` });
  }
  return { since: start, until: end };
}

export async function recoveryStats(
  tx: Tx,
  actor: Actor,
  range: { since?: Date | null; until?: Date | null },
  clock: Clock,
): Promise<RecoveryStats & InboxCounts> {
  const now = clock.now();
  const { since, until } = statsRange(range.since, range.until, now);
  const orgId = actor.orgId;
  const settings = await tx.orgSettings.findUnique({ where: { orgId }, select: { timezone: true } });
  const timezone = settings?.timezone ?? 'UTC';

  const events = oneRow(
    await tx.$queryRaw<{ missedCalls: number; missedCallLeads: number; textBacksSkipped: number; bookedLeads: number }[]>`
    SELECT
      count(*) FILTER (WHERE type = 'CALL_MISSED')::int AS "missedCalls",
      count(DISTINCT "leadId") FILTER (WHERE type = 'CALL_MISSED')::int AS "missedCallLeads",
      count(*) FILTER (WHERE type = 'TEXT_BACK_SKIPPED')::int AS "textBacksSkipped",
      count(DISTINCT "leadId") FILTER (WHERE type = 'STATUS_CHANGED' AND data->>'to' = 'BOOKED')::int AS "bookedLeads"
    FROM "LeadEvent"
    WHERE "orgId" = ${orgId}::uuid AND "createdAt" >= ${since} AND "createdAt" < ${until}`,
  );

  const messages = oneRow(
    await tx.$queryRaw<{ textBacksSent: number; replies: number; textedLeads: number; repliedTextedLeads: number }[]>`
    WITH texted AS (
      SELECT DISTINCT "leadId" FROM "Message"
      WHERE "orgId" = ${orgId}::uuid AND kind = 'TEXT_BACK' AND "sentAt" >= ${since} AND "sentAt" < ${until}
    )
    SELECT
      (SELECT count(*)::int FROM "Message" WHERE "orgId" = ${orgId}::uuid AND kind = 'TEXT_BACK'
         AND "sentAt" >= ${since} AND "sentAt" < ${until}) AS "textBacksSent",
      (SELECT count(*)::int FROM "Message" WHERE "orgId" = ${orgId}::uuid AND direction = 'INBOUND'
         AND "createdAt" >= ${since} AND "createdAt" < ${until}) AS "replies",
      (SELECT count(*)::int FROM texted) AS "textedLeads",
      (SELECT count(*)::int FROM texted t WHERE EXISTS (
         SELECT 1 FROM "Message" m WHERE m."leadId" = t."leadId" AND m.direction = 'INBOUND' AND m."createdAt" >= ${since})) AS "repliedTextedLeads"`,
  );

  const callbacks = oneRow(
    await tx.$queryRaw<{ completed: number; median: number | null; p90: number | null }[]>`
    SELECT
      count(*)::int AS completed,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt") / 60) AS median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt") / 60) AS p90
    FROM "Callback"
    WHERE "orgId" = ${orgId}::uuid AND status = 'COMPLETED' AND "completedAt" >= ${since} AND "completedAt" < ${until}`,
  );

  const recovered = oneRow(
    await tx.$queryRaw<{ recoveredLeads: number }[]>`
    WITH missed AS (
      SELECT DISTINCT "leadId" FROM "LeadEvent"
      WHERE "orgId" = ${orgId}::uuid AND type = 'CALL_MISSED' AND "createdAt" >= ${since} AND "createdAt" < ${until}
    )
    SELECT count(*)::int AS "recoveredLeads" FROM missed
    WHERE EXISTS (SELECT 1 FROM "Message" m WHERE m."leadId" = missed."leadId" AND m.direction = 'INBOUND')
       OR EXISTS (SELECT 1 FROM "Callback" c WHERE c."leadId" = missed."leadId" AND c.status = 'COMPLETED' AND c.outcome = 'BOOKED')`,
  );

  const byDay = await tx.$queryRaw<{ date: string; count: number }[]>`
    SELECT to_char(date_trunc('day', "createdAt" AT TIME ZONE ${timezone}), 'YYYY-MM-DD') AS date, count(*)::int AS count
    FROM "LeadEvent"
    WHERE "orgId" = ${orgId}::uuid AND type = 'CALL_MISSED' AND "createdAt" >= ${since} AND "createdAt" < ${until}
    GROUP BY 1 ORDER BY 1`;

  const inbox = await inboxCounts(tx, actor, timezone, now);
  const overdueCallbacksNow = await tx.callback.count({
    where: { orgId, status: { in: [...OPEN_CALLBACK_STATUSES] }, dueAt: { lt: now } },
  });

  const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
  const minutes = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10);
  return {
    since,
    until,
    missedCalls: events.missedCalls,
    missedCallLeads: events.missedCallLeads,
    textBacksSent: messages.textBacksSent,
    textBacksSkipped: events.textBacksSkipped,
    replies: messages.replies,
    replyRate: ratio(messages.repliedTextedLeads, messages.textedLeads),
    callbacksCompleted: callbacks.completed,
    medianMinutesToCallback: minutes(callbacks.median),
    p90MinutesToCallback: minutes(callbacks.p90),
    bookedLeads: events.bookedLeads,
    recoveredLeads: recovered.recoveredLeads,
    recoveryRate: ratio(recovered.recoveredLeads, events.missedCallLeads),
    overdueCallbacksNow,
    missedCallsByDay: byDay.map((row) => ({ date: row.date, count: row.count })),
    ...inbox,
  };
}

/**
 * One pass over the org's open leads through the inbox index (orgId, inboxRank, …):
 * closed leads (rank 9) are never read. "Seen" is the viewer's own read state
 * (LeadRead); an API credential has none, so every open lead with a missed call is new to it.
 */
export async function inboxCounts(tx: Tx, actor: Actor, timezone: string, now: Date): Promise<InboxCounts> {
  const viewerId = actor.type === 'USER' ? actor.id : null;
  const row = oneRow(
    await tx.$queryRaw<Record<keyof InboxCounts, number>[]>`
    SELECT
      count(*)::int AS "openLeads",
      count(*) FILTER (WHERE l."needsReply")::int AS "needsReply",
      count(*) FILTER (WHERE l."callbackOverdue")::int AS "callbackOverdue",
      count(*) FILTER (WHERE l."needsDecision")::int AS "needsDecision",
      count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM "LeadEvent" e
        WHERE e."leadId" = l.id AND e.type = 'CALL_MISSED'
          AND e."createdAt" > COALESCE(
            (SELECT r."readAt" FROM "LeadRead" r WHERE r."userId" = ${viewerId}::uuid AND r."leadId" = l.id), '-infinity'::timestamptz)
      ))::int AS "newMissedCalls",
      (SELECT count(*)::int FROM "LeadEvent" e
        WHERE e."orgId" = ${actor.orgId}::uuid AND e.type = 'CALL_MISSED'
          AND e."createdAt" >= (date_trunc('day', ${now}::timestamptz AT TIME ZONE ${timezone}) AT TIME ZONE ${timezone})
          AND e."createdAt" <= ${now}::timestamptz) AS "missedCallsToday"
    FROM "Lead" l
    WHERE l."orgId" = ${actor.orgId}::uuid AND l."inboxRank" < 9`,
  );
  return {
    openLeads: row.openLeads,
    needsReply: row.needsReply,
    callbackOverdue: row.callbackOverdue,
    needsDecision: row.needsDecision,
    newMissedCalls: row.newMissedCalls,
    missedCallsToday: row.missedCallsToday,
  };
}
