// The staff callback queue: listing, scheduling, assigning, completing and
// canceling callbacks. The state machine lives here:
//
//   OPEN ──schedule──► SCHEDULED ──complete──► COMPLETED
//     │                  │ ▲ (reschedule)
//     └──────────────────┴──────cancel──────► CANCELED
//
// Completing with NO_ANSWER or LEFT_VOICEMAIL opens the next attempt (OPEN,
// attempt + 1, scheduledFor/dueAt from callback-timing.ts) until
// settings.callbackRetryMinutes runs out; then the lead needsDecision.
// A lead has at most one open callback (Callback.openLeadId unique): a
// completion claims the callback with a conditional update, so of concurrent
// completions exactly one proceeds and opens the next attempt.
import { ACCEPTED_MEMBERSHIP } from '../access/staff';
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { CallbackOutcome, CallbackStatus, LeadStatus } from '../generated/prisma/enums';
import type { Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { badInput, notFound } from '../common/errors';
import { isUuid, newRowId } from '../common/ids';
import { paginate, type Page } from '../db/pagination';
import { appendLeadEvent } from '../leads/lead-events';
import { getLead, moveLeadStatus, OPEN_CALLBACK_STATUSES, OPEN_LEAD_STATUSES } from '../leads/leads.service';
import { readBusinessHours } from '../settings/settings.service';
import { callsnareActor, type Actor } from '../common/actor';
import { nextAttemptTimes } from './callback-timing';
import { recordWebhookEvent } from '../outbound-webhooks/webhook-events';

export type CallbackRow = Prisma.CallbackGetPayload<object>;

export interface CallbackFilterInput {
  status?: CallbackStatus[] | null;
  assigneeId?: string | null;
  overdue?: boolean | null;
  dueBefore?: Date | null;
  updatedSince?: Date | null;
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
  // An incremental sync (updatedSince) pages oldest change first, on (updatedAt, id), like leads.
  const sync = Boolean(filter?.updatedSince);
  return paginate({
    first,
    after,
    sortKey: sync ? 'updatedAt' : 'dueAt',
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
  if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
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
 * Agrees a time with the caller: reschedules the lead's open callback (keeping
 * its attempt number), or opens a new SCHEDULED one when the lead has none.
 * Either way the lead no longer waits for a decision, and the new time is
 * announced (CALLBACK_DUE) and escalated (CALLBACK_OVERDUE) afresh.
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
  // The lead's one open slot (Callback.openLeadId): when a concurrent missed call or
  // scheduling takes it first, ON CONFLICT waits for that commit and this reschedules theirs.
  const findOpen = () => tx.callback.findUnique({ where: { openLeadId: lead.id, orgId: actor.orgId } });
  let existing = await findOpen();
  let created: CallbackRow | undefined;
  if (!existing) {
    [created] = await tx.callback.createManyAndReturn({
      data: [
        {
          orgId: actor.orgId,
          leadId: lead.id,
          openLeadId: lead.id,
          status: 'SCHEDULED',
          scheduledFor: input.at,
          dueAt: input.at,
          assigneeId: input.assigneeId ?? null,
          createdAt: now,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) existing = await findOpen();
  }
  const assigneeId = input.assigneeId === undefined ? (existing?.assigneeId ?? null) : input.assigneeId;
  let callback = created;
  if (!callback) {
    if (!existing) throw new Error(`lead ${lead.id}'s open callback vanished while being scheduled`);
    callback = await tx.callback.update({
      where: { id: existing.id, orgId: actor.orgId },
      data: { status: 'SCHEDULED', scheduledFor: input.at, dueAt: input.at, assigneeId, overdueAt: null, dueAnnouncedAt: null },
    });
  }
  if (lead.needsDecision || lead.callbackOverdue) {
    await tx.lead.update({ where: { id: lead.id, orgId: actor.orgId }, data: { needsDecision: false, callbackOverdue: false }, select: { id: true } });
  }
  await appendLeadEvent(tx, actor, lead.id, 'CALLBACK_SCHEDULED', { callbackId: callback.id, at: input.at.toISOString(), assigneeId }, now);
  if (created) await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'callback.created', objectId: created.id, at: now });
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
export const LEAD_STATUS_AFTER: Record<CallbackOutcome, LeadStatus | null> = {
  BOOKED: 'BOOKED',
  NOT_INTERESTED: 'LOST',
  WRONG_NUMBER: 'LOST',
  NO_ANSWER: null,
  LEFT_VOICEMAIL: null,
};

/** Outcomes after which the shop tries again (settings.callbackRetryMinutes). */
export const RETRIED_OUTCOMES: readonly CallbackOutcome[] = ['NO_ANSWER', 'LEFT_VOICEMAIL'];

/**
 * Moves an open callback to `data`'s status, only if it is still open: of
 * concurrent changes to one callback exactly one gets the row; the others find
 * it closed and are refused like a sequential second attempt.
 */
async function closeOpenCallback(tx: Tx, actor: Actor, id: string, verb: string, data: Prisma.CallbackUpdateManyMutationInput): Promise<CallbackRow> {
  const [closed] = await tx.callback.updateManyAndReturn({
    where: { id, orgId: actor.orgId, status: { in: [...OPEN_CALLBACK_STATUSES] } },
    data: { ...data, openLeadId: null },
  });
  if (closed) return closed;
  requireOpen(await getCallback(tx, actor, id), verb);
  throw new Error(`callback ${id} is open but could not be closed`);
}

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
  const updated = await closeOpenCallback(tx, actor, callback.id, 'completed', {
    status: 'COMPLETED',
    outcome: input.outcome,
    notes,
    completedAt: now,
    completedById: actor.type === 'USER' ? actor.id : null,
  });
  const lead = await tx.lead.findUniqueOrThrow({ where: { id: callback.leadId, orgId: actor.orgId } });
  const retry = RETRIED_OUTCOMES.includes(input.outcome) && OPEN_LEAD_STATUSES.includes(lead.status);
  const nextAttempt = retry ? await openNextAttempt(tx, actor, updated, now) : null;
  const needsDecision = retry && nextAttempt === 'exhausted';
  const next = nextAttempt === 'exhausted' ? null : nextAttempt;

  await appendLeadEvent(
    tx,
    actor,
    callback.leadId,
    'CALLBACK_COMPLETED',
    {
      callbackId: callback.id,
      outcome: input.outcome,
      notes,
      attempt: callback.attempt,
      nextAttempt: next ? { callbackId: next.id, attempt: next.attempt, scheduledFor: next.scheduledFor.toISOString() } : null,
      ...(needsDecision ? { needsDecision: true } : {}),
    },
    now,
  );
  if (next) {
    await appendLeadEvent(
      tx,
      callsnareActor(actor.orgId, actor.request),
      callback.leadId,
      'CALLBACK_OPENED',
      {
        callbackId: next.id,
        attempt: next.attempt,
        retry: true,
        retryOf: callback.id,
        outcome: input.outcome,
        scheduledFor: next.scheduledFor.toISOString(),
        dueAt: next.dueAt.toISOString(),
      },
      now,
    );
  }

  const leadStatus = LEAD_STATUS_AFTER[input.outcome];
  if (leadStatus && lead.status !== leadStatus) {
    await moveLeadStatus(tx, actor, lead, leadStatus, now, `callback ${input.outcome}`);
    await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'lead.updated', objectId: lead.id, at: now });
  }
  await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'callback.completed', objectId: callback.id, at: now });
  // Whatever the outcome, the shop called: the caller is answered and nothing is late any more.
  await tx.lead.update({
    where: { id: lead.id, orgId: actor.orgId },
    data: { needsReply: false, callbackOverdue: false, needsDecision },
    select: { id: true },
  });
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
        ...(next ? { nextAttemptAt: { before: null, after: next.scheduledFor.toISOString() } } : {}),
        ...(needsDecision ? { needsDecision: { before: lead.needsDecision, after: true } } : {}),
      },
    },
    clock,
  );
  return updated;
}

