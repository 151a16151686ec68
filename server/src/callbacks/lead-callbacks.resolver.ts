// `Lead.callbacks`: a lead's callbacks, resolved here so leads/ never imports
// callbacks/ (callbacks build on leads, not the other way round).
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../graphql/context';
import { Lead } from '../leads/lead.types';
import { leadLoadersFor } from '../leads/lead.loaders';
import { Callback } from './callback.types';

@Resolver(() => Lead)
export class LeadCallbacksResolver {
  @FieldResolver(() => [Callback], { description: 'All callbacks of this lead, due soonest first.' })
  callbacks(@Root() lead: Lead, @Ctx() context: GraphQLContext) {
    const identity = context.identity;
    const userId = identity?.kind === 'user' ? identity.userId : null;
    return leadLoadersFor(context, context.deps.db.prisma, actorOf(context).orgId, userId).callbacks.load(lead.id);
  }
}
