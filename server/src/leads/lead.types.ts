// GraphQL types of the leads domain: leads, their timeline and conversation.
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ActorType, LeadEventType, LeadStatus, MessageDirection, MessageKind, MessageStatus } from '../generated/prisma/enums';
import { Connection } from '../graphql/connection';
import '../graphql/enums';

registerEnumType(LeadStatus, {
  name: 'LeadStatus',
  description: 'Where a lead stands. NEW and CONTACTED are open; BOOKED and LOST are closed.',
  valuesConfig: {
    NEW: { description: 'A missed call nobody has talked to yet.' },
    CONTACTED: { description: 'The caller replied or staff reached them.' },
    BOOKED: { description: 'A job was booked.' },
    LOST: { description: 'No job: not interested, wrong number, or gone elsewhere.' },
  },
});
registerEnumType(LeadEventType, { name: 'LeadEventType', description: "What happened on a lead's timeline." });
registerEnumType(MessageDirection, { name: 'MessageDirection', description: 'OUTBOUND: sent by CallSnare or staff. INBOUND: sent by the caller.' });
registerEnumType(MessageKind, {
  name: 'MessageKind',
  description: "Why a message exists: the automatic text-back, a staff reply, an automatic keyword answer, or the caller's own text.",
});
registerEnumType(MessageStatus, { name: 'MessageStatus', description: 'Delivery state of a message; outbound statuses never move backwards.' });

@ObjectType({ description: "One entry of a lead's timeline.", simpleResolvers: true })
export class LeadEvent {
  @Field(() => ID, { description: 'Event id.' })
  id!: string;

  @Field(() => LeadEventType, { description: 'What happened.' })
  type!: LeadEventType;

  @Field({ description: 'When it happened.' })
  createdAt!: Date;

  @Field(() => ActorType, { description: 'Who caused it: the provider (a call, a text), CallSnare, a staff user or an API credential.' })
  actorType!: ActorType;

  @Field({ description: 'Readable name of who caused it ("Twilio", "CallSnare", a staff email, a credential name).' })
  actorLabel!: string;

  @Field(() => GraphQLJSONObject, {
    description: 'Details of the event (e.g. { callSid, from, to } for CALL_MISSED, { from, to } for STATUS_CHANGED, { body } for NOTE_ADDED).',
  })
  data!: Record<string, unknown>;
}

@ObjectType({ description: 'A text message to or from the caller.', simpleResolvers: true })
export class Message {
  @Field(() => ID, { description: 'Message id.' })
  id!: string;

  @Field(() => MessageDirection, { description: 'OUTBOUND or INBOUND.' })
  direction!: MessageDirection;

  @Field(() => MessageKind, { description: "Text-back, staff reply, automatic keyword answer, or the caller's message." })
  kind!: MessageKind;

  @Field({ description: 'The text.' })
  body!: string;

  @Field(() => MessageStatus, { description: 'Delivery state.' })
  status!: MessageStatus;

  @Field(() => String, { nullable: true, description: 'Provider error code when delivery failed (e.g. Twilio 30003).' })
  errorCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why delivery failed, in plain language (from errorCode: carrier filtering, an unregistered line, a landline, ...); null unless it failed with a code.',
  })
  failureReason!: string | null;

  @Field({ description: 'When the message was created (queued or received).' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      "An automated text held back until this instant: the start of the window the recipient's state allows (on the recipient's clock), or the end of the shop's quiet hours, whichever is later. Null when it was sent at once.",
  })
  deferredUntil!: Date | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'Why this text was allowed, recorded when it was decided (outbound only): { version, decidedAt, kind, automated, consent { basis, providerId, at }, optOut { checked, optedOut }, recipient { basis, areaCode, country, state, zones, localTime }, window { allowedAtDecision, deferredUntil, rule { id, description, summary, source }, rules }, shopQuietHours { enabled, start, end, timeZone }, cooldown, frequency { automatedTextsInLast24h, cap, windowHours } }. Null for inbound texts and texts sent before evidence was recorded.',
  })
  evidence!: unknown;

  @Field(() => Date, { nullable: true, description: 'When the provider accepted it for delivery.' })
  sentAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the provider reported it delivered.' })
  deliveredAt!: Date | null;
}

