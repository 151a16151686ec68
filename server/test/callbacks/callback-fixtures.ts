// Shared setup for the callback tests: an org, its owner as the acting staff
// member, and a lead with its first callback as a missed call leaves it.
import type { Database } from '../../src/db/client';
import { inTransaction, type Tx } from '../../src/db/types';
import type { Actor } from '../../src/common/actor';
import { DomainError } from '../../src/common/errors';
import { createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

export const MINUTE = 60_000;

export async function orgWithOwner(db: Database, settings: Record<string, unknown> = {}) {
  const org = await createTestOrg(db);
  if (Object.keys(settings).length > 0) await db.prisma.orgSettings.update({ where: { orgId: org.orgId }, data: settings });
  const owner: Actor = { type: 'USER', id: org.userId, label: 'owner@callbacks.test', orgId: org.orgId, role: 'OWNER', request: {} };
  return { orgId: org.orgId, trackingNumber: org.trackingNumber!, owner };
}

/** A NEW lead whose missed call at `at` opened attempt 1, due `slaMinutes` later. */
export async function leadWithFirstCallback(db: Database, orgId: string, at: Date, slaMinutes = 15) {
  const lead = await createTestLead(db, orgId, { at, callback: { dueAt: new Date(at.getTime() + slaMinutes * MINUTE) } });
  const callback = await db.prisma.callback.findFirstOrThrow({ where: { orgId, leadId: lead.id } });
  return { lead, callback };
}

export function inTx<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(db.prisma, fn);
}

export async function rejects(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

/** Open (OPEN or SCHEDULED) callbacks of a lead. */
export function openCallbacksOf(db: Database, orgId: string, leadId: string) {
  return db.prisma.callback.findMany({ where: { orgId, leadId, status: { in: ['OPEN', 'SCHEDULED'] } } });
}
