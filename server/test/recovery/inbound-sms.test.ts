// Texts from callers: threading, opt-out/opt-in keywords and HELP, and what
// consent does to text-backs and staff messages.
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import type { RunningServer } from '../../src/server';
import { runOutboxOnce } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import type { Actor } from '../../src/common/actor';
import { queueStaffReply } from '../../src/messaging/outbox.service';
import { smsKeyword } from '../../src/recovery/inbound-sms.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { fakeTwilioSid, newCall, newCallerNumber, parseTwiml, TEST_AUTH_TOKEN, twilioPoster, webhookLogs, type TwilioPoster } from '../support/twilio';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';

describe('SMS keywords', () => {
  it.each([
    ['STOP', 'opt_out'],
    ['  stop  ', 'opt_out'],
    ['Unsubscribe', 'opt_out'],
    ['stopall', 'opt_out'],
    ['CANCEL', 'opt_out'],
    ['end', 'opt_out'],
    ['QUIT', 'opt_out'],
    ['revoke', 'opt_out'],
    ['OptOut', 'opt_out'],
    ['start', 'opt_in'],
    ['UNSTOP', 'opt_in'],
    ['Yes', 'opt_in'],
    ['help', 'help'],
    ['INFO', 'help'],
  ])('"%s" is %s', (body, intent) => {
    expect(smsKeyword(body)?.intent).toBe(intent);
  });

  it.each(['stop calling me', 'Yes that works, thank you!', 'STOP.', 'helpful', ''])('"%s" is a conversation, not a keyword', (body) => {
    expect(smsKeyword(body)).toBeNull();
  });
});

