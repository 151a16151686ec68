import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { paginate } from '../db/pagination';
import { Billing, BillingRecordConnection, BillingSession } from './billing.types';
import { createBillingPortalSession, createCheckoutSession } from './billing-sessions.service';
import { planGate } from './plan-gate';
import type { BillingRecord, Prisma } from '../generated/prisma/client';

@Resolver(() => Billing)
export class BillingResolver {
  @Query(() => Billing, { description: 'Subscription state, what it means for text-backs, and recent billing records.' })
  async billing(@Ctx() context: GraphQLContext): Promise<Billing> {
    const actor = actorOf(context);
    const subscription = await context.deps.db.prisma.subscription.findUnique({ where: { orgId: actor.orgId } });
    const gate = planGate(subscription, context.deps.clock.now());
    return {
      status: subscription?.status ?? 'none',
      plan: subscription?.plan ?? null,
      priceId: subscription?.priceId ?? null,
      currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
      trialEnd: subscription?.trialEnd ?? null,
      cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
      textBacksActive: gate.textBacksActive,
      meaning: gate.meaning,
      banner: gate.banner,
    };
  }

  @FieldResolver(() => BillingRecordConnection, { description: 'Billing records, newest first.' })
  records(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor from pageInfo.endCursor of the previous page.' }) after: string | null,
  ) {
    const prisma = context.deps.db.prisma;
    return paginate<BillingRecord, Prisma.BillingRecordWhereInput>({
      first,
      after,
      sortKey: 'occurredAt',
      direction: 'desc',
      where: { orgId: actorOf(context).orgId },
      findMany: (args) => prisma.billingRecord.findMany(args),
      count: (args) => prisma.billingRecord.count(args),
    });
  }

  @Mutation(() => BillingSession, {
    description:
      'Owner only, live mode only: a Stripe Checkout page subscribing this organization to the price. In sandbox it answers BAD_USER_INPUT with extensions.reason LIVE_MODE_REQUIRED.',
  })
  createCheckoutSession(
    @Ctx() context: GraphQLContext,
    @Arg('priceId', { description: 'The Stripe price id (price_…) of the plan.' }) priceId: string,
  ): Promise<BillingSession> {
    return createCheckoutSession(context.deps.db.prisma, actorOf(context), { priceId }, context.deps);
  }

  @Mutation(() => BillingSession, {
    description:
      'Owner only, live mode only: a Stripe billing portal page to update the card, change plan or cancel. In sandbox it answers BAD_USER_INPUT with extensions.reason LIVE_MODE_REQUIRED.',
  })
  createBillingPortalSession(@Ctx() context: GraphQLContext): Promise<BillingSession> {
    return createBillingPortalSession(context.deps.db.prisma, actorOf(context), context.deps);
  }
}
