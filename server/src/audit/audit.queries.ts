// Reading the audit trail: the actor's organization only, newest first, with
// the contract's filters and keyset cursors on (createdAt, id).
import type { ActorType } from '../generated/prisma/enums';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { badInput } from '../common/errors';
import type { AuditEntry, Prisma } from '../generated/prisma/client';
import { paginate, type Page } from '../db/pagination';
import { AUDIT_ACTIONS } from './actions';

export interface AuditEntryFilter {
  action?: string | null;
  actorId?: string | null;
  actorType?: ActorType | null;
  targetType?: string | null;
  targetId?: string | null;
  /** Inclusive. */
  since?: Date | null;
  /** Exclusive. */
  until?: Date | null;
}

export async function listAuditEntries(
  tx: Tx,
  actor: Actor,
  filter: AuditEntryFilter,
  page: { first?: number | null; after?: string | null },
): Promise<Page<AuditEntry>> {
  if (filter.action && !(AUDIT_ACTIONS as readonly string[]).includes(filter.action)) {
    throw badInput(`unknown audit action "${filter.action}" (known: ${AUDIT_ACTIONS.join(', ')})`, { action: 'unknown audit action' });
  }
  if (filter.since && filter.until && filter.since >= filter.until) {
    throw badInput('since must be before until', { since: 'must be before until' });
  }
  const createdAt = {
    ...(filter.since ? { gte: filter.since } : {}),
    ...(filter.until ? { lt: filter.until } : {}),
  };
  const where: Prisma.AuditEntryWhereInput = {
    orgId: actor.orgId,
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.actorType ? { actorType: filter.actorType } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.since || filter.until ? { createdAt } : {}),
  };
  return paginate<AuditEntry, Prisma.AuditEntryWhereInput>({
    ...page,
    sortKey: 'createdAt',
    direction: 'desc',
    where,
    findMany: (args) => tx.auditEntry.findMany(args),
    count: Object.keys(where).length === 1 ? () => lastSeq(tx, actor.orgId) : (args) => tx.auditEntry.count(args),
  });
}

/**
 * How many entries the org's trail holds: the chain is append-only and numbered
 * 1, 2, 3, … per org (unique (orgId, seq)), so its highest seq is its length, one
 * index lookup instead of counting every entry.
 */
async function lastSeq(tx: Tx, orgId: string): Promise<number> {
  const last = await tx.auditEntry.findFirst({ where: { orgId }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return last?.seq ?? 0;
}
