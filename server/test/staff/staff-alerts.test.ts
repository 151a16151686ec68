// Staff alerts: who is texted about a missed call or a reply (business hours,
// after hours, on call, nobody on call), never twice for one cause, never to a
// number that texted STOP to the shop; sent by the outbox worker with the
// same claims and retries as texts to callers; listed for OWNERs and ADMINs.
import { inTransaction } from '../../src/db/types';
import type { Role, StaffAlertKind } from '../../src/generated/prisma/enums';
import { createLogger } from '../../src/logger';
import { runOutboxOnce } from '../../src/server';
import type { OutboxDeps } from '../../src/messaging/outbox.worker';
import { SandboxSmsTransport } from '../../src/messaging/sandbox-sms.transport';
import { SmsSendError, type OutboundSms, type SmsAccepted, type SmsTransport } from '../../src/messaging/sms-transport';
import { queueStaffAlerts } from '../../src/staff-alerts/staff-alerts.queue';
import { testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { fakeTwilioSid, newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';

jest.setTimeout(180_000);

const SECOND = 1000;
/** Thursday 10:00 in New York (the default time zone): business hours. */
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';
/** Thursday 22:00 in New York: after hours. */
const AFTER_HOURS = '2026-01-16T03:00:00.000Z';

let phoneCounter = 0;
/** A staff mobile number, distinct per call (never a Twilio magic number). */
function staffPhone(): string {
  phoneCounter += 1;
  return `+1773${String(200 + (process.pid % 700)).padStart(3, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

interface Profile {
  phone?: string | null;
  alertOnMissedCall?: boolean;
  alertOnReply?: boolean;
  onCall?: boolean;
  invited?: boolean;
}

describe.each(testDatabaseKinds)('staff alerts on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS, env: { PUBLIC_BASE_URL: 'https://app.callsnare.test' } });
  const { clock } = fixture;
  const logger = createLogger('silent');

  // The worker claims across every organization: each test starts with an empty outbox.
  afterEach(async () => {
    await fixture.db.prisma.staffAlert.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
    await fixture.db.prisma.message.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
  });

  async function shop() {
    const org = await createTestOrg(fixture.db);
    const owner = await ownerOf(fixture.db, org.orgId);
    return { orgId: org.orgId, trackingNumber: org.trackingNumber!, owner };
  }

  /** A staff member with the given alert profile; returns their membership id and phone. */
  async function member(orgId: string, role: Role, profile: Profile = {}) {
    const staff = await createTestStaff(fixture.db, orgId, role);
    return withProfile(orgId, staff.membershipId, profile);
  }

  async function withProfile(orgId: string, membershipId: string, profile: Profile) {
    const phone = profile.phone === undefined ? staffPhone() : profile.phone;
    await fixture.db.prisma.membership.update({
      where: { id: membershipId },
      data: {
        phone,
        alertOnMissedCall: profile.alertOnMissedCall ?? true,
        alertOnReply: profile.alertOnReply ?? false,
        onCall: profile.onCall ?? false,
        ...(profile.invited ? { acceptedAt: null } : {}),
      },
    });
    return { membershipId, phone, orgId };
  }

  /** Queues the alerts of one cause directly (the rule), as the recovery services do in their transaction. */
  async function alertFor(orgId: string, trackingNumber: string, options: { kind?: StaffAlertKind; withinBusinessHours: boolean; callerPhone?: string }) {
    const callerPhone = options.callerPhone ?? newCallerNumber();
    const lead = await createTestLead(fixture.db, orgId, { phone: callerPhone });
    const cause = `call_missed:${fakeTwilioSid('CA')}`;
    const queued = await inTransaction(fixture.db.prisma, (tx) =>
      queueStaffAlerts(tx, {
        orgId,
        leadId: lead.id,
        kind: options.kind ?? 'MISSED_CALL',
        cause,
        callerPhone,
        fromPhone: trackingNumber,
        withinBusinessHours: options.withinBusinessHours,
        dashboardBaseUrl: 'https://app.callsnare.test/',
        at: clock.now(),
      }),
    );
    const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId, leadId: lead.id }, orderBy: { toPhone: 'asc' } });
    return { queued, alerts, leadId: lead.id, callerPhone, cause };
  }

  const phonesOf = (alerts: { toPhone: string }[]) => alerts.map((alert) => alert.toPhone).sort();

  describe('who is alerted', () => {
    it('during business hours: every member who joined, set a phone and opted in to that kind, and nobody else', async () => {
      const { orgId, trackingNumber, owner } = await shop();
      const ownerOptedIn = await withProfile(orgId, owner.membershipId, {});
      const dispatcher = await member(orgId, 'DISPATCHER');
      const analystOnCall = await member(orgId, 'ANALYST', { onCall: true });
      await member(orgId, 'ADMIN', { alertOnMissedCall: false, alertOnReply: true });
      await member(orgId, 'DISPATCHER', { phone: null, alertOnMissedCall: true });
      await member(orgId, 'DISPATCHER', { invited: true });

      const { queued, alerts, leadId, callerPhone } = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      expect(queued).toBe(3);
      expect(phonesOf(alerts)).toEqual([ownerOptedIn.phone, dispatcher.phone, analystOnCall.phone].sort());
      expect(alerts[0]).toMatchObject({
        kind: 'MISSED_CALL',
        status: 'QUEUED',
        fromPhone: trackingNumber,
        attempts: 0,
        body: `CallSnare: missed call from (${callerPhone.slice(2, 5)}) ${callerPhone.slice(5, 8)}-${callerPhone.slice(8)} - reply or call back: https://app.callsnare.test/leads/${leadId}`,
      });
    });

    it('reply alerts go to the members who chose alertOnReply', async () => {
      const { orgId, trackingNumber } = await shop();
      const replies = await member(orgId, 'ADMIN', { alertOnMissedCall: false, alertOnReply: true });
      await member(orgId, 'DISPATCHER', { alertOnMissedCall: true, alertOnReply: false });
      const { alerts } = await alertFor(orgId, trackingNumber, { kind: 'REPLY_RECEIVED', withinBusinessHours: true });
      expect(phonesOf(alerts)).toEqual([replies.phone]);
      expect(alerts[0]!.body).toMatch(/texted back - answer: https:\/\/app\.callsnare\.test\/leads\//);
    });

    it('after hours: only the members on call', async () => {
      const { orgId, trackingNumber, owner } = await shop();
      await withProfile(orgId, owner.membershipId, {});
      const onCall = await member(orgId, 'DISPATCHER', { onCall: true });
      const alsoOnCall = await member(orgId, 'ANALYST', { onCall: true });
      await member(orgId, 'DISPATCHER');
      clock.set(AFTER_HOURS);
      const { alerts } = await alertFor(orgId, trackingNumber, { withinBusinessHours: false });
      expect(phonesOf(alerts)).toEqual([onCall.phone, alsoOnCall.phone].sort());
    });

    it('after hours with nobody on call (or nobody on call who could be texted): the OWNERs who opted in', async () => {
      const { orgId, trackingNumber, owner } = await shop();
      const firstOwner = await withProfile(orgId, owner.membershipId, {});
      const secondOwner = await member(orgId, 'OWNER');
      await member(orgId, 'OWNER', { alertOnMissedCall: false });
      await member(orgId, 'ADMIN');
      // On call, but cannot be texted: no phone, or not opted in to missed calls.
      await member(orgId, 'DISPATCHER', { phone: null, alertOnMissedCall: false, onCall: true });
      await member(orgId, 'DISPATCHER', { alertOnMissedCall: false, alertOnReply: true, onCall: true });
      clock.set(AFTER_HOURS);
      const { alerts } = await alertFor(orgId, trackingNumber, { withinBusinessHours: false });
      expect(phonesOf(alerts)).toEqual([firstOwner.phone, secondOwner.phone].sort());
    });

    it('never texts the caller about their own call, and texts a phone two members share once', async () => {
      const { orgId, trackingNumber } = await shop();
      const shared = staffPhone();
      const first = await member(orgId, 'ADMIN', { phone: shared });
      await member(orgId, 'DISPATCHER', { phone: shared });
      const caller = await member(orgId, 'DISPATCHER');
      const { alerts } = await alertFor(orgId, trackingNumber, { withinBusinessHours: true, callerPhone: caller.phone! });
      expect(alerts.map((alert) => [alert.toPhone, alert.membershipId])).toEqual([[shared, first.membershipId]]);
    });

    it('queues nothing new when the same cause is queued again', async () => {
      const { orgId, trackingNumber } = await shop();
      await member(orgId, 'ADMIN');
      const first = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      const again = await inTransaction(fixture.db.prisma, (tx) =>
        queueStaffAlerts(tx, {
          orgId,
          leadId: first.leadId,
          kind: 'MISSED_CALL',
          cause: first.cause,
          callerPhone: first.callerPhone,
          fromPhone: trackingNumber,
          withinBusinessHours: true,
          dashboardBaseUrl: 'https://app.callsnare.test',
          at: clock.now(),
        }),
      );
      expect(again).toBe(0);
      expect(await fixture.db.prisma.staffAlert.count({ where: { orgId } })).toBe(1);
    });
  });

  describe('through the webhooks', () => {
    it('20 concurrent redeliveries of one missed call alert each member exactly once', async () => {
      const { orgId, trackingNumber, owner } = await shop();
      const members = [await withProfile(orgId, owner.membershipId, {}), await member(orgId, 'ADMIN'), await member(orgId, 'DISPATCHER')];
      const call = newCall(newCallerNumber(), trackingNumber);
      const responses = await Promise.all(Array.from({ length: 20 }, () => fixture.twilio.dialStatus(call, 'no-answer')));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId } });
      const memberPhones = members.map((m) => m.phone!).sort();
      expect(phonesOf(alerts)).toEqual(memberPhones);
      expect(new Set(alerts.map((alert) => alert.idempotencyKey)).size).toBe(3);

      const sandbox = fixture.server.deps.sms;
      if (!(sandbox instanceof SandboxSmsTransport)) throw new Error('a sandbox test server sends SMS through SandboxSmsTransport');
      await Promise.all([runOutboxOnce(fixture.server.deps), runOutboxOnce(fixture.server.deps), runOutboxOnce(fixture.server.deps)]);
      await runOutboxOnce(fixture.server.deps);
      const texted = sandbox.sent.filter((sms) => alerts.some((alert) => alert.id === sms.messageId));
      expect(texted.map((sms) => sms.to).sort()).toEqual(memberPhones);
      expect(await fixture.db.prisma.staffAlert.count({ where: { orgId, status: 'SENT', attempts: 1 } })).toBe(3);
    });

    it("a member whose phone texted STOP to the shop's line gets no alerts (START brings them back)", async () => {
      const { orgId, trackingNumber } = await shop();
      const stopped = await member(orgId, 'DISPATCHER');
      const other = await member(orgId, 'ADMIN');
      // Queued before the STOP: withdrawn at send time.
      const early = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      expect(phonesOf(early.alerts)).toEqual([stopped.phone, other.phone].sort());

      expect((await fixture.twilio.sms(stopped.phone!, trackingNumber, 'STOP')).status).toBe(200);
      const run = await runOutboxOnce(fixture.server.deps);
      expect(run.alerts).toMatchObject({ sent: 1, canceled: 1 });
      expect(await fixture.db.prisma.staffAlert.findFirstOrThrow({ where: { orgId, toPhone: stopped.phone! } })).toMatchObject({
        status: 'CANCELED',
        lastError: 'recipient opted out',
      });

      const call = newCall(newCallerNumber(), trackingNumber);
      await fixture.twilio.dialStatus(call, 'no-answer');
      const afterStop = await fixture.db.prisma.staffAlert.findMany({ where: { orgId, createdAt: { gte: clock.now() }, leadId: { not: early.leadId } } });
      expect(phonesOf(afterStop)).toEqual([other.phone]);

      expect((await fixture.twilio.sms(stopped.phone!, trackingNumber, 'START')).status).toBe(200);
      const resumed = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      expect(phonesOf(resumed.alerts)).toEqual([stopped.phone, other.phone].sort());
    });
  });

  describe('sending', () => {
    const deps = (sms: SmsTransport): OutboxDeps => ({ db: fixture.server.deps.db, clock, logger, sms });

    it("the worker sends each alert from the tracking line to the member's phone and records the provider id and sentAt", async () => {
      const { orgId, trackingNumber } = await shop();
      const admin = await member(orgId, 'ADMIN');
      const { alerts } = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      const sandbox = new SandboxSmsTransport();
      clock.advance(2 * SECOND);
      expect((await runOutboxOnce(deps(sandbox))).alerts).toMatchObject({ claimed: 1, sent: 1 });
      expect(sandbox.sent).toEqual([expect.objectContaining({ messageId: alerts[0]!.id, from: trackingNumber, to: admin.phone, body: alerts[0]!.body })]);
      const sent = await fixture.db.prisma.staffAlert.findUniqueOrThrow({ where: { id: alerts[0]!.id } });
      expect(sent).toMatchObject({ status: 'SENT', attempts: 1, providerSid: sandbox.sent[0]!.providerSid, sentAt: clock.now(), lastError: null });
      expect((await runOutboxOnce(deps(sandbox))).alerts.claimed).toBe(0);
      expect(sandbox.sent).toHaveLength(1);
    });

    it('retries transport failures with backoff like texts, then marks the alert FAILED', async () => {
      const { orgId, trackingNumber } = await shop();
      await member(orgId, 'ADMIN');
      const { alerts } = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      let tries = 0;
      const down: SmsTransport = {
        kind: 'custom',
        async send(): Promise<SmsAccepted> {
          tries += 1;
          throw new SmsSendError('Twilio HTTP 503 (error 20500): Service unavailable', false, '20500');
        },
      };
      const options = { maxAttempts: 3, backoffBaseMs: 10 * SECOND, random: () => 1 };
      for (const [attempt, delay] of [
        [1, 10],
        [2, 20],
      ] as const) {
        expect((await runOutboxOnce(deps(down), options)).alerts).toMatchObject({ claimed: 1, retried: 1 });
        const retrying = await fixture.db.prisma.staffAlert.findUniqueOrThrow({ where: { id: alerts[0]!.id } });
        expect(retrying).toMatchObject({ status: 'QUEUED', attempts: attempt, lastError: expect.stringContaining('503') });
        expect(retrying.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(delay * SECOND);
        expect((await runOutboxOnce(deps(down), options)).alerts.claimed).toBe(0);
        clock.set(retrying.nextAttemptAt!);
      }
      expect((await runOutboxOnce(deps(down), options)).alerts).toMatchObject({ claimed: 1, failed: 1 });
      expect(await fixture.db.prisma.staffAlert.findUniqueOrThrow({ where: { id: alerts[0]!.id } })).toMatchObject({
        status: 'FAILED',
        attempts: 3,
        nextAttemptAt: null,
        sentAt: null,
      });
      clock.advance(60 * 60 * SECOND);
      expect((await runOutboxOnce(deps(down), options)).alerts.claimed).toBe(0);
      expect(tries).toBe(3);
    });

    it("gives up at once on a permanent error, and touches neither the caller's lead nor their consent", async () => {
      const { orgId, trackingNumber } = await shop();
      // Twilio's magic number for "the recipient opted out" (error 21610).
      await member(orgId, 'ADMIN', { phone: '+15005550004' });
      const { alerts, leadId } = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      expect((await runOutboxOnce(deps(new SandboxSmsTransport()))).alerts).toMatchObject({ claimed: 1, failed: 1 });
      expect(await fixture.db.prisma.staffAlert.findUniqueOrThrow({ where: { id: alerts[0]!.id } })).toMatchObject({
        status: 'FAILED',
        attempts: 1,
        lastError: expect.stringContaining('21610'),
      });
      expect(await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({ optedOut: false });
      expect(await fixture.db.prisma.leadEvent.count({ where: { leadId, type: { in: ['MESSAGE_FAILED', 'OPTED_OUT'] } } })).toBe(0);
    });

    it('withdraws an alert whose member changed their phone or turned that alert off before it went out', async () => {
      const { orgId, trackingNumber } = await shop();
      const moved = await member(orgId, 'ADMIN');
      const quiet = await member(orgId, 'DISPATCHER');
      await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      await fixture.db.prisma.membership.update({ where: { id: moved.membershipId }, data: { phone: staffPhone() } });
      await fixture.db.prisma.membership.update({ where: { id: quiet.membershipId }, data: { alertOnMissedCall: false } });
      const sandbox = new SandboxSmsTransport();
      expect((await runOutboxOnce(deps(sandbox))).alerts).toMatchObject({ claimed: 0, canceled: 2 });
      expect(sandbox.sent).toEqual([]);
      const reasons = (await fixture.db.prisma.staffAlert.findMany({ where: { orgId } })).map((alert) => [alert.status, alert.lastError]).sort();
      expect(reasons).toEqual([
        ['CANCELED', 'the member changed their alert phone'],
        ['CANCELED', 'the member turned these alerts off'],
      ]);
    });

    it('several workers at once never send an alert twice', async () => {
      const { orgId, trackingNumber } = await shop();
      for (let i = 0; i < 6; i++) await member(orgId, 'DISPATCHER');
      for (let i = 0; i < 4; i++) await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      const ids = (await fixture.db.prisma.staffAlert.findMany({ where: { orgId }, select: { id: true } })).map((row) => row.id);
      expect(ids).toHaveLength(24);
      const sends: string[] = [];
      const slow: SmsTransport = {
        kind: 'custom',
        async send(sms: OutboundSms): Promise<SmsAccepted> {
          sends.push(sms.messageId);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { providerSid: fakeTwilioSid('SM'), providerStatus: 'queued' };
        },
      };
      const worker = (workerId: string) => runOutboxOnce(deps(slow), { workerId, batchSize: 4 });
      for (let round = 0; round < 10; round++) {
        const runs = await Promise.all([worker('a'), worker('b'), worker('c')]);
        if (runs.every((run) => run.alerts.claimed === 0)) break;
      }
      expect([...sends].sort()).toEqual([...ids].sort());
      expect(await fixture.db.prisma.staffAlert.count({ where: { orgId, status: 'SENT', attempts: 1 } })).toBe(24);
    });
  });

  describe('the staffAlerts list', () => {
    const LIST = `query($filter: StaffAlertFilter, $first: Int, $after: String) {
      staffAlerts(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { id kind toPhone status attempts lastError createdAt sentAt lead { id } member { id name phone } }
      }
    }`;

    it("shows OWNERs and ADMINs their own organization's alerts, newest first, in pages, by kind and time", async () => {
      const { orgId, trackingNumber, owner } = await shop();
      const admin = await member(orgId, 'ADMIN', { alertOnReply: true });
      const missed = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      clock.advance(60 * SECOND);
      const reply = await alertFor(orgId, trackingNumber, { kind: 'REPLY_RECEIVED', withinBusinessHours: true });
      clock.advance(60 * SECOND);
      const latest = await alertFor(orgId, trackingNumber, { withinBusinessHours: true });
      const elsewhere = await shop();
      await member(elsewhere.orgId, 'ADMIN');
      await alertFor(elsewhere.orgId, elsewhere.trackingNumber, { withinBusinessHours: true });

      const asOwner = await openTestSession(fixture.db, owner.userId, orgId);
      const first = await graphql(fixture.server.url, LIST, { cookie: asOwner, variables: { first: 2 } });
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data!.staffAlerts).toMatchObject({
        totalCount: 3,
        pageInfo: { hasNextPage: true },
        nodes: [
          {
            id: latest.alerts[0]!.id,
            kind: 'MISSED_CALL',
            toPhone: admin.phone,
            status: 'QUEUED',
            attempts: 0,
            sentAt: null,
            lead: { id: latest.leadId },
            member: { id: admin.membershipId, phone: admin.phone },
          },
          { id: reply.alerts[0]!.id, kind: 'REPLY_RECEIVED', lead: { id: reply.leadId } },
        ],
      });
      const rest = await graphql(fixture.server.url, LIST, {
        cookie: asOwner,
        variables: { first: 2, after: first.body.data!.staffAlerts.pageInfo.endCursor },
      });
      expect(rest.body.data!.staffAlerts.nodes.map((node: { id: string }) => node.id)).toEqual([missed.alerts[0]!.id]);

      const replies = await graphql(fixture.server.url, LIST, { cookie: asOwner, variables: { filter: { kind: 'REPLY_RECEIVED' } } });
      expect(replies.body.data!.staffAlerts.nodes.map((node: { id: string }) => node.id)).toEqual([reply.alerts[0]!.id]);
      const recent = await graphql(fixture.server.url, LIST, { cookie: asOwner, variables: { filter: { since: clock.now().toISOString() } } });
      expect(recent.body.data!.staffAlerts.nodes.map((node: { id: string }) => node.id)).toEqual([latest.alerts[0]!.id]);

      const asAdmin = await openTestSession(
        fixture.db,
        (await fixture.db.prisma.membership.findUniqueOrThrow({ where: { id: admin.membershipId } })).userId,
        orgId,
      );
      expect((await graphql(fixture.server.url, LIST, { cookie: asAdmin })).body.data!.staffAlerts.totalCount).toBe(3);
    });

    it.each(['DISPATCHER', 'ANALYST'] as const)('is refused to a %s session and to every API credential', async (role) => {
      const { orgId } = await shop();
      const staff = await createTestStaff(fixture.db, orgId, role);
      const asStaff = await openTestSession(fixture.db, staff.userId, orgId);
      const refused = await graphql(fixture.server.url, LIST, { cookie: asStaff });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER', 'ADMIN'] });
      const { secret } = await createTestCredential(fixture.db, orgId, ['leads:read', 'audit:read']);
      const byCredential = await graphql(fixture.server.url, LIST, { bearer: secret });
      expect(byCredential.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredIdentity: 'session' });
    });
  });
});
