// subscription inboxUpdates: the subscriber's organization's inbox notices,
// each delivered with the lead read fresh for the subscriber when it asks for it
// (a subscriber that selects only leadId costs no database read per notice, so it
// keeps up with a burst).
import { Ctx, FieldResolver, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../graphql/context';
import { getLead } from './leads.service';
import { notFound } from '../common/errors';
import { noticeStream } from '../live/notice-stream';
import { subscribeInboxUpdates, type InboxUpdateNotice } from '../live/inbox-updates';
import { InboxUpdate } from './inbox-update.types';
import { Lead } from './lead.types';

@Resolver(() => InboxUpdate)
export class InboxUpdatesResolver {
  @Subscription(() => InboxUpdate, {
    description:
      'Live inbox: a missed call, a reply, a callback coming due or overdue, or any other change on a lead of your organization, as it happens (WebSocket on /graphql, protocol graphql-transport-ws). Each update carries the lead as it is when delivered. An update that never arrives costs latency, not data: refetch the inbox after reconnecting.',
    subscribe: ({ context }: SubscribeResolverData<unknown, Record<string, never>, GraphQLContext>) => {
      const { orgId } = actorOf(context);
      return noticeStream<InboxUpdateNotice>((push) => subscribeInboxUpdates(context.deps.live, orgId, push));
    },
  })
  inboxUpdates(@Root() notice: InboxUpdateNotice, @Ctx() context: GraphQLContext): InboxUpdate {
    // The channel is the subscriber's organization already; checked again before anything is delivered.
    if (notice.orgId !== actorOf(context).orgId) throw notFound('Lead');
    return { kind: notice.kind, at: notice.at, leadId: notice.leadId };
  }

  @FieldResolver(() => Lead)
  async lead(@Root() update: InboxUpdate, @Ctx() context: GraphQLContext): Promise<Lead> {
    return getLead(context.deps.db.prisma, actorOf(context), update.leadId);
  }
}