/**
 * Opens the attempt after `done` on the org's cadence. 'exhausted' when the
 * cadence has no more attempts; null when the lead already has an open
 * callback again (a new missed call opened one): that one is the next call.
 */
async function openNextAttempt(tx: Tx, actor: Actor, done: CallbackRow, now: Date): Promise<(CallbackRow & { scheduledFor: Date }) | 'exhausted' | null> {
  const settings = await tx.orgSettings.findUniqueOrThrow({
    where: { orgId: actor.orgId },
    select: { timezone: true, businessHours: true, callbackSlaMinutes: true, callbackRetryMinutes: true },
  });
  const times = nextAttemptTimes(now, done.attempt, { ...settings, businessHours: readBusinessHours(settings) });
  if (!times) return 'exhausted';
  const id = newRowId();
  const { count } = await tx.callback.createMany({
    data: [
      {
        id,
        orgId: actor.orgId,
        leadId: done.leadId,
        openLeadId: done.leadId,
        status: 'OPEN',
        attempt: done.attempt + 1,
        scheduledFor: times.scheduledFor,
        dueAt: times.dueAt,
        assigneeId: done.assigneeId,
        createdAt: now,
      },
    ],
    skipDuplicates: true,
  });
  if (count !== 1) return null;
  await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'callback.created', objectId: id, at: now });
  const next = await tx.callback.findUniqueOrThrow({ where: { id, orgId: actor.orgId } });
  return { ...next, scheduledFor: times.scheduledFor };
}

export async function cancelCallback(tx: Tx, actor: Actor, id: string, clock: Clock): Promise<CallbackRow> {
  const callback = await getCallback(tx, actor, id);
  requireOpen(callback, 'canceled');
  const now = clock.now();
  const updated = await closeOpenCallback(tx, actor, callback.id, 'canceled', { status: 'CANCELED', canceledAt: now });
  await tx.lead.updateMany({ where: { id: callback.leadId, orgId: actor.orgId, callbackOverdue: true }, data: { callbackOverdue: false } });
  await appendLeadEvent(tx, actor, callback.leadId, 'CALLBACK_CANCELED', { callbackId: callback.id }, now);
  await recordAudit(
    tx,
    actor,
    { action: 'callback.canceled', target: { type: 'Callback', id: callback.id }, changes: { status: { before: callback.status, after: 'CANCELED' } } },
    clock,
  );
  return updated;
}
