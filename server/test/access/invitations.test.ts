// Invitations are per membership: a token activates only the membership it was
// issued for, another organization's invitation never touches an existing
// user's credentials, and the answer to an invitation says nothing about the
// invitee's account outside the inviting organization.
// Reproduces the cross-tenant takeover of the security review: org A's ADMIN
// invited an email that org B had invited first, set its password with A's
// token and signed in as ADMIN of B.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { createTestStaff, signInOverHttp, TEST_PASSWORD } from '../support/sessions';

jest.setTimeout(90_000);

const INVITE = `mutation($email: String!, $role: Role!) {
  inviteMember(email: $email, role: $role) { member { id userId email role status passwordSet invitationExpiresAt } setPasswordToken setPasswordExpiresAt }
}`;
const ACCEPT = 'mutation($token: String!, $password: String!) { setPassword(token: $token, password: $password) { email } }';
const SWITCH = 'mutation($orgId: ID!) { switchOrganization(orgId: $orgId) { role organization { id } } }';
const VIEWER = '{ viewer { role organization { id } memberships { organization { id } role } } }';

describe.each(testDatabaseKinds)('invitations on %s', (kind) => {
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

  async function shopWithSignedInAdmin() {
    const { orgId } = await createTestOrg(db);
    const admin = await createTestStaff(db, orgId, 'ADMIN');
    const { cookie } = await signInOverHttp(server.url, admin.email);
    return { orgId, admin, cookie: cookie! };
  }
  const newEmail = (what: string) => `${what}-${crypto.randomBytes(4).toString('hex')}@invite.test`;
  const invite = async (cookie: string, email: string, role = 'ADMIN') => {
    const { body } = await graphql(server.url, INVITE, { cookie, variables: { email, role } });
    expect(body.errors).toBeUndefined();
    return body.data!.inviteMember;
  };

  it("another organization's invitation never lets its holder into the first organization", async () => {
    const orgB = await shopWithSignedInAdmin();
    const orgA = await shopWithSignedInAdmin();
    const victim = newEmail('victim');
    const fromB = await invite(orgB.cookie, victim, 'ADMIN');
    const fromA = await invite(orgA.cookie, victim, 'DISPATCHER');

    // A's ADMIN uses A's token, sets a password of their choosing and signs in as the invitee.
    const accepted = await graphql(server.url, ACCEPT, { variables: { token: fromA.setPasswordToken, password: 'attacker chosen password' } });
    expect(accepted.body.data?.setPassword).toEqual({ email: victim });
    const signedIn = await signInOverHttp(server.url, victim, 'attacker chosen password');
    expect(signedIn.body.data?.signIn).toMatchObject({ role: 'DISPATCHER', organization: { id: orgA.orgId } });

    // B's membership is still an invitation: not listed, not switchable, not usable.
    const viewer = await graphql(server.url, VIEWER, { cookie: signedIn.cookie! });
    expect(viewer.body.data?.viewer.memberships).toEqual([{ organization: { id: orgA.orgId }, role: 'DISPATCHER' }]);
    const switched = await graphql(server.url, SWITCH, { cookie: signedIn.cookie!, variables: { orgId: orgB.orgId } });
    expect(switched.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const membershipB = await db.prisma.membership.findUniqueOrThrow({ where: { id: fromB.member.id } });
    expect(membershipB).toMatchObject({ acceptedAt: null, role: 'ADMIN' });

    // B's token was not killed by A's invitation, and it cannot set another password either:
    // the account now has one, so accepting B's invitation requires it.
    const overwrite = await graphql(server.url, ACCEPT, { variables: { token: fromB.setPasswordToken, password: 'a different new password' } });
    expect(overwrite.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { password: 'does not match this account' } });
    expect((await signInOverHttp(server.url, victim, 'a different new password')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await db.prisma.membership.findUniqueOrThrow({ where: { id: fromB.member.id } })).toMatchObject({ acceptedAt: null });
  });

  it('a session whose membership is only an invitation gets no role in that organization', async () => {
    const orgA = await shopWithSignedInAdmin();
    const orgB = await shopWithSignedInAdmin();
    const person = newEmail('person');
    const fromA = await invite(orgA.cookie, person, 'ANALYST');
    await graphql(server.url, ACCEPT, { variables: { token: fromA.setPasswordToken, password: 'a long enough password' } });
    const fromB = await invite(orgB.cookie, person, 'ADMIN');
    expect(fromB.member.status).toBe('INVITED');
    const { cookie } = await signInOverHttp(server.url, person, 'a long enough password');
    // Point the session at B directly, as a stale or forged activeOrgId would.
    await db.prisma.session.updateMany({ where: { user: { email: person } }, data: { activeOrgId: orgB.orgId } });
    const viewer = await graphql(server.url, VIEWER, { cookie: cookie! });
    expect(viewer.body.data?.viewer).toMatchObject({ role: null, organization: null });
    const leads = await graphql(server.url, '{ leads { totalCount } }', { cookie: cookie! });
    expect(leads.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('the invitation answer is the same whether or not the email has an account elsewhere', async () => {
    const orgA = await shopWithSignedInAdmin();
    const elsewhere = await createTestOrg(db);
    const existing = await createTestStaff(db, elsewhere.orgId, 'OWNER');
    const userBefore = await db.prisma.user.findUniqueOrThrow({ where: { email: existing.email } });
    const stranger = await invite(orgA.cookie, newEmail('stranger'), 'ANALYST');
    const known = await invite(orgA.cookie, existing.email, 'ANALYST');
    const shape = (answer: typeof known) => ({
      member: { status: answer.member.status, passwordSet: answer.member.passwordSet, hasExpiry: answer.member.invitationExpiresAt !== null },
      token: /^[\w-]{43}$/.test(answer.setPasswordToken),
      expires: typeof answer.setPasswordExpiresAt,
    });
    expect(shape(known)).toEqual(shape(stranger));
    expect(shape(known)).toEqual({ member: { status: 'INVITED', passwordSet: false, hasExpiry: true }, token: true, expires: 'string' });
    // The existing user's account was not touched by the invitation.
    expect(await db.prisma.user.findUniqueOrThrow({ where: { email: existing.email } })).toEqual(userBefore);
    expect((await signInOverHttp(server.url, existing.email, TEST_PASSWORD)).body.data?.signIn).toMatchObject({ organization: { id: elsewhere.orgId } });
  });

  it('an existing user accepts with their current password; a wrong one changes nothing', async () => {
    const orgA = await shopWithSignedInAdmin();
    const elsewhere = await createTestOrg(db);
    const existing = await createTestStaff(db, elsewhere.orgId, 'DISPATCHER');
    const invitation = await invite(orgA.cookie, existing.email, 'ANALYST');
    const wrong = await graphql(server.url, ACCEPT, { variables: { token: invitation.setPasswordToken, password: 'not their password at all' } });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await signInOverHttp(server.url, existing.email, 'not their password at all')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const right = await graphql(server.url, ACCEPT, { variables: { token: invitation.setPasswordToken, password: TEST_PASSWORD } });
    expect(right.body.data?.setPassword).toEqual({ email: existing.email });
    const { cookie } = await signInOverHttp(server.url, existing.email);
    const switched = await graphql(server.url, SWITCH, { cookie: cookie!, variables: { orgId: orgA.orgId } });
    expect(switched.body.data?.switchOrganization).toEqual({ role: 'ANALYST', organization: { id: orgA.orgId } });
    const joined = await db.prisma.auditEntry.findMany({ where: { orgId: orgA.orgId, action: 'member.joined' } });
    expect(joined.map((entry) => entry.targetId)).toEqual([invitation.member.id]);
    // Used once.
    const again = await graphql(server.url, ACCEPT, { variables: { token: invitation.setPasswordToken, password: TEST_PASSWORD } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('inviting a pending invitee again issues a new token and the old one stops working', async () => {
    const orgA = await shopWithSignedInAdmin();
    const email = newEmail('again');
    const first = await invite(orgA.cookie, email, 'ANALYST');
    const second = await invite(orgA.cookie, email, 'DISPATCHER');
    expect(second.member.id).toBe(first.member.id);
    const old = await graphql(server.url, ACCEPT, { variables: { token: first.setPasswordToken, password: 'a long enough password' } });
    expect(old.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fresh = await graphql(server.url, ACCEPT, { variables: { token: second.setPasswordToken, password: 'a long enough password' } });
    expect(fresh.body.data?.setPassword).toEqual({ email });
    expect((await signInOverHttp(server.url, email, 'a long enough password')).body.data?.signIn).toMatchObject({ role: 'DISPATCHER' });
    const third = await graphql(server.url, INVITE, { cookie: orgA.cookie, variables: { email, role: 'ANALYST' } });
    expect(third.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { email: 'already a member' } });
  });

  it('two invitations of one new email accepted at once set one password', async () => {
    const orgA = await shopWithSignedInAdmin();
    const orgB = await shopWithSignedInAdmin();
    const email = newEmail('race');
    const [a, b] = [await invite(orgA.cookie, email), await invite(orgB.cookie, email)];
    const results = await Promise.all([
      graphql(server.url, ACCEPT, { variables: { token: a.setPasswordToken, password: 'password chosen by a' } }),
      graphql(server.url, ACCEPT, { variables: { token: b.setPasswordToken, password: 'password chosen by b' } }),
    ]);
    const succeeded = results.filter((r) => r.body.data?.setPassword);
    expect(succeeded).toHaveLength(1);
    const accepted = await db.prisma.membership.findMany({ where: { user: { email }, acceptedAt: { not: null } } });
    expect(accepted).toHaveLength(1);
  });
});
