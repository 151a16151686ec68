// GraphQL types of outbound webhooks: endpoints (never their secrets, except once when
// issued), deliveries and their attempts.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookDeliveryStatus } from '../generated/prisma/enums';
import { Connection } from '../graphql/connection';
import { WEBHOOK_EVENT_TYPES } from './event-types';

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a webhook delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Waiting for its next attempt (nextAttemptAt).' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every attempt failed, or the endpoint was disabled.' },
  },
});

const EVENT_LIST = WEBHOOK_EVENT_TYPES.join(', ');

@ObjectType({ description: "A partner's HTTPS receiver for outbound webhook events. Its signing secret is shown only when issued." })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Endpoint id.' })
  id!: string;

  @Field({ description: 'Where events are POSTed.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What it is for.' })
  description!: string | null;

  @Field(() => [String], { description: `Event types it receives (${EVENT_LIST}).` })
  events!: string[];

  @Field({ description: 'False once disabled (by staff, or automatically after sustained failure): nothing is delivered to it.' })
  enabled!: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was disabled; null while enabled.' })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was disabled.' })
  disabledReason!: string | null;

  @Field(() => Int, { description: 'Failed attempts in a row (reset by any 2xx).' })
  consecutiveFailures!: number;

  @Field(() => Date, { nullable: true, description: 'Since when every attempt has failed; null when the last one succeeded.' })
  failingSince!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'After a rotation: until when the previous secret still signs next to the new one (a second v1 in CallSnare-Signature).',
  })
  previousSecretExpiresAt!: Date | null;

  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A new endpoint and its signing secret, shown this once.' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The signing secret (whsec_…). Store it now: it is never shown again.' })
  secret!: string;
}

@ObjectType({ description: "An endpoint's new signing secret, shown this once." })
export class RotatedWebhookEndpointSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint, with previousSecretExpiresAt.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The new signing secret (whsec_…). Store it now: it is never shown again.' })
  secret!: string;
}

@InputType({ description: 'A new outbound webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'Where to POST events: https, and a public address on a live server (up to 2048 characters).' })
  url!: string;

  @Field(() => [String], { description: `Event types to receive, at least one of ${EVENT_LIST}.` })
  events!: string[];

  @Field(() => String, { nullable: true, description: 'What it is for (up to 200 characters).' })
  description?: string | null;
}

@InputType({ description: 'Changes to an endpoint; omitted fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: 'A new URL (same rules as on creation).' })
  url?: string | null;

  @Field(() => [String], { nullable: true, description: 'The new list of event types.' })
  events?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A new description; an empty string clears it.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false disables it (its pending deliveries fail); true re-enables a disabled endpoint.' })
  enabled?: boolean | null;
}

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class WebhookAttempt {
  @Field(() => ID, { description: 'Attempt id.' })
  id!: string;

  @Field(() => Int, { description: '1, 2, … in the order tried.' })
  attempt!: number;

  @Field({ description: 'True for a redelivery asked for with redeliverWebhook.' })
  redelivery!: boolean;

  @Field(() => Int, { nullable: true, description: 'HTTP status the endpoint answered; null when none came (timeout, refused, blocked).' })
  statusCode!: number | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  durationMs!: number;

  @Field(() => String, { nullable: true, description: 'The first kilobyte of the answer.' })
  responseExcerpt!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it failed, when it did (timeout, connection refused, redirect not followed, address not public, …).',
  })
  error!: string | null;

  @Field({ description: 'When it was made.' })
  createdAt!: Date;
}

@ObjectType({ description: 'One event sent to one endpoint, with every attempt.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Delivery id.' })
  id!: string;

  @Field({ description: 'The event (evt_…), also sent as CallSnare-Event-Id: the same for every attempt and redelivery.' })
  eventId!: string;

  @Field({ description: 'The event type.' })
  eventType!: string;

  @Field(() => WebhookDeliveryStatus, { description: 'PENDING, SUCCEEDED or FAILED.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (redeliveries included).' })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the latest attempt; null when it got none.' })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the latest attempt failed.' })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once SUCCEEDED or FAILED.' })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a 2xx came back.' })
  deliveredAt!: Date | null;

  @Field({ description: 'When the event was fanned out to this endpoint.' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'The exact JSON body sent on every attempt.' })
  payload!: string | null;

  @Field(() => WebhookEndpoint, { description: 'The endpoint it goes to.' })
  endpoint!: WebhookEndpoint;

  @Field(() => [WebhookAttempt], { description: 'Every attempt, oldest first (at most the latest 50).' })
  attemptLog!: WebhookAttempt[];
}

@ObjectType({ description: 'A page of webhook deliveries, newest first.' })
export class WebhookDeliveryConnection extends Connection(WebhookDelivery) {}

@InputType({ description: 'Conditions every listed delivery meets.' })
export class WebhookDeliveryFilter {
  @Field(() => ID, { nullable: true, description: 'Only deliveries to this endpoint.' })
  endpointId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events of this type.' })
  eventType?: string | null;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries with this status.' })
  status?: WebhookDeliveryStatus | null;
}
