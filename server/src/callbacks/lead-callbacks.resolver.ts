// `Lead.callbacks`: a lead's callbacks, resolved here so leads/ never imports
// callbacks/ (callbacks build on leads, not the other way round).
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { actorOf, type GraphQLContext } from '../graphql/context';
import { Lead } from '../leads/lead.types';
import type { LeadRow } from '../leads/leads.service';
import { callbacksKey, leadLoadersFor } from '../leads/lead.loaders';
import { selectedFieldNames } from '../graphql/selection';
import { Callback } from './callback.types';

/**
 * What the computed fields of Callback (callbacks.resolver.ts) read from its row,
 * so a lead's callbacks are read with only the columns a query needs. A field
 * missing here makes them read whole rows.
 */
const CALLBACK_FIELD_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  lead: ['leadId'],
  assignee: ['assigneeId'],
  overdue: ['status', 'dueAt'],
};

@Resolver(() => Lead)
export class LeadCallbacksResolver {
  @FieldResolver(() => [Callback], { description: 'All callbacks of this lead, due soonest first.' })
  // The row as read (not a Lead instance: type-graphql copies a root into its declared class), of which only the id is needed.
  callbacks(@Root() lead: Pick<LeadRow, 'id'>, @Ctx() context: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    const identity = context.identity;
    const userId = identity?.kind === 'user' ? identity.userId : null;
    const loaders = leadLoadersFor(context, context.deps.db.prisma, actorOf(context).orgId, userId);
    return loaders.callbacksReadAlong(lead.id) ?? loaders.callbacks.load(callbacksKey(lead.id, selectedFieldNames(info), CALLBACK_FIELD_COLUMNS));
  }
}
