// Thin GraphQL adapter over the leads service.
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import { publishInboxUpdate } from '../live/inbox-updates';
import { Lead, LeadConnection, LeadEvent, LeadEventConnection, LeadFilter, MessageConnection, UpdateLeadInput } from './lead.types';
import { addLeadNote, getLead, LEAD_COLUMNS, LEAD_TRANSITIONS, listLeads, markLeadRead, updateLead, type LeadColumn, type LeadRow } from './leads.service';
import { LeadStatus } from '../generated/prisma/enums';
import { quietHoursEndAfter } from '../common/shop-time';
import { perRequest } from '../graphql/per-request';
import { permissionFor } from '../access/permissions';
import { decideAccess } from '../access/shield';
import { listInbox } from './inbox.service';
import { leadLoadersFor, timelineKey } from './lead.loaders';
import { handOverReadAlong, readAlongFor, readAlongItems } from './lead-page.loaders';
import { columnsFor, selectedFieldNames } from '../graphql/selection';

const permission = (operation: string) =>
  permissionFor(operation) ??
  ((): never => {
    throw new Error(`The permission table has no ${operation} row`);
  })();
// Lead.quietHoursNow reads the organization's settings: it needs their permission.
const SETTINGS_PERMISSION = permission('settings');
// Lead.callbacks is callbacks data (an edge the shield guards): a page reads them along only for a caller who may see them.
const CALLBACKS_PERMISSION = permission('callbacks');

/**
 * What the computed fields of Lead read from its row (the field resolvers below,
 * and Lead.callbacks in callbacks/lead-callbacks.resolver.ts), so `leads` reads
 * only the columns a query needs. A field missing here makes it read whole rows.
 */
const LEAD_FIELD_COLUMNS: Readonly<Record<string, readonly LeadColumn[]>> = {
  events: ['id'],
  messages: ['id'],
  unread: ['id'],
  callbacks: ['id'],
  allowedTransitions: ['status'],
  quietHoursNow: [],
};

const FIRST = 'Page size, 1–100 (default 20).';
const AFTER = 'Cursor from pageInfo.endCursor of the previous page.';

