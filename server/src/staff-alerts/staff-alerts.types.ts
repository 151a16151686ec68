// GraphQL types of staff alerts: the record of every SMS sent to a staff phone.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { StaffAlertKind, StaffAlertStatus } from '../generated/prisma/enums';
import { Connection } from '../graphql/connection';
import { Member } from '../access/members.types';

registerEnumType(StaffAlertKind, {
  name: 'StaffAlertKind',
  description: 'What a staff alert is about.',
  valuesConfig: {
    MISSED_CALL: { description: 'A call the shop missed (members who chose alertOnMissedCall).' },
    REPLY_RECEIVED: { description: 'A caller texted back (members who chose alertOnReply).' },
    CALLBACK_OVERDUE: { description: 'A callback passed its due time (members who chose alertOnMissedCall).' },
    CARRIER_FILTERING: {
      description:
        'Carriers filtered or refused a text from a tracking line (Twilio 30007, 30032, 30034): once per line until its registration is set to registered or verified (OWNERs and ADMINs who chose alertOnMissedCall).',
    },
  },
});
registerEnumType(StaffAlertStatus, {
  name: 'StaffAlertStatus',
  description: 'Where a staff alert stands in the outbox.',
  valuesConfig: {
    QUEUED: { description: 'Waiting to be sent (or to be retried after a transient failure).' },
    SENDING: { description: 'Being handed to the SMS provider.' },
    SENT: { description: 'Accepted by the SMS provider (sentAt says when).' },
    FAILED: { description: 'Not sent: a permanent error, or every retry failed (lastError says why).' },
    CANCELED: { description: 'Withdrawn before sending: the number texted STOP to the shop, or the member changed their phone or turned these alerts off.' },
  },
});

@ObjectType({ description: "An SMS alert to a staff member's own phone about a lead: a missed call, a reply, an overdue callback." })
export class StaffAlert {
  @Field(() => ID, { description: 'Staff alert id.' })
  id!: string;

  @Field(() => StaffAlertKind, { description: 'What it is about.' })
  kind!: StaffAlertKind;

  @Field({ description: 'The staff phone it is (or was) sent to, E.164.' })
  toPhone!: string;

  @Field(() => StaffAlertStatus, { description: 'Whether it went out.' })
  status!: StaffAlertStatus;

  @Field(() => Int, { description: 'Sends tried so far.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last try failed or why it was withdrawn; null once sent.' })
  lastError!: string | null;

  @Field({ description: 'When it was queued (when its cause happened).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the SMS provider accepted it; null until then.' })
  sentAt!: Date | null;

  @Field(() => Member, { description: 'The member it was sent to.' })
  member!: Member;

  /** Resolved by StaffAlert.lead. */
  leadId!: string;
}

@ObjectType({ description: 'A page of staff alerts, newest first.' })
export class StaffAlertConnection extends Connection(StaffAlert) {}

@InputType({ description: 'Conditions every listed staff alert meets.' })
export class StaffAlertFilter {
  @Field(() => StaffAlertKind, { nullable: true, description: 'Only alerts of this kind.' })
  kind?: StaffAlertKind | null;

  @Field(() => Date, { nullable: true, description: 'Only alerts queued at or after this time.' })
  since?: Date | null;
}
