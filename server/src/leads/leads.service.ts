// Leads: listing and searching, one lead's detail, staff changes (name, status),
// notes and read marks. Every query is scoped to the actor's org.
import type { Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
import type { LeadStatus } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { recordAudit, type AuditChanges } from '../audit/audit.service';
import { badInput, DomainError, isUniqueViolation, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { digitsOf } from '../common/phone';
import { decodeCursor, pageSize, paginate, toPage, type Page } from '../db/pagination';
import { normalizeRow, queryPrepared } from '../db/prepared';
import { appendLeadEvent } from './lead-events';
import { markSeenBy, recordLeadRead } from './lead-reads';
import { recordWebhookEvent } from '../outbound-webhooks/webhook-events';

export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['NEW', 'CONTACTED'];
export const OPEN_CALLBACK_STATUSES = ['OPEN', 'SCHEDULED'] as const;

/** Status changes staff may make. Reopening (-> CONTACTED) needs the caller to have no other open lead. */
export const LEAD_TRANSITIONS: Record<LeadStatus, readonly LeadStatus[]> = {
  NEW: ['CONTACTED', 'BOOKED', 'LOST'],
  CONTACTED: ['BOOKED', 'LOST'],
  BOOKED: ['CONTACTED', 'LOST'],
  LOST: ['CONTACTED'],
};

export interface LeadFilterInput {
  status?: LeadStatus[] | null;
  search?: string | null;
  since?: Date | null;
  until?: Date | null;
  hasOpenCallback?: boolean | null;
  optedOut?: boolean | null;
  needsReply?: boolean | null;
  updatedSince?: Date | null;
}

export type LeadRow = Prisma.LeadGetPayload<object>;
export type LeadColumn = keyof LeadRow;
export const LEAD_COLUMNS: readonly LeadColumn[] = Object.values(Prisma.LeadScalarFieldEnum);

/**
 * A page of the org's leads. `columns`: what the caller will read (the GraphQL
 * selection); the rows then carry only those, their id and their sort key.
 * Every column when not given.
 */
export async function listLeads(
  tx: Tx,
  actor: Actor,
  filter: LeadFilterInput | null | undefined,
  first?: number | null,
  after?: string | null,
  columns?: readonly LeadColumn[],
  along?: ReadAlong,
): Promise<Page<LeadRow>> {
  if (!hasConditions(filter ?? {})) return recentLeads(tx, actor.orgId, first, after, columns, along);
  const statuses = countedStatuses(filter ?? {});
  // An incremental sync (updatedSince) pages oldest change first, on (updatedAt, id): a lead
  // changed while the sync pages moves behind the cursor, so the same pass still sees it.
  const sync = Boolean(filter?.updatedSince);
  const sortKey = sync ? 'updatedAt' : 'lastActivityAt';
  const select = columns ? Object.fromEntries([...columns, 'id', sortKey].map((column) => [column, true])) : undefined;
  return paginate({
    first,
    after,
    sortKey,
    direction: sync ? 'asc' : 'desc',
    where: leadWhere(actor.orgId, filter ?? {}),
    // Rows of `columns` only, when given: the GraphQL types read nothing else.
    findMany: (args) => tx.lead.findMany({ ...args, select }) as Promise<LeadRow[]>,
    count: statuses ? () => countLeads(tx, actor.orgId, statuses) : (args) => tx.lead.count(args),
  });
}

/**
 * What the list without a filter reads in its own statement besides the leads'
 * columns: select-list items over the lead `l` (each lead's first timeline page
 * and its callbacks, as leads/lead-page.loaders.ts writes them), which come back as extra
 * properties of each row, and the total. The filtered list reads none of it.
 */
export interface ReadAlong {
  items: readonly Prisma.Sql[];
  total: boolean;
}

/**
 * The list without a filter (the dashboard's and the SDK's default): the page
 * paginate would read, most recent activity first, as one named statement
 * (db/prepared.ts), which costs a third of the Node CPU of the same read
 * through Prisma's findMany; with `along`, what the page's nodes and total need
 * too, so the whole page is one round trip.
 */
async function recentLeads(
  tx: Tx,
  orgId: string,
  first: number | null | undefined,
  after: string | null | undefined,
  columns?: readonly LeadColumn[],
  along?: ReadAlong,
) {
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : null;
  const wanted = new Set<string>(columns ? [...columns, 'id', 'lastActivityAt'] : LEAD_COLUMNS);
  const list = LEAD_COLUMNS.filter((column) => wanted.has(column)).map((column) => Prisma.raw(`l."${column}"`));
  const items = [...list, ...(along?.items ?? []), ...(along?.total ? [Prisma.sql`(${leadTotalSql(orgId, ALL_LEAD_STATUSES)}) AS "pageTotal"`] : [])];
  const rows = await queryPrepared<Record<string, unknown>>(
    tx,
    Prisma.sql`SELECT ${Prisma.join(items)} FROM "Lead" l
      WHERE l."orgId" = ${orgId}::uuid
        ${cursor ? Prisma.sql`AND (l."lastActivityAt", l.id) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)` : Prisma.empty}
      ORDER BY l."lastActivityAt" DESC, l.id DESC
      LIMIT ${size + 1}`,
    { variesWithSelection: true },
  );
  // Every row carries the total; a page past the end has no row to carry it.
  const total = rows.length > 0 && along?.total ? Number(rows[0]?.pageTotal) : () => countLeads(tx, orgId, ALL_LEAD_STATUSES);
  for (const row of rows) delete row.pageTotal;
  return toPage(
    rows.map((row) => normalizeRow(row) as unknown as LeadRow),
    size,
    total,
    (row) => ({ key: row.lastActivityAt.toISOString(), id: row.id }),
  );
}

/** Whether the filter narrows the list at all (an empty status list or a blank search does not). */
function hasConditions(filter: LeadFilterInput): boolean {
  return Boolean(filter.status?.length) || narrowsBeyondStatus(filter);
}

/** Whether the filter has a condition other than status. */
function narrowsBeyondStatus(filter: LeadFilterInput): boolean {
  const { status: _status, search, ...rest } = filter;
  return Boolean(search?.trim()) || Object.values(rest).some((value: unknown) => value !== null && value !== undefined);
}

/**
 * The statuses whose kept counts answer totalCount for this filter (every status
 * when unfiltered), or null when the filter narrows by anything else and only
 * counting the matching rows is exact.
 */
export function countedStatuses(filter: LeadFilterInput): readonly LeadStatus[] | null {
  if (narrowsBeyondStatus(filter)) return null;
  return filter.status && filter.status.length > 0 ? filter.status : ALL_LEAD_STATUSES;
}

const ALL_LEAD_STATUSES: readonly LeadStatus[] = ['NEW', 'CONTACTED', 'BOOKED', 'LOST'];

/**
 * How many of the org's leads have one of these statuses, from the counts the
 * triggers on "Lead" keep in the writing transactions (migration 0005): a sum
 * over at most 4 × 16 rows instead of a count of every lead.
 */
export async function countLeads(tx: Tx, orgId: string, statuses: readonly LeadStatus[]): Promise<number> {
  // Every list of leads asks for it: a named statement, as the hot paths run theirs (db/prepared.ts).
  const [row] = await queryPrepared<{ total: number }>(tx, leadTotalSql(orgId, statuses));
  return row?.total ?? 0;
}

/** The org's leads in these statuses, from the kept per-(org, status) counts: one row, `total`. */
function leadTotalSql(orgId: string, statuses: readonly LeadStatus[]): Prisma.Sql {
  const all = statuses.length === ALL_LEAD_STATUSES.length && ALL_LEAD_STATUSES.every((status) => statuses.includes(status));
  return Prisma.sql`SELECT coalesce(sum(c.count), 0)::int AS total FROM "LeadCount" c
      WHERE c."orgId" = ${orgId}::uuid${all ? Prisma.empty : Prisma.sql` AND c.status = ANY(${[...statuses]}::"LeadStatus"[])`}`;
}

function leadWhere(orgId: string, filter: LeadFilterInput): Prisma.LeadWhereInput {
  const and: Prisma.LeadWhereInput[] = [{ orgId }];
  if (filter.status && filter.status.length > 0) and.push({ status: { in: filter.status } });
  if (filter.since) and.push({ createdAt: { gte: filter.since } });
  if (filter.until) and.push({ createdAt: { lt: filter.until } });
  if (filter.optedOut !== null && filter.optedOut !== undefined) and.push({ optedOut: filter.optedOut });
  if (filter.needsReply !== null && filter.needsReply !== undefined) and.push({ needsReply: filter.needsReply });
  if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
  if (filter.hasOpenCallback !== null && filter.hasOpenCallback !== undefined) {
    const open = { status: { in: [...OPEN_CALLBACK_STATUSES] } };
    and.push({ callbacks: filter.hasOpenCallback ? { some: open } : { none: open } });
  }
  const search = filter.search?.trim();
  if (search) {
    if (search.length > 100) throw badInput('search must be at most 100 characters', { search: 'too long' });
    const digits = digitsOf(search);
    // "(555) 012-3456" or "+1555…" searches the number; anything with letters searches names.
    if (/^[\d\s()+.-]+$/.test(search) && digits.length >= 3) and.push({ phone: { contains: digits } });
    else and.push({ name: { contains: search, mode: 'insensitive' } });
  }
  return { AND: and };
}

/** The lead, if it belongs to the actor's org; NOT_FOUND otherwise (never FORBIDDEN). */
export async function getLead(tx: Tx, actor: Actor, id: string): Promise<LeadRow> {
  const lead = isUuid(id) ? await tx.lead.findFirst({ where: { id, orgId: actor.orgId } }) : null;
  if (!lead) throw notFound('Lead');
  return lead;
}

/** The signed-in staff member has seen the lead as it is now (their own read state; API credentials have none). */
export async function markLeadRead(tx: Tx, actor: Actor, id: string): Promise<LeadRow> {
  if (actor.type !== 'USER' || !actor.id) {
    throw new DomainError('FORBIDDEN', 'Only a signed-in staff session has read state', { requiredIdentity: 'session' });
  }
  const lead = await getLead(tx, actor, id);
  if (!(await recordLeadRead(tx, actor.id, actor.orgId, lead.id))) throw notFound('Lead');
  return lead;
}

export interface UpdateLeadChanges {
  name?: string | null;
  status?: LeadStatus | null;
}

export async function updateLead(tx: Tx, actor: Actor, id: string, input: UpdateLeadChanges, clock: Clock): Promise<LeadRow> {
  const lead = await getLead(tx, actor, id);
  const now = clock.now();
  const data: Prisma.LeadUpdateInput = {};
  const changes: AuditChanges = {};

  if (input.name !== undefined && input.name !== null) {
    const name = input.name.trim();
    if (name.length > 100) throw badInput('name must be at most 100 characters', { name: 'at most 100 characters' });
    const next = name === '' ? null : name;
    if (next !== lead.name) {
      data.name = next;
      changes.name = { before: lead.name, after: next };
    }
  }
  if (input.status && input.status !== lead.status) {
    const allowed = LEAD_TRANSITIONS[lead.status];
    if (!allowed.includes(input.status)) {
      throw badInput(`lead is ${lead.status}; it can move to ${allowed.join(' or ')}, not ${input.status}`, { status: `not allowed from ${lead.status}` });
    }
    changes.status = { before: lead.status, after: input.status };
  }
  if (Object.keys(changes).length === 0) return lead;

  if (changes.name) await tx.lead.update({ where: { id: lead.id, orgId: actor.orgId }, data });
  if (input.status && changes.status) {
    const moved = await moveLeadStatus(tx, actor, lead, input.status, now);
    if (!OPEN_LEAD_STATUSES.includes(moved.status)) await cancelOpenCallbacksOfClosedLead(tx, actor, lead.id, now);
  }
  if (changes.name) await appendLeadEvent(tx, actor, lead.id, 'LEAD_UPDATED', { name: { before: lead.name, after: changes.name.after as string | null } }, now);
  await recordAudit(tx, actor, { action: 'lead.updated', target: { type: 'Lead', id: lead.id }, changes }, clock);
  await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'lead.updated', objectId: lead.id, at: now });
  await markSeenBy(tx, actor, lead.id);
  return tx.lead.findUniqueOrThrow({ where: { id: lead.id, orgId: actor.orgId } });
}

