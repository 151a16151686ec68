// Staff replies to a caller, through the same outbox as the text-back.
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import { publishInboxUpdate } from '../live/inbox-updates';
import { Message } from '../leads/lead.types';
import { quietHoursEndAfter } from '../common/shop-time';
import { queueStaffReply } from './outbox.service';

@ObjectType({ description: 'A staff text, queued for delivery.' })
export class SentMessage {
  @Field(() => Message, { description: 'The message, QUEUED; its status follows delivery.' })
  message!: Message;

  @Field({
    description:
      'True when it is quiet hours at the shop right now. Staff replies are sent anyway (the caller is in a conversation); this is shown so staff know.',
  })
  duringQuietHours!: boolean;

  @Field(() => Date, { nullable: true, description: 'When quiet hours end, if it is quiet hours now.' })
  quietHoursEndAt!: Date | null;
}

@Resolver()
export class MessagingResolver {
  @Mutation(() => SentMessage, {
    description:
      'Text a caller from the tracking number they know (1–640 characters). It answers the caller: the lead no longer needs a reply. Refused with BAD_USER_INPUT when the caller opted out. Audited as message.sent.',
  })
  async sendMessage(
    @Ctx() context: GraphQLContext,
    @Arg('leadId', () => ID, { description: 'Lead id.' }) leadId: string,
    @Arg('body', { description: 'The text, 1–640 characters.' }) body: string,
  ): Promise<SentMessage> {
    const { db, clock } = context.deps;
    const actor = actorOf(context);
    const message = await inTransaction(db.prisma, (tx) => queueStaffReply(tx, actor, { leadId, body }, clock));
    publishInboxUpdate(context.deps.live, { orgId: actor.orgId, kind: 'LEAD_CHANGED', leadId: message.leadId, at: clock.now() });
    const settings = await db.prisma.orgSettings.findUnique({ where: { orgId: actor.orgId } });
    const quietHoursEndAt = settings
      ? quietHoursEndAfter(clock.now(), settings.timezone, {
          enabled: settings.quietHoursEnabled,
          start: settings.quietHoursStart,
          end: settings.quietHoursEnd,
        })
      : null;
    return { message, duringQuietHours: quietHoursEndAt !== null, quietHoursEndAt };
  }
}
