// Automated texts wait for the recipient's calling window, on the recipient's clock, through
// the real Twilio webhook route and the real outbox; every text carries its evidence; the
// frequency cap holds under concurrent calls from one phone (docs/decisions/0018, issue 17).
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { runOutboxOnce } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { SmsSendError, type SmsTransport } from '../../src/messaging/sms-transport';
import type { MessageEvidence } from '../../src/compliance/message-evidence';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { newCall, newCallerNumber, TEST_AUTH_TOKEN, twilioPoster, type TwilioPoster } from '../support/twilio';

jest.setTimeout(120_000);

/** A caller in `areaCode`, unique to this run (newCallerNumber's last four digits). */
const callerIn = (areaCode: string) => newCallerNumber().replace('+1312', `+1${areaCode}`);

describe.each(testDatabaseKinds)('recipient calling windows on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let twilio: TwilioPoster;
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock, env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN } });
    twilio = twilioPoster(server);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const sendDue = () => runOutboxOnce(server.deps);
  async function newOrg(settings: Record<string, unknown>) {
    const org = await createTestOrg(db, { forwardTo: '+13125550100' });
    await db.prisma.orgSettings.update({ where: { orgId: org.orgId }, data: settings });
    return { orgId: org.orgId, trackingNumber: org.trackingNumber! };
  }
  async function missedCallFrom(caller: string, trackingNumber: string) {
    const response = await twilio.dialStatus(newCall(caller, trackingNumber));
    expect(response.status).toBe(200);
    return response;
  }
  const statusOf = async (id: string) => (await db.prisma.message.findUniqueOrThrow({ where: { id } })).status;

  it('a 9:30 pm Eastern call to a Florida number from a Pacific-time shop waits until 8:00 am Eastern, and the outbox holds it until then', async () => {
    const { orgId, trackingNumber } = await newOrg({ timezone: 'America/Los_Angeles', quietHoursEnabled: false });
    clock.set('2026-01-16T02:30:00.000Z'); // Thursday 9:30 pm in Miami, 6:30 pm at the shop
    const response = await missedCallFrom(callerIn('305'), trackingNumber);
    expect(response.headers.get('x-callsnare-text-back')).toBe('deferred 2026-01-16T13:00:00.000Z');
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    expect(message.deferredUntil?.toISOString()).toBe('2026-01-16T13:00:00.000Z'); // Friday 8:00 am in Miami
    expect(message.nextAttemptAt?.toISOString()).toBe('2026-01-16T13:00:00.000Z');
    expect(message.evidence).toMatchObject({
      recipient: { state: 'FL', zones: ['America/New_York'], localTime: '2026-01-15T21:30:00.000-05:00' },
      window: {
        allowedAtDecision: false,
        deferredUntil: '2026-01-16T13:00:00.000Z',
        rule: { id: 'us-fl-501-616', source: expect.stringContaining('501.616(6)(a)') },
      },
    });

    await sendDue();
    expect(await statusOf(message.id)).toBe('QUEUED');
    clock.set('2026-01-16T12:59:59.000Z');
    await sendDue();
    expect(await statusOf(message.id)).toBe('QUEUED');
    clock.set('2026-01-16T13:00:00.000Z');
    await sendDue();
    expect(await statusOf(message.id)).toBe('SENT');
  });

  it("an automated text's retry that would land after the window closes waits for it to open again", async () => {
    const { orgId, trackingNumber } = await newOrg({ timezone: 'America/Los_Angeles', quietHoursEnabled: false });
    clock.set('2026-01-16T00:59:50.000Z'); // 7:59:50 pm in Miami: inside Florida's window
    await missedCallFrom(callerIn('305'), trackingNumber);
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    expect(message.deferredUntil).toBeNull();
    const outage: SmsTransport = {
      kind: 'custom',
      send: () => Promise.reject(new SmsSendError('provider outage', false, '20500')),
    };
    // The retry would be due 10 s later, at 8:00:00 pm in Miami: the window has closed.
    expect(await runOutboxOnce({ ...server.deps, sms: outage }, { backoffBaseMs: 10_000, random: () => 1 })).toMatchObject({ retried: 1 });
    const retried = await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(retried).toMatchObject({ status: 'QUEUED', attempts: 1 });
    expect(retried.nextAttemptAt?.toISOString()).toBe('2026-01-16T13:00:00.000Z');
    expect(retried.deferredUntil?.toISOString()).toBe('2026-01-16T13:00:00.000Z');
  });

  it("the shop's quiet hours can only make it later: the same call waits for 8:00 am at the shop", async () => {
    const { orgId, trackingNumber } = await newOrg({
      timezone: 'America/Los_Angeles',
      quietHoursEnabled: true,
      quietHoursStart: '21:00',
      quietHoursEnd: '08:00',
    });
    clock.set('2026-01-16T02:30:00.000Z');
    await missedCallFrom(callerIn('305'), trackingNumber);
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    // Miami opens at 13:00Z, but that is 5:00 am at the shop, inside its quiet hours (until 8:00 Pacific = 16:00Z).
    expect(message.deferredUntil?.toISOString()).toBe('2026-01-16T16:00:00.000Z');
    expect(message.evidence).toMatchObject({ shopQuietHours: { enabled: true, start: '21:00', end: '08:00', timeZone: 'America/Los_Angeles' } });
  });

  it.each([
    // [case, area code, shop zone, call at, deferred until (null: sent now), state, rule]
    ['Texas on a Sunday morning waits for noon', '214', 'America/Chicago', '2026-01-18T16:00:00.000Z', '2026-01-18T18:00:00.000Z', 'TX', 'us-tx-301-051'],
    ['Texas on a Saturday morning at 9:00 goes at once', '214', 'America/Chicago', '2026-01-17T15:00:00.000Z', null, 'TX', 'us-tx-301-051'],
    ['Connecticut at 8:30 am waits for 9:00', '203', 'America/New_York', '2026-01-15T13:30:00.000Z', '2026-01-15T14:00:00.000Z', 'CT', 'us-ct-42-288a'],
    ['a plain state (Illinois) at 8:59 pm goes at once', '312', 'America/Chicago', '2026-01-16T02:59:00.000Z', null, 'IL', 'us-federal-tcpa'],
    [
      'a plain state (Illinois) at 9:00 pm waits for 8:00 am',
      '312',
      'America/Chicago',
      '2026-01-16T03:00:00.000Z',
      '2026-01-16T14:00:00.000Z',
      'IL',
      'us-federal-tcpa',
    ],
    [
      'Florida the night clocks spring forward: 8:00 EDT',
      '305',
      'America/Los_Angeles',
      '2026-03-08T06:30:00.000Z',
      '2026-03-08T12:00:00.000Z',
      'FL',
      'us-fl-501-616',
    ],
    [
      'Florida the night clocks fall back: 8:00 EST',
      '305',
      'America/Los_Angeles',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T13:00:00.000Z',
      'FL',
      'us-fl-501-616',
    ],
  ])('%s', async (_case, areaCode, timezone, at, deferredUntil, state, rule) => {
    const { orgId, trackingNumber } = await newOrg({ timezone, quietHoursEnabled: false });
    clock.set(at);
    const response = await missedCallFrom(callerIn(areaCode), trackingNumber);
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId } });
    expect(message.deferredUntil?.toISOString() ?? null).toBe(deferredUntil);
    expect(response.headers.get('x-callsnare-text-back')).toBe(deferredUntil ? `deferred ${deferredUntil}` : 'queued');
    expect(message.evidence).toMatchObject({ recipient: { state }, window: { rule: { id: rule }, allowedAtDecision: deferredUntil === null } });
    await sendDue();
    expect(await statusOf(message.id)).toBe(deferredUntil ? 'QUEUED' : 'SENT');
  });

  it('every outbound text of a burst carries complete evidence, and so does a staff reply', async () => {
    const { orgId, trackingNumber } = await newOrg({ timezone: 'America/Chicago' });
    clock.set('2026-01-15T18:00:00.000Z'); // noon in Chicago
    const callers = ['212', '305', '214', '203', '312', '415', '907', '604', '800'].map(callerIn);
    await Promise.all(callers.map((caller) => missedCallFrom(caller, trackingNumber)));
    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: callers[0]! } });
    const credential = await createTestCredential(db, orgId, ['messages:send', 'leads:read']);
    const sent = await graphql(server.url, 'mutation($leadId: ID!, $body: String!) { sendMessage(leadId: $leadId, body: $body) { message { id } } }', {
      bearer: credential.secret,
      variables: { leadId: lead.id, body: 'On our way tomorrow at 9.' },
    });
    expect(sent.body.errors).toBeUndefined();

    const messages = await db.prisma.message.findMany({ where: { orgId, direction: 'OUTBOUND' } });
    expect(messages).toHaveLength(callers.length + 1);
    for (const message of messages) {
      const evidence = message.evidence as unknown as MessageEvidence;
      expect(evidence).toMatchObject({
        version: 1,
        decidedAt: '2026-01-15T18:00:00.000Z',
        kind: message.kind,
        optOut: { checked: true, optedOut: false },
        consent: { basis: expect.stringMatching(/^(missed_call|inbound_call|inbound_text)$/) as unknown, providerId: expect.stringMatching(/^CA/) as unknown },
        recipient: { localTime: expect.any(String) as unknown, zones: expect.any(Array) as unknown },
        window: { rule: { id: expect.any(String) as unknown, source: expect.any(String) as unknown } },
        shopQuietHours: { timeZone: 'America/Chicago' },
      });
      if (message.kind === 'TEXT_BACK') {
        expect(evidence.automated).toBe(true);
        expect(evidence.cooldown).toEqual({ minutes: 20, passed: true });
        expect(evidence.frequency).toEqual({ automatedTextsInLast24h: 0, cap: 3, windowHours: 24 });
      } else {
        expect(evidence).toMatchObject({ kind: 'STAFF_REPLY', automated: false, consent: { basis: 'missed_call' }, frequency: { applies: false } });
      }
    }
    const tollFree = messages.find((message) => message.toPhone === callers[8]);
    expect(tollFree?.evidence).toMatchObject({ recipient: { basis: 'shop-time-zone', state: null, zones: ['America/Chicago'] } });
    const vancouver = messages.find((message) => message.toPhone === callers[7]);
    expect(vancouver?.evidence).toMatchObject({ recipient: { country: 'CA', state: 'BC' }, window: { rule: { id: 'ca-crtc-telemarketing' } } });
  });

  it('concurrent missed calls from one phone never get past the frequency cap; the skipped ones say why', async () => {
    const { orgId, trackingNumber } = await newOrg({ maxAutomatedTextsPerDay: 2, textBackCooldownMinutes: 0, quietHoursEnabled: false });
    clock.set('2026-01-15T16:00:00.000Z');
    const caller = callerIn('312');
    const burst = () => Promise.all(Array.from({ length: 6 }, () => missedCallFrom(caller, trackingNumber)));
    for (let round = 0; round < 3; round += 1) {
      await burst();
      await sendDue();
      clock.advance(60_000);
    }
    const texts = await db.prisma.message.findMany({ where: { orgId, toPhone: caller }, orderBy: { createdAt: 'asc' } });
    expect(texts).toHaveLength(2);
    expect(texts.map((text) => (text.evidence as unknown as MessageEvidence).frequency)).toEqual([
      { automatedTextsInLast24h: 0, cap: 2, windowHours: 24 },
      { automatedTextsInLast24h: 1, cap: 2, windowHours: 24 },
    ]);
    const skips = await db.prisma.leadEvent.findMany({ where: { orgId, type: 'TEXT_BACK_SKIPPED' } });
    expect(skips).toHaveLength(16);
    // The first burst: one text, five held back by the pending text (the cooldown's reason); from the second text on, the cap.
    const reasons = skips.map((skip) => (skip.data as { reason: string }).reason);
    expect(reasons.filter((reason) => reason === 'cooldown')).toHaveLength(5);
    const capped = skips.filter((skip) => (skip.data as { reason: string }).reason === 'frequency_cap');
    expect(capped).toHaveLength(11);
    expect(capped[0]!.data).toMatchObject({ reason: 'frequency_cap', maxAutomatedTextsPerDay: 2, automatedTextsInLast24h: 2 });

    // The 24 hours roll: a day after the first text, one more may go.
    clock.set('2026-01-16T16:00:30.000Z');
    await missedCallFrom(caller, trackingNumber);
    expect(await db.prisma.message.count({ where: { orgId, toPhone: caller } })).toBe(3);
  });

  it('staff who can read leads see when a held-back text goes and its evidence; the cap is a setting from 1 to 10', async () => {
    const { orgId, trackingNumber } = await newOrg({ timezone: 'America/Los_Angeles', quietHoursEnabled: false });
    clock.set('2026-01-16T02:30:00.000Z');
    const response = await missedCallFrom(callerIn('305'), trackingNumber);
    const reader = await createTestCredential(db, orgId, ['leads:read']);
    const read = await graphql(server.url, 'query($id: ID!) { lead(id: $id) { messages { nodes { kind deferredUntil evidence } } } }', {
      bearer: reader.secret,
      variables: { id: response.headers.get('x-callsnare-lead-id') },
    });
    expect(read.body.errors).toBeUndefined();
    const [text] = (read.body.data as { lead: { messages: { nodes: { kind: string; deferredUntil: string; evidence: MessageEvidence }[] } } }).lead.messages
      .nodes;
    expect(text).toMatchObject({
      kind: 'TEXT_BACK',
      deferredUntil: '2026-01-16T13:00:00.000Z',
      evidence: { recipient: { state: 'FL' }, frequency: { cap: 3 } },
    });

    const manager = await createTestCredential(db, orgId, ['settings:read', 'settings:write']);
    const update = (value: number) =>
      graphql(server.url, 'mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { maxAutomatedTextsPerDay } }', {
        bearer: manager.secret,
        variables: { input: { maxAutomatedTextsPerDay: value } },
      });
    for (const bad of [0, 11]) {
      const refused = await update(bad);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: { maxAutomatedTextsPerDay: 'must be a whole number from 1 to 10' },
      });
    }
    const changed = await update(5);
    expect(changed.body.data).toEqual({ updateSettings: { maxAutomatedTextsPerDay: 5 } });
  });

  it('the cap counts the phone across leads of the organization, not per lead', async () => {
    const { orgId, trackingNumber } = await newOrg({ maxAutomatedTextsPerDay: 1, textBackCooldownMinutes: 0, quietHoursEnabled: false });
    clock.set('2026-01-15T16:00:00.000Z');
    const caller = callerIn('312');
    await missedCallFrom(caller, trackingNumber);
    await sendDue();
    await db.prisma.lead.updateMany({ where: { orgId, phone: caller }, data: { status: 'LOST', openPhone: null } });
    clock.advance(60 * 60_000);
    const response = await missedCallFrom(caller, trackingNumber);
    expect(response.headers.get('x-callsnare-text-back')).toBe('skipped frequency_cap');
    expect(await db.prisma.lead.count({ where: { orgId, phone: caller } })).toBe(2);
    expect(await db.prisma.message.count({ where: { orgId, toPhone: caller } })).toBe(1);
  });
});
