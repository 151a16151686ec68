// Compiled, never run (sdk/test/types.test.ts runs `tsc --noEmit` on it): correct
// usage must type-check, and every `@ts-expect-error` line must BE a type error —
// tsc fails on a directive with no error under it (TS2578).
import {
  CallSnare,
  ForbiddenError,
  RateLimitedError,
  WebhookSignatureError,
  isKnownWebhookEvent,
  verifyWebhook,
  type Lead,
  type LeadDetail,
  type LeadEvent,
  type LeadEventData,
  type LeadEventOf,
  type LeadStatus,
  type Page,
  type WebhookEvent,
} from '@callsnare/sdk';
import { LeadDocument, ViewerDocument, type LeadQuery } from '@callsnare/sdk/documents';

export async function usage(client: CallSnare, leadId: string): Promise<void> {
  // ── correct usage ──
  const page: Page<Lead> = await client.leads.list({ status: ['NEW', 'CONTACTED'], since: new Date() }, { first: 50 });
  const status: LeadStatus = page.nodes[0]!.status;
  const next: Page<Lead> | null = await page.fetchNext();
  for await (const lead of client.leads.iterate({ hasOpenCallback: true })) lead.phone.toUpperCase();
  const detail: LeadDetail = await client.leads.get(leadId);
  detail.events.nodes.map((event) => event.type);
  await client.leads.update(leadId, { status: 'BOOKED' });
  await client.callbacks.schedule({ leadId, at: new Date() });
  await client.callbacks.complete(leadId, { outcome: 'NO_ANSWER' });
  await client.callbacks.assign(leadId, null);
  const sent = await client.messages.send(leadId, 'On our way');
  if (sent.duringQuietHours) sent.quietHoursEndAt?.slice(0, 10);
  await client.settings.update({ businessHours: [{ day: 'MON', intervals: [{ start: '08:00', end: '17:00' }] }] });
  const { lead }: LeadQuery = await client.request(LeadDocument, { id: leadId });
  await client.request(ViewerDocument);
  await client.stats({ since: '2025-01-01T00:00:00Z' });
  try {
    await client.viewer();
  } catch (error) {
    if (error instanceof ForbiddenError) error.requiredScope?.toUpperCase();
    if (error instanceof RateLimitedError) Math.max(1, error.retryAfterSeconds);
  }
  void status;
  void next;
  void lead;

  // ── misuse: each line below must be a type error ──
  // @ts-expect-error a lead status filter is a list of statuses
  await client.leads.list({ status: 'NEW' });
  // @ts-expect-error ARCHIVED is not a LeadStatus
  await client.leads.list({ status: ['ARCHIVED'] });
  // @ts-expect-error no such filter field
  await client.leads.list({ phone: '+15005550006' });
  // @ts-expect-error the page size is a number
  await client.leads.list({}, { first: '10' });
  // @ts-expect-error a lead id is a string
  await client.leads.get(42);
  // @ts-expect-error the phone number cannot be changed
  await client.leads.update(leadId, { phone: '+15005550006' });
  // @ts-expect-error DONE is not a LeadStatus
  await client.leads.update(leadId, { status: 'DONE' });
  // @ts-expect-error a note body is required
  await client.leads.addNote(leadId);
  // @ts-expect-error a text needs a body
  await client.messages.send(leadId);
  // @ts-expect-error MAYBE is not a CallbackOutcome
  await client.callbacks.complete(leadId, { outcome: 'MAYBE' });
  // @ts-expect-error the outcome is required
  await client.callbacks.complete(leadId, { notes: 'called' });
  // @ts-expect-error scheduling needs a time
  await client.callbacks.schedule({ leadId });
  // @ts-expect-error assign takes an assignee id or null
  await client.callbacks.assign(leadId);
  // @ts-expect-error ringTimeoutSeconds is a number
  await client.settings.update({ ringTimeoutSeconds: '20' });
  // @ts-expect-error since is a date or an ISO string
  await client.stats({ since: 123 });
  // @ts-expect-error LeadDocument needs its variables
  await client.request(LeadDocument);
  // @ts-expect-error the lead id variable is a string
  await client.request(LeadDocument, { id: 1 });
  // @ts-expect-error ViewerDocument takes no variables
  await client.request(ViewerDocument, { id: leadId });

  const listed = page.nodes[0]!;
  // @ts-expect-error a lead's name may be null
  listed.name.toUpperCase();
  // @ts-expect-error lists do not select the timeline (leads.get does)
  void listed.events;
  // @ts-expect-error ARCHIVED can never be a lead's status
  if (listed.status === 'ARCHIVED') return;
  // @ts-expect-error results are plain data: no lazy relations to call
  await detail.callbacks[0]!.lead();

  try {
    await client.viewer();
  } catch (error) {
    // @ts-expect-error only RateLimitedError has retryAfterSeconds
    if (error instanceof ForbiddenError) void error.retryAfterSeconds;
  }
}

