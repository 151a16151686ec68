// The callback SLA worker, two passes per tick over every organization:
//   - due: a callback whose scheduledFor (a time agreed with the caller, or a
//     retry's time) arrived is announced once as CALLBACK_DUE (dueAnnouncedAt);
//   - overdue: a callback still owed after its dueAt raises CALLBACK_OVERDUE
//     once (overdueAt): the timeline event, Lead.callbackOverdue (the inbox's
//     second rank), the staff alerts and a live notice.
// The marks make ticks idempotent; FOR UPDATE SKIP LOCKED lets every process
// run the tick at once without two of them taking the same callback, and the
// worker never waits on a lock (a callback whose lead another transaction holds
// is taken on the next tick), so it cannot deadlock with staff changes. Live
// notices go out after the transaction committed. Rescheduling a callback
// clears both marks (callback-queue.service.ts), so a new time is announced
// and escalated again.
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { inTransaction } from '../db/types';
import type { Logger } from '../logger';
import type { Clock } from '../common/clock';
import type { LiveBus } from '../live/live-bus';
import { BackgroundLoop } from '../common/background-loop';
import { callsnareActor } from '../common/actor';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { crossTenant } from '../db/tenant-guard';
import { publishInboxUpdate } from '../live/inbox-updates';
import { queueStaffAlerts } from '../staff-alerts/staff-alerts.queue';
import { isWithinBusinessHours } from '../common/shop-time';
import { readBusinessHours } from '../settings/settings.service';

export interface CallbackSlaDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  live: LiveBus;
  /** The dashboard's public address, for the links in staff alerts. */
  config: Pick<Config, 'publicBaseUrl'>;
  /** Wakes the outbox worker: queued staff alerts wait there. */
  outbox?: { nudge(): void };
}

export interface CallbackSlaPass {
  /** Callbacks that went overdue in this pass. */
  escalated: number;
  /** Callbacks whose time arrived in this pass. */
  announced: number;
}

const BATCH = 100;

/** One pass over every organization's open callbacks. */
export function runCallbackSlaOnce(deps: CallbackSlaDeps): Promise<CallbackSlaPass> {
  return crossTenant('the SLA worker announces and escalates callbacks of every organization', async () => {
    const announced = await announceDueCallbacks(deps);
    const escalated = await escalateOverdueCallbacks(deps);
    if (announced > 0 || escalated > 0) deps.logger.info({ announced, escalated }, 'callbacks: due announced, overdue escalated');
    return { escalated, announced };
  });
}

async function announceDueCallbacks(deps: CallbackSlaDeps): Promise<number> {
  const now = deps.clock.now();
  const due = await inTransaction(deps.db.prisma, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; orgId: string; leadId: string }[]>`
      SELECT id::text AS id, "orgId"::text AS "orgId", "leadId"::text AS "leadId" FROM "Callback"
      WHERE status IN ('OPEN', 'SCHEDULED') AND "dueAnnouncedAt" IS NULL AND "scheduledFor" <= ${now}
      ORDER BY "scheduledFor" ASC
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length > 0) {
      await tx.callback.updateMany({ where: { id: { in: rows.map((row) => row.id) }, dueAnnouncedAt: null }, data: { dueAnnouncedAt: now } });
    }
    return rows;
  });
  for (const row of due) publishInboxUpdate(deps.live, { orgId: row.orgId, kind: 'CALLBACK_DUE', leadId: row.leadId, at: now });
  return due.length;
}

interface OverdueRow {
  id: string;
  orgId: string;
  leadId: string;
  dueAt: Date;
  callerPhone: string;
  /** The active tracking line the caller last called, else the org's oldest active one; null when it has none. */
  fromPhone: string | null;
  timezone: string;
  businessHours: unknown;
}

async function escalateOverdueCallbacks(deps: CallbackSlaDeps): Promise<number> {
  const now = deps.clock.now();
  const { overdue, alerts } = await inTransaction(deps.db.prisma, async (tx) => {
    const rows = await tx.$queryRaw<OverdueRow[]>`
      SELECT c.id::text AS id, c."orgId"::text AS "orgId", c."leadId"::text AS "leadId", c."dueAt", l.phone AS "callerPhone",
        s.timezone, s."businessHours",
        (SELECT t.number FROM "TrackingLine" t WHERE t."orgId" = c."orgId" AND t.active
          ORDER BY t.number = (SELECT e.data->>'to' FROM "LeadEvent" e WHERE e."leadId" = c."leadId" AND e.type = 'CALL_MISSED'
                               ORDER BY e."createdAt" DESC, e.id DESC LIMIT 1) DESC NULLS LAST, t."createdAt" ASC
          LIMIT 1) AS "fromPhone"
      FROM "Callback" c JOIN "Lead" l ON l.id = c."leadId" JOIN "OrgSettings" s ON s."orgId" = c."orgId"
      WHERE c.status IN ('OPEN', 'SCHEDULED') AND c."overdueAt" IS NULL AND c."dueAt" < ${now}
      ORDER BY c."dueAt" ASC
      LIMIT ${BATCH}
      FOR UPDATE OF c, l SKIP LOCKED`;
    if (rows.length === 0) return { overdue: rows, alerts: 0 };
    await tx.callback.updateMany({ where: { id: { in: rows.map((row) => row.id) }, overdueAt: null }, data: { overdueAt: now } });
    await tx.lead.updateMany({ where: { id: { in: [...new Set(rows.map((row) => row.leadId))] } }, data: { callbackOverdue: true } });
    await appendLeadEvents(
      tx,
      rows.map((row) =>
        leadEventRow(
          callsnareActor(row.orgId),
          row.leadId,
          'CALLBACK_OVERDUE',
          { callbackId: row.id, dueAt: new Date(row.dueAt).toISOString(), minutesLate: Math.floor((now.getTime() - new Date(row.dueAt).getTime()) / 60_000) },
          now,
        ),
      ),
    );
    let queued = 0;
    for (const row of rows) {
      if (!row.fromPhone) continue; // no line to text staff from
      queued += await queueStaffAlerts(tx, {
        orgId: row.orgId,
        leadId: row.leadId,
        kind: 'CALLBACK_OVERDUE',
        cause: `overdue:${row.id}`,
        callerPhone: row.callerPhone,
        fromPhone: row.fromPhone,
        withinBusinessHours: isWithinBusinessHours(now, row.timezone, readBusinessHours({ businessHours: parseJson(row.businessHours) as Prisma.JsonValue })),
        dashboardBaseUrl: deps.config.publicBaseUrl,
        at: now,
      });
    }
    return { overdue: rows, alerts: queued };
  });
  for (const row of overdue) publishInboxUpdate(deps.live, { orgId: row.orgId, kind: 'CALLBACK_OVERDUE', leadId: row.leadId, at: now });
  if (alerts > 0) deps.outbox?.nudge();
  return overdue.length;
}

/** Drivers hand jsonb back parsed or as text, depending on the adapter. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export class CallbackSlaWorker {
  private readonly loop: BackgroundLoop;

  constructor(deps: CallbackSlaDeps, intervalMs = 10_000) {
    this.loop = new BackgroundLoop(
      'callback-sla',
      intervalMs,
      async () => {
        const pass = await runCallbackSlaOnce(deps);
        return { moreWork: pass.escalated >= BATCH || pass.announced >= BATCH };
      },
      deps.logger,
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
