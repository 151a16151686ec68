// GraphQL types of the callback queue.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CallbackOutcome, CallbackStatus } from '../generated/prisma/enums';
import { Connection } from '../graphql/connection';

/** One type for a staff member's account (the viewer's too): access owns it. */
export { StaffUser } from '../access/staff.types';

registerEnumType(CallbackStatus, {
  name: 'CallbackStatus',
  description:
    'OPEN (waiting, due by the SLA; a retry also has the time it may be made from), SCHEDULED (a time agreed with the caller), COMPLETED or CANCELED.',
});
registerEnumType(CallbackOutcome, {
  name: 'CallbackOutcome',
  description:
    'How a completed callback went. BOOKED books the lead; NOT_INTERESTED and WRONG_NUMBER close it as LOST; NO_ANSWER and LEFT_VOICEMAIL open the next attempt (settings.callbackRetryMinutes) or, when none is left, mark the lead needsDecision.',
});

@ObjectType({ description: 'A call the shop owes a caller.' })
export class Callback {
  @Field(() => ID, { description: 'Callback id.' })
  id!: string;

  @Field(() => CallbackStatus, { description: 'OPEN, SCHEDULED, COMPLETED or CANCELED.' })
  status!: CallbackStatus;

  @Field({
    description:
      "When the shop must have called back: the missed call plus settings.callbackSlaMinutes (outside business hours, the next opening plus the SLA), a retry's scheduledFor plus the SLA, or the time agreed with the caller.",
  })
  dueAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      'The time agreed with the caller (SCHEDULED), or when a retry attempt may be made (OPEN, attempt 2 and later: the wait in settings.callbackRetryMinutes, moved into business hours).',
  })
  scheduledFor!: Date | null;

  @Field(() => Int, { description: '1 for the first callback after a missed call, 2 for the first retry after NO_ANSWER or LEFT_VOICEMAIL, and so on.' })
  attempt!: number;

  @Field(() => CallbackOutcome, { nullable: true, description: 'How it went, once completed.' })
  outcome!: CallbackOutcome | null;

  @Field(() => String, { nullable: true, description: 'Notes from the call.' })
  notes!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was completed.' })
  completedAt!: Date | null;

  @Field({ description: 'When it was opened.' })
  createdAt!: Date;

  @Field({
    description:
      'When the callback last changed (status, assignee, due time, outcome, overdue). Pass the latest value you have seen as CallbackFilter.updatedSince to fetch only what changed since.',
  })
  updatedAt!: Date;

  // Resolved by the queue resolver: lead, assignee, overdue.
  leadId!: string;
  assigneeId!: string | null;
}

@ObjectType({ description: 'A page of callbacks, due soonest first.' })
export class CallbackConnection extends Connection(Callback) {}

@InputType({ description: 'Which callbacks to list. All conditions must hold.' })
export class CallbackFilter {
  @Field(() => [CallbackStatus], { nullable: true, description: 'Only these statuses (omit for all).' })
  status?: CallbackStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Only callbacks assigned to this user id.' })
  assigneeId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only OPEN/SCHEDULED callbacks past their due time; false: only those not yet due.' })
  overdue?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Only callbacks due before this time.' })
  dueBefore?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Only callbacks changed at or after this time (Callback.updatedAt). The list is then ordered oldest change first (updatedAt, id), so a sync can page to the end and resume: a callback changed while you page moves behind your cursor and is still seen.',
  })
  updatedSince?: Date | null;
}
