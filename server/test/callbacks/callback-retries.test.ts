// Unanswered callbacks are retried on the shop's cadence (settings.callbackRetryMinutes),
// inside business hours, until the list runs out; then the lead needs a human decision.
import type { Database } from '../../src/db/client';
import { ManualClock } from '../../src/common/clock';
import { completeCallback, cancelCallback, scheduleCallback } from '../../src/callbacks/callback-queue.service';
import { updateLead } from '../../src/leads/leads.service';
import { updateSettings } from '../../src/settings/settings.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { inTx, leadWithFirstCallback, MINUTE, openCallbacksOf, orgWithOwner, rejects } from './callback-fixtures';

jest.setTimeout(120_000);

/** Thursday 10:00 in New York (the default zone; hours Mon–Fri 08–17, Sat 09–13). */
const THURSDAY_10AM = new Date('2026-01-15T15:00:00.000Z');

describe.each(testDatabaseKinds)('callback retries on %s', (kind) => {
  let db: Database;
  const clock = new ManualClock(THURSDAY_10AM);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => clock.set(THURSDAY_10AM));

  it('NO_ANSWER and LEFT_VOICEMAIL open the next attempt 60 then 240 minutes later, moved into business hours; then the lead needs a decision', async () => {
    const { orgId, owner } = await orgWithOwner(db);
    const { lead, callback: first } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    expect(first.attempt).toBe(1);

    clock.set('2026-01-15T15:10:00.000Z'); // 10:10
    await inTx(db, (tx) => completeCallback(tx, owner, { id: first.id, outcome: 'NO_ANSWER' }, clock));
    const [second] = await openCallbacksOf(db, orgId, lead.id);
    expect(second).toMatchObject({ attempt: 2, status: 'OPEN', leadId: lead.id, openLeadId: lead.id, overdueAt: null, dueAnnouncedAt: null });
    expect(second!.scheduledFor?.toISOString()).toBe('2026-01-15T16:10:00.000Z'); // 11:10, 60 minutes later
    expect(second!.dueAt.toISOString()).toBe('2026-01-15T16:25:00.000Z'); // + the 15-minute SLA
    const opened = await db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, leadId: lead.id, type: 'CALLBACK_OPENED' } });
    expect(opened.data).toMatchObject({
      callbackId: second!.id,
      attempt: 2,
      retry: true,
      retryOf: first.id,
      outcome: 'NO_ANSWER',
      scheduledFor: '2026-01-15T16:10:00.000Z',
      dueAt: '2026-01-15T16:25:00.000Z',
    });
    expect(opened.actorType).toBe('SYSTEM');

    clock.set('2026-01-15T20:30:00.000Z'); // 15:30; +240 minutes is 19:30, after closing
    await inTx(db, (tx) => completeCallback(tx, owner, { id: second!.id, outcome: 'LEFT_VOICEMAIL' }, clock));
    const [third] = await openCallbacksOf(db, orgId, lead.id);
    expect(third).toMatchObject({ attempt: 3, status: 'OPEN' });
    expect(third!.scheduledFor?.toISOString()).toBe('2026-01-16T13:00:00.000Z'); // Friday 08:00, the next opening
    expect(third!.dueAt.toISOString()).toBe('2026-01-16T13:15:00.000Z');
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).needsDecision).toBe(false);

    clock.set('2026-01-16T13:05:00.000Z');
    await inTx(db, (tx) => completeCallback(tx, owner, { id: third!.id, outcome: 'NO_ANSWER' }, clock));
    expect(await openCallbacksOf(db, orgId, lead.id)).toEqual([]);
    const decided = await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(decided).toMatchObject({ needsDecision: true, status: 'NEW', callbackOverdue: false });
    const lastCompleted = await db.prisma.leadEvent.findFirstOrThrow({
      where: { orgId, leadId: lead.id, type: 'CALLBACK_COMPLETED' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(lastCompleted.data).toMatchObject({ callbackId: third!.id, outcome: 'NO_ANSWER', attempt: 3, nextAttempt: null, needsDecision: true });
    expect(await db.prisma.callback.count({ where: { orgId, leadId: lead.id } })).toBe(3);
  });

  it("a retry that would fall on a closed weekend waits for Monday's opening", async () => {
    const { orgId, owner } = await orgWithOwner(db);
    const saturday = new Date('2026-01-17T17:00:00.000Z'); // Saturday 12:00 (open 09–13)
    const { lead, callback } = await leadWithFirstCallback(db, orgId, saturday);
    clock.set('2026-01-17T17:30:00.000Z'); // 12:30; +60 is 13:30, closed until Monday 08:00
    await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
    const [retry] = await openCallbacksOf(db, orgId, lead.id);
    expect(retry!.scheduledFor?.toISOString()).toBe('2026-01-19T13:00:00.000Z');
    expect(retry!.dueAt.toISOString()).toBe('2026-01-19T13:15:00.000Z');
  });

  it('without any business hours a retry is not moved', async () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const { orgId, owner } = await orgWithOwner(db, { businessHours: closed });
    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
    const [retry] = await openCallbacksOf(db, orgId, lead.id);
    expect(retry!.scheduledFor?.toISOString()).toBe('2026-01-15T16:00:00.000Z');
    expect(retry!.dueAt.toISOString()).toBe('2026-01-15T16:15:00.000Z');
  });

  it('a custom cadence set through updateSettings is followed, and an empty one asks for a decision at once', async () => {
    const { orgId, owner } = await orgWithOwner(db);
    const updated = await inTx(db, (tx) => updateSettings(tx, owner, { callbackRetryMinutes: [30] }, clock));
    expect(updated.callbackRetryMinutes).toEqual([30]);
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'settings.updated' }, orderBy: { seq: 'desc' } });
    expect(audit.changes).toMatchObject({ callbackRetryMinutes: { before: [60, 240], after: [30] } });

    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'LEFT_VOICEMAIL' }, clock));
    const [second] = await openCallbacksOf(db, orgId, lead.id);
    expect(second).toMatchObject({ attempt: 2 });
    expect(second!.scheduledFor?.toISOString()).toBe('2026-01-15T15:30:00.000Z');
    await inTx(db, (tx) => completeCallback(tx, owner, { id: second!.id, outcome: 'NO_ANSWER' }, clock));
    expect(await openCallbacksOf(db, orgId, lead.id)).toEqual([]);
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).needsDecision).toBe(true);

    await inTx(db, (tx) => updateSettings(tx, owner, { callbackRetryMinutes: [] }, clock));
    const other = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await inTx(db, (tx) => completeCallback(tx, owner, { id: other.callback.id, outcome: 'NO_ANSWER' }, clock));
    expect(await openCallbacksOf(db, orgId, other.lead.id)).toEqual([]);
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: other.lead.id } })).needsDecision).toBe(true);
  });

  it('refuses a retry list that is too long or holds unreasonable minutes, naming the field, and stores nothing', async () => {
    const { orgId, owner } = await orgWithOwner(db);
    for (const list of [[4], [10_081], [60, -5], [5, 10, 15, 20, 25, 30, 35]]) {
      const error = await rejects(inTx(db, (tx) => updateSettings(tx, owner, { callbackRetryMinutes: list }, clock)));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(Object.keys(error.details.fields as object)).toEqual(['callbackRetryMinutes']);
      expect(error.message).toMatch(/^callbackRetryMinutes /);
    }
    expect((await db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId } })).callbackRetryMinutes).toEqual([60, 240]);
    // The bounds themselves are fine: 5 minutes to a week.
    const edge = await inTx(db, (tx) => updateSettings(tx, owner, { callbackRetryMinutes: [5, 10_080] }, clock));
    expect(edge.callbackRetryMinutes).toEqual([5, 10_080]);
  });

  it('BOOKED, NOT_INTERESTED and WRONG_NUMBER open no retry; any completed callback answers the caller and clears the overdue flag', async () => {
    const { orgId, owner } = await orgWithOwner(db);
    for (const outcome of ['BOOKED', 'NOT_INTERESTED', 'WRONG_NUMBER'] as const) {
      const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
      await db.prisma.lead.update({ where: { id: lead.id }, data: { needsReply: true, callbackOverdue: true } });
      await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome }, clock));
      expect(await openCallbacksOf(db, orgId, lead.id)).toEqual([]);
      expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({
        needsReply: false,
        callbackOverdue: false,
        needsDecision: false,
        status: outcome === 'BOOKED' ? 'BOOKED' : 'LOST',
      });
    }
    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await db.prisma.lead.update({ where: { id: lead.id }, data: { needsReply: true, callbackOverdue: true } });
    await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ needsReply: false, callbackOverdue: false });
  });

  it("canceling an overdue callback clears the lead's overdue flag", async () => {
    const { orgId, owner } = await orgWithOwner(db);
    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await db.prisma.lead.update({ where: { id: lead.id }, data: { callbackOverdue: true } });
    await inTx(db, (tx) => cancelCallback(tx, owner, callback.id, clock));
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).callbackOverdue).toBe(false);
  });

  it("scheduling a callback or changing the lead's status clears needsDecision", async () => {
    const { orgId, owner } = await orgWithOwner(db, { callbackRetryMinutes: [] });
    const exhausted = async () => {
      const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
      await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
      expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).needsDecision).toBe(true);
      return lead;
    };
    const scheduled = await exhausted();
    const at = new Date(THURSDAY_10AM.getTime() + 24 * 60 * MINUTE);
    await inTx(db, (tx) => scheduleCallback(tx, owner, { leadId: scheduled.id, at }, clock));
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: scheduled.id } })).needsDecision).toBe(false);

    const moved = await exhausted();
    await inTx(db, (tx) => updateLead(tx, owner, moved.id, { status: 'CONTACTED' }, clock));
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: moved.id } })).needsDecision).toBe(false);

    const closed = await exhausted();
    await inTx(db, (tx) => updateLead(tx, owner, closed.id, { status: 'LOST' }, clock));
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: closed.id } })).needsDecision).toBe(false);
  });

  it('rescheduling a retry keeps its attempt number and announces the new time again', async () => {
    const { orgId, owner } = await orgWithOwner(db);
    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
    const [retry] = await openCallbacksOf(db, orgId, lead.id);
    await db.prisma.callback.update({ where: { id: retry!.id }, data: { dueAnnouncedAt: THURSDAY_10AM } });
    const at = new Date('2026-01-15T19:00:00.000Z');
    const rescheduled = await inTx(db, (tx) => scheduleCallback(tx, owner, { leadId: lead.id, at }, clock));
    expect(rescheduled).toMatchObject({ id: retry!.id, attempt: 2, status: 'SCHEDULED', scheduledFor: at, dueAt: at, dueAnnouncedAt: null });
  });

  it('10 concurrent schedulings for a lead without an open callback all succeed on one callback', async () => {
    const { orgId, owner } = await orgWithOwner(db, { callbackRetryMinutes: [] });
    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    await inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
    const at = new Date('2026-01-15T19:00:00.000Z');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => inTx(db, (tx) => scheduleCallback(tx, owner, { leadId: lead.id, at }, clock))));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const open = await openCallbacksOf(db, orgId, lead.id);
    expect(open).toHaveLength(1);
    expect(new Set(results.map((result) => (result as PromiseFulfilledResult<{ id: string }>).value.id))).toEqual(new Set([open[0]!.id]));
  });

  it('20 concurrent completions of one callback: one succeeds, one next attempt is opened, the others are refused', async () => {
    const { orgId, owner } = await orgWithOwner(db);
    const { lead, callback } = await leadWithFirstCallback(db, orgId, THURSDAY_10AM);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => inTx(db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as { code?: string }] : []));
    expect(refused).toHaveLength(19);
    expect(refused.every((error) => error.code === 'BAD_USER_INPUT')).toBe(true);
    const open = await openCallbacksOf(db, orgId, lead.id);
    expect(open.map((row) => row.attempt)).toEqual([2]);
    expect(await db.prisma.leadEvent.count({ where: { orgId, leadId: lead.id, type: 'CALLBACK_COMPLETED' } })).toBe(1);
    expect(await db.prisma.leadEvent.count({ where: { orgId, leadId: lead.id, type: 'CALLBACK_OPENED' } })).toBe(1);
    expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'callback.completed' } })).toBe(1);
  });
});