@ObjectType({ description: 'A caller CallSnare is recovering: one per caller while open.', simpleResolvers: true })
export class Lead {
  @Field(() => ID, { description: 'Lead id.' })
  id!: string;

  @Field({ description: "Caller's number, E.164." })
  phone!: string;

  @Field(() => String, { nullable: true, description: "Caller's name, when known." })
  name!: string | null;

  @Field(() => LeadStatus, { description: 'NEW, CONTACTED, BOOKED or LOST.' })
  status!: LeadStatus;

  @Field({ description: 'True when the caller texted STOP: no text is sent to them until they text START.' })
  optedOut!: boolean;

  @Field({ description: 'When the lead was opened (the first missed call).' })
  createdAt!: Date;

  @Field({ description: 'When anything last happened on the lead; lists are ordered by it.' })
  lastActivityAt!: Date;

  @Field({
    description:
      'When the lead last changed (status, name, flags, or new activity on its timeline). Pass the latest value you have seen as LeadFilter.updatedSince to fetch only what changed since.',
  })
  updatedAt!: Date;

  @Field({
    description:
      "True when the latest message of the conversation is the caller's and no staff reply or completed callback came after it. Set by an ordinary text and by an opt-in (START, YES); not by HELP (answered automatically) or an opt-out (STOP withdraws it). Automatic texts never clear it. Such leads come first in the inbox.",
  })
  needsReply!: boolean;

  @Field({ description: "True while the lead's open callback is past its due time; cleared when that callback closes. Second in the inbox's work order." })
  callbackOverdue!: boolean;

  @Field({
    description:
      'True when every callback attempt (settings.callbackRetryMinutes) went unanswered: staff must decide what happens next (book, close, or schedule another call).',
  })
  needsDecision!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "The caller's latest text (keywords such as STOP included), for list previews; null when they never texted. May be empty for a picture-only message.",
  })
  lastInboundText!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the caller last texted; null when they never did.' })
  lastInboundAt!: Date | null;
}

@ObjectType({ description: 'A page of leads.' })
export class LeadConnection extends Connection(Lead) {}

@ObjectType({ description: "A page of a lead's timeline, oldest first." })
export class LeadEventConnection extends Connection(LeadEvent) {}

@ObjectType({ description: "A page of a lead's conversation, oldest first." })
export class MessageConnection extends Connection(Message) {}

@InputType({ description: 'Which leads to list. All conditions must hold.' })
export class LeadFilter {
  @Field(() => [LeadStatus], { nullable: true, description: 'Only these statuses.' })
  status?: LeadStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Phone digits (any part of the number, e.g. "555 0123") or part of the caller\'s name.' })
  search?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only leads opened at or after this time.' })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only leads opened before this time.' })
  until?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only leads with an OPEN or SCHEDULED callback; false: only those without.' })
  hasOpenCallback?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only opted-out callers; false: only callers who can be texted.' })
  optedOut?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: only leads needing a reply (Lead.needsReply); false: only the others. A closed lead keeps its flag: add status [NEW, CONTACTED] to count open work.',
  })
  needsReply?: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Only leads changed at or after this time (Lead.updatedAt). The list is then ordered oldest change first (updatedAt, id), so a sync can page to the end and resume: a lead changed while you page moves behind your cursor and is still seen. Start the next sync from the latest updatedAt you saw.',
  })
  updatedSince?: Date | null;
}

@InputType({ description: 'Changes to a lead. Omitted fields stay as they are.' })
export class UpdateLeadInput {
  @Field(() => String, { nullable: true, description: "Caller's name (1–100 characters); an empty string clears it." })
  name?: string | null;

  @Field(() => LeadStatus, {
    nullable: true,
    description: 'New status. Allowed: NEW→CONTACTED|BOOKED|LOST, CONTACTED→BOOKED|LOST, BOOKED→CONTACTED|LOST, LOST→CONTACTED.',
  })
  status?: LeadStatus | null;
}
