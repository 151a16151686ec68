// The product API's business rules, at the service layer, on real databases.
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import type { Actor } from '../../src/common/actor';
import { ManualClock } from '../../src/common/clock';
import { DomainError } from '../../src/common/errors';
import { verifyAuditChain } from '../../src/audit/audit.service';
import { addLeadNote, getLead, listLeads, updateLead } from '../../src/leads/leads.service';
import { assignCallback, cancelCallback, completeCallback, listCallbacks, scheduleCallback } from '../../src/callbacks/callback-queue.service';
import { updateSettings } from '../../src/settings/settings.service';
import { recoveryStats } from '../../src/stats/stats.service';
import { totalOf } from '../../src/db/pagination';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

jest.setTimeout(60_000);

const T0 = new Date('2026-03-02T15:00:00.000Z');
const MINUTE = 60_000;

async function rejects(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe.each(testDatabaseKinds)('product services on %s', (kind) => {
  let db: Database;
  let owner: Actor;
  let other: Actor;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    const org = await createTestOrg(db, { name: 'Service HVAC' });
    const otherOrg = await createTestOrg(db, { name: 'Other HVAC' });
    owner = { type: 'USER', id: org.userId, label: 'owner@service.test', orgId: org.orgId, role: 'OWNER', request: { requestId: 'req-1' } };
    other = { type: 'USER', id: otherOrg.userId, label: 'owner@other.test', orgId: otherOrg.orgId, role: 'OWNER', request: {} };
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => clock.set(T0));

  const tx = <T>(fn: (tx: Parameters<Parameters<typeof inTransaction>[1]>[0]) => Promise<T>) => inTransaction(db.prisma, fn);

  describe('leads', () => {
    it('lists newest activity first and pages without duplicates or gaps while new leads arrive', async () => {
      const org = await createTestOrg(db);
      const actor: Actor = { ...owner, orgId: org.orgId, id: org.userId };
      for (let i = 0; i < 25; i++) await createTestLead(db, org.orgId, { at: new Date(T0.getTime() - i * MINUTE) });
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof listLeads>> = await listLeads(db.prisma, actor, null, 10, after);
        expect(await totalOf(page)).toBeGreaterThanOrEqual(25);
        seen.push(...page.nodes.map((lead) => lead.id));
        // A new missed call lands at the top between page fetches.
        await createTestLead(db, org.orgId, { at: new Date(T0.getTime() + (pages + 1) * MINUTE) });
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(25);
      expect(seen).toHaveLength(25);
    });

    it('filters by status, phone digits, name, opt-out and open callback', async () => {
      const org = await createTestOrg(db);
      const actor: Actor = { ...owner, orgId: org.orgId, id: org.userId };
      const jane = await createTestLead(db, org.orgId, { phone: '+15125550142', name: 'Jane Alvarez', callback: {} });
      const booked = await createTestLead(db, org.orgId, { status: 'BOOKED' });
      const stopped = await createTestLead(db, org.orgId, { optedOut: true });
      const ids = async (filter: Parameters<typeof listLeads>[2]) => (await listLeads(db.prisma, actor, filter)).nodes.map((lead) => lead.id).sort();
      expect(await ids({ search: '(512) 555-0142' })).toEqual([jane.id]);
      expect(await ids({ search: '0142' })).toEqual([jane.id]);
      expect(await ids({ search: 'alva' })).toEqual([jane.id]);
      expect(await ids({ status: ['BOOKED'] })).toEqual([booked.id]);
      expect(await ids({ optedOut: true })).toEqual([stopped.id]);
      expect(await ids({ hasOpenCallback: true })).toEqual([jane.id]);
      expect(await ids({ hasOpenCallback: false })).toEqual([booked.id, stopped.id].sort());
    });

    it('rejects a bad cursor and an out-of-range page size as BAD_USER_INPUT', async () => {
      expect((await rejects(listLeads(db.prisma, owner, null, 101))).code).toBe('BAD_USER_INPUT');
      expect((await rejects(listLeads(db.prisma, owner, null, 0))).code).toBe('BAD_USER_INPUT');
      expect((await rejects(listLeads(db.prisma, owner, null, 10, 'garbage'))).code).toBe('BAD_USER_INPUT');
    });

    it("answers NOT_FOUND for another org's lead and for a malformed id", async () => {
      const theirs = await createTestLead(db, other.orgId);
      expect((await rejects(getLead(db.prisma, owner, theirs.id))).code).toBe('NOT_FOUND');
      expect((await rejects(getLead(db.prisma, owner, 'not-a-uuid'))).code).toBe('NOT_FOUND');
      expect((await rejects(tx((t) => updateLead(t, owner, theirs.id, { name: 'X' }, clock)))).code).toBe('NOT_FOUND');
      expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBeNull();
    });

    it('enforces status transitions, naming the current state', async () => {
      const lead = await createTestLead(db, owner.orgId, { status: 'LOST' });
      const error = await rejects(tx((t) => updateLead(t, owner, lead.id, { status: 'BOOKED' }, clock)));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toBe('lead is LOST; it can move to CONTACTED, not BOOKED');
    });

    it("closing a lead frees the caller's open slot and withdraws its open callback; audit has before/after", async () => {
      const lead = await createTestLead(db, owner.orgId, { name: 'Sam', callback: {} });
      const updated = await tx((t) => updateLead(t, owner, lead.id, { status: 'LOST', name: 'Sam Ortiz' }, clock));
      expect(updated).toMatchObject({ status: 'LOST', name: 'Sam Ortiz', openPhone: null });
      const callbacks = await db.prisma.callback.findMany({ where: { leadId: lead.id } });
      expect(callbacks.map((c) => [c.status, c.openLeadId])).toEqual([['CANCELED', null]]);
      const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId: owner.orgId, action: 'lead.updated', targetId: lead.id } });
      expect(audit.changes).toEqual({ status: { before: 'NEW', after: 'LOST' }, name: { before: 'Sam', after: 'Sam Ortiz' } });
      expect(audit).toMatchObject({ actorType: 'USER', actorId: owner.id, requestId: 'req-1' });
      const types = (await db.prisma.leadEvent.findMany({ where: { leadId: lead.id }, orderBy: { createdAt: 'asc' } })).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['STATUS_CHANGED', 'CALLBACK_CANCELED', 'LEAD_UPDATED']));
    });

    it('reopening a lead whose caller already has another open lead is refused', async () => {
      const closed = await createTestLead(db, owner.orgId, { status: 'LOST', phone: '+15125550199' });
      await createTestLead(db, owner.orgId, { phone: '+15125550199' });
      const error = await rejects(tx((t) => updateLead(t, owner, closed.id, { status: 'CONTACTED' }, clock)));
      expect(error.message).toMatch(/already has another open lead/);
      expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: closed.id } })).status).toBe('LOST');
    });

    it('notes are 1–2000 characters and audited', async () => {
      const lead = await createTestLead(db, owner.orgId);
      expect((await rejects(tx((t) => addLeadNote(t, owner, lead.id, '   ', clock)))).code).toBe('BAD_USER_INPUT');
      const event = await tx((t) => addLeadNote(t, owner, lead.id, ' Wants a quote for a heat pump ', clock));
      expect(event).toMatchObject({ type: 'NOTE_ADDED', data: { body: 'Wants a quote for a heat pump' }, actorLabel: owner.label });
      expect(await db.prisma.auditEntry.count({ where: { orgId: owner.orgId, action: 'lead.note_added', targetId: lead.id } })).toBe(1);
    });
  });

  describe('callbacks', () => {
    it('schedules, assigns only to members, completes as BOOKED (booking the lead) and refuses to complete twice', async () => {
      const lead = await createTestLead(db, owner.orgId, { callback: {} });
      const at = new Date(T0.getTime() + 60 * MINUTE);
      const scheduled = await tx((t) => scheduleCallback(t, owner, { leadId: lead.id, at }, clock));
      expect(scheduled).toMatchObject({ status: 'SCHEDULED', scheduledFor: at, dueAt: at });
      expect(await db.prisma.callback.count({ where: { leadId: lead.id } })).toBe(1);

      const outsider = await rejects(tx((t) => assignCallback(t, owner, scheduled.id, other.id, clock)));
      expect(outsider.message).toBe('assignee is not a member of this organization');
      const assigned = await tx((t) => assignCallback(t, owner, scheduled.id, owner.id, clock));
      expect(assigned.assigneeId).toBe(owner.id);

      const done = await tx((t) => completeCallback(t, owner, { id: scheduled.id, outcome: 'BOOKED', notes: 'Tue 9am install' }, clock));
      expect(done).toMatchObject({ status: 'COMPLETED', outcome: 'BOOKED', notes: 'Tue 9am install', completedById: owner.id, openLeadId: null });
      expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe('BOOKED');

      const again = await rejects(tx((t) => completeCallback(t, owner, { id: scheduled.id, outcome: 'NO_ANSWER' }, clock)));
      expect(again.message).toBe('callback is COMPLETED; only OPEN or SCHEDULED callbacks can be completed');
      const cancel = await rejects(tx((t) => cancelCallback(t, owner, scheduled.id, clock)));
      expect(cancel.message).toMatch(/^callback is COMPLETED/);
      const actions = (await db.prisma.auditEntry.findMany({ where: { targetId: scheduled.id }, orderBy: { seq: 'asc' } })).map((a) => a.action);
      expect(actions).toEqual(['callback.scheduled', 'callback.assigned', 'callback.completed']);
    });

    it('lists due soonest first with overdue and assignee filters', async () => {
      const org = await createTestOrg(db);
      const actor: Actor = { ...owner, orgId: org.orgId, id: org.userId };
      const late = await createTestLead(db, org.orgId, { callback: { dueAt: new Date(T0.getTime() - 30 * MINUTE) } });
      const soon = await createTestLead(db, org.orgId, { callback: { dueAt: new Date(T0.getTime() + 5 * MINUTE), assigneeId: org.userId } });
      await createTestLead(db, org.orgId, { callback: { status: 'COMPLETED', dueAt: new Date(T0.getTime() - 90 * MINUTE) } });
      const leadsOf = async (filter: Parameters<typeof listCallbacks>[2]) => (await listCallbacks(db.prisma, actor, filter, clock)).nodes.map((c) => c.leadId);
      expect(await leadsOf({ status: ['OPEN', 'SCHEDULED'] })).toEqual([late.id, soon.id]);
      expect(await leadsOf({ overdue: true })).toEqual([late.id]);
      expect(await leadsOf({ assigneeId: org.userId })).toEqual([soon.id]);
      expect(await leadsOf({ assigneeId: 'nobody' })).toEqual([]);
      clock.advance(10 * MINUTE);
      expect(await leadsOf({ overdue: true })).toEqual([late.id, soon.id]);
    });
  });

  describe('settings', () => {
    it('reports every invalid field and stores nothing', async () => {
      const before = await db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId: owner.orgId } });
      const error = await rejects(
        tx((t) =>
          updateSettings(
            t,
            owner,
            {
              timezone: 'Mars/Base',
              ringTimeoutSeconds: 4,
              callbackSlaMinutes: 1441,
              businessHoursTemplate: 'Hi {firstName}!',
              quietHoursStart: '25:00',
              businessHours: [{ day: 'mon', intervals: [{ start: '09:00', end: '08:00' }] }],
              businessName: 'Renamed',
            },
            clock,
          ),
        ),
      );
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(Object.keys(error.details.fields as object).sort()).toEqual(
        ['businessHours.mon', 'businessHoursTemplate', 'callbackSlaMinutes', 'quietHoursStart', 'ringTimeoutSeconds', 'timezone'].sort(),
      );
      expect((error.details.fields as Record<string, string>).businessHoursTemplate).toMatch(/unknown variable \{firstName\}/);
      const after = await db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId: owner.orgId } });
      expect(after).toEqual(before);
    });

    it('stores valid changes and audits exactly the changed fields', async () => {
      const updated = await tx((t) =>
        updateSettings(
          t,
          owner,
          {
            ringTimeoutSeconds: 25,
            timezone: 'America/Denver',
            businessHours: [{ day: 'sat', intervals: [] }],
            voicemailEnabled: false,
          },
          clock,
        ),
      );
      expect(updated).toMatchObject({ ringTimeoutSeconds: 25, timezone: 'America/Denver' });
      expect((updated.businessHours as Record<string, unknown>).sat).toEqual([]);
      const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId: owner.orgId, action: 'settings.updated' }, orderBy: { seq: 'desc' } });
      expect(Object.keys(audit.changes as object).sort()).toEqual(['businessHours', 'ringTimeoutSeconds', 'timezone']);
      expect((audit.changes as Record<string, { before: unknown; after: unknown }>).ringTimeoutSeconds).toEqual({ before: 20, after: 25 });
      expect(await verifyAuditChain(db.prisma, owner.orgId)).toMatchObject({ ok: true });
    });
  });

  describe('stats', () => {
    it('counts a known fixture honestly', async () => {
      const org = await createTestOrg(db);
      const actor: Actor = { ...owner, orgId: org.orgId, id: org.userId };
      const day = (n: number, minutes = 0) => new Date(Date.UTC(2026, 2, 2 + n, 15, minutes));
      const leads = [];
      for (let i = 0; i < 4; i++) leads.push(await createTestLead(db, org.orgId, { at: day(i) }));
      // Lead 0 called twice.
      await db.prisma.leadEvent.create({
        data: { orgId: org.orgId, leadId: leads[0]!.id, type: 'CALL_MISSED', actorType: 'PROVIDER', actorLabel: 'Twilio', createdAt: day(0, 5) },
      });
      // Text-backs sent to leads 0, 1, 2; lead 3's was skipped.
      for (const lead of leads.slice(0, 3)) {
        await db.prisma.message.create({
          data: {
            orgId: org.orgId,
            leadId: lead.id,
            direction: 'OUTBOUND',
            kind: 'TEXT_BACK',
            body: 'hi',
            status: 'DELIVERED',
            fromPhone: '+15005550006',
            toPhone: lead.phone,
            sentAt: new Date(lead.createdAt.getTime() + 5000),
            createdAt: lead.createdAt,
          },
        });
      }
      await db.prisma.leadEvent.create({
        data: { orgId: org.orgId, leadId: leads[3]!.id, type: 'TEXT_BACK_SKIPPED', actorType: 'SYSTEM', actorLabel: 'CallSnare', createdAt: day(3, 1) },
      });
      // Lead 3's callback is still open, and overdue by the time stats are read.
      await db.prisma.callback.create({
        data: { orgId: org.orgId, leadId: leads[3]!.id, status: 'OPEN', openLeadId: leads[3]!.id, dueAt: day(3, 15), createdAt: day(3) },
      });
      // Lead 1 replied (recovered); lead 2 was booked by a callback 30 minutes after its call (recovered).
      await db.prisma.message.create({
        data: {
          orgId: org.orgId,
          leadId: leads[1]!.id,
          direction: 'INBOUND',
          kind: 'INBOUND',
          body: 'yes please',
          status: 'RECEIVED',
          fromPhone: leads[1]!.phone,
          toPhone: '+15005550006',
          createdAt: day(1, 2),
        },
      });
      const cb = await db.prisma.callback.create({
        data: { orgId: org.orgId, leadId: leads[2]!.id, status: 'OPEN', openLeadId: leads[2]!.id, dueAt: day(2, 15), createdAt: day(2) },
      });
      clock.set(day(2, 30));
      await tx((t) => completeCallback(t, actor, { id: cb.id, outcome: 'BOOKED' }, clock));
      // Lead 0 had a callback completed with NO_ANSWER after 90 minutes: not recovered, and its
      // retry (attempt 2, an hour later) is still open and overdue by the time stats are read.
      const cb0 = await db.prisma.callback.create({
        data: { orgId: org.orgId, leadId: leads[0]!.id, status: 'OPEN', openLeadId: leads[0]!.id, dueAt: day(0, 15), createdAt: day(0) },
      });
      clock.set(day(0, 90));
      await tx((t) => completeCallback(t, actor, { id: cb0.id, outcome: 'NO_ANSWER' }, clock));

      clock.set(day(6));
      const stats = await recoveryStats(db.prisma, actor, { since: day(-1), until: day(5) }, clock);
      expect(stats).toMatchObject({
        missedCalls: 5,
        missedCallLeads: 4,
        textBacksSent: 3,
        textBacksSkipped: 1,
        replies: 1,
        replyRate: 0.333,
        callbacksCompleted: 2,
        medianMinutesToCallback: 60,
        bookedLeads: 1,
        recoveredLeads: 2,
        recoveryRate: 0.5,
        overdueCallbacksNow: 2,
      });
      expect(stats.p90MinutesToCallback).toBeCloseTo(84, 5);
      expect(stats.missedCallsByDay).toEqual([
        { date: '2026-03-02', count: 2 },
        { date: '2026-03-03', count: 1 },
        { date: '2026-03-04', count: 1 },
        { date: '2026-03-05', count: 1 },
      ]);
    });

    it('rejects an inverted or too long range', async () => {
      expect((await rejects(recoveryStats(db.prisma, owner, { since: T0, until: new Date(T0.getTime() - 1) }, clock))).code).toBe('BAD_USER_INPUT');
      expect((await rejects(recoveryStats(db.prisma, owner, { since: new Date('2024-01-01'), until: T0 }, clock))).code).toBe('BAD_USER_INPUT');
    });
  });
});
