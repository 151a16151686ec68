// The staff callback queue: listing, scheduling, assigning, completing and
// canceling callbacks. The state machine lives here:
//
//   OPEN ──schedule──► SCHEDULED ──complete──► COMPLETED
//     │                  │ ▲ (reschedule)
//     └──────────────────┴──────cancel──────► CANCELED
import { ACCEPTED_MEMBERSHIP } from '../access/staff';
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { CallbackOutcome, CallbackStatus, LeadStatus } from '../generated/prisma/enums';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { recordAudit } from '../audit/audit.service';
import { badInput, notFound } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { paginate, type Page } from '../graphql/connection';
import { appendLeadEvent } from '../leads/lead-events';
import { getLead, moveLeadStatus, OPEN_CALLBACK_STATUSES } from '../leads/leads.service';

export type CallbackRow = Prisma.CallbackGetPayload<object>;

export interface CallbackFilterInput {
  status?: CallbackStatus[] | null;
  assigneeId?: string | null;
  overdue?: boolean | null;
  dueBefore?: Date | null;
}

const isOpen = (status: CallbackStatus) => (OPEN_CALLBACK_STATUSES as readonly string[]).includes(status);

export async function listCallbacks(
  tx: Tx,
  actor: Actor,
  filter: CallbackFilterInput | null | undefined,
  clock: Clock,
  first?: number | null,
  after?: string | null,
): Promise<Page<CallbackRow>> {
  return paginate({
    first,
    after,
    sortKey: 'dueAt',
    direction: 'asc',
    where: callbackWhere(actor.orgId, filter ?? {}, clock.now()),
    findMany: (args) => tx.callback.findMany(args),
    count: (args) => tx.callback.count(args),
  });
}

function callbackWhere(orgId: string, filter: CallbackFilterInput, now: Date): Prisma.CallbackWhereInput {
  const and: Prisma.CallbackWhereInput[] = [{ orgId }];
  if (filter.status && filter.status.length > 0) and.push({ status: { in: filter.status } });
  if (filter.assigneeId) {
    // An id that can't exist matches nothing (rather than failing the query).
    and.push(isUuid(filter.assigneeId) ? { assigneeId: filter.assigneeId } : { id: { in: [] } });
  }
  if (filter.dueBefore) and.push({ dueAt: { lt: filter.dueBefore } });
  if (filter.overdue === true) and.push({ status: { in: [...OPEN_CALLBACK_STATUSES] }, dueAt: { lt: now } });
  if (filter.overdue === false) and.push({ OR: [{ status: { notIn: [...OPEN_CALLBACK_STATUSES] } }, { dueAt: { gte: now } }] });
  return { AND: and };
}

export async function getCallback(tx: Tx, actor: Actor, id: string): Promise<CallbackRow> {
  const callback = isUuid(id) ? await tx.callback.findFirst({ where: { id, orgId: actor.orgId } }) : null;
  if (!callback) throw notFound('Callback');
  return callback;
}

/** True when the callback is still owed and its due time has passed. */
export function isOverdue(callback: Pick<CallbackRow, 'status' | 'dueAt'>, now: Date): boolean {
  return isOpen(callback.status) && callback.dueAt.getTime() < now.getTime();
}

async function requireAssignableMember(tx: Tx, actor: Actor, userId: string) {
  const membership = isUuid(userId)
    ? await tx.membership.findFirst({ where: { orgId: actor.orgId, userId, ...ACCEPTED_MEMBERSHIP }, select: { userId: true } })
    : null;
  if (!membership) throw badInput('assignee is not a member of this organization', { assigneeId: 'not a member' });
}

function requireOpen(callback: CallbackRow, verb: string) {
  if (!isOpen(callback.status)) {
    throw badInput(`callback is ${callback.status}; only OPEN or SCHEDULED callbacks can be ${verb}`, {
      id: `callback is ${callback.status}`,
    });
  }
}

/**
 * Agrees a time with the caller: reschedules the lead's open callback, or opens
 * a new SCHEDULED one when the lead has none.
 */
