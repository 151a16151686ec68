// client.webhooks: outbound webhook endpoints (webhooks:read, webhooks:write), their
// signing secrets (shown once, on create and rotate) and the delivery log with redelivery.
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RotateWebhookEndpointSecretDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type WebhookDeliveryFieldsFragment,
  type WebhookDeliveryFilter,
  type WebhookDeliveryStatus,
  type WebhookEndpointFieldsFragment,
} from '../generated/graphql.js';
import { iterateAll, loadPage, pageArguments, type IterateOptions, type Page, type PageOptions } from '../pagination.js';
import type { RequestOptions, Transport } from '../transport.js';
import type { WebhookEventType } from '../webhooks.js';

/** An endpoint CallSnare POSTs events to (never its secret). */
export type WebhookEndpoint = WebhookEndpointFieldsFragment;
/** One event's delivery to one endpoint, with every attempt (`attemptLog`). */
export type WebhookDelivery = WebhookDeliveryFieldsFragment;
export type { WebhookDeliveryFilter, WebhookDeliveryStatus };

export interface CreateWebhookEndpointInput {
  /** Where to POST events: https (and a public address) on a live server; sandbox servers also allow http and loopback. */
  url: string;
  /** The event types to receive, at least one. */
  events: readonly WebhookEventType[];
  description?: string | null;
}

export interface UpdateWebhookEndpointInput {
  url?: string;
  events?: readonly WebhookEventType[];
  description?: string | null;
  /** false disables the endpoint (its pending deliveries fail); true re-enables it. */
  enabled?: boolean;
}

/** An endpoint with its signing secret (whsec_…): returned once, by `create` and `rotateSecret`. Store it now. */
export interface WebhookEndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

export class WebhooksResource {
  constructor(private readonly transport: Transport) {}

  /** The organization's endpoints, oldest first. Needs `webhooks:read`. */
  async list(options?: RequestOptions): Promise<WebhookEndpoint[]> {
    return (await this.transport.request(WebhookEndpointsDocument, {}, options)).webhookEndpoints;
  }

  /** Adds an endpoint; the answer holds its signing secret, the only time it is shown. Needs `webhooks:write`. */
  async create(input: CreateWebhookEndpointInput, options?: RequestOptions): Promise<WebhookEndpointWithSecret> {
    const { url, events, description } = input;
    return (await this.transport.request(CreateWebhookEndpointDocument, { input: { url, events: [...events], description } }, options)).createWebhookEndpoint;
  }

  /** Changes an endpoint's URL, events or description, or disables / re-enables it. Needs `webhooks:write`. */
  async update(id: string, input: UpdateWebhookEndpointInput, options?: RequestOptions): Promise<WebhookEndpoint> {
    const { events, ...rest } = input;
    const variables = { id, input: { ...rest, ...(events === undefined ? {} : { events: [...events] }) } };
    return (await this.transport.request(UpdateWebhookEndpointDocument, variables, options)).updateWebhookEndpoint;
  }

  /** Removes an endpoint and its delivery log; resolves with the endpoint as it was. Needs `webhooks:write`. */
  async delete(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return (await this.transport.request(DeleteWebhookEndpointDocument, { id }, options)).deleteWebhookEndpoint;
  }

  /**
   * Issues a new signing secret (shown once). For 24 hours the previous secret signs too (a second
   * v1 in CallSnare-Signature, until `endpoint.previousSecretExpiresAt`): deploy the new secret
   * within that time. Needs `webhooks:write`.
   */
  async rotateSecret(id: string, options?: RequestOptions): Promise<WebhookEndpointWithSecret> {
    return (await this.transport.request(RotateWebhookEndpointSecretDocument, { id }, options)).rotateWebhookEndpointSecret;
  }

  /** One page of deliveries, newest first, each with its attempts. Needs `webhooks:read`. */
  deliveries(filter?: WebhookDeliveryFilter, options?: PageOptions): Promise<Page<WebhookDelivery>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(WebhookDeliveriesDocument, variables, request)).webhookDeliveries, { filter, ...page });
  }

  /** Every matching delivery, newest first, fetched page by page. Needs `webhooks:read`. */
  iterateDeliveries(filter?: WebhookDeliveryFilter, options: IterateOptions = {}): AsyncGenerator<WebhookDelivery, void, undefined> {
    const { pageSize = 100, ...request } = options;
    return iterateAll(() => this.deliveries(filter, { ...request, first: pageSize }));
  }

  /**
   * Sends a delivery again now, with the same event id and body (freshly signed); resolves once
   * the attempt is recorded (SUCCEEDED on a 2xx). Needs `webhooks:write`.
   */
  async redeliver(deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return (await this.transport.request(RedeliverWebhookDocument, { deliveryId }, options)).redeliverWebhook;
  }
}
