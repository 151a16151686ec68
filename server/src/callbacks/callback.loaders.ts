// Per-request batching of a callback page's leads and assignees.
import { ACCEPTED_MEMBERSHIP } from '../access/staff';
import DataLoader from 'dataloader';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { perRequest } from '../graphql/per-request';
import { leadsByIdLoaderFor } from '../leads/lead.loaders';

function createCallbackLoaders(context: GraphQLContext) {
  const prisma = context.deps.db.prisma;
  const orgId = actorOf(context).orgId;
  return {
    leads: leadsByIdLoaderFor(context, prisma, orgId),
    users: new DataLoader(async (ids: readonly string[]) => {
      // Only users who are (still) members of the org are visible.
      const rows = await prisma.user.findMany({
        where: { id: { in: [...ids] }, memberships: { some: { orgId, ...ACCEPTED_MEMBERSHIP } } },
        select: { id: true, email: true, name: true },
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function callbackLoadersFor(context: GraphQLContext) {
  return perRequest(context, 'callbacks', () => createCallbackLoaders(context));
}