// @ts-expect-error baseUrl is required
new CallSnare({ apiKey: 'cs_test_x' });
// @ts-expect-error unknown option (it is maxRetries)
new CallSnare({ apiKey: 'cs_test_x', baseUrl: 'http://127.0.0.1:4000', retries: 3 });
// @ts-expect-error timeoutMs is a number of milliseconds
new CallSnare({ apiKey: 'cs_test_x', baseUrl: 'http://127.0.0.1:4000', timeoutMs: '30s' });

// Timeline events: `type` narrows `data`; code reading `data` as a plain record keeps compiling.
export async function timeline(client: CallSnare, leadId: string): Promise<void> {
  const events: LeadEvent[] = (await client.leads.events(leadId)).nodes;
  for (const event of events) {
    const untyped: unknown = event.data.callSid;
    void untyped;
    if (event.type === 'CALL_MISSED') event.data.callSid.toUpperCase();
    if (event.type === 'STATUS_CHANGED') {
      const to: LeadStatus = event.data.to;
      void to;
    }
    if (event.type === 'CALLBACK_COMPLETED') void event.data.nextAttempt?.scheduledFor.slice(0, 10);
    // @ts-expect-error a NOTE_ADDED event has no callSid (it reads as unknown)
    if (event.type === 'NOTE_ADDED') event.data.callSid.toUpperCase();
    // @ts-expect-error TEXT_BACK_QUEUED's template is one of two names
    if (event.type === 'TEXT_BACK_QUEUED' && event.data.template === 'weekend') return;
    // @ts-expect-error NOT_A_TYPE is not a LeadEventType
    if (event.type === 'NOT_A_TYPE') return;
  }
  const note: LeadEventOf<'NOTE_ADDED'> = await client.leads.addNote(leadId, 'Called back');
  note.data.body.toUpperCase();
  const detail = await client.leads.get(leadId);
  const first = detail.events.nodes[0];
  if (first?.type === 'OPTED_OUT') void first.data.cause.toUpperCase();
  const missed: LeadEventData<'CALL_MISSED'> = { callSid: 'CA1', from: '+1', to: '+1', forwardedTo: '+1', dialStatus: 'busy', ringSeconds: null };
  void missed;
}

// Webhooks: verifyWebhook resolves with an event whose `type` narrows `data.object` once it is known.
export async function webhook(rawBody: string, header: string | undefined): Promise<void> {
  try {
    const event: WebhookEvent = await verifyWebhook(rawBody, header, ['whsec_new', 'whsec_old'], { toleranceSeconds: 600 });
    if (!isKnownWebhookEvent(event)) {
      void event.data.object.anything;
      return;
    }
    switch (event.type) {
      case 'lead.created':
      case 'lead.updated':
        event.data.object.phone.toUpperCase();
        break;
      case 'callback.completed':
        void event.data.object.outcome;
        // @ts-expect-error a callback has no phone
        void event.data.object.phone;
        break;
      // @ts-expect-error lead.deleted is not an event type
      case 'lead.deleted':
        break;
      default:
        void event.created.toFixed();
    }
  } catch (error) {
    if (error instanceof WebhookSignatureError && error.reason === 'TIMESTAMP_OUT_OF_TOLERANCE') return;
    // @ts-expect-error EXPIRED is not a reason
    if (error instanceof WebhookSignatureError && error.reason === 'EXPIRED') return;
  }
  // @ts-expect-error the raw body, never a parsed object
  await verifyWebhook({ id: 'evt_1' }, header, 'whsec_x');
  // @ts-expect-error verifyWebhook is asynchronous: the event is behind a Promise
  void (verifyWebhook(rawBody, header, 'whsec_x') as WebhookEvent).id;
}

// Endpoints: event types are checked at compile time; the secret comes only from create and rotateSecret.
export async function endpoints(client: CallSnare): Promise<void> {
  const { endpoint, secret } = await client.webhooks.create({ url: 'https://crm.example.com/hooks', events: ['lead.created', 'callback.completed'] });
  secret.startsWith('whsec_');
  await client.webhooks.update(endpoint.id, { enabled: false, events: ['lead.opted_out'] });
  for await (const delivery of client.webhooks.iterateDeliveries({ status: 'FAILED' })) void delivery.attemptLog[0]?.statusCode;
  // @ts-expect-error lead.deleted is not an event type
  await client.webhooks.create({ url: 'https://crm.example.com/hooks', events: ['lead.deleted'] });
  // @ts-expect-error events is a list
  await client.webhooks.update(endpoint.id, { events: 'lead.created' });
  // @ts-expect-error DELIVERED is not a WebhookDeliveryStatus
  await client.webhooks.deliveries({ status: 'DELIVERED' });
  // @ts-expect-error listed endpoints never carry their secret
  void (await client.webhooks.list())[0]!.secret;
}
