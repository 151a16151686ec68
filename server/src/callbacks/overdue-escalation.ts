// SLA escalation: a callback still owed after its due time raises
// CALLBACK_OVERDUE once. `overdueAt` records that it ran, so ticks are
// idempotent; SKIP LOCKED lets every process run the tick at once.
// Rescheduling a callback clears overdueAt (callback-queue.service.ts), so a
// missed rescheduled time escalates again.
import type { Database } from '../db/client';
import { inTransaction } from '../db/types';
import type { Logger } from '../logger';
import type { Clock } from '../shared/clock';
import { BackgroundLoop } from '../shared/background-loop';
import { callsnareActor } from '../recovery/actors';
import { leadEventRow } from '../leads/lead-events';
import { crossTenant } from '../db/tenant-guard';

export interface CallbackSlaDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
}

const BATCH = 100;

/** One pass over every organization's open callbacks; returns how many were escalated. */
export function runCallbackSlaOnce(deps: CallbackSlaDeps): Promise<{ escalated: number }> {
  return crossTenant('the SLA worker escalates overdue callbacks of every organization', () => runCallbackSlaPass(deps));
}

async function runCallbackSlaPass(deps: CallbackSlaDeps): Promise<{ escalated: number }> {
  const now = deps.clock.now();
  const escalated = await inTransaction(deps.db.prisma, async (tx) => {
    const due = await tx.$queryRaw<{ id: string; orgId: string; leadId: string; dueAt: Date }[]>`
      SELECT id, "orgId", "leadId", "dueAt" FROM "Callback"
      WHERE status IN ('OPEN', 'SCHEDULED') AND "overdueAt" IS NULL AND "dueAt" < ${now}
      ORDER BY "dueAt" ASC
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return 0;
    await tx.callback.updateMany({ where: { id: { in: due.map((row) => row.id) }, overdueAt: null }, data: { overdueAt: now } });
    await tx.leadEvent.createMany({
      data: due.map((row) =>
        leadEventRow(
          callsnareActor(row.orgId),
          row.leadId,
          'CALLBACK_OVERDUE',
          { callbackId: row.id, dueAt: row.dueAt.toISOString(), minutesLate: Math.floor((now.getTime() - row.dueAt.getTime()) / 60_000) },
          now,
        ),
      ),
    });
    return due.length;
  });
  if (escalated > 0) deps.logger.info({ escalated }, 'callbacks: overdue escalated');
  return { escalated };
}

export class CallbackSlaWorker {
  private readonly loop: BackgroundLoop;

  constructor(deps: CallbackSlaDeps, intervalMs = 10_000) {
    this.loop = new BackgroundLoop('callback-sla', intervalMs, async () => ({ moreWork: (await runCallbackSlaOnce(deps)).escalated >= BATCH }), deps.logger);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
