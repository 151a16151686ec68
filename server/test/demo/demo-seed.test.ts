// The demo organization on real databases: sign-ins, and a week of history that
// is internally consistent (events, messages, callbacks, flags and staff alerts
// agree) and shaped like the live system's: after-hours callbacks due at the
// next opening, retries after unanswered calls, replies waiting for an answer.
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { verifyPassword } from '../../src/access/passwords';
import { auditHash, verifyAuditChain } from '../../src/audit/audit.service';
import { ManualClock } from '../../src/common/clock';
import type { Actor } from '../../src/common/actor';
import { seedDemoOrganization, type SeededDemo } from '../../src/demo/demo.seed';
import { runDemoCommand } from '../../src/cli/demo.command';
import { readBusinessHours } from '../../src/settings/settings.service';
import { describeOpening, isWithinBusinessHours, nextOpening } from '../../src/common/shop-time';
import { recoveryStats } from '../../src/stats/stats.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// A Thursday, 9am in Chicago.
const NOW = new Date('2026-01-15T15:00:00.000Z');
// A Sunday, 11:30pm in Chicago: the shop has been closed since Saturday 1pm.
const SUNDAY_NIGHT = new Date('2026-01-19T05:30:00.000Z');
const DEMO_DASHBOARD = 'https://dashboard.summit.test';

