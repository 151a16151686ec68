// Compiled, never run (sdk/test/types.test.ts runs `tsc --noEmit` on it): correct
// usage must type-check, and every `@ts-expect-error` line must BE a type error —
// tsc fails on a directive with no error under it (TS2578).
import { CallSnare, ForbiddenError, RateLimitedError, type Lead, type LeadDetail, type LeadStatus, type Page } from '@callsnare/sdk';
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
