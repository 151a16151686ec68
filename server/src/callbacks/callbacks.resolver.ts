// Thin GraphQL adapter over the callback queue.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import { CallbackOutcome } from '../generated/prisma/enums';
import { Lead } from '../leads/lead.types';
import { Callback, CallbackConnection, CallbackFilter, StaffUser } from './callback.types';
import { assignCallback, cancelCallback, completeCallback, isOverdue, listCallbacks, scheduleCallback } from './callback-queue.service';
import { callbackLoadersFor } from './callback.loaders';
import { publishInboxUpdate } from '../live/inbox-updates';
import type { CallbackRow } from './callback-queue.service';

/** The inbox hears of every staff change to a lead's callbacks, once it committed. */
function announced(context: GraphQLContext, callback: CallbackRow): CallbackRow {
  publishInboxUpdate(context.deps.live, { orgId: callback.orgId, kind: 'LEAD_CHANGED', leadId: callback.leadId, at: context.deps.clock.now() });
  return callback;
}

@Resolver(() => Callback)
export class CallbacksResolver {
  @Query(() => CallbackConnection, {
    description: 'Callbacks of your organization, due soonest first; with filter.updatedSince, oldest change first (updatedAt, id) for incremental sync.',
  })
  callbacks(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => CallbackFilter, { nullable: true, description: 'Conditions every callback must meet.' }) filter: CallbackFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor from pageInfo.endCursor of the previous page.' }) after: string | null,
  ) {
    return listCallbacks(context.deps.db.prisma, actorOf(context), filter, context.deps.clock, first, after);
  }

  @Mutation(() => Callback, {
    description: "Agree a time with the caller: reschedules the lead's open callback or opens a SCHEDULED one. Audited as callback.scheduled.",
  })
  async scheduleCallback(
    @Ctx() context: GraphQLContext,
    @Arg('leadId', () => ID, { description: 'Lead id.' }) leadId: string,
    @Arg('at', { description: 'The agreed time (ISO 8601).' }) at: Date,
    @Arg('assigneeId', () => ID, { nullable: true, description: 'Staff user to call (a member of the organization); omit to keep the current one.' })
    assigneeId: string | null | undefined,
  ) {
    const { db, clock } = context.deps;
    const callback = await inTransaction(db.prisma, (tx) => scheduleCallback(tx, actorOf(context), { leadId, at, assigneeId }, clock));
    return announced(context, callback);
  }

  @Mutation(() => Callback, { description: 'Assign an OPEN or SCHEDULED callback to a member, or unassign it with null. Audited as callback.assigned.' })
  async assignCallback(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => ID, { description: 'Callback id.' }) id: string,
    @Arg('assigneeId', () => ID, { nullable: true, description: 'Staff user id, or null to unassign.' }) assigneeId: string | null,
  ) {
    const { db, clock } = context.deps;
    const callback = await inTransaction(db.prisma, (tx) => assignCallback(tx, actorOf(context), id, assigneeId ?? null, clock));
    return announced(context, callback);
  }

  @Mutation(() => Callback, {
    description: 'Record how the call went. BOOKED books the lead; NOT_INTERESTED and WRONG_NUMBER close it as LOST. Audited as callback.completed.',
  })
  async completeCallback(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => ID, { description: 'Callback id.' }) id: string,
    @Arg('outcome', () => CallbackOutcome, { description: 'How it went.' }) outcome: CallbackOutcome,
    @Arg('notes', () => String, { nullable: true, description: 'Notes from the call (up to 2000 characters).' }) notes: string | null,
  ) {
    const { db, clock } = context.deps;
    const callback = await inTransaction(db.prisma, (tx) => completeCallback(tx, actorOf(context), { id, outcome, notes }, clock));
    return announced(context, callback);
  }

  @Mutation(() => Callback, { description: 'Withdraw an OPEN or SCHEDULED callback. Audited as callback.canceled.' })
  async cancelCallback(@Ctx() context: GraphQLContext, @Arg('id', () => ID, { description: 'Callback id.' }) id: string) {
    const { db, clock } = context.deps;
    const callback = await inTransaction(db.prisma, (tx) => cancelCallback(tx, actorOf(context), id, clock));
    return announced(context, callback);
  }

  @FieldResolver(() => Lead, { description: 'The lead to call back.' })
  lead(@Root() callback: Callback, @Ctx() context: GraphQLContext) {
    return callbackLoadersFor(context).leads.load(callback.leadId);
  }

  @FieldResolver(() => StaffUser, { nullable: true, description: 'Who is to call, if assigned.' })
  assignee(@Root() callback: Callback, @Ctx() context: GraphQLContext) {
    return callback.assigneeId ? callbackLoadersFor(context).users.load(callback.assigneeId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'True when the callback is OPEN or SCHEDULED and its due time has passed.' })
  overdue(@Root() callback: Callback, @Ctx() context: GraphQLContext) {
    return isOverdue(callback, context.deps.clock.now());
  }
}
