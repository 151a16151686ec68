// A page of leads as the dashboard and most partners ask for it (each lead's first
// timeline page, its callbacks, the total) read in the list's own statement: one
// round trip instead of four (the list, the total, the timelines, the callbacks),
// and rows the loaders then hand out without a query (lead.loaders.ts readAlong).
// Anything else (a later timeline page, timelines of two shapes, messages) still
// goes through the loaders, which answer the same.
import { getArgumentValues, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { Prisma } from '../generated/prisma/client';
import type { Callback, LeadEvent } from '../generated/prisma/client';
import { pageSize } from '../db/pagination';
import { fieldsAt, selectedFieldNames } from '../graphql/selection';
import { columnList, timelineKey, type LeadLoaders, type PageKey } from './lead.loaders';
import type { ReadAlong } from './leads.service';

/** What a page's selection lets its statement read along (see readAlongFor). */
export interface PageReadAlong {
  /** The shape of every lead's first timeline page (its lead id left blank), when all of the page's `events` ask for the same one. */
  events: PageKey | null;
  callbacks: boolean;
  total: boolean;
}

/** A JSON row's timestamps are text: the columns to turn back into Dates, as the driver gives them. */
type DateColumns<Row> = { [K in keyof Row]-?: Row[K] extends Date | null ? K : never }[keyof Row];
/** The names of `columns`, which must be every timestamp column of Row: a column added to the model and not listed fails the build. */
function everyDateColumn<Row>(columns: Record<DateColumns<Row>, true>): readonly (keyof Row)[] {
  return Object.keys(columns) as (keyof Row)[];
}
const EVENT_DATES = everyDateColumn<LeadEvent>({ createdAt: true });
const CALLBACK_DATES = everyDateColumn<Callback>({
  dueAt: true,
  scheduledFor: true,
  completedAt: true,
  canceledAt: true,
  overdueAt: true,
  dueAnnouncedAt: true,
  createdAt: true,
  updatedAt: true,
});

/**
 * What `leads(...) { totalCount nodes { events(first: n) {…} callbacks {…} } }` asks
 * for beyond the leads' columns. A lead's timeline is read along only when every
 * `events` of the page is one first page of one shape (as the events resolver keys
 * it); callbacks are read whole, which answers any selection of them, and only when
 * `allowed` (the caller may see callbacks: otherwise the edge refuses them unread).
 */
export function readAlongFor(info: GraphQLResolveInfo, allowed: { callbacks: boolean }): PageReadAlong {
  const nodeFields = fieldsAt(info, ['nodes']);
  return {
    events: eventsShape(
      info,
      nodeFields.filter((field) => field.name.value === 'events'),
    ),
    callbacks: allowed.callbacks && nodeFields.some((field) => field.name.value === 'callbacks'),
    total: fieldsAt(info, []).some((field) => field.name.value === 'totalCount'),
  };
}

function eventsShape(info: GraphQLResolveInfo, fieldNodes: ReturnType<typeof fieldsAt>): PageKey | null {
  const lead = info.schema.getType('Lead');
  const definition = isObjectType(lead) ? lead.getFields().events : undefined;
  const [one] = fieldNodes;
  if (!definition || !one || fieldNodes.some((field) => (field.alias ?? field.name).value !== (one.alias ?? one.name).value)) return null;
  const args = fieldNodes.map((field) => getArgumentValues(definition, field, info.variableValues));
  const first = args[0]?.first as number | null | undefined;
  if (args.some((arg) => arg.first !== first || (arg.after !== null && arg.after !== undefined))) return null;
  try {
    pageSize(first);
  } catch {
    return null; // an invalid size: the events field itself answers with the error
  }
  return timelineKey('LeadEvent', '', first, null, selectedFieldNames({ fieldNodes, fragments: info.fragments }, ['nodes']));
}

/** The select-list items over the lead `l` that read `along`'s timelines and callbacks (see ReadAlong). */
export function readAlongItems(orgId: string, along: PageReadAlong): ReadAlong {
  const items: Prisma.Sql[] = [];
  if (along.events) {
    const { first, columns } = along.events;
    // One more row than the page: it tells whether the timeline goes on (toPage).
    items.push(Prisma.sql`(SELECT coalesce(json_agg(x ORDER BY x."createdAt", x.id), '[]'::json) FROM (
        SELECT ${columnList(columns)} FROM "LeadEvent" x
        WHERE x."orgId" = ${orgId}::uuid AND x."leadId" = l.id
        ORDER BY x."createdAt", x.id
        LIMIT ${first + 1}) x) AS "pageEvents"`);
  }
  if (along.callbacks) {
    items.push(Prisma.sql`(SELECT coalesce(json_agg(x ORDER BY x."dueAt", x.id), '[]'::json) FROM "Callback" x
        WHERE x."orgId" = ${orgId}::uuid AND x."leadId" = l.id) AS "pageCallbacks"`);
  }
  return { items, total: along.total };
}

/** Hands what each row read along to the request's loaders, and takes it off the row. */
export function handOverReadAlong(rows: readonly object[], along: PageReadAlong, loaders: LeadLoaders): void {
  for (const row of rows as Record<string, unknown>[]) {
    const leadId = row.id as string;
    const events = row.pageEvents as Record<string, unknown>[] | undefined;
    const callbacks = row.pageCallbacks as Record<string, unknown>[] | undefined;
    // Last column first: deleting an object's newest property keeps its fast shape (pageTotal went first, in recentLeads).
    delete row.pageCallbacks;
    delete row.pageEvents;
    loaders.readAlong(leadId, {
      events: along.events && events ? { key: { ...along.events, leadId }, rows: events.map((event) => withDates<LeadEvent>(event, EVENT_DATES)) } : undefined,
      callbacks: callbacks?.map((callback) => withDates<Callback>(callback, CALLBACK_DATES)),
    });
  }
}

/** A row of json_agg with its timestamps as Dates (JSON gives them as ISO text with an offset). */
function withDates<Row>(row: Record<string, unknown>, dates: readonly (keyof Row)[]): Row {
  for (const column of dates as readonly string[]) {
    const value = row[column];
    if (typeof value === 'string') row[column] = new Date(value);
  }
  return row as Row;
}