export async function scheduleCallback(
  tx: Tx,
  actor: Actor,
  input: { leadId: string; at: Date; assigneeId?: string | null },
  clock: Clock,
): Promise<CallbackRow> {
  const lead = await getLead(tx, actor, input.leadId);
  const now = clock.now();
  if (input.at.getTime() < now.getTime() - 60_000) throw badInput('the callback time is in the past', { at: 'must be in the future' });
  if (input.assigneeId) await requireAssignableMember(tx, actor, input.assigneeId);
  const existing = await tx.callback.findFirst({ where: { orgId: actor.orgId, leadId: lead.id, status: { in: [...OPEN_CALLBACK_STATUSES] } } });
  const assigneeId = input.assigneeId === undefined ? existing?.assigneeId ?? null : input.assigneeId;
  const callback = existing
    ? await tx.callback.update({
        where: { id: existing.id, orgId: actor.orgId },
        data: { status: 'SCHEDULED', scheduledFor: input.at, dueAt: input.at, assigneeId, overdueAt: null },
      })
    : await tx.callback.create({
        data: {
          orgId: actor.orgId,
          leadId: lead.id,
          openLeadId: lead.id,
          status: 'SCHEDULED',
          scheduledFor: input.at,
          dueAt: input.at,
          assigneeId,
          createdAt: now,
        },
      });
  await appendLeadEvent(tx, actor, lead.id, 'CALLBACK_SCHEDULED', { callbackId: callback.id, at: input.at.toISOString(), assigneeId }, now);
  await recordAudit(
    tx,
    actor,
    {
      action: 'callback.scheduled',
      target: { type: 'Callback', id: callback.id },
      changes: {
        status: { before: existing?.status ?? null, after: 'SCHEDULED' },
        scheduledFor: { before: existing?.scheduledFor?.toISOString() ?? null, after: input.at.toISOString() },
        ...(assigneeId !== (existing?.assigneeId ?? null) ? { assigneeId: { before: existing?.assigneeId ?? null, after: assigneeId } } : {}),
      },
    },
    clock,
  );
  return callback;
}

/** Assigns (or with null, unassigns) an open callback. */
export async function assignCallback(tx: Tx, actor: Actor, id: string, assigneeId: string | null, clock: Clock): Promise<CallbackRow> {
  const callback = await getCallback(tx, actor, id);
  requireOpen(callback, 'assigned');
  if (assigneeId) await requireAssignableMember(tx, actor, assigneeId);
  if (callback.assigneeId === assigneeId) return callback;
  const updated = await tx.callback.update({ where: { id: callback.id, orgId: actor.orgId }, data: { assigneeId } });
  await appendLeadEvent(tx, actor, callback.leadId, 'CALLBACK_ASSIGNED', { callbackId: callback.id, assigneeId }, clock.now());
  await recordAudit(
    tx,
    actor,
    { action: 'callback.assigned', target: { type: 'Callback', id: callback.id }, changes: { assigneeId: { before: callback.assigneeId, after: assigneeId } } },
    clock,
  );
  return updated;
}

/** What a completed callback does to its lead. */
const LEAD_STATUS_AFTER: Record<CallbackOutcome, LeadStatus | null> = {
  BOOKED: 'BOOKED',
  NOT_INTERESTED: 'LOST',
  WRONG_NUMBER: 'LOST',
  NO_ANSWER: null,
  LEFT_VOICEMAIL: null,
};

export async function completeCallback(
  tx: Tx,
  actor: Actor,
  input: { id: string; outcome: CallbackOutcome; notes?: string | null },
  clock: Clock,
): Promise<CallbackRow> {
  const callback = await getCallback(tx, actor, input.id);
  requireOpen(callback, 'completed');
  const notes = input.notes?.trim() || null;
  if (notes && notes.length > 2000) throw badInput('notes must be at most 2000 characters', { notes: 'at most 2000 characters' });
  const now = clock.now();
  const updated = await tx.callback.update({
    where: { id: callback.id, orgId: actor.orgId },
    data: {
      status: 'COMPLETED',
      outcome: input.outcome,
      notes,
      completedAt: now,
      completedById: actor.type === 'USER' ? actor.id : null,
      openLeadId: null,
    },
  });
  await appendLeadEvent(tx, actor, callback.leadId, 'CALLBACK_COMPLETED', { callbackId: callback.id, outcome: input.outcome, notes }, now);

  const leadStatus = LEAD_STATUS_AFTER[input.outcome];
  const lead = await tx.lead.findUniqueOrThrow({ where: { id: callback.leadId, orgId: actor.orgId } });
  if (leadStatus && lead.status !== leadStatus) {
    await moveLeadStatus(tx, actor, lead, leadStatus, now, `callback ${input.outcome}`);
  }
  await recordAudit(
    tx,
    actor,
    {
      action: 'callback.completed',
      target: { type: 'Callback', id: callback.id },
      changes: {
        status: { before: callback.status, after: 'COMPLETED' },
        outcome: { before: null, after: input.outcome },
        ...(notes ? { notes: { before: null, after: notes } } : {}),
        ...(leadStatus && lead.status !== leadStatus ? { leadStatus: { before: lead.status, after: leadStatus } } : {}),
      },
    },
    clock,
  );
  return updated;
}

export async function cancelCallback(tx: Tx, actor: Actor, id: string, clock: Clock): Promise<CallbackRow> {
  const callback = await getCallback(tx, actor, id);
  requireOpen(callback, 'canceled');
  const now = clock.now();
  const updated = await tx.callback.update({ where: { id: callback.id, orgId: actor.orgId }, data: { status: 'CANCELED', canceledAt: now, openLeadId: null } });
  await appendLeadEvent(tx, actor, callback.leadId, 'CALLBACK_CANCELED', { callbackId: callback.id }, now);
  await recordAudit(
    tx,
    actor,
    { action: 'callback.canceled', target: { type: 'Callback', id: callback.id }, changes: { status: { before: callback.status, after: 'CANCELED' } } },
    clock,
  );
  return updated;
}
