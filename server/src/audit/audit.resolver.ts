import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { PageArgs } from '../graphql/connection';
import { listAuditEntries } from './audit.queries';
import { AuditEntry, AuditEntryConnection, AuditEntryFilter } from './audit.types';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: "The organization's audit trail, newest first." })
  async auditEntries(
    @Arg('filter', () => AuditEntryFilter, { nullable: true, description: 'Optional filters.' }) filter: AuditEntryFilter | null,
    @Args() page: PageArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<AuditEntryConnection> {
    const connection = await listAuditEntries(context.deps.db.prisma, actorOf(context), filter ?? {}, page);
    return { ...connection, nodes: connection.nodes.map((row) => ({ ...row, changes: (row.changes ?? {}) as Record<string, unknown> }) satisfies AuditEntry) };
  }
}
