import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { WebhookLogConnection, WebhookLogFilter } from './webhook-log.types';
import { listWebhookLogs } from './webhook-logs.service';

@Resolver()
export class WebhookLogsResolver {
  @Query(() => WebhookLogConnection, { description: "Provider deliveries to your organization's numbers and billing, newest first." })
  webhookLogs(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => WebhookLogFilter, { nullable: true, description: 'Conditions every delivery must meet.' }) filter: WebhookLogFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor from pageInfo.endCursor of the previous page.' }) after: string | null,
  ) {
    return listWebhookLogs(context.deps.db.prisma, actorOf(context), filter, first, after);
  }
}
