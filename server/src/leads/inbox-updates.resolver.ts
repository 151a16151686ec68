// subscription inboxUpdates: the subscriber's organization's inbox notices,
// each delivered with the lead read fresh for the subscriber.
import { Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../graphql/context';
import { getLead } from './leads.service';
import { notFound } from '../common/errors';
import { noticeStream } from '../live/notice-stream';
import { subscribeInboxUpdates, type InboxUpdateNotice } from '../live/inbox-updates';
import { InboxUpdate } from './inbox-update.types';

@Resolver()
export class InboxUpdatesResolver {
  @Subscription(() => InboxUpdate, {
    description:
      'Live inbox: a missed call, a reply, a callback coming due or overdue, or any other change on a lead of your organization, as it happens (WebSocket on /graphql, protocol graphql-transport-ws). Each update carries the lead as it is when delivered. An update that never arrives costs latency, not data: refetch the inbox after reconnecting.',
    subscribe: ({ context }: SubscribeResolverData<unknown, Record<string, never>, GraphQLContext>) => {
      const { orgId } = actorOf(context);
      return noticeStream<InboxUpdateNotice>((push) => subscribeInboxUpdates(context.deps.live, orgId, push));
    },
  })
  async inboxUpdates(@Root() notice: InboxUpdateNotice, @Ctx() context: GraphQLContext): Promise<InboxUpdate> {
    const actor = actorOf(context);
    // The channel is the subscriber's organization already; checked again here, where the lead is read.
    if (notice.orgId !== actor.orgId) throw notFound('Lead');
    const lead = await getLead(context.deps.db.prisma, actor, notice.leadId);
    return { kind: notice.kind, at: notice.at, lead };
  }
}
