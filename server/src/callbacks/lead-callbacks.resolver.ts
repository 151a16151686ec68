// `Lead.callbacks`: a lead's callbacks, resolved here so leads/ never imports
// callbacks/ (callbacks build on leads, not the other way round).
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../graphql/context';
import { Lead } from '../leads/lead.types';
import type { LeadRow } from '../leads/leads.service';
import { leadLoadersFor } from '../leads/lead.loaders';
import { Callback } from './callback.types';

@Resolver(() => Lead)
export class LeadCallbacksResolver {
  @FieldResolver(() => [Callback], { description: 'All callbacks of this lead, due soonest first.' })
  // The row as read (not a Lead instance: type-graphql copies a root into its declared class), of which only the id is needed.
  callbacks(@Root() lead: Pick<LeadRow, 'id'>, @Ctx() context: GraphQLContext) {
    const identity = context.identity;
    const userId = identity?.kind === 'user' ? identity.userId : null;
    return leadLoadersFor(context, context.deps.db.prisma, actorOf(context).orgId, userId).callbacks.load(lead.id);
  }
}
