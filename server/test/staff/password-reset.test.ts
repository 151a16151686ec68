// Password resets: an OWNER or ADMIN gets a one-time set-password token for a
// locked-out member; setPassword with it sets a new password without the old
// one and ends the account's sessions. Passwords are global to an account, so
// an organization can never reset one that also belongs to another
// organization. setPasswordTarget tells the set-password page what a token is for.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { createTestStaff, openTestSession, ownerOf, signInOverHttp, TEST_PASSWORD, type TestStaff } from '../support/sessions';

jest.setTimeout(120_000);

const HOUR = 60 * 60 * 1000;
const RESET = 'mutation($id: ID!) { resetMemberPassword(membershipId: $id) { setPasswordToken expiresAt purpose } }';
const SET = 'mutation($token: String!, $password: String!) { setPassword(token: $token, password: $password) { userId email } }';
const TARGET = 'query($token: String!) { setPasswordTarget(token: $token) { email organizationName purpose expiresAt } }';
const NEW_PASSWORD = 'a completely new passphrase';

describe.each(testDatabaseKinds)('password resets on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const clock = new ManualClock('2026-01-15T15:00:00.000Z');

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock, env: { RATE_LIMIT_SIGNIN_PER_15MIN: '1000' } });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });
  beforeEach(() => clock.set('2026-01-15T15:00:00.000Z'));

  async function shop() {
    const org = await createTestOrg(db, { name: `Reset HVAC ${crypto.randomBytes(3).toString('hex')}` });
    const owner = await ownerOf(db, org.orgId);
    const admin = await createTestStaff(db, org.orgId, 'ADMIN');
    const dispatcher = await createTestStaff(db, org.orgId, 'DISPATCHER');
    return {
      orgId: org.orgId,
      name: (await db.prisma.organization.findUniqueOrThrow({ where: { id: org.orgId } })).name,
      owner,
      admin,
      dispatcher,
      asOwner: await openTestSession(db, owner.userId, org.orgId, clock),
      asAdmin: await openTestSession(db, admin.userId, org.orgId, clock),
    };
  }
  const reset = async (cookie: string, member: TestStaff) => graphql(server.url, RESET, { cookie, variables: { id: member.membershipId } });

  it("an ADMIN resets a DISPATCHER's password: one use, 24 h, only a hash stored, every session ended, audited", async () => {
    const { orgId, name, admin, dispatcher, asAdmin } = await shop();
    const oldSession = await openTestSession(db, dispatcher.userId, orgId, clock);
    const granted = await reset(asAdmin, dispatcher);
    expect(granted.body.errors).toBeUndefined();
    const { setPasswordToken: token, expiresAt, purpose } = granted.body.data!.resetMemberPassword;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(purpose).toBe('RESET');
    expect(new Date(expiresAt).getTime() - clock.now().getTime()).toBe(24 * HOUR);
    const stored = await db.prisma.passwordReset.findFirstOrThrow({ where: { userId: dispatcher.userId } });
    expect(stored).toMatchObject({ tokenHash: crypto.createHash('sha256').update(token).digest('hex'), orgId, createdById: admin.userId, usedAt: null });
    expect(JSON.stringify(stored)).not.toContain(token);

    const target = await graphql(server.url, TARGET, { variables: { token } });
    expect(target.body.data!.setPasswordTarget).toEqual({ email: dispatcher.email, organizationName: name, purpose: 'RESET', expiresAt });

    const set = await graphql(server.url, SET, { variables: { token, password: NEW_PASSWORD } });
    expect(set.body.data!.setPassword).toEqual({ userId: dispatcher.userId, email: dispatcher.email });
    expect((await signInOverHttp(server.url, dispatcher.email, NEW_PASSWORD)).body.data?.signIn).toMatchObject({ organization: { id: orgId } });
    expect((await signInOverHttp(server.url, dispatcher.email, TEST_PASSWORD)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const viewer = await graphql(server.url, '{ viewer { label } }', { cookie: oldSession });
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const again = await graphql(server.url, SET, { variables: { token, password: 'yet another long passphrase' } });
    expect(again.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { token: 'invalid or expired' } });
    expect((await graphql(server.url, TARGET, { variables: { token } })).body.data!.setPasswordTarget).toBeNull();

    const entries = await db.prisma.auditEntry.findMany({
      where: { orgId, action: { in: ['member.password_reset', 'auth.password_set'] } },
      orderBy: { seq: 'asc' },
    });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'member.password_reset',
        actorId: admin.userId,
        targetType: 'Membership',
        targetId: dispatcher.membershipId,
        changes: { purpose: { before: null, after: 'RESET' }, expiresAt: { before: null, after: expiresAt } },
      }),
      expect.objectContaining({ action: 'auth.password_set', actorId: dispatcher.userId, targetType: 'User', targetId: dispatcher.userId }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('a new password still follows the password policy, and a refused one leaves the token usable', async () => {
    const { dispatcher, asOwner } = await shop();
    const { setPasswordToken: token } = (await reset(asOwner, dispatcher)).body.data!.resetMemberPassword;
    const weak = await graphql(server.url, SET, { variables: { token, password: 'short' } });
    expect(weak.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { password: expect.stringContaining('at least 12') } });
    expect((await graphql(server.url, SET, { variables: { token, password: NEW_PASSWORD } })).body.data!.setPassword.email).toBe(dispatcher.email);
  });

  it('expires after 24 hours; a newer reset replaces an older one', async () => {
    const { dispatcher, asOwner } = await shop();
    const first = (await reset(asOwner, dispatcher)).body.data!.resetMemberPassword.setPasswordToken;
    const second = (await reset(asOwner, dispatcher)).body.data!.resetMemberPassword.setPasswordToken;
    expect((await graphql(server.url, SET, { variables: { token: first, password: NEW_PASSWORD } })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    clock.advance(24 * HOUR);
    expect((await graphql(server.url, TARGET, { variables: { token: second } })).body.data!.setPasswordTarget).toBeNull();
    expect((await graphql(server.url, SET, { variables: { token: second, password: NEW_PASSWORD } })).body.errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await signInOverHttp(server.url, dispatcher.email, TEST_PASSWORD)).body.data?.signIn).toBeTruthy();
  });

  it('two uses of one token at once set one password', async () => {
    const { dispatcher, asOwner } = await shop();
    const { setPasswordToken: token } = (await reset(asOwner, dispatcher)).body.data!.resetMemberPassword;
    const passwords = Array.from({ length: 5 }, (_, i) => `concurrent new password ${i}`);
    const answers = await Promise.all(passwords.map((password) => graphql(server.url, SET, { variables: { token, password } })));
    const winners = passwords.filter((_, i) => answers[i]!.body.data?.setPassword);
    expect(winners).toHaveLength(1);
    expect((await signInOverHttp(server.url, dispatcher.email, winners[0])).body.data?.signIn).toBeTruthy();
  });

  it('an ADMIN cannot reset an OWNER; an OWNER can; nobody resets their own password here', async () => {
    const { orgId, owner, admin, asOwner, asAdmin } = await shop();
    const refused = await reset(asAdmin, owner);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER'] });
    const secondOwner = await createTestStaff(db, orgId, 'OWNER');
    expect((await reset(asOwner, secondOwner)).body.data!.resetMemberPassword.purpose).toBe('RESET');
    expect((await reset(asOwner, admin)).body.data!.resetMemberPassword.purpose).toBe('RESET');
    const own = await reset(asOwner, owner);
    expect(own.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { membershipId: 'your own membership' } });
    expect(await db.prisma.passwordReset.count({ where: { userId: { in: [owner.userId] } } })).toBe(0);
  });

  it('refuses an account that also belongs to another organization, and a token issued before it joined one stops working', async () => {
    const a = await shop();
    const b = await shop();
    // B's dispatcher also joined A.
    await db.prisma.membership.create({ data: { orgId: a.orgId, userId: b.dispatcher.userId, role: 'ANALYST' } });
    const shared = await db.prisma.membership.findFirstOrThrow({ where: { orgId: a.orgId, userId: b.dispatcher.userId } });
    const refused = await graphql(server.url, RESET, { cookie: a.asOwner, variables: { id: shared.id } });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('callsnare user reset-password'),
      extensions: { code: 'FORBIDDEN', reason: 'account_shared_with_other_organizations' },
    });
    expect(await db.prisma.passwordReset.count({ where: { userId: b.dispatcher.userId } })).toBe(0);
    expect(await db.prisma.auditEntry.count({ where: { orgId: a.orgId, action: 'member.password_reset' } })).toBe(0);

    // A's own dispatcher: reset issued, then they join B before using it.
    const { setPasswordToken: token } = (await reset(a.asOwner, a.dispatcher)).body.data!.resetMemberPassword;
    await db.prisma.membership.create({ data: { orgId: b.orgId, userId: a.dispatcher.userId, role: 'ANALYST' } });
    const late = await graphql(server.url, SET, { variables: { token, password: NEW_PASSWORD } });
    expect(late.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'account_shared_with_other_organizations' });
    expect((await signInOverHttp(server.url, a.dispatcher.email, TEST_PASSWORD)).body.data?.signIn).toBeTruthy();
  });

  it('a member still INVITED gets a fresh invitation instead (the old link stops working)', async () => {
    const { name, asAdmin, orgId } = await shop();
    const email = `invitee-${crypto.randomBytes(4).toString('hex')}@reset.test`;
    const invited = await graphql(
      server.url,
      'mutation($email: String!) { inviteMember(email: $email, role: DISPATCHER) { member { id } setPasswordToken } }',
      {
        cookie: asAdmin,
        variables: { email },
      },
    );
    const { member, setPasswordToken: oldToken } = invited.body.data!.inviteMember;
    const renewed = await graphql(server.url, RESET, { cookie: asAdmin, variables: { id: member.id } });
    const grant = renewed.body.data!.resetMemberPassword;
    expect(grant.purpose).toBe('INVITATION');
    expect(new Date(grant.expiresAt).getTime() - clock.now().getTime()).toBe(7 * 24 * HOUR);
    expect(await db.prisma.passwordReset.count({ where: { user: { email } } })).toBe(0);
    expect((await graphql(server.url, TARGET, { variables: { token: oldToken } })).body.data!.setPasswordTarget).toBeNull();
    expect((await graphql(server.url, TARGET, { variables: { token: grant.setPasswordToken } })).body.data!.setPasswordTarget).toEqual({
      email,
      organizationName: name,
      purpose: 'INVITATION',
      expiresAt: grant.expiresAt,
    });
    expect((await graphql(server.url, SET, { variables: { token: oldToken, password: NEW_PASSWORD } })).body.errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await graphql(server.url, SET, { variables: { token: grant.setPasswordToken, password: NEW_PASSWORD } })).body.data!.setPassword.email).toBe(email);
    const entry = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'member.password_reset' } });
    expect(entry).toMatchObject({ targetId: member.id, changes: { purpose: { before: null, after: 'INVITATION' } } });
  });

  it("is for OWNER and ADMIN sessions of the member's own organization only", async () => {
    const { orgId, dispatcher, admin } = await shop();
    const asDispatcher = await openTestSession(db, dispatcher.userId, orgId, clock);
    expect((await reset(asDispatcher, admin)).body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER', 'ADMIN'] });
    const { secret } = await createTestCredential(db, orgId, ['leads:read']);
    const byCredential = await graphql(server.url, RESET, { bearer: secret, variables: { id: dispatcher.membershipId } });
    expect(byCredential.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredIdentity: 'session' });
    const other = await shop();
    expect((await reset(other.asOwner, dispatcher)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await db.prisma.passwordReset.count({ where: { userId: dispatcher.userId } })).toBe(0);
  });

  it('setPasswordTarget is rate-limited per IP like setPassword, whatever the token', async () => {
    const limited = await startTestServer(db, { clock, env: { RATE_LIMIT_SIGNIN_PER_15MIN: '2' } });
    try {
      const look = (token: string) => graphql(limited.url, TARGET, { variables: { token } });
      expect((await look('A'.repeat(43))).body.errors).toBeUndefined();
      expect((await look('B'.repeat(43))).body.errors).toBeUndefined();
      const third = await look('C'.repeat(43));
      expect(third.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it.each([
    ['junk', 'not a token'],
    ['well-formed but unknown', 'A'.repeat(43)],
    ['empty', ''],
  ])('setPasswordTarget answers null, with no identity needed, for a %s token', async (_what, token) => {
    const answer = await graphql(server.url, TARGET, { variables: { token } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.setPasswordTarget).toBeNull();
  });
});
