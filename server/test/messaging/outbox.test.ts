// The outbox worker and delivery reports: retries with backoff, giving up,
// carrier opt-outs, concurrent workers, and statuses that never move backwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { withTenantGuard } from '../../src/db/tenant-guard';
import { createLogger } from '../../src/logger';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { queueOutboundMessage } from '../../src/messaging/outbox.service';
import { DEFAULT_OUTBOX_OPTIONS, retryDelayMs, runOutboxOnce, type OutboxDeps } from '../../src/messaging/outbox.worker';
import { SandboxSmsTransport } from '../../src/messaging/sandbox-sms.transport';
import type { OutboundSms, SmsAccepted, SmsTransport } from '../../src/messaging/sms-transport';
import { TwilioSmsTransport } from '../../src/messaging/twilio-sms.transport';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import {
  fakeTwilioNetwork,
  fakeTwilioSid,
  newCall,
  newCallerNumber,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twilioError,
  twilioPoster,
  webhookLogs,
  type FakeTwilioRequest,
} from '../support/twilio';

jest.setTimeout(120_000);

const SECOND = 1000;

/** A page of Twilio's Messages list, newest first. */
function twilioPage(messages: { sid: string; body: string; status: string; dateCreated: Date }[]) {
  return {
    statusCode: 200,
    body: {
      messages: messages.map((message) => ({ sid: message.sid, body: message.body, status: message.status, date_created: message.dateCreated.toUTCString() })),
      next_page_uri: null,
      page: 0,
      page_size: 50,
    },
  };
}
const logger = createLogger('silent');

describe('retry delays', () => {
  const options = { backoffBaseMs: 10 * SECOND, backoffMaxMs: 10 * 60 * SECOND };
  it('double after each failure, with jitter between half and all of the step, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, { ...options, random: () => 1 }))).toEqual([10, 20, 40, 80].map((s) => s * SECOND));
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, { ...options, random: () => 0 }))).toEqual([5, 10, 20, 40].map((s) => s * SECOND));
    expect(retryDelayMs(30, { ...options, random: () => 1 })).toBe(10 * 60 * SECOND);
  });
});

