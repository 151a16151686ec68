// Every SDK method against a real server: once with a credential holding exactly
// the scope it needs (typed result checked), once with every scope but that one
// (ForbiddenError naming the scope, and nothing changed).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCOPES, type Scope } from '../../server/src/access/scopes';
import { runWebhookDeliveriesOnce } from '../../server/src/outbound-webhooks/webhook-delivery.worker';
import { recordWebhookEvent } from '../../server/src/outbound-webhooks/webhook-events';
import { createTestLead } from '../../server/test/support/leads';
import { CallSnare, ForbiddenError, NotFoundError, ValidationError } from '../src/index';
import { startSdkTestServer, type SdkTestServer } from './support/harness';

jest.setTimeout(60_000);

let api: SdkTestServer;

beforeAll(async () => {
  api = await startSdkTestServer();
  // One Twilio delivery to the org's number, so it has a webhook log.
  const response = await fetch(`${api.server.url}/webhooks/twilio/voice`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ CallSid: `CA${crypto.randomBytes(16).toString('hex')}`, From: '+15005550123', To: api.trackingNumber, CallStatus: 'ringing' }),
  });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await api?.close();
  receiver?.close();
});

/** A loopback receiver answering 200 to outbound webhooks (sandbox servers may deliver to loopback). */
let receiver: http.Server | undefined;
async function receiverUrl(): Promise<string> {
  if (!receiver) {
    receiver = http.createServer((request, response) => request.resume().on('end', () => response.writeHead(200).end('ok')));
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  }
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}

/** An endpoint made with the SDK (a credential holding webhooks:write), deleted again by `dropEndpoint`. */
async function newEndpoint(description = 'resources test') {
  const admin = await api.client(['webhooks:write']);
  return (await admin.webhooks.create({ url: await receiverUrl(), events: ['lead.created'], description })).endpoint;
}
const dropEndpoint = (id: string) => api.db.prisma.webhookEndpoint.deleteMany({ where: { id } });

/** A lead.created event delivered (200) to a new endpoint by the server's own worker. */
async function deliveredEvent() {
  const endpoint = await newEndpoint('deliveries');
  const lead = await createTestLead(api.db, api.orgId);
  await recordWebhookEvent(api.db.prisma, { orgId: api.orgId, type: 'lead.created', objectId: lead.id, at: new Date() });
  await runWebhookDeliveriesOnce(api.server.deps);
  const delivery = await api.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
  return { endpoint, delivery };
}

/** A lead with an open callback. */
async function leadWithCallback(name = 'Robin Diaz') {
  const lead = await createTestLead(api.db, api.orgId, { name, callback: {} });
  const callback = await api.db.prisma.callback.findFirstOrThrow({ where: { leadId: lead.id } });
  return { lead, callback };
}

const storedCallback = (id: string) => api.db.prisma.callback.findUniqueOrThrow({ where: { id } });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * One SDK method: `prepare` makes the data it needs, `call` calls it, `check` runs
 * with the scope granted, `unchanged` after the refusal (for methods that write).
 */
interface MethodCase<Context = unknown, Result = unknown> {
  method: string;
  scope: Scope;
  /**
   * Read scopes of the other resources the answer includes: a callback's lead needs
   * leads:read and a lead's callbacks need callbacks:read, wherever they are returned.
   */
  includes?: Scope[];
  prepare?(): Promise<Context>;
  call(client: CallSnare, context: Context): Promise<Result>;
  check(result: Result, context: Context): Promise<void> | void;
  unchanged?(context: Context): Promise<void>;
}

const method = <Context, Result>(definition: MethodCase<Context, Result>) => definition;