@Resolver(() => Lead)
export class LeadsResolver {
  @Query(() => LeadConnection, {
    description: 'Leads of your organization, most recent activity first; with filter.updatedSince, oldest change first (updatedAt, id) for incremental sync.',
  })
  async leads(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => LeadFilter, { nullable: true, description: 'Conditions every lead must meet.' }) filter: LeadFilter | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ) {
    const columns = columnsFor(selectedFieldNames(info, ['nodes']), LEAD_COLUMNS, LEAD_FIELD_COLUMNS) ?? undefined;
    const actor = actorOf(context);
    const along = readAlongFor(info, { callbacks: decideAccess(CALLBACKS_PERMISSION, context.identity, context.identityProblem) === true });
    const page = await listLeads(context.deps.db.prisma, actor, filter, first, after, columns, readAlongItems(actor.orgId, along));
    handOverReadAlong(page.nodes, along, this.loaders(context));
    return page;
  }

  @Query(() => LeadConnection, {
    description:
      'Open leads (NEW, CONTACTED) in work order: needing a reply, then callback overdue, then new missed calls, then the rest; latest activity first within each. The first page is always the most urgent work. A lead whose place changes while you page may be skipped or seen twice: refetch from the start on a live update.',
  })
  inbox(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
  ) {
    return listInbox(context.deps.db.prisma, actorOf(context), first, after);
  }

  @Query(() => Lead, { description: 'One lead by id. A lead of another organization is NOT_FOUND.' })
  lead(@Ctx() context: GraphQLContext, @Arg('id', () => ID, { description: 'Lead id.' }) id: string) {
    return getLead(context.deps.db.prisma, actorOf(context), id);
  }

  @Mutation(() => Lead, { description: "Change a lead's name or status (see UpdateLeadInput for allowed status changes). Audited as lead.updated." })
  async updateLead(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => ID, { description: 'Lead id.' }) id: string,
    @Arg('input', () => UpdateLeadInput, { description: 'The changes.' }) input: UpdateLeadInput,
  ) {
    const { db, clock } = context.deps;
    const actor = actorOf(context);
    const lead = await inTransaction(db.prisma, (tx) => updateLead(tx, actor, id, input, clock));
    publishInboxUpdate(context.deps.live, { orgId: actor.orgId, kind: 'LEAD_CHANGED', leadId: lead.id, at: clock.now() });
    return lead;
  }

  @Mutation(() => LeadEvent, { description: "Add a staff note (1–2000 characters) to a lead's timeline. Audited as lead.note_added." })
  async addLeadNote(
    @Ctx() context: GraphQLContext,
    @Arg('leadId', () => ID, { description: 'Lead id.' }) leadId: string,
    @Arg('body', { description: 'The note.' }) body: string,
  ) {
    const { db, clock } = context.deps;
    const actor = actorOf(context);
    const event = await inTransaction(db.prisma, (tx) => addLeadNote(tx, actor, leadId, body, clock));
    publishInboxUpdate(context.deps.live, { orgId: actor.orgId, kind: 'LEAD_CHANGED', leadId: event.leadId, at: clock.now() });
    return event;
  }

  @Mutation(() => Lead, {
    description:
      'Records that you (the signed-in staff member) have seen the lead as it is now: it stops being unread for you until something new happens on it. Staff sessions only; your own changes to a lead count as seeing it.',
  })
  markLeadRead(@Ctx() context: GraphQLContext, @Arg('id', () => ID, { description: 'Lead id.' }) id: string) {
    return inTransaction(context.deps.db.prisma, (tx) => markLeadRead(tx, actorOf(context), id));
  }

  @FieldResolver(() => LeadEventConnection, { description: "The lead's timeline, oldest first." })
  events(
    @Root() lead: LeadRow,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ) {
    const loaders = this.loaders(context);
    const key = timelineKey('LeadEvent', lead.id, first, after, selectedFieldNames(info, ['nodes']));
    return loaders.eventsReadAlong(key) ?? loaders.events.load(key);
  }

  @FieldResolver(() => MessageConnection, { description: 'Texts to and from the caller, oldest first.' })
  messages(
    @Root() lead: LeadRow,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.loaders(context).messages.load(timelineKey('Message', lead.id, first, after, selectedFieldNames(info, ['nodes'])));
  }

  @FieldResolver(() => Boolean, {
    description:
      'For the signed-in staff member: true when they never opened the lead, or something happened on it since they last did (see markLeadRead). Always false for API credentials, which have no read state.',
  })
  unread(@Root() lead: LeadRow, @Ctx() context: GraphQLContext) {
    return this.loaders(context).unread.load(lead.id);
  }

  @FieldResolver(() => [LeadStatus], {
    description:
      'The statuses updateLead may move this lead to from its current one (the rule UpdateLeadInput.status describes), so a client offers only those. Reopening (to CONTACTED) is still refused when the caller has another open lead.',
  })
  allowedTransitions(@Root() lead: LeadRow): readonly LeadStatus[] {
    return LEAD_TRANSITIONS[lead.status];
  }

  @FieldResolver(() => Boolean, {
    description:
      "True when quiet hours are on and the shop's clock (settings.timezone) is inside them now. A staff reply still goes out (the caller is in a conversation), but it may be late for them. Settings data: needs what the settings query needs (settings:read for a credential).",
  })
  async quietHoursNow(@Ctx() context: GraphQLContext): Promise<boolean> {
    const settingsAccess = decideAccess(SETTINGS_PERMISSION, context.identity, context.identityProblem);
    if (settingsAccess !== true) throw settingsAccess;
    const { db, clock } = context.deps;
    const orgId = actorOf(context).orgId;
    const settings = await perRequest(context, 'leads.quietHoursSettings', () =>
      db.prisma.orgSettings.findUnique({ where: { orgId }, select: { timezone: true, quietHoursEnabled: true, quietHoursStart: true, quietHoursEnd: true } }),
    );
    if (!settings) return false;
    const quietHours = { enabled: settings.quietHoursEnabled, start: settings.quietHoursStart, end: settings.quietHoursEnd };
    return quietHoursEndAfter(clock.now(), settings.timezone, quietHours) !== null;
  }

  private loaders(context: GraphQLContext) {
    const identity = context.identity;
    const userId = identity?.kind === 'user' ? identity.userId : null;
    return leadLoadersFor(context, context.deps.db.prisma, actorOf(context).orgId, userId);
  }
}

/**
 * Lead.events as the built schema resolves it (api/schema.ts): the method above,
 * called with its arguments as they are. type-graphql hands a method its @Arg
 * values through an async validation step even with validation off, so each lead
 * of a page would answer its timeline with a promise and graphql-js would complete
 * the page lead by lead through promises. Called directly, a timeline read along
 * with the page (lead-page.loaders.ts) is a value, and the page completes in one pass.
 * type-graphql middlewares (@UseMiddleware, @Authorized) on the method would not run:
 * it has none; the shield's middleware still wraps the field (applied after this).
 */
const timelines = new LeadsResolver();
export const directLeadResolvers: Record<string, GraphQLFieldResolver<LeadRow, GraphQLContext, { first?: number | null; after?: string | null }>> = {
  events: (lead, args, context, info) => timelines.events(lead, context, args.first ?? null, args.after ?? null, info),
};