describe.each(testDatabaseKinds)('the outbox on %s', (kind) => {
  let db: Database;
  const clock = new ManualClock('2026-01-15T15:00:00.000Z');

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });
  // Each test starts with an empty outbox (the worker claims across all orgs).
  afterEach(async () => {
    await db.prisma.message.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
  });

  /** A lead with `count` texts waiting in the outbox. */
  async function queued(count = 1, kindOf: 'TEXT_BACK' | 'STAFF_REPLY' = 'TEXT_BACK', phone = newCallerNumber()) {
    const org = await createTestOrg(db);
    const lead = await db.prisma.lead.create({ data: { orgId: org.orgId, phone, openPhone: phone } });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const message = await inTransaction(db.prisma, (tx) =>
        queueOutboundMessage(
          tx,
          { orgId: org.orgId },
          { leadId: lead.id, kind: kindOf, body: `Text ${i}`, fromPhone: org.trackingNumber!, toPhone: phone },
          clock,
        ),
      );
      ids.push(message.id);
    }
    return { orgId: org.orgId, lead, ids };
  }

  function liveTransport(respond: (request: FakeTwilioRequest) => { statusCode: number; body: Record<string, unknown> }) {
    const network = fakeTwilioNetwork(respond);
    const transport = new TwilioSmsTransport({
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      publicBaseUrl: 'https://hooks.callsnare.test',
      client: network.client,
    });
    return { transport, network };
  }

  const deps = (sms: SmsTransport): OutboxDeps => ({ db, clock, logger, sms });

  it('retries transient failures with exponential backoff and marks the message FAILED after the last attempt', async () => {
    const { lead, ids } = await queued();
    // A retry first asks Twilio whether the last attempt went out (it did not: an empty page).
    const { transport, network } = liveTransport((request) =>
      request.method.toUpperCase() === 'GET' ? twilioPage([]) : twilioError(503, 20500, 'Service unavailable'),
    );
    const options = { maxAttempts: 4, backoffBaseMs: 10 * SECOND, random: () => 1 };
    const run = () => runOutboxOnce(deps(transport), options);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await run()).toMatchObject({ claimed: 1, retried: 1 });
      const message = await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } });
      expect(message).toMatchObject({ status: 'QUEUED', attempts: attempt, errorCode: '20500', lastError: expect.stringContaining('Twilio HTTP 503') });
      delays.push(message.nextAttemptAt!.getTime() - clock.now().getTime());
      // Not due yet: nothing happens.
      expect(await run()).toMatchObject({ claimed: 0 });
      clock.set(message.nextAttemptAt!);
    }
    expect(delays).toEqual([10, 20, 40].map((s) => s * SECOND));
    expect(await run()).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 4, nextAttemptAt: null });
    const event = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'TEXT_BACK_FAILED' } });
    expect(event.data).toMatchObject({ messageId: ids[0], attempts: 4, errorCode: '20500', permanent: false });
    expect(network.requests.filter((request) => request.method.toUpperCase() === 'POST')).toHaveLength(4);
    expect(network.requests.filter((request) => request.method.toUpperCase() === 'GET')).toHaveLength(3);
    clock.advance(60 * 60 * SECOND);
    expect(await run()).toMatchObject({ claimed: 0 });
  });

  it('treats network errors and 429s as transient', async () => {
    const { ids } = await queued(2);
    let calls = 0;
    const transport: SmsTransport = {
      kind: 'custom',
      async send() {
        calls += 1;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    };
    expect(await runOutboxOnce(deps(transport))).toMatchObject({ claimed: 2, retried: 2 });
    const { transport: limited } = liveTransport(() => twilioError(429, 20429, 'Too Many Requests'));
    clock.advance(60 * 60 * SECOND);
    expect(await runOutboxOnce(deps(limited))).toMatchObject({ claimed: 2, retried: 2 });
    expect(await db.prisma.message.findMany({ where: { id: { in: ids } }, select: { status: true, attempts: true } })).toEqual([
      { status: 'QUEUED', attempts: 2 },
      { status: 'QUEUED', attempts: 2 },
    ]);
    expect(calls).toBe(2);
  });

  it('gives up at once on a permanent error (invalid number)', async () => {
    const { lead, ids } = await queued();
    const { transport } = liveTransport(() => twilioError(400, 21211, "The 'To' number is not a valid phone number."));
    expect(await runOutboxOnce(deps(transport))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({ status: 'FAILED', attempts: 1, errorCode: '21211' });
    const event = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'TEXT_BACK_FAILED' } });
    expect(event.data).toMatchObject({ permanent: true, errorCode: '21211' });
  });

  it('error 21610 (the recipient opted out at the carrier) fails the text and opts the caller out everywhere', async () => {
    const phone = newCallerNumber();
    const { orgId, lead, ids } = await queued(2, 'STAFF_REPLY', phone);
    const { transport } = liveTransport(() => twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));
    expect(await runOutboxOnce(deps(transport), { batchSize: 1 })).toMatchObject({ claimed: 1, failed: 1 });
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ optedOut: true });
    const optedOut = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'OPTED_OUT' } });
    expect(optedOut).toMatchObject({ actorType: 'PROVIDER' });
    expect(optedOut.data).toMatchObject({ cause: 'carrier:21610', messageId: ids[0] });
    expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'lead.opted_out', targetId: lead.id } })).toBe(1);
    // The second text to that phone is withdrawn, never sent.
    expect(await db.prisma.message.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' }, select: { status: true, errorCode: true } })).toEqual([
      { status: 'FAILED', errorCode: '21610' },
      { status: 'CANCELED', errorCode: null },
    ]);
  });

  it("the sandbox transport fails on Twilio's magic test numbers the way Twilio does", async () => {
    const { lead, ids } = await queued(1, 'TEXT_BACK', '+15005550004');
    const sandbox = new SandboxSmsTransport();
    expect(await runOutboxOnce(deps(sandbox))).toMatchObject({ failed: 1 });
    expect(sandbox.sent).toEqual([]);
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({ status: 'FAILED', errorCode: '21610' });
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ optedOut: true });
  });

  it('several workers at once never send a message twice', async () => {
    const { ids } = await queued(24);
    const sends: string[] = [];
    const slow: SmsTransport = {
      kind: 'custom',
      async send(sms: OutboundSms): Promise<SmsAccepted> {
        sends.push(sms.messageId);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { providerSid: fakeTwilioSid('SM'), providerStatus: 'queued' };
      },
    };
    const worker = (workerId: string) => runOutboxOnce(deps(slow), { workerId, batchSize: 4 });
    for (let round = 0; round < 10; round++) {
      const runs = await Promise.all([worker('a'), worker('b'), worker('c')]);
      if (runs.every((r) => r.claimed === 0)) break;
    }
    expect([...sends].sort()).toEqual([...ids].sort());
    expect(await db.prisma.message.count({ where: { id: { in: ids }, status: 'SENT', attempts: 1 } })).toBe(24);
  });

  it("a pass claims a batch but keeps at most maxConcurrentSends in flight at the provider, and records the batch's sends", async () => {
    const { ids } = await queued(12);
    let inFlight = 0;
    let most = 0;
    const counting: SmsTransport = {
      kind: 'custom',
      async send(): Promise<SmsAccepted> {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return { providerSid: fakeTwilioSid('SM'), providerStatus: 'queued' };
      },
    };
    expect(await runOutboxOnce(deps(counting), { batchSize: 12, maxConcurrentSends: 3 })).toMatchObject({ claimed: 12, sent: 12 });
    expect(most).toBe(3);
    expect(await db.prisma.message.count({ where: { id: { in: ids }, status: 'SENT', providerSid: { not: null } } })).toBe(12);
  });

  /** Marks a queued text as claimed (SENDING) by a worker that then died, at `at`. */
  const abandoned = (id: string, at = clock.now()) =>
    db.prisma.message.update({ where: { id }, data: { status: 'SENDING', claimedAt: at, claimedBy: 'dead-worker', attempts: 1 } });

  it('a send claimed by a worker that died is claimed again once its lease (seconds, not a minute) expires', async () => {
    const { ids } = await queued();
    await abandoned(ids[0]!);
    const sandbox = new SandboxSmsTransport(undefined, { clock });
    const sentTo = () => sandbox.sent.filter((sms) => sms.messageId === ids[0]).length;
    await runOutboxOnce(deps(sandbox));
    expect(sentTo()).toBe(0);
    clock.advance(DEFAULT_OUTBOX_OPTIONS.leaseMs + 1);
    expect(DEFAULT_OUTBOX_OPTIONS.leaseMs + DEFAULT_OUTBOX_OPTIONS.pollIntervalMs).toBeLessThan(10 * SECOND);
    await runOutboxOnce(deps(sandbox));
    expect(sentTo()).toBe(1);
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it("a text the provider accepted just before its worker died is recorded with the provider's sid, never sent again", async () => {
    const { lead, ids } = await queued(2);
    const recordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-sandbox-'));
    const recordFile = path.join(recordDir, 'sent.jsonl');
    // The process that died: its provider accepted the first text, then it was killed before recording it.
    const before = new SandboxSmsTransport(undefined, { recordFile, clock });
    const message = await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } });
    const accepted = await before.send({ messageId: message.id, from: message.fromPhone, to: message.toPhone, body: message.body });
    await abandoned(ids[0]!);
    await abandoned(ids[1]!);
    // The restarted process knows nothing in memory; the provider's record survived.
    const after = new SandboxSmsTransport(undefined, { recordFile, clock });
    clock.advance(DEFAULT_OUTBOX_OPTIONS.leaseMs + 1);
    expect(await runOutboxOnce(deps(after))).toMatchObject({ claimed: 2, sent: 2 });
    expect(after.sent.map((sms) => sms.messageId)).toEqual([ids[1]]);
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({ status: 'SENT', providerSid: accepted.providerSid });
    const events = await db.prisma.leadEvent.findMany({ where: { leadId: lead.id, type: 'TEXT_BACK_SENT' }, orderBy: { id: 'asc' } });
    expect(events.map((event) => event.data)).toEqual(
      expect.arrayContaining([
        { messageId: ids[0], providerSid: accepted.providerSid, reconciled: true },
        { messageId: ids[1], providerSid: after.sent[0]!.providerSid },
      ]),
    );
    expect((await after.recorded()).map((sms) => sms.messageId).sort()).toEqual([...ids].sort());
    fs.rmSync(recordDir, { recursive: true, force: true });
  });

  it("reconciles with Twilio's message log: a match not recorded on another row is taken, otherwise the text is sent", async () => {
    const { ids } = await queued(2);
    const [first, second] = await Promise.all(ids.map((id) => db.prisma.message.findUniqueOrThrow({ where: { id } })));
    const recordedSid = fakeTwilioSid('SM');
    const otherRow = await queued(1);
    await db.prisma.message.update({ where: { id: otherRow.ids[0]! }, data: { status: 'SENT', providerSid: recordedSid } });
    const acceptedSid = fakeTwilioSid('SM');
    const createdAt = clock.now();
    const { transport, network } = liveTransport((request) => {
      if (request.method.toUpperCase() === 'POST') return { statusCode: 201, body: { sid: fakeTwilioSid('SM'), status: 'queued' } };
      // The first text was accepted before the crash; a message with the second's body
      // exists too, but it is another row's (its sid is recorded there).
      return twilioPage([
        { sid: acceptedSid, body: first!.body, status: 'delivered', dateCreated: createdAt },
        { sid: recordedSid, body: second!.body, status: 'delivered', dateCreated: createdAt },
      ]);
    });
    await abandoned(ids[0]!);
    await abandoned(ids[1]!);
    clock.advance(DEFAULT_OUTBOX_OPTIONS.leaseMs + 1);
    expect(await runOutboxOnce(deps(transport))).toMatchObject({ claimed: 2, sent: 2 });
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({ status: 'SENT', providerSid: acceptedSid });
    expect(network.requests.filter((request) => request.method.toUpperCase() === 'POST').map((request) => request.data.Body)).toEqual([second!.body]);
  });

  it('a reclaimed text is not sent while the provider cannot be asked whether it already went out', async () => {
    const { ids } = await queued();
    const { transport, network } = liveTransport(() => twilioError(503, 20500, 'Service unavailable'));
    await abandoned(ids[0]!);
    clock.advance(DEFAULT_OUTBOX_OPTIONS.leaseMs + 1);
    expect(await runOutboxOnce(deps(transport))).toMatchObject({ claimed: 1, retried: 1 });
    expect(network.requests.map((request) => request.method.toUpperCase())).toEqual(['GET']);
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({
      status: 'QUEUED',
      lastError: expect.stringContaining('could not ask the provider whether an earlier attempt went out'),
    });
  });

  it('a worker still sending renews its claim (heartbeat): another worker does not take it after the lease, but takes a text claimed for that worker that it never held', async () => {
    const { ids } = await queued(2);
    // Written claimed for 'alive' and never handed over to it (the delivery failed after the commit).
    const orphan = ids[1]!;
    await db.prisma.message.update({ where: { id: orphan }, data: { status: 'SENDING', claimedAt: clock.now(), claimedBy: 'alive', attempts: 1 } });
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const sending = new Promise<void>((resolve) => (started = resolve));
    const slow: SmsTransport = {
      kind: 'custom',
      async send(): Promise<SmsAccepted> {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return { providerSid: fakeTwilioSid('SM'), providerStatus: 'queued' };
      },
    };
    // Through the tenant guard, as in the server: the heartbeat runs inside the outbox's cross-tenant scope.
    const first = runOutboxOnce({ ...deps(slow), db: withTenantGuard(db) }, { workerId: 'alive', heartbeatMs: 5 });
    await sending;
    clock.advance(DEFAULT_OUTBOX_OPTIONS.leaseMs + 1);
    // The heartbeat moves the claim to the (advanced) clock's now.
    while ((await db.prisma.message.findUniqueOrThrow({ where: { id: ids[0]! } })).claimedAt!.getTime() !== clock.now().getTime()) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const sandbox = new SandboxSmsTransport(undefined, { clock });
    expect(await runOutboxOnce(deps(sandbox), { workerId: 'other' })).toMatchObject({ claimed: 1, sent: 1 });
    expect(sandbox.sent.map((sms) => sms.messageId)).toEqual([orphan]);
    release();
    expect(await first).toMatchObject({ claimed: 1, sent: 1 });
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: orphan } })).toMatchObject({ status: 'SENT', claimedBy: 'other', attempts: 2 });
  });
});

