// The CallSnare client: auth, retries and pagination over the generated, typed
// documents (the model is Linear's SDK). Methods are grouped by resource; each
// names the credential scope it needs.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { StatsDocument, ViewerDocument, type StatsQuery, type ViewerQuery } from './generated/graphql.js';
import { AuditResource } from './resources/audit.js';
import { BillingResource } from './resources/billing.js';
import { CallbacksResource } from './resources/callbacks.js';
import { LeadsResource } from './resources/leads.js';
import { MessagesResource } from './resources/messages.js';
import { SettingsResource } from './resources/settings.js';
import { WebhookLogsResource } from './resources/webhook-logs.js';
import { WebhooksResource } from './resources/webhooks.js';
import { Transport, type CallSnareOptions, type RequestOptions, type VariablesArgs } from './transport.js';

/** The calling credential: its organization, name and scopes. */
export type Viewer = ViewerQuery['viewer'];
/** Recovery statistics for a time range. */
export type Stats = StatsQuery['stats'];

export interface StatsRange {
  /** Start (inclusive); default 7 days before `until`. */
  since?: string | Date;
  /** End (exclusive); default now. At most 366 days after `since`. */
  until?: string | Date;
}

export class CallSnare {
  /** Leads, their timelines and messages (`leads:read`, `leads:write`). */
  readonly leads: LeadsResource;
  /** Texting callers (`messages:send`). */
  readonly messages: MessagesResource;
  /** The callback queue (`callbacks:read`, `callbacks:write`). */
  readonly callbacks: CallbacksResource;
  /** Settings and tracking lines (`settings:read`, `settings:write`). */
  readonly settings: SettingsResource;
  /** The hash-chained audit trail (`audit:read`). */
  readonly audit: AuditResource;
  /** Provider webhook deliveries (`webhook_logs:read`). */
  readonly webhookLogs: WebhookLogsResource;
  /** Subscription state and billing records (`billing:read`). */
  readonly billing: BillingResource;
  /** Outbound webhook endpoints, their secrets and delivery log (`webhooks:read`, `webhooks:write`). */
  readonly webhooks: WebhooksResource;

  readonly #transport: Transport;

  constructor(options: CallSnareOptions) {
    this.#transport = new Transport(options);
    this.leads = new LeadsResource(this.#transport);
    this.messages = new MessagesResource(this.#transport);
    this.callbacks = new CallbacksResource(this.#transport);
    this.settings = new SettingsResource(this.#transport);
    this.audit = new AuditResource(this.#transport);
    this.webhookLogs = new WebhookLogsResource(this.#transport);
    this.billing = new BillingResource(this.#transport);
    this.webhooks = new WebhooksResource(this.#transport);
  }

  /** Who the API key is: its organization, name and scopes. Any valid credential may call it. */
  async viewer(options?: RequestOptions): Promise<Viewer> {
    return (await this.#transport.request(ViewerDocument, {}, options)).viewer;
  }

  /** Missed calls, text-backs, replies, recoveries and callback times for [since, until). Needs `leads:read`. */
  async stats(range: StatsRange = {}, options?: RequestOptions): Promise<Stats> {
    return (await this.#transport.request(StatsDocument, range, options)).stats;
  }

  /**
   * Runs any typed document (from `@callsnare/sdk/documents`, or your own
   * TypedDocumentNode) with the client's auth, timeout and retries, and resolves
   * with its `data`.
   */
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...args: VariablesArgs<TVariables>): Promise<TResult> {
    const [variables, options] = args;
    return this.#transport.request(document, variables, options);
  }
}