const cases: MethodCase[] = [
  method({
    method: 'leads.list',
    scope: 'leads:read',
    prepare: () => createTestLead(api.db, api.orgId, { name: 'Listed Lee' }),
    call: (client) => client.leads.list({ search: 'Listed Lee' }, { first: 5 }),
    check(page, lead) {
      expect(page.totalCount).toBe(1);
      expect(page.nodes).toEqual([expect.objectContaining({ id: lead.id, name: 'Listed Lee', status: 'NEW', optedOut: false })]);
      expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    },
  }),
  method({
    method: 'leads.iterate',
    scope: 'leads:read',
    prepare: () => createTestLead(api.db, api.orgId, { name: 'Iterated Ida' }),
    call: (client) => collect(client.leads.iterate({ search: 'Iterated Ida' })),
    check: (leads, lead) => expect(leads.map(({ id }) => id)).toEqual([lead.id]),
  }),
  method({
    method: 'leads.get',
    scope: 'leads:read',
    includes: ['callbacks:read'],
    prepare: () => leadWithCallback('Gotten Gus'),
    call: (client, { lead }) => client.leads.get(lead.id),
    check(detail, { lead, callback }) {
      expect(detail).toMatchObject({ id: lead.id, name: 'Gotten Gus', phone: lead.phone });
      expect(detail.events.nodes).toEqual([expect.objectContaining({ type: 'CALL_MISSED', actorType: 'PROVIDER', actorLabel: 'Twilio' })]);
      expect(detail.messages).toEqual({ nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } });
      expect(detail.callbacks).toEqual([expect.objectContaining({ id: callback.id, status: 'OPEN', lead: expect.objectContaining({ id: lead.id }) })]);
    },
  }),
  method({
    method: 'leads.events',
    scope: 'leads:read',
    prepare: () => createTestLead(api.db, api.orgId),
    call: (client, lead) => client.leads.events(lead.id, { first: 10 }),
    check: (page) => expect(page.nodes.map((event) => event.type)).toEqual(['CALL_MISSED']),
  }),
  method({
    method: 'leads.messages',
    scope: 'leads:read',
    prepare: () => createTestLead(api.db, api.orgId),
    call: (client, lead) => client.leads.messages(lead.id),
    check: (page) => expect(page).toMatchObject({ nodes: [], totalCount: 0 }),
  }),
  method({
    method: 'leads.update',
    scope: 'leads:write',
    prepare: () => createTestLead(api.db, api.orgId, { name: 'Old Name' }),
    call: (client, lead) => client.leads.update(lead.id, { name: 'New Name', status: 'CONTACTED' }),
    async check(updated, lead) {
      expect(updated).toMatchObject({ id: lead.id, name: 'New Name', status: 'CONTACTED' });
      expect(await api.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ name: 'New Name', status: 'CONTACTED' });
    },
    async unchanged(lead) {
      expect(await api.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ name: 'Old Name', status: 'NEW' });
    },
  }),
  method({
    method: 'leads.addNote',
    scope: 'leads:write',
    prepare: () => createTestLead(api.db, api.orgId),
    call: (client, lead) => client.leads.addNote(lead.id, 'Prefers a call after 5pm'),
    async check(event, lead) {
      expect(event).toMatchObject({ type: 'NOTE_ADDED', actorType: 'CREDENTIAL', data: { body: 'Prefers a call after 5pm' } });
      expect(await api.db.prisma.leadEvent.count({ where: { leadId: lead.id, type: 'NOTE_ADDED' } })).toBe(1);
    },
    async unchanged(lead) {
      expect(await api.db.prisma.leadEvent.count({ where: { leadId: lead.id, type: 'NOTE_ADDED' } })).toBe(0);
    },
  }),
  method({
    method: 'messages.send',
    scope: 'messages:send',
    prepare: () => createTestLead(api.db, api.orgId),
    call: (client, lead) => client.messages.send(lead.id, 'We can be there at 3pm today. Does that work?'),
    async check(sent, lead) {
      expect(sent.message).toMatchObject({
        direction: 'OUTBOUND',
        kind: 'STAFF_REPLY',
        status: 'QUEUED',
        body: 'We can be there at 3pm today. Does that work?',
      });
      expect(typeof sent.duringQuietHours).toBe('boolean');
      expect(await api.db.prisma.message.count({ where: { leadId: lead.id, kind: 'STAFF_REPLY' } })).toBe(1);
    },
    async unchanged(lead) {
      expect(await api.db.prisma.message.count({ where: { leadId: lead.id } })).toBe(0);
    },
  }),
  method({
    method: 'callbacks.list',
    scope: 'callbacks:read',
    includes: ['leads:read'],
    prepare: () => leadWithCallback('Queued Quinn'),
    call: (client) => client.callbacks.list({ status: ['OPEN'] }, { first: 100 }),
    check: (page, { callback }) =>
      expect(page.nodes).toContainEqual(expect.objectContaining({ id: callback.id, status: 'OPEN', lead: expect.objectContaining({ name: 'Queued Quinn' }) })),
  }),
  method({
    method: 'callbacks.iterate',
    scope: 'callbacks:read',
    includes: ['leads:read'],
    prepare: () => leadWithCallback(),
    call: (client) => collect(client.callbacks.iterate({ status: ['OPEN'] }, { pageSize: 2 })),
    check: (callbacks, { callback }) => expect(callbacks.map(({ id }) => id)).toContain(callback.id),
  }),
  method({
    method: 'callbacks.schedule',
    scope: 'callbacks:write',
    includes: ['leads:read'],
    async prepare() {
      return { ...(await leadWithCallback()), at: new Date(Date.now() + 24 * 3600_000) };
    },
    call: (client, { lead, at }) => client.callbacks.schedule({ leadId: lead.id, at, assigneeId: api.ownerId }),
    async check(scheduled, { callback, at }) {
      expect(scheduled).toMatchObject({ id: callback.id, status: 'SCHEDULED', scheduledFor: at.toISOString(), assignee: { id: api.ownerId } });
      expect((await storedCallback(callback.id)).status).toBe('SCHEDULED');
    },
    async unchanged({ callback }) {
      expect((await storedCallback(callback.id)).status).toBe('OPEN');
    },
  }),
  method({
    method: 'callbacks.assign',
    scope: 'callbacks:write',
    includes: ['leads:read'],
    prepare: () => leadWithCallback(),
    call: (client, { callback }) => client.callbacks.assign(callback.id, api.ownerId),
    async check(assigned, { callback }) {
      expect(assigned).toMatchObject({ id: callback.id, assignee: { id: api.ownerId } });
      expect((await storedCallback(callback.id)).assigneeId).toBe(api.ownerId);
    },
    async unchanged({ callback }) {
      expect((await storedCallback(callback.id)).assigneeId).toBeNull();
    },
  }),
  method({
    method: 'callbacks.complete',
    scope: 'callbacks:write',
    includes: ['leads:read'],
    prepare: () => leadWithCallback(),
    call: (client, { callback }) => client.callbacks.complete(callback.id, { outcome: 'BOOKED', notes: 'Tuesday 9am install' }),
    async check(completed, { lead, callback }) {
      expect(completed).toMatchObject({
        id: callback.id,
        status: 'COMPLETED',
        outcome: 'BOOKED',
        notes: 'Tuesday 9am install',
        lead: { id: lead.id, status: 'BOOKED' },
      });
      expect((await storedCallback(callback.id)).status).toBe('COMPLETED');
    },
    async unchanged({ callback }) {
      expect((await storedCallback(callback.id)).status).toBe('OPEN');
    },
  }),
  method({
    method: 'callbacks.cancel',
    scope: 'callbacks:write',
    includes: ['leads:read'],
    prepare: () => leadWithCallback(),
    call: (client, { callback }) => client.callbacks.cancel(callback.id),
    async check(canceled, { callback }) {
      expect(canceled).toMatchObject({ id: callback.id, status: 'CANCELED' });
      expect((await storedCallback(callback.id)).status).toBe('CANCELED');
    },
    async unchanged({ callback }) {
      expect((await storedCallback(callback.id)).status).toBe('OPEN');
    },
  }),
  method({
    method: 'settings.get',
    scope: 'settings:read',
    call: (client) => client.settings.get(),
    check(settings) {
      expect(settings).toMatchObject({ businessName: expect.any(String), ringTimeoutSeconds: expect.any(Number), timezone: expect.any(String) });
      expect(settings.previews.businessHours).toMatchObject({ segments: expect.any(Number), encoding: expect.stringMatching(/GSM-7|UCS-2/) });
    },
  }),
  method({
    method: 'settings.update',
    scope: 'settings:write',
    async prepare() {
      const before = await api.db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId: api.orgId } });
      return { before: before.callbackSlaMinutes, target: before.callbackSlaMinutes === 25 ? 30 : 25 };
    },
    call: (client, { target }) => client.settings.update({ callbackSlaMinutes: target }),
    async check(settings, { target }) {
      expect(settings.callbackSlaMinutes).toBe(target);
      expect((await api.db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId: api.orgId } })).callbackSlaMinutes).toBe(target);
    },
    async unchanged({ before }) {
      expect((await api.db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId: api.orgId } })).callbackSlaMinutes).toBe(before);
    },
  }),
  method({
    method: 'settings.trackingLines',
    scope: 'settings:read',
    call: (client) => client.settings.trackingLines(),
    check: (lines) => expect(lines).toEqual([expect.objectContaining({ number: api.trackingNumber, active: true })]),
  }),
  method({
    method: 'audit.list',
    scope: 'audit:read',
    call: (client) => client.audit.list({ action: 'org.created' }),
    check: (page) => expect(page.nodes).toEqual([expect.objectContaining({ action: 'org.created', targetId: api.orgId })]),
  }),
  method({
    method: 'audit.iterate',
    scope: 'audit:read',
    call: (client) => collect(client.audit.iterate({}, { pageSize: 1 })),
    check(entries) {
      expect(entries.length).toBeGreaterThan(1);
      // Newest first, every position of the hash chain once.
      const seqs = entries.map((entry) => entry.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(new Set(seqs).size).toBe(seqs.length);
    },
  }),
  method({
    method: 'webhookLogs.list',
    scope: 'webhook_logs:read',
    call: (client) => client.webhookLogs.list({ provider: 'TWILIO' }),
    check: (page) =>
      expect(page.nodes).toContainEqual(
        expect.objectContaining({ provider: 'TWILIO', route: '/webhooks/twilio/voice', outcome: 'PROCESSED', httpStatus: 200 }),
      ),
  }),
  method({
    method: 'webhookLogs.iterate',
    scope: 'webhook_logs:read',
    call: (client) => collect(client.webhookLogs.iterate()),
    check: (logs) => expect(logs.length).toBeGreaterThanOrEqual(1),
  }),
  method({
    method: 'billing.get',
    scope: 'billing:read',
    call: (client) => client.billing.get(),
    check: (billing) =>
      expect(billing).toMatchObject({ status: expect.any(String), textBacksActive: expect.any(Boolean), records: { totalCount: expect.any(Number) } }),
  }),
  method({
    method: 'billing.records',
    scope: 'billing:read',
    call: (client) => client.billing.records({ first: 10 }),
    check: (page) => expect(page.pageInfo.hasNextPage).toBe(false),
  }),
  method({
    method: 'webhooks.list',
    scope: 'webhooks:read',
    prepare: () => newEndpoint('listed'),
    call: (client) => client.webhooks.list(),
    async check(endpoints, endpoint) {
      expect(endpoints).toContainEqual(expect.objectContaining({ id: endpoint.id, description: 'listed', events: ['lead.created'], enabled: true }));
      expect(JSON.stringify(endpoints)).not.toMatch(/whsec_/);
      await dropEndpoint(endpoint.id);
    },
    unchanged: (endpoint) => dropEndpoint(endpoint.id).then(() => undefined),
  }),
  method({
    method: 'webhooks.create',
    scope: 'webhooks:write',
    prepare: () => receiverUrl(),
    call: (client, url) => client.webhooks.create({ url, events: ['lead.created', 'callback.completed'], description: 'created' }),
    async check({ endpoint, secret }, url) {
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint).toMatchObject({ url, events: ['lead.created', 'callback.completed'], description: 'created', enabled: true });
      await dropEndpoint(endpoint.id);
    },
    async unchanged() {
      expect(await api.db.prisma.webhookEndpoint.count({ where: { description: 'created' } })).toBe(0);
    },
  }),
  method({
    method: 'webhooks.update',
    scope: 'webhooks:write',
    prepare: () => newEndpoint('before update'),
    call: (client, endpoint) => client.webhooks.update(endpoint.id, { events: ['lead.updated'], enabled: false }),
    async check(updated, endpoint) {
      expect(updated).toMatchObject({ id: endpoint.id, events: ['lead.updated'], enabled: false });
      await dropEndpoint(endpoint.id);
    },
    async unchanged(endpoint) {
      expect(await api.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ events: ['lead.created'], enabled: true });
      await dropEndpoint(endpoint.id);
    },
  }),
  method({
    method: 'webhooks.delete',
    scope: 'webhooks:write',
    prepare: () => newEndpoint('deleted'),
    call: (client, endpoint) => client.webhooks.delete(endpoint.id),
    async check(deleted, endpoint) {
      expect(deleted).toMatchObject({ id: endpoint.id });
      expect(await api.db.prisma.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(0);
    },
    async unchanged(endpoint) {
      expect(await api.db.prisma.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(1);
      await dropEndpoint(endpoint.id);
    },
  }),
  method({
    method: 'webhooks.rotateSecret',
    scope: 'webhooks:write',
    prepare: () => newEndpoint('rotated'),
    call: (client, endpoint) => client.webhooks.rotateSecret(endpoint.id),
    async check({ endpoint, secret }, before) {
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint).toMatchObject({ id: before.id, previousSecretExpiresAt: expect.any(String) });
      await dropEndpoint(before.id);
    },
    async unchanged(endpoint) {
      expect(await api.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ previousSecretExpiresAt: null });
      await dropEndpoint(endpoint.id);
    },
  }),
  method({
    method: 'webhooks.deliveries',
    scope: 'webhooks:read',
    prepare: () => deliveredEvent(),
    call: (client, { endpoint }) => client.webhooks.deliveries({ endpointId: endpoint.id }, { first: 10 }),
    async check(page, { endpoint, delivery }) {
      expect(page.totalCount).toBe(1);
      expect(page.nodes).toEqual([
        expect.objectContaining({
          id: delivery.id,
          eventType: 'lead.created',
          status: 'SUCCEEDED',
          attempts: 1,
          lastStatusCode: 200,
          endpoint: { id: endpoint.id, url: endpoint.url },
        }),
      ]);
      expect(page.nodes[0]!.attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, redelivery: false, durationMs: expect.any(Number) })]);
      await dropEndpoint(endpoint.id);
    },
    unchanged: ({ endpoint }) => dropEndpoint(endpoint.id).then(() => undefined),
  }),
  method({
    method: 'webhooks.iterateDeliveries',
    scope: 'webhooks:read',
    prepare: () => deliveredEvent(),
    call: (client, { endpoint }) => collect(client.webhooks.iterateDeliveries({ endpointId: endpoint.id, status: 'SUCCEEDED' })),
    async check(deliveries, { endpoint, delivery }) {
      expect(deliveries.map(({ id }) => id)).toEqual([delivery.id]);
      await dropEndpoint(endpoint.id);
    },
    unchanged: ({ endpoint }) => dropEndpoint(endpoint.id).then(() => undefined),
  }),
  method({
    method: 'webhooks.redeliver',
    scope: 'webhooks:write',
    prepare: () => deliveredEvent(),
    call: (client, { delivery }) => client.webhooks.redeliver(delivery.id),
    async check(redelivered, { endpoint, delivery }) {
      expect(redelivered).toMatchObject({ id: delivery.id, eventId: delivery.eventId, status: 'SUCCEEDED', attempts: 2 });
      expect(redelivered.attemptLog.map((attempt) => attempt.redelivery)).toEqual([false, true]);
      await dropEndpoint(endpoint.id);
    },
    async unchanged({ endpoint, delivery }) {
      expect(await api.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ attempts: 1 });
      await dropEndpoint(endpoint.id);
    },
  }),
  method({
    method: 'stats',
    scope: 'leads:read',
    async prepare() {
      await createTestLead(api.db, api.orgId);
      return { since: new Date(Date.now() - 3600_000) };
    },
    call: (client, { since }) => client.stats({ since, until: new Date(Date.now() + 60_000) }),
    check(stats, { since }) {
      expect(stats.since).toBe(since.toISOString());
      expect(stats.missedCalls).toBeGreaterThanOrEqual(1);
      expect(stats.missedCallsByDay.length).toBeGreaterThanOrEqual(1);
    },
  }),
];

