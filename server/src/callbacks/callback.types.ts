// GraphQL types of the callback queue.
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { CallbackOutcome, CallbackStatus } from '../generated/prisma/enums';
import { Connection } from '../graphql/connection';

registerEnumType(CallbackStatus, {
  name: 'CallbackStatus',
  description: 'OPEN (waiting, due by the SLA), SCHEDULED (a time agreed with the caller), COMPLETED or CANCELED.',
});
registerEnumType(CallbackOutcome, {
  name: 'CallbackOutcome',
  description: 'How a completed callback went. BOOKED books the lead; NOT_INTERESTED and WRONG_NUMBER close it as LOST.',
});

@ObjectType({ description: 'A staff member a callback can be assigned to.' })
export class StaffUser {
  @Field(() => ID, { description: 'User id.' })
  id!: string;

  @Field({ description: 'Sign-in email.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Display name.' })
  name!: string | null;
}

@ObjectType({ description: 'A call the shop owes a caller.' })
export class Callback {
  @Field(() => ID, { description: 'Callback id.' })
  id!: string;

  @Field(() => CallbackStatus, { description: 'OPEN, SCHEDULED, COMPLETED or CANCELED.' })
  status!: CallbackStatus;

  @Field({ description: 'When the shop must call back: the missed call plus the SLA, or the scheduled time.' })
  dueAt!: Date;

  @Field(() => Date, { nullable: true, description: 'The time agreed with the caller, when scheduled.' })
  scheduledFor!: Date | null;

  @Field(() => CallbackOutcome, { nullable: true, description: 'How it went, once completed.' })
  outcome!: CallbackOutcome | null;

  @Field(() => String, { nullable: true, description: 'Notes from the call.' })
  notes!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was completed.' })
  completedAt!: Date | null;

  @Field({ description: 'When it was opened.' })
  createdAt!: Date;

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
}
