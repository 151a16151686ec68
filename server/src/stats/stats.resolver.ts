import { Arg, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { recoveryStats } from './stats.service';

@ObjectType({ description: "Missed calls on one day (in the organization's time zone)." })
export class DailyCount {
  @Field({ description: 'The day, YYYY-MM-DD.' })
  date!: string;

  @Field(() => Int, { description: 'How many.' })
  count!: number;
}

@ObjectType({
  description:
    'How well missed calls were recovered in a time range. A lead counts as recovered when the caller replied or a callback was completed as BOOKED — not because a text was sent.',
})
export class Stats {
  @Field({ description: 'Start of the range (inclusive).' })
  since!: Date;

  @Field({ description: 'End of the range (exclusive).' })
  until!: Date;

  @Field(() => Int, { description: 'Missed calls (every call, including repeat calls).' })
  missedCalls!: number;

  @Field(() => Int, { description: 'Distinct leads behind those missed calls.' })
  missedCallLeads!: number;

  @Field(() => Int, { description: 'Text-backs the provider accepted.' })
  textBacksSent!: number;

  @Field(() => Int, { description: 'Text-backs not sent on purpose (cooldown, opt-out, disabled, billing).' })
  textBacksSkipped!: number;

  @Field(() => Int, { description: 'Texts received from callers.' })
  replies!: number;

  @Field(() => Float, { nullable: true, description: 'Share (0–1) of texted leads that replied; null when nobody was texted.' })
  replyRate!: number | null;

  @Field(() => Int, { description: 'Callbacks completed.' })
  callbacksCompleted!: number;

  @Field(() => Float, { nullable: true, description: 'Median minutes from the missed call to the completed callback.' })
  medianMinutesToCallback!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile of minutes from the missed call to the completed callback.' })
  p90MinutesToCallback!: number | null;

  @Field(() => Int, { description: 'Leads that became BOOKED.' })
  bookedLeads!: number;

  @Field(() => Int, { description: 'Leads with a missed call in the range that replied or were booked by a callback.' })
  recoveredLeads!: number;

  @Field(() => Float, { nullable: true, description: 'recoveredLeads / missedCallLeads (0–1); null without missed calls.' })
  recoveryRate!: number | null;

  @Field(() => Int, { description: 'Open or scheduled callbacks past their due time right now.' })
  overdueCallbacksNow!: number;

  @Field(() => [DailyCount], { description: 'Missed calls per day (days without calls are omitted).' })
  missedCallsByDay!: DailyCount[];

  @Field(() => Int, { description: 'Right now, whatever the range: open leads (NEW or CONTACTED).' })
  openLeads!: number;

  @Field(() => Int, { description: "Right now: open leads whose caller's latest text is unanswered (Lead.needsReply; first in the inbox)." })
  needsReply!: number;

  @Field(() => Int, {
    description:
      'Right now: open leads whose open callback is past its due time (Lead.callbackOverdue), including those that also need a reply. Set by the SLA escalation, so it may trail overdueCallbacksNow by a few seconds.',
  })
  callbackOverdue!: number;

  @Field(() => Int, { description: 'Right now: open leads whose every callback attempt went unanswered (Lead.needsDecision): staff must decide what next.' })
  needsDecision!: number;

  @Field(() => Int, {
    description:
      'Right now: open leads with a missed call the viewer has not seen (no read of the lead since that call), whether or not the caller replied. Per staff member; for an API credential, every open lead with a missed call.',
  })
  newMissedCalls!: number;

  @Field(() => Int, { description: "Missed calls since midnight in the organization's time zone (every call, repeat calls included), whatever the range." })
  missedCallsToday!: number;
}

@Resolver()
export class StatsResolver {
  @Query(() => Stats, { description: 'Recovery statistics for [since, until) — default: the last 7 days; at most 366 days.' })
  stats(
    @Ctx() context: GraphQLContext,
    @Arg('since', () => Date, { nullable: true, description: 'Start (inclusive); default 7 days before until.' }) since: Date | null,
    @Arg('until', () => Date, { nullable: true, description: 'End (exclusive); default now.' }) until: Date | null,
  ) {
    return recoveryStats(context.deps.db.prisma, actorOf(context), { since, until }, context.deps.clock);
  }
}
