// The SLA worker: a callback past its due time flags its lead, raises
// CALLBACK_OVERDUE once (timeline, live notice, staff alert); a scheduled or
// retry time that arrives is announced once as CALLBACK_DUE. Ticks run
// concurrently, as they do when several processes run the worker.
import { runCallbackSlaOnce } from '../../src/server';
import { subscribeInboxUpdates, type InboxUpdateNotice } from '../../src/live/inbox-updates';
import { completeCallback, scheduleCallback } from '../../src/callbacks/callback-queue.service';
import { testDatabaseKinds } from '../support/database';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';
import { inTx, MINUTE, openCallbacksOf, orgWithOwner } from './callback-fixtures';

jest.setTimeout(120_000);

const THURSDAY_10AM = '2026-01-15T15:00:00.000Z';
const STAFF_PHONE = '+13125550166';

describe.each(testDatabaseKinds)('callback SLA worker on %s', (kind) => {
  const fixture = useTestServer(kind, { now: THURSDAY_10AM });
  const { clock } = fixture;

  /** An org whose owner gets alerts, a missed call from a new caller, and a recorder of the org's live notices. */
  async function missedCall() {
    const org = await orgWithOwner(fixture.db);
    await fixture.db.prisma.membership.updateMany({ where: { orgId: org.orgId }, data: { phone: STAFF_PHONE, alertOnMissedCall: true } });
    const notices: InboxUpdateNotice[] = [];
    const unsubscribe = subscribeInboxUpdates(fixture.server.deps.live, org.orgId, (notice) => notices.push(notice));
    await fixture.twilio.dialStatus(newCall(newCallerNumber(), org.trackingNumber));
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId } });
    const callback = await fixture.db.prisma.callback.findFirstOrThrow({ where: { orgId: org.orgId, leadId: lead.id } });
    return { ...org, lead, callback, notices, unsubscribe };
  }

  /** Ticks `times` at once, then lets the bus deliver what they published. */
  async function ticks(times = 1) {
    const results = await Promise.all(Array.from({ length: times }, () => runCallbackSlaOnce(fixture.server.deps)));
    await new Promise((resolve) => setImmediate(resolve));
    return results;
  }

  const noticesOf = (notices: InboxUpdateNotice[], kind: InboxUpdateNotice['kind']) => notices.filter((notice) => notice.kind === kind);

  it('an overdue callback flags its lead and raises CALLBACK_OVERDUE once: one event, one live notice, one staff alert', async () => {
    const { orgId, lead, callback, notices, unsubscribe } = await missedCall();
    try {
      clock.advance(14 * MINUTE);
      await ticks();
      expect((await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).callbackOverdue).toBe(false);

      clock.advance(2 * MINUTE);
      await ticks(3);
      await ticks();
      const flagged = await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
      expect(flagged).toMatchObject({ callbackOverdue: true, inboxRank: 1 });
      expect(await fixture.db.prisma.leadEvent.count({ where: { orgId, type: 'CALLBACK_OVERDUE' } })).toBe(1);
      expect(noticesOf(notices, 'CALLBACK_OVERDUE')).toEqual([{ orgId, kind: 'CALLBACK_OVERDUE', leadId: lead.id, at: clock.now() }]);
      const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId, kind: 'CALLBACK_OVERDUE' } });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ leadId: lead.id, toPhone: STAFF_PHONE, idempotencyKey: expect.stringContaining(`overdue:${callback.id}:`) });
    } finally {
      unsubscribe();
    }
  });

  it("a retry's time arriving is announced once as CALLBACK_DUE, and a late retry escalates on its own", async () => {
    const { orgId, owner, lead, callback, notices, unsubscribe } = await missedCall();
    try {
      clock.advance(10 * MINUTE);
      await inTx(fixture.db, (tx) => completeCallback(tx, owner, { id: callback.id, outcome: 'NO_ANSWER' }, clock));
      const [retry] = await openCallbacksOf(fixture.db, orgId, lead.id);
      expect(retry!.scheduledFor?.toISOString()).toBe('2026-01-15T16:10:00.000Z');

      clock.set('2026-01-15T16:09:00.000Z');
      await ticks();
      expect(noticesOf(notices, 'CALLBACK_DUE')).toEqual([]);

      clock.set('2026-01-15T16:10:00.000Z');
      const results = await ticks(5);
      await ticks();
      expect(results.reduce((sum, result) => sum + result.announced, 0)).toBe(1);
      expect(noticesOf(notices, 'CALLBACK_DUE')).toEqual([{ orgId, kind: 'CALLBACK_DUE', leadId: lead.id, at: clock.now() }]);
      expect((await fixture.db.prisma.callback.findUniqueOrThrow({ where: { id: retry!.id } })).dueAnnouncedAt?.toISOString()).toBe('2026-01-15T16:10:00.000Z');
      expect((await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).callbackOverdue).toBe(false);

      clock.set('2026-01-15T16:26:00.000Z'); // past 16:25, the retry's due time
      await ticks(2);
      expect(noticesOf(notices, 'CALLBACK_DUE')).toHaveLength(1);
      expect(noticesOf(notices, 'CALLBACK_OVERDUE')).toHaveLength(1);
      expect((await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).callbackOverdue).toBe(true);
      const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId, kind: 'CALLBACK_OVERDUE' } });
      expect(alerts.map((alert) => alert.idempotencyKey)).toEqual([expect.stringContaining(`overdue:${retry!.id}:`)]);

      // Completing it answers the lead: no longer overdue.
      await inTx(fixture.db, (tx) => completeCallback(tx, owner, { id: retry!.id, outcome: 'BOOKED' }, clock));
      expect((await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).callbackOverdue).toBe(false);
    } finally {
      unsubscribe();
    }
  });

  it('a time agreed with the caller is announced when it arrives; rescheduling it announces the new time', async () => {
    const { orgId, owner, lead, notices, unsubscribe } = await missedCall();
    try {
      const at = new Date('2026-01-15T18:00:00.000Z');
      await inTx(fixture.db, (tx) => scheduleCallback(tx, owner, { leadId: lead.id, at }, clock));
      await ticks();
      expect(noticesOf(notices, 'CALLBACK_DUE')).toEqual([]);
      clock.set(at);
      await ticks(3);
      expect(noticesOf(notices, 'CALLBACK_DUE')).toHaveLength(1);

      const later = new Date('2026-01-15T19:00:00.000Z');
      await inTx(fixture.db, (tx) => scheduleCallback(tx, owner, { leadId: lead.id, at: later }, clock));
      clock.set(later);
      await ticks(3);
      expect(noticesOf(notices, 'CALLBACK_DUE')).toHaveLength(2);
      expect(await fixture.db.prisma.callback.count({ where: { orgId, leadId: lead.id } })).toBe(1);
    } finally {
      unsubscribe();
    }
  });
});
