// Thin GraphQL adapter over the leads service.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import { Callback } from '../callbacks/callback.types';
import { Lead, LeadConnection, LeadEvent, LeadEventConnection, LeadFilter, MessageConnection, UpdateLeadInput } from './lead.types';
import { addLeadNote, getLead, listLeads, updateLead } from './leads.service';
import { leadLoadersFor, timelineKey } from './lead.loaders';

const FIRST = 'Page size, 1–100 (default 20).';
const AFTER = 'Cursor from pageInfo.endCursor of the previous page.';

@Resolver(() => Lead)
export class LeadsResolver {
  @Query(() => LeadConnection, { description: 'Leads of your organization, most recent activity first.' })
  leads(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => LeadFilter, { nullable: true, description: 'Conditions every lead must meet.' }) filter: LeadFilter | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
  ) {
    return listLeads(context.deps.db.prisma, actorOf(context), filter, first, after);
  }

  @Query(() => Lead, { description: 'One lead by id. A lead of another organization is NOT_FOUND.' })
  lead(@Ctx() context: GraphQLContext, @Arg('id', () => ID, { description: 'Lead id.' }) id: string) {
    return getLead(context.deps.db.prisma, actorOf(context), id);
  }

  @Mutation(() => Lead, { description: 'Change a lead\'s name or status (see UpdateLeadInput for allowed status changes). Audited as lead.updated.' })
  updateLead(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => ID, { description: 'Lead id.' }) id: string,
    @Arg('input', () => UpdateLeadInput, { description: 'The changes.' }) input: UpdateLeadInput,
  ) {
    const { db, clock } = context.deps;
    return inTransaction(db.prisma, (tx) => updateLead(tx, actorOf(context), id, input, clock));
  }

  @Mutation(() => LeadEvent, { description: 'Add a staff note (1–2000 characters) to a lead\'s timeline. Audited as lead.note_added.' })
  addLeadNote(
    @Ctx() context: GraphQLContext,
    @Arg('leadId', () => ID, { description: 'Lead id.' }) leadId: string,
    @Arg('body', { description: 'The note.' }) body: string,
  ) {
    const { db, clock } = context.deps;
    return inTransaction(db.prisma, (tx) => addLeadNote(tx, actorOf(context), leadId, body, clock));
  }

  @FieldResolver(() => LeadEventConnection, { description: 'The lead\'s timeline, oldest first.' })
  events(
    @Root() lead: Lead,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
  ) {
    return this.loaders(context).events.load(timelineKey(lead.id, first, after));
  }

  @FieldResolver(() => MessageConnection, { description: 'Texts to and from the caller, oldest first.' })
  messages(
    @Root() lead: Lead,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after: string | null,
  ) {
    return this.loaders(context).messages.load(timelineKey(lead.id, first, after));
  }

  @FieldResolver(() => [Callback], { description: 'All callbacks of this lead, due soonest first.' })
  callbacks(@Root() lead: Lead, @Ctx() context: GraphQLContext) {
    return this.loaders(context).callbacks.load(lead.id);
  }

  private loaders(context: GraphQLContext) {
    return leadLoadersFor(context, context.deps.db.prisma, actorOf(context).orgId);
  }
}
