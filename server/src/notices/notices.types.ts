// GraphQL types of dashboard notices.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { NoticeKind } from '../generated/prisma/enums';

registerEnumType(NoticeKind, {
  name: 'NoticeKind',
  description: 'What a dashboard notice is about.',
  valuesConfig: {
    WEBHOOK_ENDPOINT_DISABLED: {
      description: 'An outbound webhook endpoint kept failing and was disabled; nothing is delivered to it until it is enabled again.',
    },
    CARRIER_FILTERING: {
      description:
        'Carriers filtered or refused a text from a tracking line: its messaging registration (A2P 10DLC or toll-free verification) needs attention.',
    },
  },
});

@ObjectType({
  description: 'A standing message for OWNERs and ADMINs about something that needs their attention, shown on every dashboard page until dismissed.',
})
export class Notice {
  @Field(() => ID, { description: 'Notice id.' })
  id!: string;

  @Field(() => NoticeKind, { description: 'What it is about.' })
  kind!: NoticeKind;

  @Field({ description: 'What happened and what to do, in plain language.' })
  message!: string;

  @Field(() => ID, { nullable: true, description: 'The webhook endpoint or tracking line it is about.' })
  subjectId!: string | null;

  @Field({ description: 'When it was raised.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a manager dismissed it; null while it is shown.' })
  dismissedAt!: Date | null;
}