describe.each(cases)('$method', (testCase) => {
  const { scope, includes } = testCase;
  it(`works with a credential holding only ${[scope, ...(includes ?? [])].join(' and ')}`, async () => {
    const context = await testCase.prepare?.();
    await testCase.check(await testCase.call(await api.client([scope, ...(includes ?? [])]), context), context);
  });

  it(`is a ForbiddenError naming ${scope} for a credential with every other scope`, async () => {
    const context = await testCase.prepare?.();
    const client = await api.client(SCOPES.filter((other) => other !== scope));
    const error = await testCase.call(client, context).then(
      () => new Error('expected a ForbiddenError'),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', requiredScope: scope, requestId: expect.any(String) });
    await testCase.unchanged?.(context);
  });
});

it('every scope-guarded method of the client is covered above', () => {
  const client = new CallSnare({ apiKey: 'cs_test_x', baseUrl: api.server.url });
  const methods: string[] = [];
  for (const group of ['leads', 'messages', 'callbacks', 'settings', 'audit', 'webhookLogs', 'billing', 'webhooks'] as const) {
    const prototype = Object.getPrototypeOf(client[group]) as object;
    for (const name of Object.getOwnPropertyNames(prototype)) if (name !== 'constructor') methods.push(`${group}.${name}`);
  }
  methods.push('stats');
  expect(cases.map((entry) => entry.method).sort()).toEqual(methods.sort());
});

it('viewer() works for a credential with any scope', async () => {
  for (const scope of SCOPES) {
    const viewer = await (await api.client([scope])).viewer();
    expect(viewer.scopes).toEqual([scope]);
  }
});

it('an unknown lead id is a NotFoundError', async () => {
  const client = await api.client(['leads:read']);
  await expect(client.leads.get(crypto.randomUUID())).rejects.toBeInstanceOf(NotFoundError);
});

it('texting a caller who opted out is a ValidationError, and nothing is queued', async () => {
  const lead = await createTestLead(api.db, api.orgId, { optedOut: true });
  const client = await api.client(['messages:send']);
  await expect(client.messages.send(lead.id, 'Hello?')).rejects.toBeInstanceOf(ValidationError);
  expect(await api.db.prisma.message.count({ where: { leadId: lead.id } })).toBe(0);
});

it('invalid settings are a ValidationError naming each field', async () => {
  const client = await api.client(['settings:write']);
  const error = (await client.settings.update({ ringTimeoutSeconds: 99, timezone: 'Nowhere/Land' }).catch((thrown: unknown) => thrown)) as ValidationError;
  expect(error).toBeInstanceOf(ValidationError);
  expect(Object.keys(error.fields).sort()).toEqual(['ringTimeoutSeconds', 'timezone']);
});
