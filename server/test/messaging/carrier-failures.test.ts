// Carrier failures explained: a delivery report's error code becomes a plain-language
// reason on the message; a filtering/registration code (30007, 30032, 30034) flags the
// sending tracking line and, the first time only, raises one dashboard notice and texts
// the OWNERs and ADMINs who take alerts. Setting the line's registration to registered
// clears the flag, so the next block alerts again. Reports go through the real Twilio
// status route with real signatures (live mode enforces them).
import { CARRIER_ERRORS } from '../../src/messaging/carrier-errors';
import { testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { fakeTwilioSid, LIVE_ENV } from '../support/twilio';
import { useTestServer } from '../support/test-server';

jest.setTimeout(180_000);

/** Thursday 10:00 in New York: business hours. */
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';

let phoneCounter = 0;
function staffPhone(): string {
  phoneCounter += 1;
  return `+1773${String(300 + (process.pid % 600)).padStart(3, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

describe.each(testDatabaseKinds)('carrier failures on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS, env: LIVE_ENV });

  afterEach(async () => {
    await fixture.db.prisma.staffAlert.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
  });

  /** A shop with an OWNER and an ADMIN who take alerts, a DISPATCHER who does too (never texted about the line), and an ADMIN who opted out. */
  async function shop() {
    const org = await createTestOrg(fixture.db);
    const owner = await ownerOf(fixture.db, org.orgId);
    const admin = await createTestStaff(fixture.db, org.orgId, 'ADMIN');
    const dispatcher = await createTestStaff(fixture.db, org.orgId, 'DISPATCHER');
    const quietAdmin = await createTestStaff(fixture.db, org.orgId, 'ADMIN');
    const phones: Record<string, string> = {};
    for (const [name, staff, optedIn] of [
      ['owner', owner, true],
      ['admin', admin, true],
      ['dispatcher', dispatcher, true],
      ['quietAdmin', quietAdmin, false],
    ] as const) {
      phones[name] = staffPhone();
      await fixture.db.prisma.membership.update({
        where: { id: staff.membershipId },
        data: { phone: phones[name], alertOnMissedCall: optedIn, alertOnReply: false },
      });
    }
    const line = await fixture.db.prisma.trackingLine.findFirstOrThrow({ where: { orgId: org.orgId } });
    return { orgId: org.orgId, line, owner, phones, cookie: await openTestSession(fixture.db, owner.userId, org.orgId) };
  }

  /** A text-back the provider accepted, from the shop's tracking line. */
  async function sentText(orgId: string, fromPhone: string) {
    const lead = await createTestLead(fixture.db, orgId);
    return fixture.db.prisma.message.create({
      data: {
        orgId,
        leadId: lead.id,
        direction: 'OUTBOUND',
        kind: 'TEXT_BACK',
        body: 'Sorry we missed your call',
        status: 'SENT',
        fromPhone,
        toPhone: lead.phone,
        providerSid: fakeTwilioSid('SM'),
        sentAt: fixture.clock.now(),
      },
    });
  }

  const report = (messageSid: string, errorCode: string, status = 'undelivered') => fixture.twilio.smsStatus(messageSid, status, { errorCode });

  it('a 30034 report marks the text with the reason, flags the line, raises one notice and texts the opted-in OWNERs and ADMINs once', async () => {
    const { orgId, line, phones, cookie } = await shop();
    const text = await sentText(orgId, line.number);

    const response = await report(text.providerSid!, '30034');
    expect(response.status).toBe(200);
    const stored = await fixture.db.prisma.message.findUniqueOrThrow({ where: { id: text.id } });
    expect(stored).toMatchObject({ status: 'UNDELIVERED', errorCode: '30034', failureReason: CARRIER_ERRORS['30034']!.reason });
    expect(stored.failureReason).toMatch(/not registered for A2P 10DLC/);
    expect(await fixture.db.prisma.trackingLine.findUniqueOrThrow({ where: { id: line.id } })).toMatchObject({
      carrierFilteringCode: '30034',
      carrierFilteringAt: fixture.clock.now(),
    });
    const notices = await fixture.db.prisma.notice.findMany({ where: { orgId } });
    expect(notices).toEqual([expect.objectContaining({ kind: 'CARRIER_FILTERING', subjectId: line.id, dismissedAt: null })]);
    expect(notices[0]!.message).toContain('30034');
    const alerts = await fixture.db.prisma.staffAlert.findMany({ where: { orgId } });
    expect(alerts.map((alert) => alert.toPhone).sort()).toEqual([phones.owner, phones.admin].sort());
    expect(alerts.every((alert) => alert.kind === 'CARRIER_FILTERING' && alert.leadId === text.leadId && alert.fromPhone === line.number)).toBe(true);
    expect(alerts[0]!.body).toMatch(/carriers are blocking texts from your tracking number/);

    // The failed text says why on the lead; the owner sees the notice.
    const lead = await graphql(fixture.server.url, 'query($id: ID!) { lead(id: $id) { messages(first: 5) { nodes { id status failureReason } } } }', {
      cookie,
      variables: { id: text.leadId },
    });
    expect(lead.body.errors).toBeUndefined();
    expect(lead.body.data!.lead.messages.nodes).toEqual([{ id: text.id, status: 'UNDELIVERED', failureReason: CARRIER_ERRORS['30034']!.reason }]);
    expect((await graphql(fixture.server.url, '{ notices { kind subjectId } }', { cookie })).body.data!.notices).toEqual([
      { kind: 'CARRIER_FILTERING', subjectId: line.id },
    ]);

    // The replayed report and a later block on the same line alert nobody again.
    expect((await report(text.providerSid!, '30034')).status).toBe(200);
    fixture.clock.advance(60_000);
    const later = await sentText(orgId, line.number);
    await report(later.providerSid!, '30007');
    expect(await fixture.db.prisma.notice.count({ where: { orgId } })).toBe(1);
    expect(await fixture.db.prisma.staffAlert.count({ where: { orgId } })).toBe(2);
    expect(await fixture.db.prisma.trackingLine.findUniqueOrThrow({ where: { id: line.id } })).toMatchObject({ carrierFilteringCode: '30007' });
  });

  it('twenty simultaneous 30034 reports for one line raise exactly one notice and one round of alerts', async () => {
    const { orgId, line } = await shop();
    const texts = await Promise.all(Array.from({ length: 20 }, () => sentText(orgId, line.number)));
    const responses = await Promise.all(texts.map((text) => report(text.providerSid!, '30034')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await fixture.db.prisma.message.count({ where: { orgId, failureReason: CARRIER_ERRORS['30034']!.reason } })).toBe(20);
    expect(await fixture.db.prisma.notice.count({ where: { orgId, kind: 'CARRIER_FILTERING' } })).toBe(1);
    expect(await fixture.db.prisma.staffAlert.count({ where: { orgId, kind: 'CARRIER_FILTERING' } })).toBe(2);
  });

  it('recipient-side and unknown codes explain the failure without flagging the line', async () => {
    const { orgId, line } = await shop();
    const landline = await sentText(orgId, line.number);
    await report(landline.providerSid!, '30006');
    expect((await fixture.db.prisma.message.findUniqueOrThrow({ where: { id: landline.id } })).failureReason).toMatch(/landline/);
    const unknown = await sentText(orgId, line.number);
    await report(unknown.providerSid!, '39999', 'failed');
    const stored = await fixture.db.prisma.message.findUniqueOrThrow({ where: { id: unknown.id } });
    expect(stored).toMatchObject({ status: 'FAILED', errorCode: '39999' });
    expect(stored.failureReason).toContain('39999');
    const delivered = await sentText(orgId, line.number);
    await fixture.twilio.smsStatus(delivered.providerSid!, 'delivered');
    expect((await fixture.db.prisma.message.findUniqueOrThrow({ where: { id: delivered.id } })).failureReason).toBeNull();
    expect(await fixture.db.prisma.trackingLine.findUniqueOrThrow({ where: { id: line.id } })).toMatchObject({
      carrierFilteringCode: null,
      carrierFilteringAt: null,
    });
    expect(await fixture.db.prisma.notice.count({ where: { orgId } })).toBe(0);
    expect(await fixture.db.prisma.staffAlert.count({ where: { orgId } })).toBe(0);
  });

  describe('messaging registration', () => {
    const SET = `mutation($id: ID!, $registration: MessagingRegistration!) {
      setTrackingLineRegistration(id: $id, registration: $registration) { id messagingRegistration messagingRegistrationMeaning carrierFilteringCode carrierFilteringAt }
    }`;

    it('shows on the tracking line with its meaning; managers set it (audited), and registered clears the flag so the next block alerts again', async () => {
      const { orgId, line, cookie } = await shop();
      const listed = await graphql(fixture.server.url, '{ trackingLines { id messagingRegistration messagingRegistrationMeaning carrierFilteringCode } }', {
        cookie,
      });
      expect(listed.body.data!.trackingLines[0]).toMatchObject({ id: line.id, messagingRegistration: 'UNKNOWN', carrierFilteringCode: null });
      expect(listed.body.data!.trackingLines[0].messagingRegistrationMeaning).toMatch(/A2P 10DLC/);

      await report((await sentText(orgId, line.number)).providerSid!, '30034');
      const pending = await graphql(fixture.server.url, SET, { cookie, variables: { id: line.id, registration: 'A2P_10DLC_PENDING' } });
      expect(pending.body.errors).toBeUndefined();
      // Pending is not registered: the flag stays.
      expect(pending.body.data!.setTrackingLineRegistration).toMatchObject({ messagingRegistration: 'A2P_10DLC_PENDING', carrierFilteringCode: '30034' });
      expect(pending.body.data!.setTrackingLineRegistration.messagingRegistrationMeaning).toMatch(/under review/);

      const registered = await graphql(fixture.server.url, SET, { cookie, variables: { id: line.id, registration: 'A2P_10DLC_REGISTERED' } });
      expect(registered.body.data!.setTrackingLineRegistration).toMatchObject({
        messagingRegistration: 'A2P_10DLC_REGISTERED',
        carrierFilteringCode: null,
        carrierFilteringAt: null,
      });
      const audit = await fixture.db.prisma.auditEntry.findMany({ where: { orgId, action: 'tracking_line.registration_changed' }, orderBy: { seq: 'asc' } });
      expect(audit.map((entry) => entry.changes)).toEqual([
        { messagingRegistration: { before: 'UNKNOWN', after: 'A2P_10DLC_PENDING' } },
        {
          messagingRegistration: { before: 'A2P_10DLC_PENDING', after: 'A2P_10DLC_REGISTERED' },
          carrierFilteringCode: { before: '30034', after: null },
          carrierFilteringAt: { before: BUSINESS_HOURS, after: null },
        },
      ]);

      fixture.clock.advance(3_600_000);
      await report((await sentText(orgId, line.number)).providerSid!, '30034');
      expect(await fixture.db.prisma.notice.count({ where: { orgId, kind: 'CARRIER_FILTERING' } })).toBe(2);
      expect(await fixture.db.prisma.staffAlert.count({ where: { orgId, kind: 'CARRIER_FILTERING' } })).toBe(4);
    });

    it("dispatchers cannot set it, another org's line is NOT_FOUND, and an unknown state is a bad input", async () => {
      const { orgId, line } = await shop();
      const dispatcher = await createTestStaff(fixture.db, orgId, 'DISPATCHER');
      const asDispatcher = await openTestSession(fixture.db, dispatcher.userId, orgId);
      const refused = await graphql(fixture.server.url, SET, { cookie: asDispatcher, variables: { id: line.id, registration: 'TOLL_FREE_VERIFIED' } });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const other = await shop();
      const foreign = await graphql(fixture.server.url, SET, { cookie: other.cookie, variables: { id: line.id, registration: 'TOLL_FREE_VERIFIED' } });
      expect(foreign.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const bad = await graphql(fixture.server.url, SET, { cookie: other.cookie, variables: { id: other.line.id, registration: 'REGISTERED' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await fixture.db.prisma.trackingLine.findUniqueOrThrow({ where: { id: line.id } })).messagingRegistration).toBe('UNKNOWN');
    });
  });
});