describe.each(testDatabaseKinds)('inbound texts on %s', (kind) => {
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

  const sendDue = () => runOutboxOnce(server.deps);

  /** An org and a caller who has just missed a call (text-back sent). */
  async function afterMissedCall() {
    const org = await createTestOrg(db, { forwardTo: '+13125550100' });
    const trackingNumber = org.trackingNumber!;
    const caller = newCallerNumber();
    await twilio.dialStatus(newCall(caller, trackingNumber));
    await sendDue();
    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId, phone: caller } });
    const staff: Actor = { type: 'USER', id: org.userId, label: 'owner', orgId: org.orgId, role: 'OWNER', request: {} };
    return { orgId: org.orgId, trackingNumber, caller, lead, staff };
  }

  it("threads a reply to the caller's lead and marks a NEW lead CONTACTED; a replay changes nothing", async () => {
    const { orgId, trackingNumber, caller, lead } = await afterMissedCall();
    const messageSid = fakeTwilioSid('SM');
    const response = await twilio.sms(caller, trackingNumber, 'AC is blowing warm air, can you come today?', messageSid);
    expect(response.status).toBe(200);
    expect(parseTwiml(response.body).children).toEqual([]);

    const inbound = await db.prisma.message.findFirstOrThrow({ where: { orgId, direction: 'INBOUND' } });
    expect(inbound).toMatchObject({
      leadId: lead.id,
      kind: 'INBOUND',
      status: 'RECEIVED',
      providerSid: messageSid,
      fromPhone: caller,
      toPhone: trackingNumber,
    });
    const updated = await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(updated.status).toBe('CONTACTED');
    const events = await db.prisma.leadEvent.findMany({
      where: { leadId: lead.id, type: { in: ['MESSAGE_RECEIVED', 'STATUS_CHANGED'] } },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.type, e.actorType, e.providerRef])).toEqual([
      ['MESSAGE_RECEIVED', 'PROVIDER', `sms:${messageSid}`],
      ['STATUS_CHANGED', 'SYSTEM', null],
    ]);

    const before = await db.prisma.leadEvent.count({ where: { orgId } });
    const replay = await twilio.sms(caller, trackingNumber, 'AC is blowing warm air, can you come today?', messageSid);
    expect(replay.status).toBe(200);
    expect(await db.prisma.leadEvent.count({ where: { orgId } })).toBe(before);
    expect(await db.prisma.message.count({ where: { orgId, direction: 'INBOUND' } })).toBe(1);
    expect((await webhookLogs(db, { eventId: messageSid })).map((l) => l.outcome)).toEqual(['PROCESSED', 'DUPLICATE']);
  });

  it('a text from a number with no lead opens one', async () => {
    const org = await createTestOrg(db);
    const caller = newCallerNumber();
    await twilio.sms(caller, org.trackingNumber!, 'Do you service Trane heat pumps?');
    expect(await db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId } })).toMatchObject({ phone: caller, status: 'CONTACTED' });
  });

  it('STOP opts the caller out: text-backs and staff messages are blocked, queued ones withdrawn', async () => {
    const { orgId, trackingNumber, caller, lead, staff } = await afterMissedCall();
    // A staff message waiting in the outbox when the STOP arrives.
    const pending = await inTransaction(db.prisma, (tx) => queueStaffReply(tx, staff, { leadId: lead.id, body: 'We can be there at 3pm.' }, clock));

    const stop = await twilio.sms(caller, trackingNumber, ' Stop ');
    expect(stop.status).toBe(200);
    const optedOut = await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(optedOut).toMatchObject({ optedOut: true, status: 'NEW' });
    expect(optedOut.optedOutAt?.toISOString()).toBe(clock.now().toISOString());
    const event = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'OPTED_OUT' } });
    expect(event).toMatchObject({ actorType: 'PROVIDER', actorLabel: 'Twilio' });
    expect(event.data).toMatchObject({ cause: 'STOP' });
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'lead.opted_out' } });
    expect(audit).toMatchObject({ actorType: 'PROVIDER', targetType: 'Lead', targetId: lead.id });
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: 'CANCELED' });

    // Staff can no longer text them.
    await expect(inTransaction(db.prisma, (tx) => queueStaffReply(tx, staff, { leadId: lead.id, body: 'Hello?' }, clock))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('opted out'),
    });
    // A later missed call is recovered (lead, callback) but not texted.
    clock.advance(60 * MINUTE);
    await twilio.dialStatus(newCall(caller, trackingNumber));
    const skipped = await db.prisma.leadEvent.findMany({ where: { leadId: lead.id, type: 'TEXT_BACK_SKIPPED' } });
    expect(skipped.map((e) => (e.data as { reason: string }).reason)).toEqual(['opted_out']);
    expect(await db.prisma.message.count({ where: { orgId, direction: 'OUTBOUND', status: { in: ['QUEUED', 'SENDING'] } } })).toBe(0);
  });

  it('a STOP outlives the lead it was sent on: a new lead for that number is opted out too', async () => {
    const { orgId, trackingNumber, caller, lead } = await afterMissedCall();
    await twilio.sms(caller, trackingNumber, 'STOP');
    await db.prisma.lead.update({ where: { id: lead.id }, data: { status: 'LOST', openPhone: null } });
    clock.advance(2 * 60 * MINUTE);
    await twilio.dialStatus(newCall(caller, trackingNumber));
    const newLead = await db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: caller, openPhone: caller } });
    expect(newLead.id).not.toBe(lead.id);
    expect(newLead.optedOut).toBe(true);
    expect(await db.prisma.message.count({ where: { orgId, kind: 'TEXT_BACK' } })).toBe(1);
  });

  it('consent is checked again at send time', async () => {
    const { lead, staff } = await afterMissedCall();
    const pending = await inTransaction(db.prisma, (tx) => queueStaffReply(tx, staff, { leadId: lead.id, body: 'On our way' }, clock));
    // Opted out by another path (e.g. a carrier report) without withdrawing the outbox row.
    await db.prisma.lead.update({ where: { id: lead.id }, data: { optedOut: true } });
    await sendDue();
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: 'CANCELED', lastError: 'recipient opted out' });
    const withdrawn = await db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: lead.id, type: 'MESSAGE_FAILED' } });
    expect(withdrawn.data).toEqual({ messageId: pending.id, reason: 'opted_out' });
  });

  it('START re-enables texts', async () => {
    const { orgId, trackingNumber, caller, lead } = await afterMissedCall();
    await twilio.sms(caller, trackingNumber, 'STOP');
    await twilio.sms(caller, trackingNumber, 'start');
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ optedOut: false, optedOutAt: null });
    expect(await db.prisma.leadEvent.count({ where: { leadId: lead.id, type: 'OPTED_IN' } })).toBe(1);
    expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'lead.opted_in' } })).toBe(1);
    clock.advance(30 * MINUTE);
    await twilio.dialStatus(newCall(caller, trackingNumber));
    await sendDue();
    expect(await db.prisma.message.count({ where: { orgId, kind: 'TEXT_BACK', status: 'SENT' } })).toBe(2);
  });

  it('HELP answers with the business name and number', async () => {
    const { orgId, trackingNumber, caller, lead } = await afterMissedCall();
    await db.prisma.orgSettings.update({ where: { orgId }, data: { businessName: 'Summit Heating & Air' } });
    // Written behind the app's back: tell the call-context cache, as the settings mutation does.
    server.deps.callContexts?.invalidate({ orgId });
    const response = await twilio.sms(caller, trackingNumber, 'HELP');
    expect(parseTwiml(response.body).children).toEqual([]);
    expect(await db.prisma.leadEvent.count({ where: { leadId: lead.id, type: 'HELP_REQUESTED' } })).toBe(1);
    await sendDue();
    const reply = await db.prisma.message.findFirstOrThrow({ where: { orgId, kind: 'AUTO_REPLY' } });
    const digits = trackingNumber.slice(2);
    expect(reply).toMatchObject({
      status: 'SENT',
      toPhone: caller,
      fromPhone: trackingNumber,
      body: `Summit Heating & Air: call or text us at (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}. Reply STOP to opt out.`,
    });
    // HELP is not a conversation: the lead stays NEW.
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe('NEW');
  });
});