describe.each(testDatabaseKinds)('delivery reports on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const clock = new ManualClock('2026-01-15T15:00:00.000Z');

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock, env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN } });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** A text-back, sent by the sandbox transport. */
  async function sentTextBack() {
    const org = await createTestOrg(db);
    const response = await twilioPoster(server).dialStatus(newCall(newCallerNumber(), org.trackingNumber!));
    const messageId = response.headers.get('x-callsnare-message-id')!;
    await runOutboxOnce(server.deps);
    const message = await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(message.status).toBe('SENT');
    return message;
  }

  const report = (sid: string, status: string, extra?: { messageId?: string; errorCode?: string }) => twilioPoster(server).smsStatus(sid, status, extra);
  const statusOf = async (id: string) => (await db.prisma.message.findUniqueOrThrow({ where: { id } })).status;

  it('out-of-order reports never move a status backwards; replays change nothing', async () => {
    const message = await sentTextBack();
    const sid = message.providerSid!;
    const outcome = async (status: string) => (await report(sid, status)).headers.get('x-callsnare-outcome');
    expect(await outcome('delivered')).toBe('PROCESSED');
    expect(await statusOf(message.id)).toBe('DELIVERED');
    expect(await outcome('sent')).toBe('IGNORED');
    expect(await outcome('queued')).toBe('IGNORED');
    expect(await outcome('delivered')).toBe('DUPLICATE');
    expect(await outcome('failed')).toBe('IGNORED');
    const stored = await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(stored.status).toBe('DELIVERED');
    expect(stored.deliveredAt?.toISOString()).toBe(clock.now().toISOString());
    const logs = await webhookLogs(db, { eventId: `${sid}:sent` });
    expect(logs[0]).toMatchObject({ outcome: 'IGNORED', httpStatus: 200, error: 'stale report: sent after DELIVERED' });
  });

  it("a failure report records the error code and puts the failure on the lead's timeline", async () => {
    const message = await sentTextBack();
    await report(message.providerSid!, 'undelivered', { errorCode: '30006' });
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: 'UNDELIVERED', errorCode: '30006' });
    const event = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: message.leadId, type: 'TEXT_BACK_FAILED' } });
    expect(event.data).toMatchObject({ errorCode: '30006', status: 'undelivered', providerSid: message.providerSid });
  });

  it("a report that overtakes the worker's own bookkeeping is applied, and the send is still recorded", async () => {
    const org = await createTestOrg(db);
    const response = await twilioPoster(server).dialStatus(newCall(newCallerNumber(), org.trackingNumber!));
    const messageId = response.headers.get('x-callsnare-message-id')!;
    const sid = fakeTwilioSid('SM');
    // Twilio calls back before messages.create has even returned to us.
    const eager: SmsTransport = {
      kind: 'custom',
      async send(sms) {
        const early = await report(sid, 'delivered', { messageId: sms.messageId });
        expect(early.headers.get('x-callsnare-outcome')).toBe('PROCESSED');
        return { providerSid: sid, providerStatus: 'queued' };
      },
    };
    await runOutboxOnce({ ...server.deps, sms: eager });
    const message = await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(message).toMatchObject({ status: 'DELIVERED', providerSid: sid });
    expect(message.sentAt).not.toBeNull();
    expect(await db.prisma.leadEvent.count({ where: { leadId: message.leadId, type: 'TEXT_BACK_SENT' } })).toBe(1);
  });

  it('a report for an unknown message is ignored (200, logged)', async () => {
    const sid = fakeTwilioSid('SM');
    const response = await report(sid, 'delivered');
    expect(response.status).toBe(200);
    expect((await webhookLogs(db, { eventId: `${sid}:delivered` }))[0]).toMatchObject({ outcome: 'IGNORED', error: `no outbound message ${sid}` });
  });
});
