// `@callsnare/sdk`: the typed CallSnare API client.
export { CallSnare, type Stats, type StatsRange, type Viewer } from './client.js';
export type { CallSnareOptions, FetchLike, RequestOptions, VariablesArgs } from './transport.js';
export { Page, MAX_PAGE_SIZE, type Connection, type IterateOptions, type PageInfo, type PageOptions } from './pagination.js';
export {
  AuthenticationError,
  CallSnareError,
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  ValidationError,
  SERVER_ERROR_CODES,
  type CallSnareErrorDetails,
  type ClientErrorCode,
  type ErrorCode,
  type ServerErrorCode,
  type GraphQLErrorPayload,
} from './errors.js';
export type { GetLeadOptions, Lead, LeadDetail, Message } from './resources/leads.js';
export type * from './lead-event-data.js';
export {
  verifyWebhook,
  isKnownWebhookEvent,
  WebhookSignatureError,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_EVENT_ID_HEADER,
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type KnownWebhookEvent,
  type UnknownWebhookEvent,
  type VerifyWebhookOptions,
  type WebhookEvent,
  type WebhookEventObjects,
  type WebhookEventOf,
  type WebhookEventType,
  type WebhookSignatureErrorReason,
} from './webhooks.js';
export type { WebhookCallback, WebhookLead, WebhookMessage } from './webhook-objects.js';
export type { SentMessage } from './resources/messages.js';
export type { Callback, CompleteCallbackInput, ScheduleCallbackInput } from './resources/callbacks.js';
export type { Settings, TrackingLine } from './resources/settings.js';
export type { AuditEntry } from './resources/audit.js';
export type { WebhookLog } from './resources/webhook-logs.js';
export type { Billing, BillingRecord } from './resources/billing.js';
export type { AuditResource } from './resources/audit.js';
export type { BillingResource } from './resources/billing.js';
export type { CallbacksResource } from './resources/callbacks.js';
export type { LeadsResource } from './resources/leads.js';
export type { MessagesResource } from './resources/messages.js';
export type { SettingsResource } from './resources/settings.js';
export type { WebhookLogsResource } from './resources/webhook-logs.js';
export type {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhooksResource,
} from './resources/webhooks.js';
// Enums, input types and operation result types, generated from the schema.
export type * from './generated/graphql.js';
export { SDK_VERSION } from './version.js';
