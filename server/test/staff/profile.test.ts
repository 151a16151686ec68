// Staff profiles and names: each member sets their own name, alert phone and
// alert choices (updateMyProfile, shown in viewer.member); managers put members
// on call; invitations carry a name; staff appear by name in members lists and
// new audit entries, and a member's phone only to OWNERs, ADMINs and themself.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';

jest.setTimeout(120_000);

const PROFILE = `mutation($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { id name phone alertOnMissedCall alertOnReply onCall }
}`;
const ON_CALL = 'mutation($id: ID!, $onCall: Boolean!) { setMemberOnCall(membershipId: $id, onCall: $onCall) { id onCall phone } }';
const MEMBERS = '{ members(first: 100) { nodes { id email name status phone alertOnMissedCall alertOnReply onCall } } }';
const INVITE =
  'mutation($email: String!, $role: Role!, $name: String) { inviteMember(email: $email, role: $role, name: $name) { member { id name status } setPasswordToken } }';

describe.each(testDatabaseKinds)('staff profiles on %s', (kind) => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { env: { RATE_LIMIT_SIGNIN_PER_15MIN: '1000' } });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  async function shop() {
    const { orgId, trackingNumber } = await createTestOrg(db);
    const owner = await ownerOf(db, orgId);
    const dispatcher = await createTestStaff(db, orgId, 'DISPATCHER');
    return {
      orgId,
      trackingNumber: trackingNumber!,
      owner,
      dispatcher,
      asOwner: await openTestSession(db, owner.userId, orgId),
      asDispatcher: await openTestSession(db, dispatcher.userId, orgId),
    };
  }
  const email = (what: string) => `${what}-${crypto.randomBytes(4).toString('hex')}@staff-profile.test`;

  it('any member sets their own name, phone (normalised to E.164) and alerts; viewer.member shows them; audited without the number', async () => {
    const { orgId, dispatcher, asDispatcher } = await shop();
    const updated = await graphql(server.url, PROFILE, {
      cookie: asDispatcher,
      variables: { input: { name: '  Jess   Morales ', phone: '(312) 555-0142', alertOnMissedCall: true, alertOnReply: true } },
    });
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data!.updateMyProfile).toEqual({
      id: dispatcher.membershipId,
      name: 'Jess Morales',
      phone: '+13125550142',
      alertOnMissedCall: true,
      alertOnReply: true,
      onCall: false,
    });
    const viewer = await graphql(server.url, '{ viewer { label member { id name phone alertOnMissedCall alertOnReply onCall } } }', { cookie: asDispatcher });
    expect(viewer.body.data!.viewer).toEqual({
      label: `Jess Morales (${dispatcher.email})`,
      member: { id: dispatcher.membershipId, name: 'Jess Morales', phone: '+13125550142', alertOnMissedCall: true, alertOnReply: true, onCall: false },
    });

    // Only what changed; the audit trail says the phone changed, never the number.
    await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { phone: '+1 773 555 0199' } } });
    const entries = await db.prisma.auditEntry.findMany({ where: { orgId, action: 'member.profile_updated' }, orderBy: { seq: 'asc' } });
    expect(entries.map((entry) => entry.changes)).toEqual([
      {
        name: { before: null, after: 'Jess Morales' },
        phone: { before: null, after: 'new number' },
        alertOnMissedCall: { before: false, after: true },
        alertOnReply: { before: false, after: true },
      },
      { phone: { before: 'set', after: 'new number' } },
    ]);
    expect(JSON.stringify(entries.map((entry) => entry.changes))).not.toMatch(/555|0142|0199/);
    // New entries name the member: the first was written by a session that had no name yet.
    expect(entries.map((entry) => entry.actorLabel)).toEqual([dispatcher.email, `Jess Morales (${dispatcher.email})`]);

    // Nothing to change: no entry.
    await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { alertOnReply: true } } });
    expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'member.profile_updated' } })).toBe(2);
  });

  it.each([
    [{ phone: '555-0142' }, 'phone', 'not a phone number'],
    [{ phone: '+1 312 555 01423' }, 'phone', 'not a phone number'],
    [{ phone: 'call me' }, 'phone', 'not a phone number'],
    [{ phone: '+0123456789' }, 'phone', 'not a phone number'],
    [{ alertOnMissedCall: true }, 'phone', 'required for alerts'],
    [{ name: 'x'.repeat(101) }, 'name', 'at most 100 characters'],
    [{ name: 'Bell\u0007' }, 'name', 'control characters'],
  ])('refuses %j with BAD_USER_INPUT on %s, changing nothing', async (input, field, reason) => {
    const { dispatcher, asDispatcher } = await shop();
    const before = await db.prisma.membership.findUniqueOrThrow({ where: { id: dispatcher.membershipId } });
    const refused = await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { [field]: reason } });
    expect(await db.prisma.membership.findUniqueOrThrow({ where: { id: dispatcher.membershipId } })).toEqual(before);
  });

  it("refuses the shop's own tracking number as an alert phone, and removing the phone while alerts are on", async () => {
    const { trackingNumber, asDispatcher } = await shop();
    const own = await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { phone: trackingNumber } } });
    expect(own.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { phone: 'a tracking number' } });
    await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { phone: '3125550150', alertOnMissedCall: true } } });
    const cleared = await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { phone: '' } } });
    expect(cleared.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { phone: 'required for alerts' } });
    const off = await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { phone: null, alertOnMissedCall: false } } });
    expect(off.body.data!.updateMyProfile).toMatchObject({ phone: null, alertOnMissedCall: false });
  });

  it('is for staff sessions only: an API credential is refused', async () => {
    const { orgId } = await shop();
    const { secret } = await createTestCredential(db, orgId, ['leads:read']);
    const refused = await graphql(server.url, PROFILE, { bearer: secret, variables: { input: { name: 'Robot' } } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredIdentity: 'session' });
    const viewer = await graphql(server.url, '{ viewer { member { id } } }', { bearer: secret });
    expect(viewer.body.data!.viewer.member).toBeNull();
  });

  it('OWNERs and ADMINs put members on call (audited); DISPATCHERs cannot; invitations cannot be on call', async () => {
    const { orgId, dispatcher, asOwner, asDispatcher } = await shop();
    const admin = await createTestStaff(db, orgId, 'ADMIN');
    const asAdmin = await openTestSession(db, admin.userId, orgId);
    const on = await graphql(server.url, ON_CALL, { cookie: asAdmin, variables: { id: dispatcher.membershipId, onCall: true } });
    expect(on.body.data!.setMemberOnCall).toMatchObject({ id: dispatcher.membershipId, onCall: true });
    const owner = await ownerOf(db, orgId);
    expect(
      (await graphql(server.url, ON_CALL, { cookie: asAdmin, variables: { id: owner.membershipId, onCall: true } })).body.data!.setMemberOnCall.onCall,
    ).toBe(true);
    const entries = await db.prisma.auditEntry.findMany({ where: { orgId, action: 'member.on_call_changed' }, orderBy: { seq: 'asc' } });
    expect(entries.map((entry) => [entry.targetId, entry.changes])).toEqual([
      [dispatcher.membershipId, { onCall: { before: false, after: true } }],
      [owner.membershipId, { onCall: { before: false, after: true } }],
    ]);

    const refused = await graphql(server.url, ON_CALL, { cookie: asDispatcher, variables: { id: dispatcher.membershipId, onCall: false } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER', 'ADMIN'] });
    const invited = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: email('invited'), role: 'DISPATCHER' } });
    const pending = await graphql(server.url, ON_CALL, { cookie: asOwner, variables: { id: invited.body.data!.inviteMember.member.id, onCall: true } });
    expect(pending.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const otherShop = await shop();
    const foreign = await graphql(server.url, ON_CALL, { cookie: asOwner, variables: { id: otherShop.dispatcher.membershipId, onCall: true } });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("invites with a name: the members list shows it (the account gets it when new), and never an existing account's own name", async () => {
    const { asOwner, orgId } = await shop();
    const newcomer = email('newcomer');
    const invited = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: newcomer, role: 'DISPATCHER', name: ' Sam Ortiz ' } });
    expect(invited.body.data!.inviteMember.member).toMatchObject({ name: 'Sam Ortiz', status: 'INVITED' });
    expect(await db.prisma.user.findUniqueOrThrow({ where: { email: newcomer } })).toMatchObject({ name: 'Sam Ortiz' });

    // Someone with an account (and a name) elsewhere: this organization sees only what it typed.
    const elsewhere = await shop();
    await db.prisma.user.update({ where: { id: elsewhere.dispatcher.userId }, data: { name: 'Their Own Name' } });
    const known = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: elsewhere.dispatcher.email, role: 'ANALYST', name: 'Pat' } });
    expect(known.body.data!.inviteMember.member).toMatchObject({ name: 'Pat', status: 'INVITED' });
    const unnamed = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: elsewhere.owner.email, role: 'ANALYST' } });
    expect(unnamed.body.data!.inviteMember.member.name).toBeNull();
    expect(await db.prisma.user.findUniqueOrThrow({ where: { id: elsewhere.dispatcher.userId } })).toMatchObject({ name: 'Their Own Name' });
    // Invited again without a name: the name given before stays.
    const again = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: newcomer, role: 'ANALYST' } });
    expect(again.body.data!.inviteMember.member.name).toBe('Sam Ortiz');

    const list = await graphql(server.url, MEMBERS, { cookie: asOwner });
    const byEmail = new Map(list.body.data!.members.nodes.map((node: { email: string }) => [node.email, node]));
    expect(byEmail.get(newcomer)).toMatchObject({ name: 'Sam Ortiz', status: 'INVITED' });
    expect(byEmail.get(elsewhere.dispatcher.email)).toMatchObject({ name: 'Pat', status: 'INVITED' });
    expect(byEmail.get(elsewhere.owner.email)).toMatchObject({ name: null });
    const entry = await db.prisma.auditEntry.findFirstOrThrow({
      where: { orgId, action: 'member.invited', targetId: invited.body.data!.inviteMember.member.id },
    });
    expect(entry.changes).toMatchObject({ name: { before: null, after: 'Sam Ortiz' } });
  });

  it("shows a member's phone to OWNERs and ADMINs, and names staff on callbacks", async () => {
    const { orgId, dispatcher, asOwner, asDispatcher } = await shop();
    await graphql(server.url, PROFILE, { cookie: asDispatcher, variables: { input: { name: 'Jess Morales', phone: '3125550177', alertOnMissedCall: true } } });
    const list = await graphql(server.url, MEMBERS, { cookie: asOwner });
    expect(list.body.data!.members.nodes.find((node: { id: string }) => node.id === dispatcher.membershipId)).toMatchObject({
      name: 'Jess Morales',
      phone: '+13125550177',
      alertOnMissedCall: true,
    });
    const lead = await db.prisma.lead.create({ data: { orgId, phone: '+13125550188', openPhone: '+13125550188' } });
    const callback = await db.prisma.callback.create({
      data: { orgId, leadId: lead.id, openLeadId: lead.id, dueAt: new Date(), assigneeId: dispatcher.userId },
    });
    const callbacks = await graphql(server.url, '{ callbacks(first: 5) { nodes { id assignee { name email } } } }', { cookie: asOwner });
    expect(callbacks.body.data!.callbacks.nodes).toEqual([{ id: callback.id, assignee: { name: 'Jess Morales', email: dispatcher.email } }]);
  });
});
