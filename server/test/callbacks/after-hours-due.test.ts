// A missed call outside business hours is due at the next opening + SLA: the
// time the after-hours text-back promised, in the shop's zone, across weekends
// and DST changes. Through the real webhook route, as Twilio would deliver it.
import { testDatabaseKinds } from '../support/database';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';
import { MINUTE, orgWithOwner } from './callback-fixtures';

jest.setTimeout(120_000);

describe.each(testDatabaseKinds)('when a missed call is due, on %s', (kind) => {
  const fixture = useTestServer(kind);
  const { clock } = fixture;

  /** Delivers a missed call at `at`; returns its lead, callback and text-back (if one was queued). */
  async function missedCallAt(at: string, settings: Record<string, unknown> = {}, caller = newCallerNumber()) {
    const org = await orgWithOwner(fixture.db, settings);
    clock.set(at);
    const response = await fixture.twilio.dialStatus(newCall(caller, org.trackingNumber));
    expect(response.status).toBe(200);
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId, phone: caller } });
    const callback = await fixture.db.prisma.callback.findFirstOrThrow({ where: { orgId: org.orgId, leadId: lead.id } });
    const textBack = await fixture.db.prisma.message.findFirst({ where: { orgId: org.orgId, leadId: lead.id } });
    return { ...org, lead, callback, textBack };
  }

  it('a 4 AM call is due at opening + SLA, the 8:00 AM the text-back promised', async () => {
    const { callback, textBack, orgId } = await missedCallAt('2026-01-15T09:00:00.000Z'); // Thursday 04:00 in New York
    expect(textBack?.body).toMatch(/will call you back today at 8:00 AM\./);
    expect(callback).toMatchObject({ status: 'OPEN', attempt: 1, scheduledFor: null });
    expect(callback.dueAt.toISOString()).toBe('2026-01-15T13:15:00.000Z'); // 08:15 in New York
    const opened = await fixture.db.prisma.leadEvent.findFirstOrThrow({ where: { orgId, type: 'CALLBACK_OPENED' } });
    expect(opened.data).toMatchObject({ callbackId: callback.id, dueAt: '2026-01-15T13:15:00.000Z', attempt: 1 });
  });

  it('a Saturday-afternoon call before the spring DST change is due Monday 08:00 EDT + SLA', async () => {
    // Saturday 7 March 2026, 14:00 EST (closed at 13:00); Sunday closed; clocks go forward on Sunday 8 March.
    const { callback, textBack } = await missedCallAt('2026-03-07T19:00:00.000Z');
    expect(textBack?.body).toMatch(/will call you back Monday at 8:00 AM\./);
    expect(callback.dueAt.toISOString()).toBe('2026-03-09T12:15:00.000Z'); // 08:15 EDT (UTC-4)
  });

  it("a Saturday-afternoon call before the autumn DST change is due Monday 08:00 PST + SLA, in the shop's own zone", async () => {
    // Los Angeles, 30-minute SLA. Saturday 31 October 2026, 14:00 PDT (closed at 13:00); clocks go back on Sunday 1 November.
    const { callback, textBack } = await missedCallAt('2026-10-31T21:00:00.000Z', { timezone: 'America/Los_Angeles', callbackSlaMinutes: 30 });
    expect(textBack?.body).toMatch(/will call you back Monday at 8:00 AM\./);
    expect(callback.dueAt.toISOString()).toBe('2026-11-02T16:30:00.000Z'); // 08:30 PST (UTC-8)
  });

  it('a call inside business hours is due SLA minutes after it, as before', async () => {
    const { callback } = await missedCallAt('2026-01-15T15:00:00.000Z'); // Thursday 10:00
    expect(callback.dueAt.toISOString()).toBe(new Date(Date.parse('2026-01-15T15:00:00.000Z') + 15 * MINUTE).toISOString());
  });

  it('with no business hours configured at all, the call is due SLA minutes after it', async () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const { callback, textBack } = await missedCallAt('2026-01-15T09:00:00.000Z', { businessHours: closed });
    expect(textBack?.body).toMatch(/as soon as we can/);
    expect(callback.dueAt.toISOString()).toBe('2026-01-15T09:15:00.000Z');
  });

  it('a new missed call that opens a callback clears needsDecision', async () => {
    const caller = newCallerNumber();
    const { orgId, trackingNumber, lead, callback } = await missedCallAt('2026-01-15T15:00:00.000Z', {}, caller);
    // Every attempt went unanswered: the callback is closed and the lead waits for a decision.
    await fixture.db.prisma.callback.update({
      where: { id: callback.id },
      data: { status: 'COMPLETED', outcome: 'NO_ANSWER', openLeadId: null, completedAt: clock.now() },
    });
    await fixture.db.prisma.lead.update({ where: { id: lead.id }, data: { needsDecision: true } });
    clock.advance(30 * MINUTE);
    await fixture.twilio.dialStatus(newCall(caller, trackingNumber));
    const again = await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(again.needsDecision).toBe(false);
    expect(await fixture.db.prisma.callback.count({ where: { orgId, leadId: lead.id, status: 'OPEN', attempt: 1 } })).toBe(1);
  });

  it('a missed call queues one MISSED_CALL staff alert to the opted-in owner, once however often Twilio redelivers it', async () => {
    const org = await orgWithOwner(fixture.db);
    await fixture.db.prisma.membership.updateMany({ where: { orgId: org.orgId }, data: { phone: '+13125550177', alertOnMissedCall: true } });
    clock.set('2026-01-15T15:00:00.000Z');
    const call = newCall(newCallerNumber(), org.trackingNumber);
    await Promise.all(Array.from({ length: 5 }, () => fixture.twilio.dialStatus(call)));
    const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId: org.orgId } });
    expect(alerts).toHaveLength(1);
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId } });
    expect(alerts[0]).toMatchObject({ kind: 'MISSED_CALL', toPhone: '+13125550177', fromPhone: org.trackingNumber, leadId: lead.id, status: 'QUEUED' });
    expect(alerts[0]!.body).toContain(`${fixture.server.deps.config.publicBaseUrl}/leads/${lead.id}`);
  });
});
