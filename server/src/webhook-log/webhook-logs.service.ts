// Reading the webhook log of the actor's org (deliveries that could not be
// tied to an org, e.g. an unknown tracking number, are visible to operators only).
import type { Tx } from '../db/types';
import type { Prisma, WebhookLog } from '../generated/prisma/client';
import type { WebhookOutcome, WebhookProvider } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';
import { paginate, type Page } from '../db/pagination';

export interface WebhookLogFilterInput {
  provider?: WebhookProvider | null;
  outcome?: WebhookOutcome[] | null;
  since?: Date | null;
  until?: Date | null;
}

export async function listWebhookLogs(
  tx: Tx,
  actor: Actor,
  filter: WebhookLogFilterInput | null | undefined,
  first?: number | null,
  after?: string | null,
): Promise<Page<WebhookLog>> {
  const and: Prisma.WebhookLogWhereInput[] = [{ orgId: actor.orgId }];
  if (filter?.provider) and.push({ provider: filter.provider });
  if (filter?.outcome && filter.outcome.length > 0) and.push({ outcome: { in: filter.outcome } });
  if (filter?.since) and.push({ receivedAt: { gte: filter.since } });
  if (filter?.until) and.push({ receivedAt: { lt: filter.until } });
  return paginate({
    first,
    after,
    sortKey: 'receivedAt',
    direction: 'desc',
    where: { AND: and },
    findMany: (args) => tx.webhookLog.findMany(args),
    count: (args) => tx.webhookLog.count(args),
  });
}
