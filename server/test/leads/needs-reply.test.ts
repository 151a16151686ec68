// Replies stay on top: a caller's text marks the lead as needing a reply (and
// lifts it to the top of the inbox) until staff answer; keywords do not; staff
// who opted in are alerted; filters find what needs a reply and what changed.
import { subscribeInboxUpdates, type InboxUpdateNotice } from '../../src/live/inbox-updates';
import { testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql } from '../support/server';
import { createTestStaff, openTestSession } from '../support/sessions';
import { fakeTwilioSid, newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';

jest.setTimeout(120_000);

const MINUTE = 60_000;
// Thursday 10:00 in New York (the default shop time zone): business hours.
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';
// Thursday 22:00 in New York: after hours.
const AFTER_HOURS = '2026-01-16T03:00:00.000Z';

const INBOX = `query($first: Int, $after: String) {
  inbox(first: $first, after: $after) {
    totalCount
    nodes { id status needsReply callbackOverdue needsDecision lastInboundText lastInboundAt lastActivityAt updatedAt }
  }
}`;
const SEND = 'mutation($leadId: ID!, $body: String!) { sendMessage(leadId: $leadId, body: $body) { message { id kind } } }';

describe.each(testDatabaseKinds)('needsReply on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS });
  const { clock } = fixture;

  /** An org whose owner is signed in. */
  async function shop() {
    const org = await createTestOrg(fixture.db);
    const cookie = await openTestSession(fixture.db, org.userId, org.orgId, clock);
    const ask = (query: string, variables: Record<string, unknown> = {}) => graphql(fixture.server.url, query, { cookie, variables });
    return { orgId: org.orgId, ownerId: org.userId, trackingNumber: org.trackingNumber!, ask };
  }

  const leadOf = (orgId: string, phone: string) => fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId, phone }, orderBy: { createdAt: 'desc' } });

  it("a caller's text puts the lead on top of the inbox with the text as its preview; a staff reply takes it off", async () => {
    const { orgId, trackingNumber, ask } = await shop();
    const caller = newCallerNumber();
    await fixture.twilio.dialStatus(newCall(caller, trackingNumber));
    // Newer work the caller's lead would sink under if the inbox went by activity alone.
    clock.advance(MINUTE);
    const overdue = await createTestLead(fixture.db, orgId, { at: clock.now(), status: 'CONTACTED' });
    await fixture.db.prisma.lead.update({ where: { id: overdue.id }, data: { callbackOverdue: true } });
    clock.advance(MINUTE);
    const fresh = await createTestLead(fixture.db, orgId, { at: clock.now() });
    const before = await ask(INBOX);
    expect(before.body.errors).toBeUndefined();
    const lead = await leadOf(orgId, caller);
    expect(before.body.data!.inbox.nodes.map((n: { id: string }) => n.id)).toEqual([overdue.id, fresh.id, lead.id]);

    clock.advance(10 * MINUTE);
    const text = 'AC stopped cooling, can someone come out today?';
    expect((await fixture.twilio.sms(caller, trackingNumber, text)).status).toBe(200);
    const after = await ask(INBOX);
    expect(after.body.data!.inbox.nodes.map((n: { id: string }) => n.id)).toEqual([lead.id, overdue.id, fresh.id]);
    expect(after.body.data!.inbox.nodes[0]).toMatchObject({
      status: 'CONTACTED',
      needsReply: true,
      callbackOverdue: false,
      needsDecision: false,
      lastInboundText: text,
      lastInboundAt: clock.now().toISOString(),
      lastActivityAt: clock.now().toISOString(),
    });

    clock.advance(MINUTE);
    const sent = await ask(SEND, { leadId: lead.id, body: 'We can be there at 2pm.' });
    expect(sent.body.errors).toBeUndefined();
    const answered = await ask(INBOX);
    // Answered: an ordinary open lead now, below the overdue callback and the new missed call.
    expect(answered.body.data!.inbox.nodes.map((n: { id: string; needsReply: boolean }) => [n.id, n.needsReply])).toEqual([
      [overdue.id, false],
      [fresh.id, false],
      [lead.id, false],
    ]);
    // The preview still shows what the caller said last.
    expect(answered.body.data!.inbox.nodes[2].lastInboundText).toBe(text);
  });

  it('automatic texts (a HELP answer, another text-back) do not count as a reply', async () => {
    const { orgId, trackingNumber } = await shop();
    const caller = newCallerNumber();
    await fixture.twilio.sms(caller, trackingNumber, 'Is the furnace tune-up still $89?');
    const lead = await leadOf(orgId, caller);
    expect(lead.needsReply).toBe(true);

    clock.advance(MINUTE);
    await fixture.twilio.sms(caller, trackingNumber, 'help');
    expect(await fixture.db.prisma.message.count({ where: { leadId: lead.id, kind: 'AUTO_REPLY' } })).toBe(1);
    clock.advance(MINUTE);
    await fixture.twilio.dialStatus(newCall(caller, trackingNumber));
    const still = await leadOf(orgId, caller);
    expect(still).toMatchObject({ id: lead.id, needsReply: true, inboxRank: 0 });
  });

  it('STOP needs no reply and withdraws an unanswered one; HELP alone needs none; START and YES open the conversation again', async () => {
    const { orgId, trackingNumber } = await shop();
    const notices: InboxUpdateNotice[] = [];
    const unsubscribe = subscribeInboxUpdates(fixture.server.deps.live, orgId, (notice) => notices.push(notice));
    const caller = newCallerNumber();
    await fixture.twilio.sms(caller, trackingNumber, 'Are you open Saturday?');
    expect((await leadOf(orgId, caller)).needsReply).toBe(true);
    clock.advance(MINUTE);
    await fixture.twilio.sms(caller, trackingNumber, 'STOP');
    const stopped = await leadOf(orgId, caller);
    expect(stopped).toMatchObject({ optedOut: true, needsReply: false, lastInboundText: 'STOP' });
    expect(stopped.inboxRank).toBe(3);

    clock.advance(MINUTE);
    await fixture.twilio.sms(caller, trackingNumber, 'start');
    expect(await leadOf(orgId, caller)).toMatchObject({ optedOut: false, needsReply: true, lastInboundText: 'start' });

    const asker = newCallerNumber();
    await fixture.twilio.sms(asker, trackingNumber, 'HELP');
    expect(await leadOf(orgId, asker)).toMatchObject({ needsReply: false, lastInboundText: 'HELP', inboxRank: 2 });
    await fixture.twilio.sms(asker, trackingNumber, 'Yes');
    expect(await leadOf(orgId, asker)).toMatchObject({ needsReply: true, inboxRank: 0 });

    // The live inbox hears of a text needing a reply as REPLY_RECEIVED, of the rest as a change.
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();
    expect(notices.map((notice) => notice.kind)).toEqual(['REPLY_RECEIVED', 'LEAD_CHANGED', 'REPLY_RECEIVED', 'LEAD_CHANGED', 'REPLY_RECEIVED']);
  });

  it('a reply alerts the staff who opted in, once however often Twilio redelivers it; keywords alert nobody', async () => {
    const { orgId, trackingNumber } = await shop();
    const owner = await fixture.db.prisma.membership.findFirstOrThrow({ where: { orgId, role: 'OWNER' } });
    await fixture.db.prisma.membership.update({ where: { id: owner.id }, data: { phone: '+16175550181', alertOnReply: true } });
    const dispatcher = await createTestStaff(fixture.db, orgId, 'DISPATCHER');
    await fixture.db.prisma.membership.update({ where: { id: dispatcher.membershipId }, data: { phone: '+16175550182', alertOnReply: true } });
    const caller = newCallerNumber();
    const messageSid = fakeTwilioSid('SM');
    const deliveries = await Promise.all(Array.from({ length: 20 }, () => fixture.twilio.sms(caller, trackingNumber, 'My thermostat is blank', messageSid)));
    expect(deliveries.map((d) => d.status)).toEqual(Array(20).fill(200));
    const lead = await leadOf(orgId, caller);
    const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId, leadId: lead.id }, orderBy: { toPhone: 'asc' } });
    // Business hours: everyone who opted in.
    expect(alerts.map((a) => [a.kind, a.toPhone])).toEqual([
      ['REPLY_RECEIVED', '+16175550181'],
      ['REPLY_RECEIVED', '+16175550182'],
    ]);
    expect(alerts[0]!.body).toContain(`/leads/${lead.id}`);

    await fixture.twilio.sms(caller, trackingNumber, 'STOP');
    await fixture.twilio.sms(caller, trackingNumber, 'HELP');
    expect(await fixture.db.prisma.staffAlert.count({ where: { orgId, leadId: lead.id } })).toBe(2);

    // After hours with nobody on call, only the owner hears of it.
    clock.set(AFTER_HOURS);
    const late = newCallerNumber();
    await fixture.twilio.sms(late, trackingNumber, 'No heat at all, 3 kids at home');
    const lateLead = await leadOf(orgId, late);
    expect((await fixture.db.prisma.staffAlert.findMany({ where: { orgId, leadId: lateLead.id } })).map((a) => a.toPhone)).toEqual(['+16175550181']);
  });

  it('filters leads needing a reply, and leads changed since a time', async () => {
    const { orgId, trackingNumber, ask } = await shop();
    const credential = await createTestCredential(fixture.db, orgId, ['leads:read']);
    const quiet = await createTestLead(fixture.db, orgId, { at: clock.now() });
    const noted = await createTestLead(fixture.db, orgId, { at: clock.now() });
    const renamed = await createTestLead(fixture.db, orgId, { at: clock.now() });
    const texter = newCallerNumber();
    await fixture.twilio.sms(texter, trackingNumber, 'Do you do duct cleaning?');
    const texted = await leadOf(orgId, texter);
    const FILTERED = 'query($filter: LeadFilter) { leads(first: 100, filter: $filter) { totalCount nodes { id needsReply updatedAt } } }';
    const needing = await graphql(fixture.server.url, FILTERED, { bearer: credential.secret, variables: { filter: { needsReply: true } } });
    expect(needing.body.errors).toBeUndefined();
    expect(needing.body.data!.leads).toMatchObject({ totalCount: 1, nodes: [{ id: texted.id, needsReply: true }] });
    const notNeeding = await graphql(fixture.server.url, FILTERED, { bearer: credential.secret, variables: { filter: { needsReply: false } } });
    expect(notNeeding.body.data!.leads.nodes.map((n: { id: string }) => n.id).sort()).toEqual([quiet.id, noted.id, renamed.id].sort());

    // Everything "changed" long ago; then a note, a rename and a text. The clock does not
    // move: changes are found by when they were written, not by lastActivityAt.
    const longAgo = new Date('2020-01-01T00:00:00.000Z');
    await fixture.db.prisma.lead.updateMany({ where: { orgId }, data: { updatedAt: longAgo } });
    const since = new Date(longAgo.getTime() + MINUTE).toISOString();
    expect((await ask('mutation($id: ID!) { addLeadNote(leadId: $id, body: "Gate code 4411") { id } }', { id: noted.id })).body.errors).toBeUndefined();
    expect((await ask('mutation($id: ID!) { updateLead(id: $id, input: { name: "Dana Ruiz" }) { id } }', { id: renamed.id })).body.errors).toBeUndefined();
    await fixture.twilio.sms(texter, trackingNumber, 'Also, price for a new thermostat?');
    const changed = await graphql(fixture.server.url, FILTERED, { bearer: credential.secret, variables: { filter: { updatedSince: since } } });
    expect(changed.body.errors).toBeUndefined();
    expect(changed.body.data!.leads.nodes.map((n: { id: string }) => n.id).sort()).toEqual([noted.id, renamed.id, texted.id].sort());
    for (const node of changed.body.data!.leads.nodes) expect(Date.parse(node.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    const both = await graphql(fixture.server.url, FILTERED, { bearer: credential.secret, variables: { filter: { updatedSince: since, needsReply: true } } });
    expect(both.body.data!.leads.nodes.map((n: { id: string }) => n.id)).toEqual([texted.id]);
  });

  it('staff changes publish LEAD_CHANGED after they commit, and refused ones publish nothing', async () => {
    const { orgId, ask } = await shop();
    const lead = await createTestLead(fixture.db, orgId, { at: clock.now() });
    const stopped = await createTestLead(fixture.db, orgId, { at: clock.now(), optedOut: true });
    const notices: InboxUpdateNotice[] = [];
    const unsubscribe = subscribeInboxUpdates(fixture.server.deps.live, orgId, (notice) => notices.push(notice));
    try {
      expect((await ask('mutation($id: ID!) { updateLead(id: $id, input: { status: CONTACTED }) { id } }', { id: lead.id })).body.errors).toBeUndefined();
      expect((await ask('mutation($id: ID!) { addLeadNote(leadId: $id, body: "Prefers mornings") { id } }', { id: lead.id })).body.errors).toBeUndefined();
      expect((await ask(SEND, { leadId: lead.id, body: 'See you at 9.' })).body.errors).toBeUndefined();
      expect((await ask(SEND, { leadId: stopped.id, body: 'Hello?' })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await ask('mutation($id: ID!) { updateLead(id: $id, input: { status: NEW }) { id } }', { id: lead.id })).body.errors?.[0]?.extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(notices.map((n) => [n.kind, n.leadId, n.at.toISOString()])).toEqual(Array(3).fill(['LEAD_CHANGED', lead.id, clock.now().toISOString()]));
    } finally {
      unsubscribe();
    }
  });
});
