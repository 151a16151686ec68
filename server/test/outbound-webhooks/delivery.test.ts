// Outbound webhook delivery end to end: events written in the transaction of the change they
// describe (never for rolled-back work, never without a subscribed endpoint), fanned out once
// per endpoint even by concurrent workers, POSTed to a real receiver with a signature this
// test checks with its own HMAC code, retried on the backoff schedule, redelivered on demand,
// rotated secrets signing alongside during the grace period, and endpoints disabled after
// sustained failure (audited, with a dashboard notice).
import crypto from 'node:crypto';
import { inTransaction } from '../../src/db/types';
import { systemActor } from '../../src/common/actor';
import { updateLead } from '../../src/leads/leads.service';
import { recordWebhookEvent } from '../../src/outbound-webhooks/webhook-events';
import {
  DEFAULT_WEBHOOK_WORKER_OPTIONS,
  fanOut,
  RETRY_DELAYS_MS,
  retryDelayMs,
  runWebhookDeliveriesOnce,
  type WebhookWorkerOptions,
} from '../../src/outbound-webhooks/webhook-delivery.worker';
import type { WebhookHttp, WebhookPost } from '../../src/outbound-webhooks/webhook-http';
import { testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql } from '../support/server';
import { openTestSession, ownerOf } from '../support/sessions';
import { useTestServer } from '../support/test-server';
import { newCall, newCallerNumber } from '../support/twilio';
import { startReceiver, type Receiver, type Received } from './receiver';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The receiver's side, written here from the documented scheme (not CallSnare's signing code). */
function signatureChecks(header: string, rawBody: string, secret: string, nowSeconds: number, toleranceSeconds = 300): { valid: boolean; v1Count: number } {
  const pairs = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at), part.slice(at + 1)] as const;
  });
  const t = Number(pairs.find(([key]) => key === 't')?.[1]);
  const v1 = pairs.filter(([key]) => key === 'v1').map(([, value]) => value);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return { valid: false, v1Count: v1.length };
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest();
  const valid = v1.some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  return { valid, v1Count: v1.length };
}

const UPDATE_LEAD = 'mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { id } }';
const CREATE = 'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }';
const DELIVERIES = `query($filter: WebhookDeliveryFilter) { webhookDeliveries(filter: $filter, first: 50) {
  totalCount nodes { id eventId eventType status attempts lastStatusCode lastError nextAttemptAt createdAt payload endpoint { id url }
    attemptLog { attempt redelivery statusCode durationMs responseExcerpt error createdAt } } } }`;
const REDELIVER = 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attempts attemptLog { attempt redelivery statusCode } } }';

