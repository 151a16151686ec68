// Per-request batching of what a page of leads asks for (timeline, conversation,
// callbacks, the viewer's read state), so `leads(first: 100) { nodes { events(first: 5) … callbacks … } }`
// costs a fixed number of SQL queries whatever the page size.
import DataLoader from 'dataloader';
import { Prisma } from '../generated/prisma/client';
import type { Callback, LeadEvent, Message } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import { normalizeRow, queryPrepared } from '../db/prepared';
import { perRequest } from '../graphql/per-request';
import { afterAscending, decodeCursor, pageSize, toPage, type Page } from '../db/pagination';
import { unreadLeads } from './lead-reads';
import { columnsFor } from '../graphql/selection';

type TimelineTable = 'LeadEvent' | 'Message';
type TimelineRow<T extends TimelineTable> = T extends 'LeadEvent' ? LeadEvent : Message;

export interface PageKey {
  leadId: string;
  first: number;
  after: string | null;
  /** The columns its rows carry (timelineColumns): a row holds only what the client asked for. */
  columns: readonly string[];
}

/** A lead's callbacks, with the columns its rows carry (see callbacksKey). */
export interface CallbacksKey {
  leadId: string;
  columns: readonly string[];
}

export interface LeadLoaders {
  events: DataLoader<PageKey, Page<LeadEvent>, string>;
  messages: DataLoader<PageKey, Page<Message>, string>;
  callbacks: DataLoader<CallbacksKey, Callback[], string>;
  /** Whether each lead is unread for the signed-in staff member (always false for API credentials). */
  unread: DataLoader<string, boolean>;
  /**
   * Hands over what a page of leads read in its own statement (lead-page.loaders.ts): a lead's
   * first timeline page (the rows of `key`, one more than its size when there are more)
   * and its callbacks (whole rows, which answer any selection of them).
   */
  readAlong(leadId: string, along: { events?: { key: PageKey; rows: LeadEvent[] }; callbacks?: Callback[] }): void;
  /**
   * What readAlong was given for this timeline page or lead, there and then: resolvers
   * answer with it directly, so graphql-js completes the page without a promise per lead.
   */
  eventsReadAlong(key: PageKey): Page<LeadEvent> | undefined;
  callbacksReadAlong(leadId: string): Callback[] | undefined;
}

/** `userId`: the signed-in staff member, null for an API credential. */
export function createLeadLoaders(tx: Tx, orgId: string, userId: string | null): LeadLoaders {
  const pageKey = (key: PageKey) => `${key.leadId}|${key.first}|${key.after ?? ''}|${key.columns.join()}`;
  const counter = (table: TimelineTable) =>
    new DataLoader<string, number>(async (leadIds) => {
      const counts = await countPerLead(tx, table, orgId, [...leadIds]);
      return leadIds.map((leadId) => counts.get(leadId) ?? 0);
    });
  const eventCounts = counter('LeadEvent');
  const messageCounts = counter('Message');
  const eventPages = new Map<string, Page<LeadEvent>>();
  const callbackRows = new Map<string, Callback[]>();
  return {
    events: new DataLoader((keys) => loadTimelinePages(tx, 'LeadEvent', orgId, keys, eventCounts), { cacheKeyFn: pageKey }),
    messages: new DataLoader((keys) => loadTimelinePages(tx, 'Message', orgId, keys, messageCounts), { cacheKeyFn: pageKey }),
    callbacks: new DataLoader((keys) => loadCallbacks(tx, orgId, keys), { cacheKeyFn: callbacksCacheKey }),
    unread: new DataLoader(async (leadIds) => {
      if (!userId) return leadIds.map(() => false);
      const unread = await unreadLeads(tx, orgId, userId, leadIds);
      return leadIds.map((leadId) => unread.get(leadId) ?? false);
    }),
    readAlong(leadId, along) {
      if (along.events) {
        const { key, rows } = along.events;
        eventPages.set(
          pageKey(key),
          toPage(rows, key.first, () => eventCounts.load(leadId), positionOf),
        );
      }
      if (along.callbacks) callbackRows.set(leadId, along.callbacks);
    },
    eventsReadAlong: (key) => eventPages.get(pageKey(key)),
    callbacksReadAlong: (leadId) => callbackRows.get(leadId),
  };
}