/**
 * Moves a lead to another status: the open-lead key follows (reopening fails
 * when the caller already has another open lead) and the timeline records it.
 * Callers decide whether the move is allowed. Staff moved the lead on, so it no
 * longer waits for a decision; a closed lead has no late callback.
 */
export async function moveLeadStatus(tx: Tx, actor: Actor, lead: LeadRow, to: LeadStatus, now: Date, reason?: string): Promise<LeadRow> {
  let moved: LeadRow;
  try {
    moved = await tx.lead.update({
      where: { id: lead.id, orgId: actor.orgId },
      data: {
        status: to,
        openPhone: OPEN_LEAD_STATUSES.includes(to) ? lead.phone : null,
        needsDecision: false,
        ...(OPEN_LEAD_STATUSES.includes(to) ? {} : { callbackOverdue: false }),
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw badInput(`caller ${lead.phone} already has another open lead; work that one instead`, { status: 'caller has another open lead' });
    }
    throw error;
  }
  await appendLeadEvent(tx, actor, lead.id, 'STATUS_CHANGED', { from: lead.status, to, ...(reason ? { reason } : {}) }, now);
  return moved;
}

/** A closed lead has nothing left to call back about: its open callback is withdrawn. */
async function cancelOpenCallbacksOfClosedLead(tx: Tx, actor: Actor, leadId: string, now: Date) {
  const open = await tx.callback.findMany({ where: { leadId, orgId: actor.orgId, status: { in: [...OPEN_CALLBACK_STATUSES] } } });
  for (const callback of open) {
    await tx.callback.update({ where: { id: callback.id, orgId: actor.orgId }, data: { status: 'CANCELED', canceledAt: now, openLeadId: null } });
    await appendLeadEvent(tx, actor, leadId, 'CALLBACK_CANCELED', { callbackId: callback.id, reason: 'lead closed' }, now);
  }
}

export const MAX_NOTE_LENGTH = 2000;

export async function addLeadNote(tx: Tx, actor: Actor, leadId: string, body: string, clock: Clock) {
  const lead = await getLead(tx, actor, leadId);
  const text = body.trim();
  if (text.length === 0 || text.length > MAX_NOTE_LENGTH) {
    throw badInput(`note must be 1–${MAX_NOTE_LENGTH} characters`, { body: `1–${MAX_NOTE_LENGTH} characters` });
  }
  const event = await appendLeadEvent(tx, actor, lead.id, 'NOTE_ADDED', { body: text }, clock.now());
  await recordAudit(tx, actor, { action: 'lead.note_added', target: { type: 'Lead', id: lead.id }, changes: { note: { before: null, after: text } } }, clock);
  await markSeenBy(tx, actor, lead.id);
  return event;
}