describe.each(testDatabaseKinds)('outbound webhook delivery on %s', (kind) => {
  const fixture = useTestServer(kind, { now: '2026-03-02T15:00:00.000Z', env: { PUBLIC_BASE_URL: 'https://app.callsnare.test' } });
  const { clock } = fixture;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.fallback = { status: 200, body: 'ok' };
  });
  // The worker serves every organization: each test starts with nothing left to do.
  afterEach(async () => {
    await fixture.db.prisma.webhookDelivery.updateMany({ where: { status: 'PENDING' }, data: { status: 'FAILED', nextAttemptAt: null } });
    await fixture.db.prisma.webhookEvent.updateMany({ where: { dispatchedAt: null }, data: { dispatchedAt: new Date() } });
  });

  const run = (overrides: Partial<WebhookWorkerOptions> = {}) => runWebhookDeliveriesOnce(fixture.server.deps, { random: () => 0.5, ...overrides });
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  async function shop() {
    const org = await createTestOrg(fixture.db);
    const cookie = await openTestSession(fixture.db, (await ownerOf(fixture.db, org.orgId)).userId, org.orgId, clock);
    const as = (query: string, variables: Record<string, unknown> = {}) => graphql(fixture.server.url, query, { cookie, variables });
    const endpoint = async (events: string[], path = `/hooks/${org.orgId}`) => {
      const { body } = await as(CREATE, { input: { url: `${receiver.url}${path}`, events } });
      expect(body.errors).toBeUndefined();
      const created = body.data!.createWebhookEndpoint as { secret: string; endpoint: { id: string } };
      return { id: created.endpoint.id, secret: created.secret, path };
    };
    return { orgId: org.orgId, trackingNumber: org.trackingNumber!, as, endpoint };
  }
  const to = (path: string) => receiver.received.filter((request) => request.path === path);
  const events = (orgId: string) => fixture.db.prisma.webhookEvent.findMany({ where: { orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const bodyOf = (request: Received) =>
    JSON.parse(request.body) as { id: string; type: string; created: number; orgId: string; data: { object: Record<string, any> } };

  it('a missed call through the Twilio webhook route delivers lead.created and callback.created, signed, to a real receiver', async () => {
    const { orgId, trackingNumber, endpoint } = await shop();
    const hook = await endpoint(['lead.created', 'callback.created']);
    const caller = newCallerNumber();
    const call = newCall(caller, trackingNumber);
    expect((await fixture.twilio.voice(call)).status).toBe(200);
    expect((await fixture.twilio.dialStatus(call, 'no-answer')).status).toBe(200);
    const written = await events(orgId);
    expect(written.map((event) => event.type).sort()).toEqual(['callback.created', 'lead.created']);
    for (const event of written) expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/);

    const pass = await run();
    expect(pass).toMatchObject({ fannedOut: 2, claimed: 2, succeeded: 2 });
    const requests = to(hook.path);
    expect(requests).toHaveLength(2);
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: caller } });
    const callback = await fixture.db.prisma.callback.findFirstOrThrow({ where: { orgId, leadId: lead.id } });
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('CallSnare-Webhooks/1');
      expect(signatureChecks(String(request.headers['callsnare-signature']), request.body, hook.secret, nowSeconds())).toEqual({ valid: true, v1Count: 1 });
      expect(signatureChecks(String(request.headers['callsnare-signature']), `${request.body} `, hook.secret, nowSeconds()).valid).toBe(false);
      const body = bodyOf(request);
      expect(Object.keys(body)).toEqual(['id', 'type', 'created', 'orgId', 'data']);
      expect(request.headers['callsnare-event-id']).toBe(body.id);
      expect(body).toMatchObject({ orgId, created: nowSeconds() });
      if (body.type === 'lead.created') {
        expect(body.data.object).toMatchObject({ object: 'lead', id: lead.id, phone: caller, status: 'NEW', optedOut: false, needsReply: false });
        expect(body.data.object.createdAt).toBe(lead.createdAt.toISOString());
      } else {
        expect(body.data.object).toMatchObject({ object: 'callback', id: callback.id, leadId: lead.id, status: 'OPEN', attempt: 1 });
      }
    }
    const deliveries = await fixture.db.prisma.webhookDelivery.findMany({ where: { orgId }, include: { attemptLog: true } });
    expect(deliveries.map((d) => [d.status, d.attempts, d.attemptLog[0]?.statusCode, d.attemptLog[0]?.responseExcerpt])).toEqual([
      ['SUCCEEDED', 1, 200, 'ok'],
      ['SUCCEEDED', 1, 200, 'ok'],
    ]);
    // A replayed dial-status webhook writes nothing: no second event.
    await fixture.twilio.dialStatus(call, 'no-answer');
    expect(await events(orgId)).toHaveLength(2);
  });

  it('a receiver that fails twice then succeeds: three attempts recorded on the backoff schedule, then SUCCEEDED', async () => {
    const { orgId, as, endpoint } = await shop();
    const hook = await endpoint(['lead.updated']);
    const lead = await createTestLead(fixture.db, orgId);
    expect((await as(UPDATE_LEAD, { id: lead.id, input: { name: 'Dana Whitfield' } })).body.errors).toBeUndefined();
    receiver.script({ status: 500, body: 'boom' }, { status: 503 });

    expect(await run()).toMatchObject({ fannedOut: 1, claimed: 1, retried: 1 });
    let delivery = await fixture.db.prisma.webhookDelivery.findFirstOrThrow({ where: { orgId } });
    expect(delivery.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 1 * MINUTE));
    expect(await run()).toMatchObject({ claimed: 0 });
    clock.advance(1 * MINUTE);
    expect(await run()).toMatchObject({ claimed: 1, retried: 1 });
    delivery = await fixture.db.prisma.webhookDelivery.findFirstOrThrow({ where: { orgId } });
    expect(delivery.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 5 * MINUTE));
    clock.advance(5 * MINUTE);
    expect(await run()).toMatchObject({ claimed: 1, succeeded: 1 });

    const requests = to(hook.path);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(requests.map((r) => r.headers['callsnare-event-id'])).size).toBe(1);
    expect(bodyOf(requests[0]!)).toMatchObject({ type: 'lead.updated', data: { object: { id: lead.id, name: 'Dana Whitfield' } } });

    const { body } = await as(DELIVERIES, { filter: { endpointId: hook.id } });
    const [listed] = body.data!.webhookDeliveries.nodes;
    expect(listed).toMatchObject({ eventType: 'lead.updated', status: 'SUCCEEDED', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(listed.payload).toBe(requests[0]!.body);
    expect(listed.attemptLog.map((a: any) => [a.attempt, a.statusCode, a.responseExcerpt, a.error])).toEqual([
      [1, 500, 'boom', 'HTTP 500'],
      [2, 503, null, 'HTTP 503'],
      [3, 200, 'ok', null],
    ]);
    for (const attempt of listed.attemptLog) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    const endpointRow = await fixture.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { id: hook.id, orgId } });
    expect(endpointRow).toMatchObject({ consecutiveFailures: 0, failingSince: null, enabled: true });
    // Filters: nothing failed, nothing of another type.
    expect((await as(DELIVERIES, { filter: { status: 'FAILED' } })).body.data!.webhookDeliveries.totalCount).toBe(0);
    expect((await as(DELIVERIES, { filter: { eventType: 'lead.created' } })).body.data!.webhookDeliveries.totalCount).toBe(0);
  });

  it('never answered with a 2xx: 8 attempts spread over more than 24 hours, then FAILED', async () => {
    const { orgId, endpoint } = await shop();
    await endpoint(['lead.updated']);
    receiver.fallback = { status: 500, body: 'down' };
    const lead = await createTestLead(fixture.db, orgId);
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, systemActor(orgId, 'test'), lead.id, { name: 'Sam' }, clock));
    const attemptTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const pass = await run();
      if (pass.claimed > 0) attemptTimes.push(clock.now().getTime());
      const delivery = await fixture.db.prisma.webhookDelivery.findFirstOrThrow({ where: { orgId } });
      if (delivery.status !== 'PENDING') break;
      clock.set(delivery.nextAttemptAt!);
    }
    const delivery = await fixture.db.prisma.webhookDelivery.findFirstOrThrow({ where: { orgId }, include: { attemptLog: true } });
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 8, nextAttemptAt: null, lastStatusCode: 500 });
    expect(delivery.attemptLog).toHaveLength(8);
    const gaps = attemptTimes.slice(1).map((at, i) => at - attemptTimes[i]!);
    expect(gaps).toEqual([...RETRY_DELAYS_MS]);
    expect(attemptTimes.at(-1)! - attemptTimes[0]!).toBeGreaterThanOrEqual(DAY);
    // With the most jitter either way the schedule still spans a day.
    const shortest = RETRY_DELAYS_MS.map((_, i) => retryDelayMs(i + 1, { retryDelaysMs: RETRY_DELAYS_MS, random: () => 0 })!);
    expect(shortest.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(DAY);
    expect(retryDelayMs(RETRY_DELAYS_MS.length + 1, { retryDelaysMs: RETRY_DELAYS_MS, random: () => 1 })).toBeNull();
    // One delivery failing for ~28 h does not disable the endpoint (that takes 3 days).
    expect((await fixture.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { orgId } })).enabled).toBe(true);
  });

  it('sustained failure disables the endpoint: its pending deliveries FAILED, an audit entry, a dashboard notice, no more events', async () => {
    const { orgId, endpoint } = await shop();
    const hook = await endpoint(['lead.updated']);
    receiver.fallback = { status: 502 };
    const lead = await createTestLead(fixture.db, orgId);
    const actor = systemActor(orgId, 'test');
    const options = { disableAfterFailures: 10, disableAfterMs: 3 * DAY };
    const start = clock.now().getTime();
    // A change every 6 hours for 3 days, and every due retry attempted.
    for (let hour = 0; hour <= 72; hour += 1) {
      clock.set(new Date(start + hour * HOUR));
      if (hour % 6 === 0) await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, actor, lead.id, { name: `Name ${hour}` }, clock));
      await run(options);
    }
    const row = await fixture.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { id: hook.id, orgId } });
    expect(row.enabled).toBe(false);
    expect(row.disabledAt).toEqual(new Date(start + 72 * HOUR));
    expect(row.disabledReason).toMatch(/attempts in a row failed over 3 days \(latest: HTTP 502\)/);
    expect(await fixture.db.prisma.webhookDelivery.count({ where: { orgId, status: 'PENDING' } })).toBe(0);
    const failedByDisable = await fixture.db.prisma.webhookDelivery.count({ where: { orgId, lastError: 'the endpoint was disabled after sustained failure' } });
    expect(failedByDisable).toBeGreaterThan(0);
    const audit = await fixture.db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'webhook_endpoint.disabled' } });
    expect(audit).toMatchObject({ actorType: 'SYSTEM', actorLabel: 'CallSnare', targetId: hook.id });
    const notice = await fixture.db.prisma.notice.findFirstOrThrow({ where: { orgId } });
    expect(notice).toMatchObject({ kind: 'WEBHOOK_ENDPOINT_DISABLED', subjectId: hook.id, dedupeKey: `endpoint:${hook.id}:${row.disabledAt!.toISOString()}` });
    expect(notice.message).toContain(`${receiver.url}${hook.path}`);

    const before = (await events(orgId)).length;
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, actor, lead.id, { name: 'After disable' }, clock));
    expect(await events(orgId)).toHaveLength(before);
    // Re-enabled by a manager (signed in again: three days passed): a fresh start.
    const cookie = await openTestSession(fixture.db, (await ownerOf(fixture.db, orgId)).userId, orgId, clock);
    const { body } = await graphql(
      fixture.server.url,
      'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: true }) { enabled consecutiveFailures } }',
      { cookie, variables: { id: hook.id } },
    );
    expect(body.data!.updateWebhookEndpoint).toEqual({ enabled: true, consecutiveFailures: 0 });
  });

  it('after a rotation both secrets sign for 24 hours, then only the new one', async () => {
    const { orgId, as, endpoint } = await shop();
    const hook = await endpoint(['lead.updated']);
    const { body } = await as('mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }', { id: hook.id });
    const newSecret = body.data!.rotateWebhookEndpointSecret.secret as string;
    const lead = await createTestLead(fixture.db, orgId);
    const change = (name: string) => inTransaction(fixture.db.prisma, (tx) => updateLead(tx, systemActor(orgId, 'test'), lead.id, { name }, clock));

    await change('During grace');
    await run();
    const during = to(hook.path).at(-1)!;
    const header = String(during.headers['callsnare-signature']);
    expect(signatureChecks(header, during.body, newSecret, nowSeconds())).toEqual({ valid: true, v1Count: 2 });
    expect(signatureChecks(header, during.body, hook.secret, nowSeconds())).toEqual({ valid: true, v1Count: 2 });

    clock.advance(DAY + 1000);
    await change('After grace');
    await run();
    const after = to(hook.path).at(-1)!;
    const afterHeader = String(after.headers['callsnare-signature']);
    expect(bodyOf(after).data.object.name).toBe('After grace');
    expect(signatureChecks(afterHeader, after.body, newSecret, nowSeconds())).toEqual({ valid: true, v1Count: 1 });
    expect(signatureChecks(afterHeader, after.body, hook.secret, nowSeconds()).valid).toBe(false);
  });

  it('writes no event for rolled-back work, none when no enabled endpoint subscribes to the type', async () => {
    const { orgId, as, endpoint } = await shop();
    const lead = await createTestLead(fixture.db, orgId);
    const actor = systemActor(orgId, 'test');
    // No endpoint at all.
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, actor, lead.id, { name: 'No endpoint' }, clock));
    expect(await events(orgId)).toHaveLength(0);
    // An endpoint for other types only.
    await endpoint(['lead.created', 'message.received']);
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, actor, lead.id, { name: 'Other types' }, clock));
    expect(await events(orgId)).toHaveLength(0);
    // A disabled endpoint for the type.
    const disabled = await endpoint(['lead.updated'], `/hooks/${orgId}/disabled`);
    await as('mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: false }) { id } }', { id: disabled.id });
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, actor, lead.id, { name: 'Disabled endpoint' }, clock));
    expect(await events(orgId)).toHaveLength(0);
    // Subscribed, but the change rolls back.
    await endpoint(['lead.updated']);
    await expect(
      inTransaction(fixture.db.prisma, async (tx) => {
        await updateLead(tx, actor, lead.id, { name: 'Rolled back' }, clock);
        expect(await tx.webhookEvent.count({ where: { orgId } })).toBe(1);
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await events(orgId)).toHaveLength(0);
    expect((await fixture.db.prisma.lead.findFirstOrThrow({ where: { id: lead.id, orgId } })).name).toBe('Disabled endpoint');
    // Committed: one event.
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, actor, lead.id, { name: 'Committed' }, clock));
    expect((await events(orgId)).map((event) => [event.type, event.objectId])).toEqual([['lead.updated', lead.id]]);
  });

  it('two workers fanning out and delivering the same events make and send each delivery once', async () => {
    const { orgId, endpoint } = await shop();
    await endpoint(['lead.updated'], `/hooks/${orgId}/a`);
    await endpoint(['lead.updated'], `/hooks/${orgId}/b`);
    const leads = await Promise.all(Array.from({ length: 15 }, () => createTestLead(fixture.db, orgId)));
    for (const lead of leads) {
      await inTransaction(fixture.db.prisma, (tx) => recordWebhookEvent(tx, { orgId, type: 'lead.updated', objectId: lead.id, at: clock.now() }));
    }
    const posted: WebhookPost[] = [];
    const http: WebhookHttp = {
      post: async (request) => {
        posted.push(request);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ok: true, statusCode: 204, responseExcerpt: null, error: null, durationMs: 5 };
      },
    };
    const worker = (workerId: string) => run({ http, workerId, fanOutBatchSize: 4, batchSize: 3 });
    for (let round = 0; round < 30; round++) {
      const [a, b] = await Promise.all([worker('worker-a'), worker('worker-b')]);
      if (a.fannedOut + b.fannedOut + a.claimed + b.claimed === 0) break;
    }
    const deliveries = await fixture.db.prisma.webhookDelivery.findMany({ where: { orgId } });
    expect(deliveries).toHaveLength(30);
    expect(deliveries.every((d) => d.status === 'SUCCEEDED' && d.attempts === 1)).toBe(true);
    const sent = posted.map((p) => `${p.headers['CallSnare-Event-Id']} ${p.url}`);
    expect(sent).toHaveLength(30);
    expect(new Set(sent).size).toBe(30);
  });

  it("a killed worker's claim is taken over once its lease has run out, and delivered once", async () => {
    const { orgId, endpoint } = await shop();
    const hook = await endpoint(['lead.updated']);
    const lead = await createTestLead(fixture.db, orgId);
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, systemActor(orgId, 'test'), lead.id, { name: 'Claimed' }, clock));
    await inTransaction(fixture.db.prisma, (tx) => fanOut(tx, clock.now(), 100));
    // A node claimed it, then died before sending.
    await fixture.db.prisma.webhookDelivery.updateMany({ where: { orgId }, data: { claimedAt: clock.now(), claimedBy: 'dead-node:1:abc' } });
    expect(await run()).toMatchObject({ claimed: 0 });
    clock.advance(DEFAULT_WEBHOOK_WORKER_OPTIONS.leaseMs - 1000);
    expect(await run()).toMatchObject({ claimed: 0 });
    clock.advance(2000);
    expect(await run()).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(to(hook.path)).toHaveLength(1);
    expect(await fixture.db.prisma.webhookDelivery.findFirstOrThrow({ where: { orgId } })).toMatchObject({ status: 'SUCCEEDED', attempts: 1, claimedBy: null });
  });

  it('redeliverWebhook sends the same body again as a new attempt; credentials need webhooks:write; other orgs get NOT_FOUND', async () => {
    const { orgId, as, endpoint } = await shop();
    const hook = await endpoint(['lead.updated']);
    const lead = await createTestLead(fixture.db, orgId);
    await inTransaction(fixture.db.prisma, (tx) => updateLead(tx, systemActor(orgId, 'test'), lead.id, { name: 'Once' }, clock));
    await run();
    const delivery = await fixture.db.prisma.webhookDelivery.findFirstOrThrow({ where: { orgId } });
    clock.advance(10 * MINUTE);
    const { body } = await as(REDELIVER, { id: delivery.id });
    expect(body.errors).toBeUndefined();
    expect(body.data!.redeliverWebhook).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(body.data!.redeliverWebhook.attemptLog.map((a: any) => [a.attempt, a.redelivery, a.statusCode])).toEqual([
      [1, false, 200],
      [2, true, 200],
    ]);
    const [first, second] = to(hook.path);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['callsnare-event-id']).toBe(first!.headers['callsnare-event-id']);
    expect(signatureChecks(String(second!.headers['callsnare-signature']), second!.body, hook.secret, nowSeconds())).toEqual({ valid: true, v1Count: 1 });
    expect(await fixture.db.prisma.auditEntry.count({ where: { orgId, action: 'webhook_delivery.redelivered', targetId: delivery.id } })).toBe(1);

    // A failed redelivery is recorded and changes nothing else.
    receiver.fallback = { status: 500 };
    const failed = await as(REDELIVER, { id: delivery.id });
    expect(failed.body.data!.redeliverWebhook).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
    expect(failed.body.data!.redeliverWebhook.attemptLog.at(-1)).toEqual({ attempt: 3, redelivery: true, statusCode: 500 });

    const reader = (await createTestCredential(fixture.db, orgId, ['webhooks:read'])).secret;
    const denied = await graphql(fixture.server.url, REDELIVER, { bearer: reader, variables: { id: delivery.id } });
    expect(denied.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'webhooks:write' });
    const other = await shop();
    expect((await other.as(REDELIVER, { id: delivery.id })).body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await other.as(DELIVERIES)).body.data!.webhookDeliveries.totalCount).toBe(0);
  });

  it('replies, opt-outs and callbacks write message.received, lead.opted_out, callback.created and callback.completed', async () => {
    const { orgId, trackingNumber, as, endpoint } = await shop();
    const hook = await endpoint(['message.received', 'lead.opted_out', 'callback.created', 'callback.completed', 'lead.updated']);
    const caller = newCallerNumber();
    await fixture.twilio.sms(caller, trackingNumber, 'Can you come Tuesday?');
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: caller } });
    const scheduled = await as('mutation($leadId: ID!, $at: DateTimeISO!) { scheduleCallback(leadId: $leadId, at: $at) { id } }', {
      leadId: lead.id,
      at: new Date(clock.now().getTime() + HOUR).toISOString(),
    });
    const callbackId = scheduled.body.data!.scheduleCallback.id as string;
    const completed = await as('mutation($id: ID!) { completeCallback(id: $id, outcome: BOOKED) { id } }', { id: callbackId });
    expect(completed.body.errors).toBeUndefined();
    await fixture.twilio.sms(caller, trackingNumber, 'STOP');
    expect((await events(orgId)).map((event) => event.type).sort()).toEqual(
      ['message.received', 'lead.updated', 'callback.created', 'lead.updated', 'callback.completed', 'message.received', 'lead.opted_out'].sort(),
    );
    await run();
    const byType = new Map(to(hook.path).map((request) => [bodyOf(request).type, bodyOf(request)]));
    expect(byType.get('message.received')!.data.object).toMatchObject({ object: 'message', leadId: lead.id, direction: 'INBOUND', from: caller });
    expect(byType.get('callback.completed')!.data.object).toMatchObject({ object: 'callback', id: callbackId, status: 'COMPLETED', outcome: 'BOOKED' });
    expect(byType.get('lead.opted_out')!.data.object).toMatchObject({ object: 'lead', id: lead.id, optedOut: true });
  });
});