/** `fields`: the fields selected on the page's nodes (selectedFieldNames); every column when not given. */
export function timelineKey(
  table: TimelineTable,
  leadId: string,
  first: number | null | undefined,
  after: string | null | undefined,
  fields?: ReadonlySet<string>,
): PageKey {
  return { leadId, first: pageSize(first), after: after ?? null, columns: timelineColumns(table, fields) };
}

/** `fields`: the fields selected on a lead's callbacks; `computed`: what the Callback type's own resolvers read (see columnsFor). */
export function callbacksKey(leadId: string, fields: ReadonlySet<string>, computed: Readonly<Record<string, readonly string[]>>): CallbacksKey {
  const columns = remembered(fields, computed, () => columnsFor(new Set([...fields, ...CALLBACK_KEY_COLUMNS]), CALLBACK_COLUMNS, computed) ?? CALLBACK_COLUMNS);
  return { leadId, columns };
}

// selectedFieldNames hands every lead of a page the same set: its columns are worked out once per set.
const columnsOfFields = new WeakMap<object, WeakMap<ReadonlySet<string>, readonly string[]>>();

function remembered(fields: ReadonlySet<string>, scope: object, columns: () => readonly string[]): readonly string[] {
  let byFields = columnsOfFields.get(scope);
  if (!byFields) columnsOfFields.set(scope, (byFields = new WeakMap()));
  let known = byFields.get(fields);
  if (!known) byFields.set(fields, (known = columns()));
  return known;
}

const CALLBACK_COLUMNS: readonly string[] = Object.values(Prisma.CallbackScalarFieldEnum);
/** What every callback row carries: its lead (for grouping) and its order. */
const CALLBACK_KEY_COLUMNS = ['id', 'leadId', 'dueAt'];

const callbacksCacheKey = (key: CallbacksKey) => `${key.leadId}|${key.columns.join()}`;

/** One statement per distinct column set (in practice: one), due soonest first. */
async function loadCallbacks(tx: Tx, orgId: string, keys: readonly CallbacksKey[]): Promise<Callback[][]> {
  const loaded = new Map<string, Callback[]>();
  for (const sameShape of groupBy(keys, (key) => key.columns.join()).values()) {
    const [{ columns }] = sameShape;
    const leadIds = sameShape.map((key) => key.leadId);
    const rows = await queryPrepared<Record<string, unknown>>(
      tx,
      Prisma.sql`SELECT ${columnList(columns)} FROM "Callback" x
        WHERE x."orgId" = ${orgId}::uuid AND x."leadId" = ANY(${leadIds}::uuid[])
        ORDER BY x."dueAt", x.id`,
      { variesWithSelection: true },
    );
    const grouped = groupBy(
      rows.map((row) => normalizeRow(row) as unknown as Callback),
      (row) => row.leadId,
    );
    for (const leadId of leadIds) loaded.set(callbacksCacheKey({ leadId, columns }), grouped.get(leadId) ?? []);
  }
  return keys.map((key) => loaded.get(callbacksCacheKey(key)) ?? []);
}

/** `x."a", x."b"`: column names come from Prisma's generated field enums, never from input. */
export function columnList(columns: readonly string[]): Prisma.Sql {
  return Prisma.raw(columns.map((column) => `x."${column}"`).join(', '));
}

const TABLE_COLUMNS: Record<TimelineTable, readonly string[]> = {
  LeadEvent: Object.values(Prisma.LeadEventScalarFieldEnum),
  Message: Object.values(Prisma.MessageScalarFieldEnum),
};
/** What every timeline row carries: its order and cursor (createdAt, id) and its lead. */
const ROW_KEY_COLUMNS = ['id', 'leadId', 'createdAt'];

/** The columns a page's rows need for these fields (see columnsFor), with the row's key; every column when fields are not given. */
function timelineColumns(table: TimelineTable, fields: ReadonlySet<string> | undefined): readonly string[] {
  const all = TABLE_COLUMNS[table];
  if (!fields) return all;
  return remembered(fields, all, () => columnsFor(new Set([...fields, ...ROW_KEY_COLUMNS]), all) ?? all);
}

