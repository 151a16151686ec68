// Missed-call recovery end to end, through the real webhook routes with real
// Twilio signatures: lead, events, callback, the text-back and its policy.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { runCallbackSlaOnce, runOutboxOnce } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { SandboxSmsTransport } from '../../src/messaging/sandbox-sms.transport';
import type { SmsTransport } from '../../src/messaging/sms-transport';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { captureLog } from '../support/captured-log';
import {
  countRecoveryRows,
  fakeTwilioSid,
  newCall,
  newCallerNumber,
  parseTwiml,
  TEST_AUTH_TOKEN,
  twilioPoster,
  webhookLogs,
  type TwilioPoster,
} from '../support/twilio';

jest.setTimeout(120_000);

const MINUTE = 60_000;
/** Thursday 10:00 in New York (the default org time zone): business hours, no quiet hours. */
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';

describe.each(testDatabaseKinds)('missed-call recovery on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let twilio: TwilioPoster;
  const clock = new ManualClock(BUSINESS_HOURS);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock, env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN } });
    twilio = twilioPoster(server);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });
  beforeEach(() => clock.set(BUSINESS_HOURS));

  const sandbox = () => server.deps.sms as SandboxSmsTransport;
  const sendDue = () => runOutboxOnce(server.deps);
  async function newOrg(settings: Record<string, unknown> = {}) {
    const org = await createTestOrg(db, { forwardTo: '+13125550100' });
    if (Object.keys(settings).length > 0) await db.prisma.orgSettings.update({ where: { orgId: org.orgId }, data: settings });
    return { orgId: org.orgId, trackingNumber: org.trackingNumber! };
  }

  it('answers the incoming call with a <Dial> to the forward-to number, timed out by the ring setting', async () => {
    const { trackingNumber, orgId } = await newOrg({ ringTimeoutSeconds: 25 });
    const response = await twilio.voice(newCall(newCallerNumber(), trackingNumber));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    const twiml = parseTwiml(response.body);
    expect(twiml.children.map((c) => c.name)).toEqual(['Dial']);
    const dial = twiml.children[0]!;
    expect(dial.attributes).toMatchObject({
      timeout: '25',
      action: `${server.deps.config.publicBaseUrl}/webhooks/twilio/voice/dial-status`,
      method: 'POST',
      answerOnBridge: 'true',
    });
    expect(dial.children).toEqual([expect.objectContaining({ name: 'Number', text: '+13125550100', attributes: {} })]);
    expect(await countRecoveryRows(db, orgId)).toEqual({ leads: 0, events: 0, callbacks: 0, messages: 0 });
  });

  it('a missed call produces one lead, one CALL_MISSED event, one open callback and one text-back sent by the sandbox transport', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const caller = newCallerNumber();
    const call = newCall(caller, trackingNumber);
    expect((await twilio.voice(call)).status).toBe(200);
    const response = await twilio.dialStatus(call, 'no-answer');
    expect(response.status).toBe(200);
    const twiml = parseTwiml(response.body);
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Hangup']);
    expect(twiml.children[0]!.text).toContain('Sorry we missed you');

    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId } });
    expect(lead).toMatchObject({ phone: caller, openPhone: caller, status: 'NEW', optedOut: false });
    const callback = await db.prisma.callback.findFirstOrThrow({ where: { orgId } });
    expect(callback).toMatchObject({ leadId: lead.id, openLeadId: lead.id, status: 'OPEN' });
    expect(callback.dueAt.toISOString()).toBe(new Date(clock.now().getTime() + 15 * MINUTE).toISOString());
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    expect(message).toMatchObject({
      direction: 'OUTBOUND',
      kind: 'TEXT_BACK',
      status: 'QUEUED',
      fromPhone: trackingNumber,
      toPhone: caller,
      idempotencyKey: `textback:${call.callSid}`,
    });
    expect(message.body).toMatch(/^Hi there, sorry we missed your call at Test HVAC \d+! .* call you back within 15 minutes\./);

    const sentBefore = sandbox().sent.length;
    expect(await sendDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sandbox().sent.slice(sentBefore)).toEqual([
      expect.objectContaining({ messageId: message.id, to: caller, from: trackingNumber, body: message.body }),
    ]);
    const sent = await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1, providerSid: sandbox().sent.at(-1)!.providerSid });

    const events = await db.prisma.leadEvent.findMany({ where: { leadId: lead.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(events.map((e) => [e.type, e.actorType])).toEqual([
      ['CALL_MISSED', 'PROVIDER'],
      ['TEXT_BACK_QUEUED', 'SYSTEM'],
      ['CALLBACK_OPENED', 'SYSTEM'],
      ['TEXT_BACK_SENT', 'SYSTEM'],
    ]);
    expect(events[0]).toMatchObject({ providerRef: `call_missed:${call.callSid}`, actorLabel: 'Twilio' });
    expect(events[0]!.data).toMatchObject({ callSid: call.callSid, from: caller, to: trackingNumber, dialStatus: 'no-answer' });
    expect(await countRecoveryRows(db, orgId)).toEqual({ leads: 1, events: 4, callbacks: 1, messages: 1 });

    const logs = await webhookLogs(db, { eventId: call.callSid });
    expect(logs.map((l) => [l.route, l.outcome, l.httpStatus, l.signature, l.orgId])).toEqual([
      ['/webhooks/twilio/voice', 'PROCESSED', 200, 'VALID', orgId],
      ['/webhooks/twilio/voice/dial-status', 'PROCESSED', 200, 'VALID', orgId],
    ]);
    expect(logs[1]!.payload).toMatchObject({ body: { From: caller, To: trackingNumber, DialCallStatus: 'no-answer' } });
  });

  it('50 concurrent replays of the same dial-status leave one lead, one event, one callback and one text', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const call = newCall(newCallerNumber(), trackingNumber);
    const responses = await Promise.all(Array.from({ length: 50 }, () => twilio.dialStatus(call)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    for (const r of responses) parseTwiml(r.body);
    expect(await countRecoveryRows(db, orgId)).toEqual({ leads: 1, events: 3, callbacks: 1, messages: 1 });
    const outcomes = (await webhookLogs(db, { eventId: call.callSid })).map((l) => l.outcome).sort();
    expect(outcomes).toEqual(['PROCESSED', ...Array(49).fill('DUPLICATE')].sort());
    await sendDue();
    await sendDue();
    expect(await db.prisma.message.findMany({ where: { orgId }, select: { status: true, attempts: true } })).toEqual([{ status: 'SENT', attempts: 1 }]);
  });

  it('a second missed call inside the cooldown is recorded without a second text; after the cooldown the caller gets another', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const caller = newCallerNumber();
    await twilio.dialStatus(newCall(caller, trackingNumber));
    await sendDue();
    clock.advance(10 * MINUTE);
    const second = newCall(caller, trackingNumber);
    expect((await twilio.dialStatus(second, 'busy')).status).toBe(200);

    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId } });
    const skipped = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'TEXT_BACK_SKIPPED' } });
    expect(skipped.data).toMatchObject({ callSid: second.callSid, reason: 'cooldown', cooldownMinutes: 20 });
    expect(await db.prisma.leadEvent.count({ where: { leadId: lead.id, type: 'CALL_MISSED' } })).toBe(2);
    expect(await countRecoveryRows(db, orgId)).toMatchObject({ leads: 1, callbacks: 1, messages: 1 });

    clock.advance(11 * MINUTE);
    await twilio.dialStatus(newCall(caller, trackingNumber));
    expect(await db.prisma.message.count({ where: { orgId, kind: 'TEXT_BACK' } })).toBe(2);
    expect(await countRecoveryRows(db, orgId)).toMatchObject({ leads: 1, callbacks: 1 });
  });

  it('an answered call is recorded on the lead with no text and no callback', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const call = newCall(newCallerNumber(), trackingNumber);
    const response = await twilio.dialStatus(call, 'completed', { DialCallDuration: '184' });
    expect(parseTwiml(response.body).children.map((c) => c.name)).toEqual(['Hangup']);
    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId } });
    expect(lead.status).toBe('CONTACTED');
    const answered = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'CALL_ANSWERED' } });
    expect(answered).toMatchObject({ providerRef: `call_answered:${call.callSid}`, actorType: 'PROVIDER' });
    expect(answered.data).toMatchObject({ durationSeconds: 184 });
    expect(await countRecoveryRows(db, orgId)).toMatchObject({ callbacks: 0, messages: 0 });
    expect((await twilio.dialStatus(call, 'completed')).headers.get('x-callsnare-outcome')).toBe('DUPLICATE');
  });

  it('quiet hours defer the text-back to the end of the window, with the after-hours template', async () => {
    const { orgId, trackingNumber } = await newOrg();
    clock.set('2026-01-16T04:30:00.000Z'); // Thursday 23:30 in New York
    // A New York caller: the shop's quiet hours and the caller's window end at the same 8:00 (recipient-window.test.ts covers the rest).
    const response = await twilio.dialStatus(newCall(newCallerNumber().replace('+1312', '+1212'), trackingNumber));
    expect(response.headers.get('x-callsnare-text-back')).toBe('deferred 2026-01-16T13:00:00.000Z');
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    expect(message.status).toBe('QUEUED');
    expect(message.nextAttemptAt?.toISOString()).toBe('2026-01-16T13:00:00.000Z'); // Friday 08:00 in New York
    expect(message.body).toMatch(/We're closed right now and will call you back tomorrow at 8:00 AM\./);
    const queued = await db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, type: 'TEXT_BACK_QUEUED' } });
    expect(queued.data).toMatchObject({ template: 'after_hours', deferredUntil: '2026-01-16T13:00:00.000Z' });

    const statusAfterTick = async () => {
      await sendDue();
      return (await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } })).status;
    };
    expect(await statusAfterTick()).toBe('QUEUED');
    clock.set('2026-01-16T12:59:00.000Z');
    expect(await statusAfterTick()).toBe('QUEUED');
    clock.set('2026-01-16T13:00:00.000Z');
    expect(await statusAfterTick()).toBe('SENT');
  });

  it('a caller ringing again during quiet hours still gets one text, not one per call', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const caller = newCallerNumber();
    clock.set('2026-01-16T03:00:00.000Z'); // 22:00
    await twilio.dialStatus(newCall(caller, trackingNumber));
    clock.set('2026-01-16T05:00:00.000Z'); // 00:00, past the 20-minute cooldown but the first text has not left
    await twilio.dialStatus(newCall(caller, trackingNumber));
    expect(await db.prisma.message.count({ where: { orgId } })).toBe(1);
  });

  it("never texts the organization's own numbers, and says why", async () => {
    const { orgId, trackingNumber } = await newOrg();
    await twilio.dialStatus(newCall('+13125550100', trackingNumber)); // the shop's own forward-to phone
    const skipped = await db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, type: 'TEXT_BACK_SKIPPED' } });
    expect(skipped.data).toMatchObject({ reason: 'own_number' });
    expect(await db.prisma.message.count({ where: { orgId } })).toBe(0);
  });

  it('records the skip when text-back is disabled', async () => {
    const { orgId, trackingNumber } = await newOrg({ textBackEnabled: false });
    await twilio.dialStatus(newCall(newCallerNumber(), trackingNumber));
    const skipped = await db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, type: 'TEXT_BACK_SKIPPED' } });
    expect(skipped.data).toMatchObject({ reason: 'disabled' });
    expect(await countRecoveryRows(db, orgId)).toMatchObject({ leads: 1, callbacks: 1, messages: 0 });
  });

  it("uses the caller's first name when a previous lead knows it", async () => {
    const { orgId, trackingNumber } = await newOrg();
    const caller = newCallerNumber();
    await db.prisma.lead.create({ data: { orgId, phone: caller, openPhone: null, name: 'Dana Whitfield', status: 'BOOKED' } });
    await twilio.dialStatus(newCall(caller, trackingNumber));
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    expect(message.body).toMatch(/^Hi Dana, sorry we missed your call/);
    expect(await db.prisma.lead.count({ where: { orgId, phone: caller } })).toBe(2);
  });

  it('with call screening, the forward asks the shop phone to press 1, and an unaccepted "completed" is a missed call', async () => {
    const { orgId, trackingNumber } = await newOrg({ callScreeningEnabled: true });
    const caller = newCallerNumber();
    const call = newCall(caller, trackingNumber);
    const dial = parseTwiml((await twilio.voice(call)).body).children[0]!;
    const number = dial.children[0]!;
    expect(number.name).toBe('Number');
    const screenUrl = new URL(number.attributes.url!);
    expect(`${screenUrl.origin}${screenUrl.pathname}`).toBe(`${server.deps.config.publicBaseUrl}/webhooks/twilio/voice/screen`);
    expect(Object.fromEntries(screenUrl.searchParams)).toEqual({ callSid: call.callSid, to: trackingNumber, from: caller });
    const screenPath = `/voice/screen${screenUrl.search}`;

    // The shop phone's voicemail picks up at the ring timeout: it hears the prompt and never presses 1.
    const leg = { CallSid: fakeTwilioSid('CA'), ParentCallSid: call.callSid, From: caller, To: '+13125550100' };
    const prompt = parseTwiml((await twilio.post(screenPath, leg)).body);
    expect(prompt.children.map((c) => c.name)).toEqual(['Gather', 'Hangup']);
    expect(prompt.children[0]!.attributes).toMatchObject({ numDigits: '1', action: number.attributes.url });
    expect(prompt.children[0]!.children[0]).toMatchObject({ name: 'Say', text: expect.stringContaining('Press 1') });
    await twilio.dialStatus(call, 'completed', { DialCallDuration: '31' });
    const missed = await db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, type: 'CALL_MISSED' } });
    expect(missed.data).toMatchObject({ dialStatus: 'completed', notAcceptedAtScreening: true });
    expect(await db.prisma.message.count({ where: { orgId } })).toBe(1);

    // Next call, a person presses 1: answered, nothing to recover.
    const answered = newCall(newCallerNumber(), trackingNumber);
    const answeredScreen = `/voice/screen?${new URLSearchParams({ callSid: answered.callSid, to: trackingNumber, from: answered.from }).toString()}`;
    const accept = await twilio.post(answeredScreen, { ...leg, ParentCallSid: answered.callSid, From: answered.from, Digits: '1' });
    expect(parseTwiml(accept.body).children).toEqual([]);
    await twilio.dialStatus(answered, 'completed', { DialCallDuration: '95' });
    const answeredLead = await db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: answered.from } });
    expect(answeredLead.status).toBe('CONTACTED');
    const answeredEvents = await db.prisma.leadEvent.findMany({ where: { leadId: answeredLead.id } });
    expect(answeredEvents.map((e) => [e.type, e.providerRef])).toEqual([['CALL_ANSWERED', `call_accepted:${answered.callSid}`]]);
    expect(await db.prisma.message.count({ where: { orgId } })).toBe(1);
  });

  it('with voicemail on, the missed-call answer records a message and the recording URL lands on the lead', async () => {
    const { orgId, trackingNumber } = await newOrg({ voicemailEnabled: true });
    const call = newCall(newCallerNumber(), trackingNumber);
    const twiml = parseTwiml((await twilio.dialStatus(call)).body);
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Say', 'Record', 'Hangup']);
    expect(twiml.children[2]!.attributes).toMatchObject({ action: `${server.deps.config.publicBaseUrl}/webhooks/twilio/voice/recording`, maxLength: '120' });

    const recordingSid = fakeTwilioSid('RE');
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/${recordingSid}`;
    const params = {
      CallSid: call.callSid,
      From: call.from,
      To: trackingNumber,
      RecordingSid: recordingSid,
      RecordingUrl: recordingUrl,
      RecordingDuration: '14',
    };
    const saved = await twilio.post('/voice/recording', params);
    expect(parseTwiml(saved.body).children.map((c) => c.name)).toEqual(['Say', 'Hangup']);
    const voicemail = await db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, type: 'VOICEMAIL_RECORDED' } });
    expect(voicemail.data).toEqual({ callSid: call.callSid, recordingSid, recordingUrl, durationSeconds: 14 });
    expect((await twilio.post('/voice/recording', params)).headers.get('x-callsnare-outcome')).toBe('DUPLICATE');
  });

  it('an unknown tracking number gets a polite TwiML answer and an IGNORED log row', async () => {
    const call = newCall(newCallerNumber(), '+13125559999');
    for (const response of [await twilio.voice(call), await twilio.dialStatus(call)]) {
      expect(response.status).toBe(200);
      const twiml = parseTwiml(response.body);
      expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Hangup']);
      expect(twiml.children[0]!.text).toMatch(/not in service/);
    }
    const logs = await webhookLogs(db, { eventId: call.callSid });
    expect(logs.map((l) => [l.outcome, l.orgId, l.error])).toEqual([
      ['IGNORED', null, 'no active tracking line for +13125559999'],
      ['IGNORED', null, 'no active tracking line for +13125559999'],
    ]);
  });

  it('10 different calls from one caller at the same moment: one lead, ten CALL_MISSED, one text-back, one callback', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const caller = newCallerNumber();
    const responses = await Promise.all(Array.from({ length: 10 }, () => twilio.dialStatus(newCall(caller, trackingNumber))));
    expect(responses.map((r) => [r.status, r.headers.get('x-callsnare-outcome')])).toEqual(Array(10).fill([200, 'PROCESSED']));
    expect(responses.map((r) => r.headers.get('x-callsnare-text-back')).sort()).toEqual(['queued', ...Array<string>(9).fill('skipped cooldown')]);
    expect(await countRecoveryRows(db, orgId)).toMatchObject({ leads: 1, callbacks: 1, messages: 1 });
    const events = await db.prisma.leadEvent.groupBy({ by: ['type'], where: { orgId }, _count: true, orderBy: { type: 'asc' } });
    expect(Object.fromEntries(events.map((e) => [e.type, e._count]))).toEqual({
      CALL_MISSED: 10,
      TEXT_BACK_QUEUED: 1,
      TEXT_BACK_SKIPPED: 9,
      CALLBACK_OPENED: 1,
    });
  });

  it('10 calls at once from a caller whose lead is open: still one pending text-back among them', async () => {
    const { orgId, trackingNumber } = await newOrg({ textBackCooldownMinutes: 0 });
    const caller = newCallerNumber();
    await twilio.dialStatus(newCall(caller, trackingNumber));
    await sendDue(); // the first text has left: with no cooldown, only a pending text stops another
    const responses = await Promise.all(Array.from({ length: 10 }, () => twilio.dialStatus(newCall(caller, trackingNumber))));
    expect(responses.map((r) => r.headers.get('x-callsnare-text-back')).sort()).toEqual(['queued', ...Array<string>(9).fill('skipped cooldown')]);
    expect(await countRecoveryRows(db, orgId)).toMatchObject({ leads: 1, callbacks: 1, messages: 2 });
    expect(await db.prisma.leadEvent.count({ where: { orgId, type: 'CALL_MISSED' } })).toBe(11);
  });

  // PGlite runs one statement at a time; on PostgreSQL two calls can both read the caller's texts before either writes.
  (kind === 'postgres' ? it : it.skip)('two calls that waited on the same lead lock still queue one text-back, not two', async () => {
    const { orgId, trackingNumber } = await newOrg({ textBackCooldownMinutes: 0 });
    const caller = newCallerNumber();
    await twilio.dialStatus(newCall(caller, trackingNumber));
    await sendDue();
    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: caller } });
    let both: Promise<Awaited<ReturnType<TwilioPoster['dialStatus']>>[]> = Promise.resolve([]);
    await db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "Lead" WHERE id = ${lead.id}::uuid FOR UPDATE`;
        both = Promise.all([twilio.dialStatus(newCall(caller, trackingNumber)), twilio.dialStatus(newCall(caller, trackingNumber))]);
        // Until both statements have taken their snapshot and wait for the lead's row lock (bounded).
        for (let polls = 0; polls < 1000; polls += 1) {
          const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
          if ((row?.n ?? 0) >= 2) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
      { timeout: 20_000 },
    );
    const responses = await both;
    expect(responses.map((r) => r.headers.get('x-callsnare-text-back')).sort()).toEqual(['queued', 'skipped cooldown']);
    expect(await db.prisma.message.count({ where: { orgId, kind: 'TEXT_BACK', status: 'QUEUED' } })).toBe(1);
  });

  it('with the call context cached, a missed call is one statement with no transaction, and its replay on the same node none', async () => {
    const { trackingNumber } = await newOrg();
    const call = newCall(newCallerNumber(), trackingNumber);
    expect((await twilio.voice(call)).status).toBe(200); // loads the call context
    // What reaches the database: PGlite's own entry points, or the pool every PostgreSQL statement goes through.
    const { prisma, pglite, pool } = server.deps.db;
    const spies = pglite
      ? { statements: [jest.spyOn(pglite, 'query'), jest.spyOn(pglite, 'execProtocol')], transactions: [jest.spyOn(pglite, 'transaction')] }
      : { statements: [jest.spyOn(pool!, 'query')], transactions: [jest.spyOn(prisma, '$transaction')] };
    // The webhook log's row is the log writer's batch, not the call's work (webhook-log/): held out of the count.
    const log = jest.spyOn(server.deps.webhookLog!, 'write').mockResolvedValue();
    const calls = (group: jest.SpyInstance[]) => group.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    const counts = () => ({ statements: calls(spies.statements), transactions: calls(spies.transactions) });
    try {
      expect((await twilio.dialStatus(call)).headers.get('x-callsnare-outcome')).toBe('PROCESSED');
      expect(counts()).toEqual({ statements: 1, transactions: 0 });
      // This node saw it commit (recovery/applied-refs.ts); a node that did not runs the one statement again.
      expect((await twilio.dialStatus(call)).headers.get('x-callsnare-outcome')).toBe('DUPLICATE');
      expect(counts()).toEqual({ statements: 1, transactions: 0 });
    } finally {
      for (const spy of [...spies.statements, ...spies.transactions]) spy.mockRestore();
      log.mockRestore();
    }
  });

  it('a settings change through the API reaches the very next call (the cached call context is dropped)', async () => {
    const { orgId, trackingNumber } = await newOrg();
    const response = await twilio.dialStatus(newCall(newCallerNumber(), trackingNumber));
    expect(parseTwiml(response.body).children[0]!.text).toContain('Test HVAC');
    const { secret } = await createTestCredential(db, orgId, ['settings:write']);
    const renamed = await graphql(server.url, 'mutation { updateSettings(input: { businessName: "Polar Air" }) { businessName } }', { bearer: secret });
    expect(renamed.body).toEqual({ data: { updateSettings: { businessName: 'Polar Air' } } });
    const next = await twilio.dialStatus(newCall(newCallerNumber(), trackingNumber));
    expect(parseTwiml(next.body).children[0]!.text).toContain('Thanks for calling Polar Air.');
  });

  it('an overdue callback raises CALLBACK_OVERDUE once', async () => {
    const { orgId, trackingNumber } = await newOrg();
    await twilio.dialStatus(newCall(newCallerNumber(), trackingNumber));
    clock.advance(14 * MINUTE);
    await runCallbackSlaOnce(server.deps);
    expect(await db.prisma.leadEvent.count({ where: { orgId, type: 'CALLBACK_OVERDUE' } })).toBe(0);
    clock.advance(2 * MINUTE);
    await Promise.all([runCallbackSlaOnce(server.deps), runCallbackSlaOnce(server.deps)]);
    await runCallbackSlaOnce(server.deps);
    const overdue = await db.prisma.leadEvent.findMany({ where: { orgId, type: 'CALLBACK_OVERDUE' } });
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.data).toMatchObject({ minutesLate: 1 });
    expect((await db.prisma.callback.findFirstOrThrow({ where: { orgId } })).overdueAt?.toISOString()).toBe(clock.now().toISOString());
  });
});

