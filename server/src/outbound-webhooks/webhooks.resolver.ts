// Thin GraphQL adapter over outbound webhook endpoints and deliveries.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { WebhookEndpoint as EndpointRow } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import {
  checkEndpointUrl,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  requireWebhookAccess,
  rotateWebhookEndpointSecret,
  updateWebhookEndpoint,
  type DeliveryRow,
} from './webhook-endpoints.service';
import { redeliverWebhook } from './webhook-delivery.worker';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointInput,
  RotatedWebhookEndpointSecret,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryFilter,
  WebhookEndpoint,
} from './webhooks.types';

/** The GraphQL view of an endpoint row: never its secrets. */
export function endpointView(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    failingSince: row.failingSince,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function deliveryView(row: DeliveryRow): WebhookDelivery {
  const payload = row.event.payload;
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
    payload: payload === null ? null : typeof payload === 'string' ? payload : JSON.stringify(payload),
    endpoint: endpointView(row.endpoint),
    attemptLog: row.attemptLog,
  };
}

@Resolver()
export class WebhooksResolver {
  @Query(() => [WebhookEndpoint], { description: "The organization's outbound webhook endpoints, oldest first (never their secrets)." })
  async webhookEndpoints(@Ctx() context: GraphQLContext): Promise<WebhookEndpoint[]> {
    const rows = await listWebhookEndpoints(context.deps.db.prisma, actorOf(context));
    return rows.map(endpointView);
  }

  @Mutation(() => CreatedWebhookEndpoint, {
    description: 'Adds an outbound webhook endpoint. Its signing secret (whsec_…) is in the answer and nowhere else, ever.',
  })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput, { description: 'URL, event types, description.' }) input: CreateWebhookEndpointInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CreatedWebhookEndpoint> {
    const { deps } = context;
    const actor = actorOf(context);
    requireWebhookAccess(actor, 'write');
    const url = await checkEndpointUrl(input.url, { mode: deps.config.integrationMode });
    const created = await inTransaction(deps.db.prisma, (tx) =>
      createWebhookEndpoint(tx, actor, { url, events: input.events, description: input.description }, deps.clock),
    );
    return { endpoint: endpointView(created.endpoint), secret: created.secret };
  }

  @Mutation(() => WebhookEndpoint, { description: "Changes an endpoint's URL, events or description, or disables or re-enables it." })
  async updateWebhookEndpoint(
    @Arg('id', () => ID, { description: 'The endpoint.' }) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput, { description: 'What changes.' }) input: UpdateWebhookEndpointInput,
    @Ctx() context: GraphQLContext,
  ): Promise<WebhookEndpoint> {
    const { deps } = context;
    const actor = actorOf(context);
    requireWebhookAccess(actor, 'write');
    const url = input.url ? await checkEndpointUrl(input.url, { mode: deps.config.integrationMode }) : null;
    const updated = await inTransaction(deps.db.prisma, (tx) =>
      updateWebhookEndpoint(tx, actor, id, { events: input.events, description: input.description, enabled: input.enabled, url }, deps.clock),
    );
    return endpointView(updated);
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Removes an endpoint with its delivery log; nothing more is sent to it. Answers with the endpoint as it was.',
  })
  async deleteWebhookEndpoint(@Arg('id', () => ID, { description: 'The endpoint.' }) id: string, @Ctx() context: GraphQLContext): Promise<WebhookEndpoint> {
    const { deps } = context;
    const deleted = await inTransaction(deps.db.prisma, (tx) => deleteWebhookEndpoint(tx, actorOf(context), id, deps.clock));
    return endpointView(deleted);
  }

  @Mutation(() => RotatedWebhookEndpointSecret, {
    description:
      'Issues a new signing secret, shown once. For 24 hours the previous secret keeps signing too (two v1 values in CallSnare-Signature), so the receiver can switch without missing events.',
  })
  async rotateWebhookEndpointSecret(
    @Arg('id', () => ID, { description: 'The endpoint.' }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<RotatedWebhookEndpointSecret> {
    const { deps } = context;
    const rotated = await inTransaction(deps.db.prisma, (tx) => rotateWebhookEndpointSecret(tx, actorOf(context), id, deps.clock));
    return { endpoint: endpointView(rotated.endpoint), secret: rotated.secret };
  }

  @Query(() => WebhookDeliveryConnection, { description: 'Outbound webhook deliveries, newest first, with every attempt.' })
  async webhookDeliveries(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true, description: 'Conditions every delivery must meet.' }) filter: WebhookDeliveryFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor from pageInfo.endCursor of the previous page.' }) after: string | null,
  ): Promise<WebhookDeliveryConnection> {
    const page = await listWebhookDeliveries(context.deps.db.prisma, actorOf(context), filter, { first, after });
    return { ...page, nodes: page.nodes.map(deliveryView) };
  }

  @Mutation(() => WebhookDelivery, {
    description:
      'Sends a delivery again now, whatever its status, with the same event id and body (freshly signed); answers once the attempt is recorded. A 2xx makes it SUCCEEDED.',
  })
  async redeliverWebhook(
    @Arg('deliveryId', () => ID, { description: 'The delivery to send again.' }) deliveryId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<WebhookDelivery> {
    const { deps } = context;
    return deliveryView(await redeliverWebhook(deps, actorOf(context), deliveryId));
  }
}