async function loadTimelinePages<T extends TimelineTable>(
  tx: Tx,
  table: T,
  orgId: string,
  keys: readonly PageKey[],
  counts: DataLoader<string, number>,
): Promise<Page<TimelineRow<T>>[]> {
  // Counted only if a client selects totalCount (batched across the page of leads).
  const totalOf = (leadId: string) => () => counts.load(leadId);
  const pages = new Map<PageKey, Page<TimelineRow<T>>>();
  // One query per distinct page size and column set (in practice: one).
  const firstPages = groupBy(
    keys.filter((key) => key.after === null),
    (key) => `${key.first}|${key.columns.join()}`,
  );
  for (const sameShape of firstPages.values()) {
    const [{ first, columns }] = sameShape;
    const leadIds = sameShape.map((key) => key.leadId);
    const byLead = groupBy(await firstRowsPerLead(tx, table, orgId, leadIds, first + 1, columns), (row) => row.leadId);
    for (const key of sameShape) {
      const own = (byLead.get(key.leadId) ?? []) as TimelineRow<T>[];
      pages.set(key, toPage(own, first, totalOf(key.leadId), positionOf));
    }
  }
  // Later pages of one lead's timeline are rare (paging a single lead): one query each.
  for (const key of keys) {
    if (key.after === null) continue;
    const where = { AND: [{ orgId, leadId: key.leadId }, afterAscending('createdAt', decodeCursor(key.after))] };
    const orderBy = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
    const select = Object.fromEntries(key.columns.map((column) => [column, true]));
    const rows = (table === 'LeadEvent'
      ? await tx.leadEvent.findMany({ where, orderBy, take: key.first + 1, select })
      : await tx.message.findMany({ where, orderBy, take: key.first + 1, select })) as unknown as TimelineRow<T>[];
    pages.set(key, toPage(rows, key.first, totalOf(key.leadId), positionOf));
  }
  return keys.map((key) => {
    const page = pages.get(key);
    if (!page) throw new Error(`no timeline page was loaded for lead ${key.leadId}`);
    return page;
  });
}

/** Items per key, each group in the items' order, the groups in the order their key first appears (one pass). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, [T, ...T[]]> {
  const groups = new Map<string, [T, ...T[]]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function positionOf(row: { createdAt: Date; id: string }) {
  return { key: row.createdAt.toISOString(), id: row.id };
}

/**
 * The first `limit` rows of each lead's timeline: per lead, an index scan on
 * (leadId, createdAt, id) that stops after `limit` rows, instead of reading every
 * row of the page's leads and numbering them.
 */
async function firstRowsPerLead(tx: Tx, table: TimelineTable, orgId: string, leadIds: string[], limit: number, columns: readonly string[]) {
  const rows = await queryPrepared<Record<string, unknown>>(
    tx,
    Prisma.sql`SELECT ${columnList(columns)}
    FROM unnest(${leadIds}::uuid[]) AS lead(id)
    CROSS JOIN LATERAL (
      SELECT ${columnList(columns)} FROM ${Prisma.raw(`"${table}"`)} x
      WHERE x."orgId" = ${orgId}::uuid AND x."leadId" = lead.id
      ORDER BY x."createdAt", x.id
      LIMIT ${limit}
    ) x
    ORDER BY x."leadId", x."createdAt", x.id`,
    { variesWithSelection: true },
  );
  return rows.map((row) => normalizeRow(row)) as unknown as (LeadEvent | Message)[];
}

async function countPerLead(tx: Tx, table: TimelineTable, orgId: string, leadIds: string[]): Promise<Map<string, number>> {
  if (leadIds.length === 0) return new Map();
  const rows = await queryPrepared<{ leadId: string; total: number }>(
    tx,
    Prisma.sql`SELECT x."leadId" AS "leadId", count(*)::int AS total
    FROM ${Prisma.raw(`"${table}"`)} x
    WHERE x."orgId" = ${orgId}::uuid AND x."leadId" = ANY(${leadIds}::uuid[])
    GROUP BY x."leadId"`,
  );
  return new Map(rows.map((row) => [row.leadId, row.total]));
}

/** The loaders of one GraphQL request. */
export function leadLoadersFor(context: object, tx: Tx, orgId: string, userId: string | null): LeadLoaders {
  return perRequest(context, 'leads', () => createLeadLoaders(tx, orgId, userId));
}

/** Leads by id in one organization, batched per request (callbacks and staff alerts point at their lead). */
export function leadsByIdLoaderFor(context: object, tx: Tx, orgId: string) {
  return perRequest(
    context,
    'leadsById',
    () =>
      new DataLoader(async (ids: readonly string[]) => {
        const rows = await tx.lead.findMany({ where: { orgId, id: { in: [...ids] } } });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? new Error('Lead not found'));
      }),
  );
}