// How fast is the benchmark's job (text-back p95 in `npm run bench`); this proves the worker is
// nudged by the delivery instead of waiting for its next poll.
describe('the text-back leaves with the in-process worker', () => {
  it('is sent after the dial-status delivery without the clock moving (the delivery nudges the worker)', async () => {
    const db = await openTestDatabase('pglite');
    // Business hours: outside them quiet hours would (rightly) hold the text back.
    // A poll a minute away: only the delivery's nudge can send the text within the wait below.
    const server = await startTestServer(db, { clock: new ManualClock(BUSINESS_HOURS), start: { workers: true, outbox: { pollIntervalMs: 60_000 } } });
    try {
      const { trackingNumber } = (await createTestOrg(db)) as { trackingNumber: string };
      const started = Date.now();
      const response = await twilioPoster(server, { authToken: null }).dialStatus(newCall(newCallerNumber(), trackingNumber));
      const messageId = response.headers.get('x-callsnare-message-id')!;
      let status = 'QUEUED';
      while (status !== 'SENT' && Date.now() - started < 5_000) {
        status = (await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).status;
        if (status !== 'SENT') await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe('SENT');
    } finally {
      await server.close();
      await db.close();
    }
  });

  it("is written already claimed for the node's worker and sent by it, with no claim pass (no other worker can take it)", async () => {
    const db = await openTestDatabase('pglite');
    const sandbox = new SandboxSmsTransport();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sending = 0;
    const held: SmsTransport = {
      kind: 'custom',
      async send(sms) {
        sending += 1;
        await gate;
        return sandbox.send(sms);
      },
    };
    // No poll within the test and no nudge (no staff alerts): only the hand-over can send the text.
    const log = captureLog();
    log.logger.level = 'debug';
    const server = await startTestServer(db, {
      logger: log.logger,
      clock: new ManualClock(BUSINESS_HOURS),
      start: { workers: true, smsTransport: held, outbox: { pollIntervalMs: 60_000, workerId: 'node-1-outbox' } },
    });
    try {
      const { trackingNumber } = (await createTestOrg(db)) as { trackingNumber: string };
      const response = await twilioPoster(server, { authToken: null }).dialStatus(newCall(newCallerNumber(), trackingNumber));
      const messageId = response.headers.get('x-callsnare-message-id')!;
      for (let waited = 0; sending === 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sending).toBe(1);
      // While the provider holds the send: the row is the claim, exactly as a claim pass would have written it.
      expect(await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({
        status: 'SENDING',
        claimedBy: 'node-1-outbox',
        attempts: 1,
        claimedAt: new Date(BUSINESS_HOURS),
      });
      expect(await runOutboxOnce(server.deps, { workerId: 'another-node' })).toMatchObject({ claimed: 0 });
      release();
      let status = 'SENDING';
      for (let waited = 0; status !== 'SENT' && waited < 5_000; waited += 20) {
        status = (await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).status;
        if (status !== 'SENT') await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe('SENT');
      expect(sandbox.sent.map((sms) => sms.messageId)).toEqual([messageId]);
      expect(await db.prisma.leadEvent.count({ where: { type: 'TEXT_BACK_SENT', data: { path: ['messageId'], equals: messageId } } })).toBe(1);
      // The node's worker never ran a claim pass that found it: it was handed over.
      const outboxLines = log.lines.filter((line) => line.msg.startsWith('outbox:')).map(({ msg, claimed, sent }) => ({ msg, claimed, sent }));
      expect(outboxLines).toEqual([{ msg: 'outbox: sent handed-over texts', claimed: 1, sent: 1 }]);
    } finally {
      release();
      await server.close();
      await db.close();
    }
  });
});