describe.each(testDatabaseKinds)('demo seed on %s', (kind) => {
  let db: Database;
  let demo: SeededDemo;
  let sundayDemo: SeededDemo;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    demo = await seedDemoOrganization(db, { clock: new ManualClock(NOW), dashboardBaseUrl: DEMO_DASHBOARD });
    sundayDemo = await seedDemoOrganization(db, { clock: new ManualClock(SUNDAY_NIGHT), dashboardBaseUrl: DEMO_DASHBOARD });
  });
  afterAll(async () => {
    await db?.close();
  });

  function leadsWithHistory(orgId: string) {
    return db.prisma.lead.findMany({
      where: { orgId },
      include: {
        events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        callbacks: { orderBy: [{ createdAt: 'asc' }, { attempt: 'asc' }] },
        messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      },
      orderBy: { createdAt: 'asc' },
    });
  }
  type LeadWithHistory = Awaited<ReturnType<typeof leadsWithHistory>>[number];

  async function shopOf(orgId: string) {
    const settings = await db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId } });
    const hours = readBusinessHours(settings);
    const open = (at: Date) => isWithinBusinessHours(at, settings.timezone, hours);
    const duringHours = (at: Date) => (open(at) ? at : nextOpening(at, settings.timezone, hours)!);
    return { settings, open, duringHours };
  }

  const isOpenCallback = (callback: { status: string }) => callback.status === 'OPEN' || callback.status === 'SCHEDULED';
  const dataOf = (event: { data: unknown }) => event.data as Record<string, any>;

  // Both demos, told at two very different moments, must hold every rule below.
  const seeded = () => [
    { name: 'Thursday 9am', demo, now: NOW },
    { name: 'Sunday 11:30pm', demo: sundayDemo, now: SUNDAY_NIGHT },
  ];

  test('the owner signs in with the generated password and owns the demo org', async () => {
    expect(demo.ownerEmail).toBe('owner@summit-hvac.test');
    expect(demo.ownerPassword.length).toBeGreaterThanOrEqual(16);
    const owner = await db.prisma.user.findUniqueOrThrow({
      where: { email: demo.ownerEmail },
      include: { memberships: true },
    });
    expect(owner.memberships).toEqual([expect.objectContaining({ orgId: demo.orgId, role: 'OWNER' })]);
    expect(await verifyPassword(owner.passwordHash, demo.ownerPassword)).toBe(true);
    expect(await verifyPassword(owner.passwordHash, 'not the password')).toBe(false);

    const settings = await db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId: demo.orgId } });
    expect(settings.timezone).toBe('America/Chicago');
    const line = await db.prisma.trackingLine.findUniqueOrThrow({ where: { number: demo.trackingNumber } });
    expect(line).toMatchObject({ orgId: demo.orgId, number: '+15005550006', forwardTo: '+15005550001' });
  });

  test('an admin, two dispatchers and an analyst sign in with their own passwords, and every staff member has a name', async () => {
    expect(demo.signIns.map((signIn) => signIn.role)).toEqual(['OWNER', 'ADMIN', 'DISPATCHER', 'DISPATCHER', 'ANALYST']);
    expect(new Set(demo.signIns.map((signIn) => signIn.password)).size).toBe(5);
    expect(new Set(demo.signIns.map((signIn) => signIn.name)).size).toBe(5);
    for (const signIn of demo.signIns) {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email: signIn.email }, include: { memberships: true } });
      expect(user.name).toBe(signIn.name);
      expect(user.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
      expect(user.memberships).toEqual([expect.objectContaining({ orgId: demo.orgId, role: signIn.role, acceptedAt: expect.any(Date) })]);
      expect(await verifyPassword(user.passwordHash, signIn.password)).toBe(true);
    }
  });

  test('one dispatcher set her phone with every alert on and is on call; her alerts were sent for every cause since then, once each', async () => {
    for (const { demo: seed, now } of seeded()) {
      const members = await db.prisma.membership.findMany({ where: { orgId: seed.orgId }, include: { user: true } });
      const alerted = members.filter((member) => member.phone !== null);
      expect(alerted).toEqual([expect.objectContaining({ role: 'DISPATCHER', alertOnMissedCall: true, alertOnReply: true, onCall: true })]);
      expect(members.filter((member) => member.onCall)).toHaveLength(1);
      const jess = alerted[0]!;
      const setUp = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId: seed.orgId, action: 'member.profile_updated', targetId: jess.id } });
      expect(setUp.actorLabel).toBe(jess.user.email);

      const alerts = await db.prisma.staffAlert.findMany({ where: { orgId: seed.orgId }, orderBy: { createdAt: 'asc' } });
      expect(alerts.length).toBeGreaterThanOrEqual(2);
      expect(alerts.filter((alert) => alert.kind === 'MISSED_CALL').length).toBeGreaterThanOrEqual(2);
      const leads = new Map((await leadsWithHistory(seed.orgId)).map((lead) => [lead.id, lead]));
      for (const alert of alerts) {
        expect(alert).toMatchObject({
          status: 'SENT',
          membershipId: jess.id,
          toPhone: jess.phone,
          fromPhone: seed.trackingNumber,
          providerSid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
        });
        expect(alert.sentAt!.getTime()).toBeGreaterThanOrEqual(alert.createdAt.getTime());
        expect(alert.sentAt!.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(alert.createdAt.getTime()).toBeGreaterThanOrEqual(setUp.createdAt.getTime());
        expect(alert.body).toContain(`${DEMO_DASHBOARD}/leads/${alert.leadId}`);
        const lead = leads.get(alert.leadId)!;
        const cause = alert.idempotencyKey.replace(/^alert:/, '').replace(`:${jess.id}`, '');
        const event =
          alert.kind === 'CALLBACK_OVERDUE'
            ? lead.events.find((e) => e.type === 'CALLBACK_OVERDUE' && `overdue:${dataOf(e).callbackId}` === cause)
            : lead.events.find((e) => e.providerRef === cause);
        expect(event).toMatchObject({
          // The demo seeds no carrier-filtering alerts (their cause is the line, not a lead event).
          type: { MISSED_CALL: 'CALL_MISSED', REPLY_RECEIVED: 'MESSAGE_RECEIVED', CALLBACK_OVERDUE: 'CALLBACK_OVERDUE', CARRIER_FILTERING: 'TEXT_BACK_FAILED' }[
            alert.kind
          ],
        });
        expect(event!.createdAt).toEqual(alert.createdAt);
      }
      // Every missed call since she turned alerts on reached her (she is on call, so after hours too).
      const callsSince = [...leads.values()].flatMap((lead) => lead.events).filter((e) => e.type === 'CALL_MISSED' && e.createdAt >= setUp.createdAt);
      expect(
        alerts
          .filter((alert) => alert.kind === 'MISSED_CALL')
          .map((alert) => alert.idempotencyKey)
          .sort(),
      ).toEqual(callsSince.map((e) => `alert:${e.providerRef}:${jess.id}`).sort());
    }
  });

  test('a week of leads, each starting with a missed call, with events ordered in time and acted on by staff', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    expect(leads).toHaveLength(demo.leads);
    expect(leads.length).toBeGreaterThanOrEqual(25);
    expect(leads.length).toBeLessThanOrEqual(40);
    expect(leads.some((lead) => lead.name !== null)).toBe(true);
    expect(leads.some((lead) => lead.name === null)).toBe(true);

    const weekStart = NOW.getTime() - 7 * DAY;
    const days = new Set<string>();
    for (const lead of leads) {
      expect(lead.phone).toMatch(/^\+1555\d{7}$/);
      expect(lead.events[0]!.type).toBe('CALL_MISSED');
      const times = lead.events.map((event) => event.createdAt.getTime());
      expect(new Set(times).size).toBe(times.length);
      expect(times[0]).toBeGreaterThanOrEqual(weekStart);
      expect(times[times.length - 1]).toBeLessThanOrEqual(NOW.getTime());
      expect(lead.createdAt).toEqual(lead.events[0]!.createdAt);
      expect(lead.lastActivityAt).toEqual(lead.events[lead.events.length - 1]!.createdAt);
      days.add(lead.createdAt.toISOString().slice(0, 10));

      for (const event of lead.events) {
        if (['CALL_MISSED', 'CALL_ANSWERED', 'MESSAGE_RECEIVED', 'OPTED_OUT'].includes(event.type)) {
          expect(event).toMatchObject({ actorType: 'PROVIDER', actorId: 'twilio', actorLabel: 'Twilio' });
        } else if (['TEXT_BACK_QUEUED', 'TEXT_BACK_SENT', 'TEXT_BACK_SKIPPED', 'CALLBACK_OPENED', 'CALLBACK_OVERDUE'].includes(event.type)) {
          expect(event).toMatchObject({ actorType: 'SYSTEM', actorLabel: 'CallSnare' });
        } else if (event.type === 'STATUS_CHANGED' && dataOf(event).reason && !String(dataOf(event).reason).startsWith('callback ')) {
          // A reply or an answered call marks the lead contacted by itself.
          expect(event).toMatchObject({
            actorType: 'SYSTEM',
            data: { from: 'NEW', to: 'CONTACTED', reason: expect.stringMatching(/^(caller replied|call answered)$/) },
          });
        } else {
          expect(event).toMatchObject({ actorType: 'USER', actorLabel: expect.stringMatching(/@summit-hvac\.test$/) });
        }
      }
    }
    expect(days.size).toBeGreaterThanOrEqual(5);
  });

  test('every missed call has its text-back (or the reason it was skipped), keyed by the CallSid, reading naturally without a name', async () => {
    for (const { demo: seed, now } of seeded()) {
      const { settings } = await shopOf(seed.orgId);
      for (const lead of await leadsWithHistory(seed.orgId)) {
        const missed = lead.events.filter((event) => event.type === 'CALL_MISSED');
        const skipped = lead.events.filter((event) => event.type === 'TEXT_BACK_SKIPPED' && dataOf(event).callSid);
        const textBacks = lead.messages.filter((message) => message.kind === 'TEXT_BACK');
        expect(textBacks).toHaveLength(missed.length - skipped.length);
        for (const call of missed) {
          const data = dataOf(call);
          expect(data.callSid).toMatch(/^CA[0-9a-f]{32}$/);
          expect(data).toMatchObject({ from: lead.phone, to: seed.trackingNumber, ringSeconds: expect.any(Number) });
          expect(call.providerRef).toBe(`call_missed:${data.callSid}`);
        }
        for (const textBack of textBacks) {
          expect(textBack).toMatchObject({ direction: 'OUTBOUND', fromPhone: seed.trackingNumber, toPhone: lead.phone });
          const callSid = textBack.idempotencyKey!.replace(/^textback:/, '');
          const call = missed.find((event) => dataOf(event).callSid === callSid)!;
          expect(call).toBeDefined();
          const queued = lead.events.find((event) => event.type === 'TEXT_BACK_QUEUED' && dataOf(event).messageId === textBack.id)!;
          const sent = lead.events.filter((event) => event.type === 'TEXT_BACK_SENT' && dataOf(event).messageId === textBack.id);
          if (textBack.status === 'QUEUED') {
            // Quiet hours: it leaves when they end.
            expect(sent).toEqual([]);
            expect(textBack.nextAttemptAt!.getTime()).toBeGreaterThan(now.getTime());
          } else {
            expect(['SENT', 'DELIVERED']).toContain(textBack.status);
            expect(sent).toEqual([expect.objectContaining({ data: { messageId: textBack.id, providerSid: textBack.providerSid } })]);
            expect(textBack.sentAt).toEqual(sent[0]!.createdAt);
            expect(textBack.sentAt!.getTime()).toBeGreaterThanOrEqual(new Date(dataOf(queued).deferredUntil ?? 0).getTime());
          }
          // "Hi , sorry" never again: no empty name, no stray punctuation, no placeholder.
          expect(textBack.body).not.toMatch(/\s[,.!?]|\{|\}|\s{2}/);
          if (dataOf(queued).template === 'business_hours' && lead.name === null)
            expect(textBack.body).toMatch(/^Hi there, sorry we missed your call at Summit Heating & Air!/);
          if (dataOf(queued).template === 'after_hours') {
            const opening = nextOpening(call.createdAt, settings.timezone, readBusinessHours(settings))!;
            expect(textBack.body).toContain(`will call you back ${describeOpening(opening, call.createdAt, settings.timezone)}.`);
          }
        }
        for (const reply of lead.messages.filter((message) => message.direction === 'INBOUND')) {
          expect(reply).toMatchObject({ kind: 'INBOUND', status: 'RECEIVED', fromPhone: lead.phone });
          expect(lead.events.filter((event) => event.type === 'MESSAGE_RECEIVED' && dataOf(event).messageId === reply.id)).toHaveLength(1);
        }
      }
    }
  });

  test("a missed call's callback is due SLA minutes after it, or after the next opening when the shop was closed", async () => {
    for (const { demo: seed } of seeded()) {
      const { settings, open, duringHours } = await shopOf(seed.orgId);
      let afterHours = 0;
      for (const lead of await leadsWithHistory(seed.orgId)) {
        for (const opened of lead.events.filter((event) => event.type === 'CALLBACK_OPENED' && !dataOf(event).retry)) {
          const call = lead.events.find((event) => event.type === 'CALL_MISSED' && dataOf(event).callSid === dataOf(opened).callSid)!;
          const from = duringHours(call.createdAt);
          expect(dataOf(opened)).toMatchObject({ attempt: 1, dueAt: new Date(from.getTime() + settings.callbackSlaMinutes * MINUTE).toISOString() });
          if (!open(call.createdAt)) {
            afterHours += 1;
            expect(dataOf(opened).opensAt).toBe(from.toISOString());
          }
          const callback = lead.callbacks.find((c) => c.id === dataOf(opened).callbackId)!;
          // Unless staff agreed another time with the caller, the row still says so.
          if (
            callback.status !== 'SCHEDULED' &&
            !lead.events.some((event) => event.type === 'CALLBACK_SCHEDULED' && dataOf(event).callbackId === callback.id)
          ) {
            expect(callback.dueAt.toISOString()).toBe(dataOf(opened).dueAt);
          }
        }
      }
      expect(afterHours).toBeGreaterThanOrEqual(3);
    }
  });

  test('an unanswered callback opens the next attempt on the cadence, in business hours; when the cadence runs out staff decide', async () => {
    for (const { demo: seed, now } of seeded()) {
      const { settings, duringHours } = await shopOf(seed.orgId);
      const leads = await leadsWithHistory(seed.orgId);
      let retries = 0;
      for (const lead of leads) {
        for (const done of lead.callbacks.filter((c) => c.outcome === 'NO_ANSWER' || c.outcome === 'LEFT_VOICEMAIL')) {
          const next = lead.callbacks.find((c) => c.attempt === done.attempt + 1);
          const wait = settings.callbackRetryMinutes[done.attempt - 1];
          const completed = lead.events.find((event) => event.type === 'CALLBACK_COMPLETED' && dataOf(event).callbackId === done.id)!;
          if (wait === undefined) {
            expect(next).toBeUndefined();
            expect(dataOf(completed)).toMatchObject({ needsDecision: true, nextAttempt: null });
            continue;
          }
          retries += 1;
          const scheduledFor = duringHours(new Date(done.completedAt!.getTime() + wait * MINUTE));
          expect(next).toMatchObject({
            createdAt: done.completedAt,
            scheduledFor,
            dueAt: new Date(scheduledFor.getTime() + settings.callbackSlaMinutes * MINUTE),
          });
          expect(dataOf(completed).nextAttempt).toEqual({ callbackId: next!.id, attempt: next!.attempt, scheduledFor: scheduledFor.toISOString() });
          expect(lead.events.filter((event) => event.type === 'CALLBACK_OPENED' && dataOf(event).callbackId === next!.id)).toEqual([
            expect.objectContaining({ data: expect.objectContaining({ retry: true, retryOf: done.id, attempt: next!.attempt, outcome: done.outcome }) }),
          ]);
        }
        // Waiting for a decision means nothing is left to call.
        if (lead.needsDecision) expect(lead.callbacks.filter(isOpenCallback)).toEqual([]);
      }
      expect(retries).toBeGreaterThanOrEqual(2);
      // Some callers are on their second attempt right now, not yet due.
      const secondAttempts = leads.flatMap((lead) => lead.callbacks).filter((c) => c.status === 'OPEN' && c.attempt === 2 && c.dueAt > now);
      expect(secondAttempts.length).toBeGreaterThanOrEqual(2);
    }
  });

  test('red means late: Lead.callbackOverdue exactly when its open callback is past due, escalated once; most callbacks were on time', async () => {
    for (const { demo: seed, now } of seeded()) {
      const leads = await leadsWithHistory(seed.orgId);
      for (const lead of leads) {
        const open = lead.callbacks.filter(isOpenCallback);
        const late = open.length === 1 && open[0]!.dueAt < now;
        expect({ lead: lead.id, callbackOverdue: lead.callbackOverdue }).toEqual({ lead: lead.id, callbackOverdue: late });
        if (late) expect(open[0]!.overdueAt!.getTime()).toBeLessThanOrEqual(now.getTime());
        for (const callback of lead.callbacks) {
          const escalations = lead.events.filter((event) => event.type === 'CALLBACK_OVERDUE' && dataOf(event).callbackId === callback.id);
          if (callback.overdueAt) {
            expect(escalations.map((event) => event.createdAt)).toContainEqual(callback.overdueAt);
            expect(callback.overdueAt.getTime()).toBeGreaterThan(callback.dueAt.getTime());
            expect(callback.overdueAt.getTime() - callback.dueAt.getTime()).toBeLessThanOrEqual(10_000);
          }
          if (callback.status === 'COMPLETED' && callback.completedAt! > callback.dueAt) expect(escalations.length).toBeGreaterThanOrEqual(1);
          if (callback.status === 'COMPLETED' && callback.completedAt! <= callback.dueAt) expect(escalations).toEqual([]);
        }
      }
      const openLeads = leads.filter((lead) => lead.openPhone !== null);
      const overdue = openLeads.filter((lead) => lead.callbackOverdue);
      expect(overdue.length).toBeGreaterThanOrEqual(2);
      expect(overdue.length).toBeLessThan(openLeads.length / 2);
      const completed = leads.flatMap((lead) => lead.callbacks).filter((c) => c.status === 'COMPLETED');
      expect(completed.filter((c) => c.completedAt! <= c.dueAt).length).toBeGreaterThanOrEqual(completed.length * 0.75);
    }
  });

  test("needsReply exactly when the latest text is the caller's and nobody answered it since; the preview is that text", async () => {
    for (const { demo: seed } of seeded()) {
      const leads = await leadsWithHistory(seed.orgId);
      for (const lead of leads) {
        const inbound = lead.messages.filter((message) => message.direction === 'INBOUND');
        const last = inbound[inbound.length - 1];
        expect({ at: lead.lastInboundAt, text: lead.lastInboundText }).toEqual({ at: last?.createdAt ?? null, text: last?.body ?? null });
        const answeredSince =
          !last ||
          last.body === 'STOP' ||
          lead.messages.some((message) => message.kind === 'STAFF_REPLY' && message.createdAt > last.createdAt) ||
          lead.callbacks.some((callback) => callback.completedAt !== null && callback.completedAt > last.createdAt);
        expect({ lead: lead.id, needsReply: lead.needsReply }).toEqual({ lead: lead.id, needsReply: !answeredSince });
        if (lead.needsReply) {
          expect(lead.events.some((event) => event.type === 'MESSAGE_RECEIVED' && dataOf(event).messageId === last!.id)).toBe(true);
          expect(lead.status).toBe('CONTACTED');
        }
      }
      expect(leads.filter((lead) => lead.needsReply && lead.openPhone !== null).length).toBeGreaterThanOrEqual(2);
    }
  });

  test('the inbox counts in stats agree with the demo rows', async () => {
    for (const { demo: seed, now } of seeded()) {
      const leads = await leadsWithHistory(seed.orgId);
      const owner = await db.prisma.membership.findFirstOrThrow({ where: { orgId: seed.orgId, role: 'OWNER' }, include: { user: true } });
      const actor: Actor = { type: 'USER', id: owner.userId, label: owner.user.email, orgId: seed.orgId, role: 'OWNER', request: {} };
      const stats = await recoveryStats(db.prisma, actor, {}, new ManualClock(now));
      const open = leads.filter((lead) => lead.openPhone !== null);
      expect(stats).toMatchObject({
        openLeads: open.length,
        needsReply: open.filter((lead) => lead.needsReply).length,
        callbackOverdue: open.filter((lead) => lead.callbackOverdue).length,
        needsDecision: open.filter((lead) => lead.needsDecision).length,
      });
      expect(stats.newMissedCalls).toBeGreaterThan(0);
      expect(stats.newMissedCalls).toBeLessThanOrEqual(open.length);
    }
  });

  test('open leads keep their phone as the open key and have at most one open callback', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    for (const lead of leads) {
      const open = lead.status === 'NEW' || lead.status === 'CONTACTED';
      expect(lead.openPhone).toBe(open ? lead.phone : null);
      const openCallbacks = lead.callbacks.filter(isOpenCallback);
      expect(openCallbacks.length).toBeLessThanOrEqual(open ? 1 : 0);
      for (const callback of lead.callbacks) {
        expect(callback.openLeadId).toBe(isOpenCallback(callback) ? lead.id : null);
        if (callback.status === 'COMPLETED')
          expect(callback).toMatchObject({ outcome: expect.any(String), completedAt: expect.any(Date), completedById: expect.any(String) });
        if (callback.status === 'SCHEDULED') expect(callback).toMatchObject({ scheduledFor: expect.any(Date), assigneeId: expect.any(String) });
      }
      const lastStatusChange = [...lead.events].reverse().find((event) => event.type === 'STATUS_CHANGED');
      expect(lastStatusChange ? dataOf(lastStatusChange).to : 'NEW').toBe(lead.status);
    }
  });

  test('booked leads have a completed BOOKED callback; lost ones a closing outcome', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    const booked = leads.filter((lead) => lead.status === 'BOOKED');
    expect(booked.length).toBeGreaterThan(0);
    for (const lead of booked) {
      expect(lead.callbacks.some((callback) => callback.status === 'COMPLETED' && callback.outcome === 'BOOKED')).toBe(true);
    }
    expect(leads.some((lead) => lead.status === 'LOST')).toBe(true);
    expect(leads.some((lead) => lead.status === 'CONTACTED')).toBe(true);
    expect(leads.some((lead) => lead.events.some((event) => event.type === 'CALL_ANSWERED'))).toBe(true);
  });

  test('the queue holds overdue, due-soon, second-attempt and scheduled callbacks', async () => {
    const callbacks = await db.prisma.callback.findMany({ where: { orgId: demo.orgId } });
    const overdue = callbacks.filter((callback) => isOpenCallback(callback) && callback.dueAt < NOW);
    const dueSoon = callbacks.filter((callback) => callback.status === 'OPEN' && callback.attempt === 1 && callback.dueAt >= NOW);
    const scheduled = callbacks.filter((callback) => callback.status === 'SCHEDULED');
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    expect(dueSoon.length).toBeGreaterThanOrEqual(2);
    expect(dueSoon.every((callback) => callback.dueAt.getTime() - NOW.getTime() <= 15 * MINUTE)).toBe(true);
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled.every((callback) => callback.scheduledFor! > NOW)).toBe(true);
  });

  test('opted-out callers texted STOP and got no texts afterwards', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    const optedOut = leads.filter((lead) => lead.optedOut);
    expect(optedOut.length).toBeGreaterThanOrEqual(2);
    for (const lead of optedOut) {
      const optOut = lead.events.find((event) => event.type === 'OPTED_OUT')!;
      expect(optOut).toMatchObject({ data: { cause: 'STOP' } });
      expect(lead.optedOutAt).toEqual(optOut.createdAt);
      expect(lead.messages.some((message) => message.direction === 'INBOUND' && message.body === 'STOP')).toBe(true);
      expect(
        lead.messages.filter((message) => message.direction === 'OUTBOUND' && message.status !== 'CANCELED' && message.createdAt > optOut.createdAt),
      ).toEqual([]);
    }
  });

  test('staff have seen the leads they worked on (their read marks cover their own actions)', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    const reads = await db.prisma.leadRead.findMany({ where: { orgId: demo.orgId } });
    const staff = await db.prisma.user.findMany({ where: { memberships: { some: { orgId: demo.orgId } } } });
    const idOf = new Map(staff.map((user) => [user.email, user.id]));
    expect(reads.length).toBeGreaterThan(0);
    for (const lead of leads) {
      for (const event of lead.events.filter((e) => e.actorType === 'USER')) {
        const read = reads.find((r) => r.leadId === lead.id && r.userId === idOf.get(event.actorLabel));
        expect(read!.readAt.getTime()).toBeGreaterThanOrEqual(event.createdAt.getTime());
      }
    }
    for (const read of reads) expect(read.readAt.getTime()).toBeLessThanOrEqual(leads.find((lead) => lead.id === read.leadId)!.lastActivityAt.getTime());
  });

  test('staff actions are audited by their users over the week, and the chain verifies', async () => {
    const entries = await db.prisma.auditEntry.findMany({ where: { orgId: demo.orgId }, orderBy: { seq: 'asc' } });
    const actions = new Set(entries.map((entry) => entry.action));
    for (const action of [
      'org.created',
      'tracking_line.added',
      'member.invited',
      'member.on_call_changed',
      'member.profile_updated',
      'lead.updated',
      'lead.note_added',
      'callback.completed',
      'callback.assigned',
      'callback.scheduled',
      'message.sent',
      'lead.opted_out',
    ]) {
      expect(actions).toContain(action);
    }
    const staffEntries = entries.filter(
      (entry) => entry.action !== 'org.created' && entry.action !== 'tracking_line.added' && entry.action !== 'lead.opted_out',
    );
    const staffIds = new Set(demo.signIns.filter((signIn) => signIn.role !== 'ANALYST').map((signIn) => signIn.email));
    for (const entry of staffEntries) {
      expect(entry.actorType).toBe('USER');
      expect(staffIds).toContain(entry.actorLabel);
    }
    // The audit trail never holds a staff member's phone number.
    expect(JSON.stringify(entries.map((entry) => entry.changes))).not.toContain('+1312');
    const historyEntries = staffEntries.filter((entry) => entry.action !== 'member.invited');
    const days = new Set(historyEntries.map((entry) => entry.createdAt.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(4);
    expect(historyEntries.every((entry) => entry.createdAt.getTime() >= NOW.getTime() - 7 * DAY && entry.createdAt <= NOW)).toBe(true);

    const chain = await inTransaction(db.prisma, (tx) => verifyAuditChain(tx, demo.orgId));
    expect(chain).toEqual({ ok: true, entries: entries.length });
  });

  test('every audit row hashes its own content and links to the row before it', async () => {
    const entries = await db.prisma.auditEntry.findMany({ where: { orgId: demo.orgId }, orderBy: { seq: 'asc' } });
    let prevHash: string | null = null;
    entries.forEach((entry, index) => {
      expect(entry.seq).toBe(index + 1);
      expect(entry.prevHash).toBe(prevHash);
      const { orgId, seq, action, actorType, actorId, actorLabel, targetType, targetId, changes, requestId, ip, userAgent, createdAt } = entry;
      const fields = { orgId, seq, action, actorType, actorId, actorLabel, targetType, targetId, changes, requestId, ip, userAgent, createdAt, prevHash };
      expect(auditHash(fields)).toBe(entry.hash);
      prevHash = entry.hash;
    });
  });

  test('seeding again adds another demo org with its own number and sign-ins, telling the same story', async () => {
    const again = await seedDemoOrganization(db, { clock: new ManualClock(NOW) });
    expect([demo.orgId, sundayDemo.orgId]).not.toContain(again.orgId);
    expect([demo.trackingNumber, sundayDemo.trackingNumber]).not.toContain(again.trackingNumber);
    expect(again.trackingNumber).toMatch(/^\+1500555\d{4}$/);
    expect([demo.ownerEmail, sundayDemo.ownerEmail]).not.toContain(again.ownerEmail);
    const owner = await db.prisma.user.findUniqueOrThrow({ where: { email: again.ownerEmail } });
    expect(await verifyPassword(owner.passwordHash, again.ownerPassword)).toBe(true);

    const summary = async (orgId: string) =>
      (await leadsWithHistory(orgId)).map((lead: LeadWithHistory) => [
        lead.phone,
        lead.name,
        lead.status,
        lead.needsReply,
        lead.callbackOverdue,
        lead.createdAt.toISOString(),
        lead.events.map((event) => event.type).join(','),
      ]);
    expect(await summary(again.orgId)).toEqual(await summary(demo.orgId));
    expect(await inTransaction(db.prisma, (tx) => verifyAuditChain(tx, again.orgId))).toMatchObject({ ok: true });
  });

  test('the demo command prints the org, the tracking number and every sign-in once', async () => {
    const lines: string[] = [];
    await runDemoCommand(db, (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toMatch(/org id:\s+[0-9a-f-]{36}/);
    expect(output).toMatch(/tracking number:\s+\+1500555\d{4}/);
    expect(output).toMatch(/shown once/);
    const signIns = lines.map((line) => /^\s+(OWNER|ADMIN|DISPATCHER|ANALYST)\s+(.+?)\s+(\S+@summit-hvac\.test)\s+(\S+)$/.exec(line)).filter(Boolean);
    expect(signIns).toHaveLength(5);
    for (const [, , name, email, password] of signIns as RegExpExecArray[]) {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email: email! } });
      expect(user.name).toBe(name);
      expect(await verifyPassword(user.passwordHash, password!)).toBe(true);
    }
  });
});
