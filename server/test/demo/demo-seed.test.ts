import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { verifyPassword } from '../../src/access/passwords';
import { auditHash, verifyAuditChain } from '../../src/audit/audit.service';
import { ManualClock } from '../../src/shared/clock';
import { seedDemoOrganization, type SeededDemo } from '../../src/demo/demo.seed';
import { runDemoCommand } from '../../src/cli/demo.command';
import { openTestDatabase, testDatabaseKinds } from '../support/database';

jest.setTimeout(120_000);

const DAY = 24 * 60 * 60 * 1000;
// A Thursday, 9am in Chicago.
const NOW = new Date('2026-01-15T15:00:00.000Z');

describe.each(testDatabaseKinds)('demo seed on %s', (kind) => {
  let db: Database;
  let demo: SeededDemo;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    demo = await seedDemoOrganization(db, { clock: new ManualClock(NOW) });
  });
  afterAll(async () => {
    await db?.close();
  });

  function leadsWithHistory(orgId: string) {
    return db.prisma.lead.findMany({
      where: { orgId },
      include: {
        events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        callbacks: { orderBy: { createdAt: 'asc' } },
        messages: { orderBy: { createdAt: 'asc' } },
      },
      orderBy: { createdAt: 'asc' },
    });
  }

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

  test('an admin, a dispatcher and an analyst sign in with their own passwords', async () => {
    expect(demo.signIns.map((signIn) => signIn.role)).toEqual(['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST']);
    expect(new Set(demo.signIns.map((signIn) => signIn.password)).size).toBe(4);
    for (const signIn of demo.signIns.slice(1)) {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email: signIn.email }, include: { memberships: true } });
      expect(user.memberships).toEqual([expect.objectContaining({ orgId: demo.orgId, role: signIn.role })]);
      expect(await verifyPassword(user.passwordHash, signIn.password)).toBe(true);
    }
  });

  test('a week of leads, each starting with a missed call, with events ordered in time', async () => {
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
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeGreaterThanOrEqual(weekStart);
      expect(times[times.length - 1]).toBeLessThanOrEqual(NOW.getTime());
      expect(lead.createdAt).toEqual(lead.events[0]!.createdAt);
      expect(lead.lastActivityAt).toEqual(lead.events[lead.events.length - 1]!.createdAt);
      days.add(lead.createdAt.toISOString().slice(0, 10));

      for (const event of lead.events) {
        const expectedActor = ['CALL_MISSED', 'CALL_ANSWERED', 'MESSAGE_RECEIVED', 'OPTED_OUT'].includes(event.type)
          ? { actorType: 'PROVIDER', actorLabel: 'Twilio' }
          : ['TEXT_BACK_QUEUED', 'TEXT_BACK_SENT', 'TEXT_BACK_SKIPPED', 'CALLBACK_OPENED', 'CALLBACK_OVERDUE'].includes(event.type)
            ? { actorType: 'SYSTEM', actorLabel: 'CallSnare' }
            : { actorType: 'USER', actorLabel: expect.stringMatching(/@summit-hvac\.test$/) };
        expect(event).toMatchObject(expectedActor);
      }
    }
    expect(days.size).toBeGreaterThanOrEqual(5);
  });

  test('every missed call has its text-back, delivered once, keyed by the CallSid', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    for (const lead of leads) {
      const missed = lead.events.filter((event) => event.type === 'CALL_MISSED');
      const skipped = lead.events.filter((event) => event.type === 'TEXT_BACK_SKIPPED');
      const textBacks = lead.messages.filter((message) => message.kind === 'TEXT_BACK');
      expect(textBacks).toHaveLength(missed.length - skipped.length);
      for (const call of missed) {
        const data = call.data as { callSid: string; from: string; to: string; ringSeconds: number };
        expect(data.callSid).toMatch(/^CA[0-9a-f]{32}$/);
        expect(data).toMatchObject({ from: lead.phone, to: demo.trackingNumber, ringSeconds: expect.any(Number) });
        expect(call.providerRef).toBe(`call_missed:${data.callSid}`);
      }
      for (const textBack of textBacks) {
        expect(textBack).toMatchObject({ direction: 'OUTBOUND', status: 'DELIVERED', fromPhone: demo.trackingNumber, toPhone: lead.phone });
        expect(textBack.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
        const callSid = textBack.idempotencyKey!.replace(/^textback:/, '');
        expect(missed.some((call) => (call.data as { callSid: string }).callSid === callSid)).toBe(true);
      }
      for (const reply of lead.messages.filter((message) => message.direction === 'INBOUND')) {
        expect(reply).toMatchObject({ kind: 'INBOUND', status: 'RECEIVED', fromPhone: lead.phone });
        expect(lead.events.some((event) => event.type === 'MESSAGE_RECEIVED' && (event.data as { messageId: string }).messageId === reply.id)).toBe(true);
      }
    }
  });

  test('open leads keep their phone as the open key and have at most one open callback', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    for (const lead of leads) {
      const open = lead.status === 'NEW' || lead.status === 'CONTACTED';
      expect(lead.openPhone).toBe(open ? lead.phone : null);
      const openCallbacks = lead.callbacks.filter((callback) => callback.status === 'OPEN' || callback.status === 'SCHEDULED');
      expect(openCallbacks.length).toBeLessThanOrEqual(open ? 1 : 0);
      for (const callback of lead.callbacks) {
        const isOpen = callback.status === 'OPEN' || callback.status === 'SCHEDULED';
        expect(callback.openLeadId).toBe(isOpen ? lead.id : null);
        if (callback.status === 'COMPLETED') expect(callback).toMatchObject({ outcome: expect.any(String), completedAt: expect.any(Date), completedById: expect.any(String) });
        if (callback.status === 'SCHEDULED') expect(callback).toMatchObject({ scheduledFor: expect.any(Date), assigneeId: expect.any(String) });
      }
      const lastStatusChange = [...lead.events].reverse().find((event) => event.type === 'STATUS_CHANGED');
      expect(lastStatusChange ? (lastStatusChange.data as { to: string }).to : 'NEW').toBe(lead.status);
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

  test('the queue holds overdue, due-soon and scheduled callbacks', async () => {
    const callbacks = await db.prisma.callback.findMany({ where: { orgId: demo.orgId } });
    const overdue = callbacks.filter((callback) => callback.status === 'OPEN' && callback.dueAt < NOW);
    const dueSoon = callbacks.filter((callback) => callback.status === 'OPEN' && callback.dueAt >= NOW);
    const scheduled = callbacks.filter((callback) => callback.status === 'SCHEDULED');
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    expect(dueSoon.length).toBeGreaterThanOrEqual(2);
    expect(dueSoon.every((callback) => callback.dueAt.getTime() - NOW.getTime() <= 15 * 60_000)).toBe(true);
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled.every((callback) => callback.scheduledFor! > NOW)).toBe(true);
  });

  test('opted-out callers texted STOP and got no staff texts afterwards', async () => {
    const leads = await leadsWithHistory(demo.orgId);
    const optedOut = leads.filter((lead) => lead.optedOut);
    expect(optedOut.length).toBeGreaterThanOrEqual(2);
    for (const lead of optedOut) {
      const optOut = lead.events.find((event) => event.type === 'OPTED_OUT')!;
      expect(optOut).toBeDefined();
      expect(lead.optedOutAt).toEqual(optOut.createdAt);
      expect(lead.messages.some((message) => message.direction === 'INBOUND' && message.body === 'STOP')).toBe(true);
      expect(lead.messages.filter((message) => message.direction === 'OUTBOUND' && message.createdAt > optOut.createdAt)).toEqual([]);
    }
  });

  test('staff actions are audited by their users over the week, and the chain verifies', async () => {
    const entries = await db.prisma.auditEntry.findMany({ where: { orgId: demo.orgId }, orderBy: { seq: 'asc' } });
    const actions = new Set(entries.map((entry) => entry.action));
    for (const action of ['org.created', 'tracking_line.added', 'lead.updated', 'lead.note_added', 'callback.completed', 'callback.assigned', 'callback.scheduled', 'message.sent', 'lead.opted_out']) {
      expect(actions).toContain(action);
    }
    const staffEntries = entries.filter((entry) => entry.action !== 'org.created' && entry.action !== 'tracking_line.added' && entry.action !== 'lead.opted_out');
    const staffIds = new Set(demo.signIns.filter((signIn) => signIn.role !== 'ANALYST').map((signIn) => signIn.email));
    for (const entry of staffEntries) {
      expect(entry.actorType).toBe('USER');
      expect(staffIds).toContain(entry.actorLabel);
    }
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

  test('seeding again adds a second demo org with its own number and sign-ins, telling the same story', async () => {
    const second = await seedDemoOrganization(db, { clock: new ManualClock(NOW) });
    expect(second.orgId).not.toBe(demo.orgId);
    expect(second.trackingNumber).not.toBe(demo.trackingNumber);
    expect(second.trackingNumber).toMatch(/^\+1500555\d{4}$/);
    expect(second.ownerEmail).not.toBe(demo.ownerEmail);
    const owner = await db.prisma.user.findUniqueOrThrow({ where: { email: second.ownerEmail } });
    expect(await verifyPassword(owner.passwordHash, second.ownerPassword)).toBe(true);

    const summary = async (orgId: string) =>
      (await leadsWithHistory(orgId)).map((lead) => [lead.phone, lead.name, lead.status, lead.createdAt.toISOString(), lead.events.map((event) => event.type).join(',')]);
    expect(await summary(second.orgId)).toEqual(await summary(demo.orgId));
    expect(await inTransaction(db.prisma, (tx) => verifyAuditChain(tx, second.orgId))).toMatchObject({ ok: true });
  });

  test('the demo command prints the org, the tracking number and every sign-in once', async () => {
    const lines: string[] = [];
    await runDemoCommand(db, (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toMatch(/org id:\s+[0-9a-f-]{36}/);
    expect(output).toMatch(/tracking number:\s+\+1500555\d{4}/);
    expect(output).toMatch(/shown once/);
    const signIns = lines.map((line) => /^\s+(OWNER|ADMIN|DISPATCHER|ANALYST)\s+(\S+@summit-hvac\.test)\s+(\S+)$/.exec(line)).filter(Boolean);
    expect(signIns).toHaveLength(4);
    for (const [, , email, password] of signIns as RegExpExecArray[]) {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { email: email! } });
      expect(await verifyPassword(user.passwordHash, password!)).toBe(true);
    }
  });
});
