// GraphQL types of the webhook log: one row per provider delivery.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { SignatureCheck, WebhookOutcome, WebhookProvider } from '../generated/prisma/enums';
import { Connection } from '../graphql/connection';

registerEnumType(WebhookProvider, { name: 'WebhookProvider', description: 'Who sent the delivery.' });
registerEnumType(WebhookOutcome, {
  name: 'WebhookOutcome',
  description: 'What CallSnare did with a delivery.',
  valuesConfig: {
    PROCESSED: { description: 'Accepted and acted on.' },
    DUPLICATE: { description: 'A retry of a delivery already processed: answered 200, changed nothing.' },
    REJECTED: { description: 'Bad or missing signature in live mode: answered 403.' },
    MALFORMED: { description: 'Missing or invalid parameters: answered 400 (or 413/415).' },
    IGNORED: { description: 'Valid but not for us (e.g. an unknown tracking number).' },
    FAILED: { description: 'CallSnare failed: answered 5xx so the provider retries.' },
    RATE_LIMITED: { description: 'Over the per-source limit: answered 429.' },
  },
});
registerEnumType(SignatureCheck, {
  name: 'SignatureCheck',
  description:
    "Result of checking the provider's signature: VALID, INVALID, MISSING, NOT_CONFIGURED (no secret to check with, sandbox only), or UNCHECKED (refused before the body was read: rate-limited, too large, wrong content type).",
});

@ObjectType({ description: 'One delivery from a provider (Twilio, Stripe), accepted or not.' })
export class WebhookLog {
  @Field(() => ID, { description: 'Log row id.' })
  id!: string;

  @Field(() => WebhookProvider, { description: 'Who sent it.' })
  provider!: WebhookProvider;

  @Field({ description: 'The route it reached, e.g. /webhooks/twilio/voice/dial-status.' })
  route!: string;

  @Field(() => String, { nullable: true, description: "The provider's id for it: CallSid, MessageSid (+ status), or the Stripe event id." })
  eventId!: string | null;

  @Field(() => SignatureCheck, { description: 'Signature check result.' })
  signature!: SignatureCheck;

  @Field(() => WebhookOutcome, { description: 'What CallSnare did with it.' })
  outcome!: WebhookOutcome;

  @Field(() => Int, { description: 'HTTP status CallSnare answered.' })
  httpStatus!: number;

  @Field({ description: 'When it arrived.' })
  receivedAt!: Date;

  @Field(() => Int, { description: 'How long CallSnare took to answer, in milliseconds.' })
  durationMs!: number;

  @Field(() => String, { nullable: true, description: 'Why it was not processed, when it was not.' })
  error!: string | null;

  @Field(() => GraphQLJSONObject, {
    description: 'The request as received, redacted: phone numbers kept, credentials and auth headers dropped, body cut at 8 KiB.',
  })
  payload!: Record<string, unknown>;
}

@ObjectType({ description: 'A page of webhook deliveries, newest first.' })
export class WebhookLogConnection extends Connection(WebhookLog) {}

@InputType({ description: 'Which deliveries to list. All conditions must hold.' })
export class WebhookLogFilter {
  @Field(() => WebhookProvider, { nullable: true, description: 'Only this provider.' })
  provider?: WebhookProvider | null;

  @Field(() => [WebhookOutcome], { nullable: true, description: 'Only these outcomes.' })
  outcome?: WebhookOutcome[] | null;

  @Field(() => Date, { nullable: true, description: 'Received at or after.' })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Received before.' })
  until?: Date | null;
}
