// Thin GraphQL adapter over dashboard notices.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import { dismissNotice, listNotices } from './notices.service';
import { Notice } from './notices.types';

@Resolver(() => Notice)
export class NoticesResolver {
  @Query(() => [Notice], { description: 'Standing notices for managers (newest first, at most 100). OWNER and ADMIN sessions only.' })
  notices(
    @Ctx() context: GraphQLContext,
    @Arg('includeDismissed', () => Boolean, { nullable: true, description: 'Also list dismissed notices (default false).' }) includeDismissed: boolean | null,
  ) {
    return listNotices(context.deps.db.prisma, actorOf(context), { includeDismissed });
  }

  @Mutation(() => Notice, { description: 'Dismisses a notice for the whole organization (audited notice.dismissed). Dismissing it again changes nothing.' })
  dismissNotice(@Ctx() context: GraphQLContext, @Arg('id', () => ID, { description: 'The notice.' }) id: string) {
    const { db, clock } = context.deps;
    const actor = actorOf(context);
    return inTransaction(db.prisma, (tx) => dismissNotice(tx, actor, id, clock));
  }
}
