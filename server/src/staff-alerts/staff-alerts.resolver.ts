// Thin GraphQL adapter over the staff alert record.
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { Lead } from '../leads/lead.types';
import { leadsByIdLoaderFor } from '../leads/lead.loaders';
import { listStaffAlerts } from './staff-alerts.service';
import { StaffAlert, StaffAlertConnection, StaffAlertFilter } from './staff-alerts.types';

@Resolver(() => StaffAlert)
export class StaffAlertsResolver {
  @Query(() => StaffAlertConnection, {
    description: 'Every SMS alert texted (or meant) to staff phones, newest first, with whether it went out. OWNER and ADMIN sessions only.',
  })
  staffAlerts(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => StaffAlertFilter, { nullable: true, description: 'Conditions every alert must meet.' }) filter: StaffAlertFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor from pageInfo.endCursor of the previous page.' }) after: string | null,
  ) {
    return listStaffAlerts(context.deps.db.prisma, actorOf(context), filter, { first, after });
  }

  @FieldResolver(() => Lead, { description: 'The lead it is about.' })
  lead(@Root() alert: StaffAlert, @Ctx() context: GraphQLContext) {
    return leadsByIdLoaderFor(context, context.deps.db.prisma, actorOf(context).orgId).load(alert.leadId);
  }
}
