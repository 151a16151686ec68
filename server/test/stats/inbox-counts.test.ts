// The dashboard's "right now" numbers: counted from the flags the inbox orders
// by, per viewer where "new" depends on who is looking, on real databases.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import type { Actor } from '../../src/common/actor';
import { ManualClock } from '../../src/common/clock';
import { recoveryStats } from '../../src/stats/stats.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql, startTestServer } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';

jest.setTimeout(60_000);

const MINUTE = 60_000;
// Tuesday 2026-03-03, 10:00 in New York (the test orgs' time zone).
const NOW = new Date('2026-03-03T15:00:00.000Z');

describe.each(testDatabaseKinds)('inbox counts in stats on %s', (kind) => {
  let db: Database;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => clock.set(NOW));

  const userActor = (orgId: string, userId: string): Actor => ({ type: 'USER', id: userId, label: 'staff@test', orgId, role: 'OWNER', request: {} });

  /** A caller who missed us and then texted back: CONTACTED, with an unanswered inbound text. */
  async function repliedLead(orgId: string, at: Date) {
    const lead = await createTestLead(db, orgId, { at, status: 'CONTACTED' });
    const repliedAt = new Date(at.getTime() + 2 * MINUTE);
    await db.prisma.message.create({
      data: {
        orgId,
        leadId: lead.id,
        direction: 'INBOUND',
        kind: 'INBOUND',
        body: 'AC stopped cooling, can someone come out today?',
        status: 'RECEIVED',
        fromPhone: lead.phone,
        toPhone: '+15005550006',
        createdAt: repliedAt,
      },
    });
    await db.prisma.lead.update({
      where: { id: lead.id, orgId },
      data: { needsReply: true, lastInboundAt: repliedAt, lastInboundText: 'AC stopped cooling, can someone come out today?', lastActivityAt: repliedAt },
    });
    return lead;
  }

  test('new missed calls keep counting when callers text back (9 new, then 33 more with replies: 42)', async () => {
    const org = await createTestOrg(db);
    const viewer = userActor(org.orgId, org.userId);
    for (let i = 0; i < 9; i++) await createTestLead(db, org.orgId, { at: new Date(NOW.getTime() - (60 - i) * MINUTE) });
    expect(await recoveryStats(db.prisma, viewer, {}, clock)).toMatchObject({ newMissedCalls: 9, needsReply: 0, openLeads: 9, missedCallsToday: 9 });

    for (let i = 0; i < 33; i++) await repliedLead(org.orgId, new Date(NOW.getTime() - (50 - i) * MINUTE));
    const stats = await recoveryStats(db.prisma, viewer, {}, clock);
    expect(stats).toMatchObject({ newMissedCalls: 42, needsReply: 33, openLeads: 42, missedCallsToday: 42, callbackOverdue: 0, needsDecision: 0 });
  });

  test('"new" is per staff member: a lead read since its latest missed call is not new to that reader only', async () => {
    const org = await createTestOrg(db);
    const owner = await ownerOf(db, org.orgId);
    const dispatcher = await createTestStaff(db, org.orgId, 'DISPATCHER');
    const leads = [];
    for (let i = 0; i < 5; i++) leads.push(await createTestLead(db, org.orgId, { at: new Date(NOW.getTime() - (30 - i) * MINUTE) }));
    await db.prisma.leadRead.createMany({
      data: leads.slice(0, 3).map((lead) => ({ orgId: org.orgId, userId: owner.userId, leadId: lead.id, readAt: new Date(NOW.getTime() - 10 * MINUTE) })),
    });
    expect((await recoveryStats(db.prisma, userActor(org.orgId, owner.userId), {}, clock)).newMissedCalls).toBe(2);
    expect((await recoveryStats(db.prisma, userActor(org.orgId, dispatcher.userId), {}, clock)).newMissedCalls).toBe(5);

    // The caller of a lead the owner read rings again: it is new to the owner again.
    await db.prisma.leadEvent.create({
      data: {
        orgId: org.orgId,
        leadId: leads[0]!.id,
        type: 'CALL_MISSED',
        actorType: 'PROVIDER',
        actorLabel: 'Twilio',
        createdAt: new Date(NOW.getTime() - 2 * MINUTE),
      },
    });
    expect((await recoveryStats(db.prisma, userActor(org.orgId, owner.userId), {}, clock)).newMissedCalls).toBe(3);
  });

  test('overdue and needs-decision come from the lead flags; closed leads never count', async () => {
    const org = await createTestOrg(db);
    const viewer = userActor(org.orgId, org.userId);
    const overdue = await createTestLead(db, org.orgId, {
      at: new Date(NOW.getTime() - 90 * MINUTE),
      callback: { dueAt: new Date(NOW.getTime() - 75 * MINUTE) },
    });
    await db.prisma.lead.update({ where: { id: overdue.id, orgId: org.orgId }, data: { callbackOverdue: true } });
    const overdueAndReplied = await repliedLead(org.orgId, new Date(NOW.getTime() - 80 * MINUTE));
    await db.prisma.lead.update({ where: { id: overdueAndReplied.id, orgId: org.orgId }, data: { callbackOverdue: true } });
    const undecided = await createTestLead(db, org.orgId, { at: new Date(NOW.getTime() - 300 * MINUTE), status: 'CONTACTED' });
    await db.prisma.lead.update({ where: { id: undecided.id, orgId: org.orgId }, data: { needsDecision: true } });
    // Closed with stale flags: a booked lead is out of the inbox whatever its flags say.
    const booked = await createTestLead(db, org.orgId, { at: new Date(NOW.getTime() - 200 * MINUTE), status: 'BOOKED' });
    await db.prisma.lead.update({ where: { id: booked.id, orgId: org.orgId }, data: { needsReply: true, callbackOverdue: true, needsDecision: true } });

    expect(await recoveryStats(db.prisma, viewer, {}, clock)).toMatchObject({
      openLeads: 3,
      needsReply: 1,
      callbackOverdue: 2,
      needsDecision: 1,
      newMissedCalls: 3,
    });
  });

  test("missed calls today start at midnight in the shop's time zone", async () => {
    const org = await createTestOrg(db);
    const viewer = userActor(org.orgId, org.userId);
    // 23:30 Monday and 00:30 Tuesday in New York; UTC has already turned Tuesday at both.
    await createTestLead(db, org.orgId, { at: new Date('2026-03-03T04:30:00.000Z') });
    await createTestLead(db, org.orgId, { at: new Date('2026-03-03T05:30:00.000Z') });
    expect((await recoveryStats(db.prisma, viewer, {}, clock)).missedCallsToday).toBe(1);
    await db.prisma.orgSettings.update({ where: { orgId: org.orgId }, data: { timezone: 'UTC' } });
    expect((await recoveryStats(db.prisma, viewer, {}, clock)).missedCallsToday).toBe(2);
  });

  test('an API credential, which has no read state, sees every open lead with a missed call as new', async () => {
    const org = await createTestOrg(db);
    const owner = await ownerOf(db, org.orgId);
    const leads = [];
    for (let i = 0; i < 3; i++) leads.push(await createTestLead(db, org.orgId, { at: new Date(NOW.getTime() - (20 - i) * MINUTE) }));
    await db.prisma.leadRead.create({ data: { orgId: org.orgId, userId: owner.userId, leadId: leads[0]!.id, readAt: NOW } });
    const credential: Actor = { type: 'CREDENTIAL', id: owner.userId, label: 'API key', orgId: org.orgId, scopes: ['leads:read'], request: {} };
    expect((await recoveryStats(db.prisma, credential, {}, clock)).newMissedCalls).toBe(3);
  });

  describe('over GraphQL', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer(db, { clock });
    });
    afterAll(async () => {
      await server.close();
    });

    test('stats serves the inbox counts to staff and to credentials, each for its own org only', async () => {
      const org = await createTestOrg(db);
      const other = await createTestOrg(db);
      await repliedLead(org.orgId, new Date(NOW.getTime() - 30 * MINUTE));
      await createTestLead(db, org.orgId, { at: new Date(NOW.getTime() - 20 * MINUTE) });
      await repliedLead(other.orgId, new Date(NOW.getTime() - 30 * MINUTE));
      const query = '{ stats { openLeads needsReply callbackOverdue needsDecision newMissedCalls missedCallsToday } }';
      const expected = { openLeads: 2, needsReply: 1, callbackOverdue: 0, needsDecision: 0, newMissedCalls: 2, missedCallsToday: 2 };

      const cookie = await openTestSession(db, org.userId, org.orgId, clock);
      const bySession = await graphql(server.url, query, { cookie });
      expect(bySession.body.errors).toBeUndefined();
      expect(bySession.body.data!.stats).toEqual(expected);

      const { secret } = await createTestCredential(db, org.orgId, ['leads:read']);
      const byCredential = await graphql(server.url, query, { bearer: secret });
      expect(byCredential.body.errors).toBeUndefined();
      expect(byCredential.body.data!.stats).toEqual(expected);
    });
  });
});
