// Members: invitations, role changes and removals, with the rules the
// permission table cannot express: ADMINs never touch OWNERs, one OWNER always remains.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { createTestStaff, openTestSession, ownerOf, type TestStaff } from '../support/sessions';

jest.setTimeout(60_000);

const INVITE = 'mutation($email: String!, $role: Role!) { inviteMember(email: $email, role: $role) { member { id email role passwordSet } setPasswordToken } }';
const UPDATE = 'mutation($id: ID!, $role: Role!) { updateMemberRole(membershipId: $id, role: $role) { id role } }';
const REMOVE = 'mutation($id: ID!) { removeMember(membershipId: $id) { id email role } }';

describe.each(testDatabaseKinds)('members on %s', (kind) => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** A fresh org with its owner and an admin, signed in. */
  async function shop() {
    const { orgId } = await createTestOrg(db);
    const owner = await ownerOf(db, orgId);
    const admin = await createTestStaff(db, orgId, 'ADMIN');
    return {
      orgId,
      owner,
      admin,
      asOwner: await openTestSession(db, owner.userId, orgId),
      asAdmin: await openTestSession(db, admin.userId, orgId),
    };
  }
  const email = (what: string) => `${what}-${crypto.randomBytes(4).toString('hex')}@members.test`;

  it('lists members oldest first with their roles, in pages', async () => {
    const { orgId, owner, admin, asAdmin } = await shop();
    const dispatcher = await createTestStaff(db, orgId, 'DISPATCHER');
    const first = await graphql(server.url, '{ members(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { id email role passwordSet } } }', {
      cookie: asAdmin,
    });
    expect(first.body.data?.members).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true },
      nodes: [
        { id: owner.membershipId, email: owner.email, role: 'OWNER', passwordSet: true },
        { id: admin.membershipId, role: 'ADMIN' },
      ],
    });
    const next = await graphql(server.url, 'query($after: String) { members(first: 2, after: $after) { pageInfo { hasNextPage } nodes { id } } }', {
      cookie: asAdmin,
      variables: { after: first.body.data!.members.pageInfo.endCursor },
    });
    expect(next.body.data?.members).toEqual({ pageInfo: { hasNextPage: false }, nodes: [{ id: dispatcher.membershipId }] });
  });

  it('an invitation is an INVITED membership with a one-time token stored only as a hash, for new and existing users alike', async () => {
    const { orgId, asOwner } = await shop();
    const fresh = email('fresh');
    const invited = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: fresh.toUpperCase(), role: 'DISPATCHER' } });
    expect(invited.body.data?.inviteMember).toMatchObject({
      member: { email: fresh, role: 'DISPATCHER', passwordSet: false },
      setPasswordToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    const membership = await db.prisma.membership.findUniqueOrThrow({ where: { id: invited.body.data!.inviteMember.member.id } });
    expect(membership).toMatchObject({
      orgId,
      acceptedAt: null,
      inviteTokenHash: crypto.createHash('sha256').update(invited.body.data!.inviteMember.setPasswordToken).digest('hex'),
    });

    // Someone who already has a password elsewhere gets an invitation too; their account is untouched.
    const elsewhere = await shop();
    const existing = await createTestStaff(db, elsewhere.orgId, 'ANALYST');
    const second = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: existing.email, role: 'ANALYST' } });
    expect(second.body.data?.inviteMember).toMatchObject({
      member: { email: existing.email, passwordSet: false },
      setPasswordToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    const invalid = await graphql(server.url, INVITE, { cookie: asOwner, variables: { email: 'not an email', role: 'ANALYST' } });
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const member = await graphql(server.url, INVITE, { cookie: elsewhere.asOwner, variables: { email: existing.email, role: 'ANALYST' } });
    expect(member.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { email: 'already a member' } });
  });

  it('an ADMIN cannot invite, promote to, change or remove an OWNER', async () => {
    const { orgId, owner, asAdmin } = await shop();
    const dispatcher = await createTestStaff(db, orgId, 'DISPATCHER');
    const attempts = [
      { query: INVITE, variables: { email: email('boss'), role: 'OWNER' } },
      { query: UPDATE, variables: { id: dispatcher.membershipId, role: 'OWNER' } },
      { query: UPDATE, variables: { id: owner.membershipId, role: 'ANALYST' } },
      { query: REMOVE, variables: { id: owner.membershipId } },
    ];
    for (const attempt of attempts) {
      const { body } = await graphql(server.url, attempt.query, { cookie: asAdmin, variables: attempt.variables });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER'] });
    }
    const owners = await db.prisma.membership.findMany({ where: { orgId, role: 'OWNER' } });
    expect(owners.map((m) => m.id)).toEqual([owner.membershipId]);
    expect(await db.prisma.membership.findUniqueOrThrow({ where: { id: dispatcher.membershipId } })).toMatchObject({ role: 'DISPATCHER' });
  });

  it('an ADMIN manages everyone else; each change is audited with before and after', async () => {
    const { orgId, admin, asAdmin } = await shop();
    const dispatcher = await createTestStaff(db, orgId, 'DISPATCHER');
    const promoted = await graphql(server.url, UPDATE, { cookie: asAdmin, variables: { id: dispatcher.membershipId, role: 'ADMIN' } });
    expect(promoted.body.data?.updateMemberRole).toEqual({ id: dispatcher.membershipId, role: 'ADMIN' });
    const removed = await graphql(server.url, REMOVE, { cookie: asAdmin, variables: { id: dispatcher.membershipId } });
    expect(removed.body.data?.removeMember).toEqual({ id: dispatcher.membershipId, email: dispatcher.email, role: 'ADMIN' });
    expect(await db.prisma.membership.findUnique({ where: { id: dispatcher.membershipId } })).toBeNull();

    const entries = await db.prisma.auditEntry.findMany({ where: { orgId, targetId: dispatcher.membershipId }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.action, e.actorId, e.changes])).toEqual([
      ['member.role_changed', admin.userId, { role: { before: 'DISPATCHER', after: 'ADMIN' } }],
      ['member.removed', admin.userId, { email: { before: dispatcher.email, after: null }, role: { before: 'ADMIN', after: null } }],
    ]);
  });

  it('the last OWNER can be neither demoted nor removed; with two, one may go', async () => {
    const { orgId, owner, asOwner } = await shop();
    for (const attempt of [
      { query: UPDATE, variables: { id: owner.membershipId, role: 'ADMIN' } },
      { query: REMOVE, variables: { id: owner.membershipId } },
    ]) {
      const { body } = await graphql(server.url, attempt.query, { cookie: asOwner, variables: attempt.variables });
      expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/last OWNER/) });
    }
    const coOwner: TestStaff = await createTestStaff(db, orgId, 'OWNER');
    const demoted = await graphql(server.url, UPDATE, { cookie: asOwner, variables: { id: owner.membershipId, role: 'ADMIN' } });
    expect(demoted.body.data?.updateMemberRole.role).toBe('ADMIN');
    // The demoted owner's own session now has ADMIN powers only.
    const { body } = await graphql(server.url, REMOVE, { cookie: asOwner, variables: { id: coOwner.membershipId } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER'] });
  });

  it('concurrent demotions of the only two OWNERs leave one OWNER', async () => {
    const { orgId, owner, asOwner } = await shop();
    const other = await createTestStaff(db, orgId, 'OWNER');
    const asOther = await openTestSession(db, other.userId, orgId);
    await Promise.all([
      graphql(server.url, UPDATE, { cookie: asOwner, variables: { id: other.membershipId, role: 'ADMIN' } }),
      graphql(server.url, UPDATE, { cookie: asOther, variables: { id: owner.membershipId, role: 'ADMIN' } }),
    ]);
    expect(await db.prisma.membership.count({ where: { orgId, role: 'OWNER' } })).toBe(1);
  });

  it('a removed member loses access at their next request', async () => {
    const { orgId, asOwner } = await shop();
    const admin2 = await createTestStaff(db, orgId, 'ADMIN');
    const asAdmin2 = await openTestSession(db, admin2.userId, orgId);
    expect((await graphql(server.url, '{ members { totalCount } }', { cookie: asAdmin2 })).body.errors).toBeUndefined();
    await graphql(server.url, REMOVE, { cookie: asOwner, variables: { id: admin2.membershipId } });
    const after = await graphql(server.url, '{ members { totalCount } }', { cookie: asAdmin2 });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
