// The outbox worker's bookkeeping for staff alerts: claiming due rows
// (FOR UPDATE SKIP LOCKED, like texts to callers), renewing the claims while
// they are being sent, and recording what the transport answered. When to
// retry, and reconciling a dead worker's claims with the provider, is the
// worker's policy, shared with texts; this file only writes StaffAlert rows,
// each guarded by the claim.
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../db/types';

export interface ClaimedStaffAlert {
  id: string;
  orgId: string;
  body: string;
  fromPhone: string;
  toPhone: string;
  attempts: number;
  createdAt: Date;
}

export interface StaffAlertClaimOptions {
  batchSize: number;
  leaseMs: number;
  workerId: string;
}

/**
 * Claims alerts that are due (or whose claim was not renewed within the lease: its worker died). Checked
 * again at send time, because the member or their phone may have changed
 * since the alert was queued: a number that texted STOP to the shop, a member
 * who changed their phone or turned this kind of alert off. Those are CANCELED.
 */
export async function claimDueStaffAlerts(tx: Tx, now: Date, options: StaffAlertClaimOptions): Promise<{ claimed: ClaimedStaffAlert[]; canceled: number }> {
  const staleBefore = new Date(now.getTime() - options.leaseMs);
  const due = await tx.$queryRaw<{ id: string; orgId: string; withdrawn: string | null }[]>`
    SELECT a.id, a."orgId",
      CASE
        WHEN EXISTS (SELECT 1 FROM "Lead" l WHERE l."orgId" = a."orgId" AND l.phone = a."toPhone" AND l."optedOut") THEN 'recipient opted out'
        WHEN m.phone IS DISTINCT FROM a."toPhone" THEN 'the member changed their alert phone'
        WHEN NOT (CASE WHEN a.kind = 'REPLY_RECEIVED' THEN m."alertOnReply" ELSE m."alertOnMissedCall" END) THEN 'the member turned these alerts off'
      END AS withdrawn
    FROM "StaffAlert" a JOIN "Membership" m ON m.id = a."membershipId" AND m."orgId" = a."orgId"
    WHERE (a.status = 'QUEUED' AND (a."nextAttemptAt" IS NULL OR a."nextAttemptAt" <= ${now}))
       OR (a.status = 'SENDING' AND a."claimedAt" < ${staleBefore})
    ORDER BY a."nextAttemptAt" ASC NULLS FIRST, a.id ASC
    LIMIT ${options.batchSize}
    FOR UPDATE OF a SKIP LOCKED`;
  if (due.length === 0) return { claimed: [], canceled: 0 };

  let canceled = 0;
  for (const row of due.filter((candidate) => candidate.withdrawn !== null)) {
    const { count } = await tx.staffAlert.updateMany({
      where: { id: row.id, orgId: row.orgId },
      data: { status: 'CANCELED', lastError: row.withdrawn, nextAttemptAt: null, claimedAt: null },
    });
    canceled += count;
  }
  const sendable = due.filter((row) => row.withdrawn === null).map((row) => row.id);
  if (sendable.length === 0) return { claimed: [], canceled };
  const claimed = await tx.staffAlert.updateManyAndReturn({
    where: { id: { in: sendable } },
    data: { status: 'SENDING', claimedAt: now, claimedBy: options.workerId, attempts: { increment: 1 } },
    select: { id: true, orgId: true, body: true, fromPhone: true, toPhone: true, attempts: true, createdAt: true },
  });
  return { claimed, canceled };
}

/** Results are written only while the claim is still this worker's. */
function stillClaimed(alert: ClaimedStaffAlert, workerId: string) {
  return { id: alert.id, orgId: alert.orgId, claimedBy: workerId, status: 'SENDING' as const };
}

/** The heartbeat: this worker is alive and still sending these (`ids`). */
export async function renewStaffAlertClaims(prisma: PrismaClient, workerId: string, ids: string[], now: Date): Promise<void> {
  await prisma.staffAlert.updateMany({ where: { id: { in: ids }, claimedBy: workerId, status: 'SENDING' }, data: { claimedAt: now } });
}

/** A batch of accepted alerts in one statement, each only while its claim is still this worker's. Returns how many it recorded. */
export async function recordStaffAlertsSent(
  prisma: PrismaClient,
  sent: { id: string; providerSid: string; sentAt: Date }[],
  workerId: string,
): Promise<number> {
  if (sent.length === 0) return 0;
  const results = Prisma.join(sent.map((row) => Prisma.sql`(${row.id}::uuid, ${row.providerSid}, ${row.sentAt}::timestamptz)`));
  return prisma.$executeRaw`
    UPDATE "StaffAlert" a SET status = 'SENT', "providerSid" = r."providerSid", "sentAt" = r."sentAt", "lastError" = NULL, "claimedAt" = NULL, "updatedAt" = r."sentAt"
    FROM (VALUES ${results}) AS r (id, "providerSid", "sentAt")
    WHERE a.id = r.id AND a."claimedBy" = ${workerId} AND a.status = 'SENDING'`;
}

/** `retryAt` null: give up (FAILED); otherwise QUEUED again for then. */
export async function recordStaffAlertFailure(
  tx: Tx,
  alert: ClaimedStaffAlert,
  failure: { error: string; retryAt: Date | null; workerId: string },
): Promise<void> {
  await tx.staffAlert.updateMany({
    where: stillClaimed(alert, failure.workerId),
    data: failure.retryAt
      ? { status: 'QUEUED', nextAttemptAt: failure.retryAt, claimedAt: null, lastError: failure.error }
      : { status: 'FAILED', nextAttemptAt: null, claimedAt: null, lastError: failure.error },
  });
}
