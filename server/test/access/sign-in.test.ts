// Staff sign-in: cookie attributes, hashed tokens, one error for every failure,
// the per IP+email limiter, idle and absolute expiry, sign-out, switching orgs,
// invited users setting their password.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from '../../src/access/sessions';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { TEST_PASSWORD, createTestStaff, ownerOf, signInOverHttp } from '../support/sessions';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const VIEWER = '{ viewer { label role organization { id name } memberships { organization { id } role } } }';

describe.each(testDatabaseKinds)('staff sign-in on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let clock: ManualClock;
  let orgId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    clock = new ManualClock('2026-03-02T14:00:00.000Z');
    server = await startTestServer(db, { clock });
    orgId = (await createTestOrg(db, { name: 'Sign-in HVAC' })).orgId;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('sets an HttpOnly, SameSite=Lax, Path=/ session cookie (not Secure on http) and stores only its SHA-256', async () => {
    const owner = await ownerOf(db, orgId);
    const { body, setCookie, cookie } = await signInOverHttp(server.url, owner.email.toUpperCase());
    expect(body.errors).toBeUndefined();
    expect(body.data?.signIn).toEqual({ label: owner.email, role: 'OWNER', organization: { id: orgId } });
    expect(setCookie).toMatch(/^callsnare_session=[A-Za-z0-9_-]{43}; /);
    const attributes = setCookie!
      .split('; ')
      .slice(1)
      .map((a) => a.split('=')[0]!.toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite', 'path', 'max-age']));
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(new RegExp(`Max-Age=${SESSION_MAX_AGE_MS / 1000}`));
    expect(attributes).not.toContain('secure');

    const token = cookie!.split('=')[1]!;
    const session = await db.prisma.session.findFirstOrThrow({ where: { userId: owner.userId }, orderBy: { createdAt: 'desc' } });
    expect(session.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(session)).not.toContain(token);
    expect(session).toMatchObject({ activeOrgId: orgId, ip: expect.any(String), revokedAt: null });
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(SESSION_MAX_AGE_MS);

    const viewer = await graphql(server.url, VIEWER, { cookie: cookie! });
    expect(viewer.body.data?.viewer).toMatchObject({ label: owner.email, role: 'OWNER', organization: { id: orgId, name: 'Sign-in HVAC' } });
  });

  it('marks the cookie Secure when PUBLIC_BASE_URL is https', async () => {
    const owner = await ownerOf(db, orgId);
    const https = await startTestServer(db, { env: { PUBLIC_BASE_URL: 'https://calls.example.com' } });
    try {
      const { setCookie } = await signInOverHttp(https.url, owner.email);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; HttpOnly/);
    } finally {
      await https.close();
    }
  });

  it('gives a wrong password and an unknown email the same error, and audits both', async () => {
    const staff = await createTestStaff(db, orgId, 'DISPATCHER');
    const unknown = `nobody-${crypto.randomBytes(4).toString('hex')}@nowhere.test`;
    const wrong = await signInOverHttp(server.url, staff.email, 'not the password at all');
    const missing = await signInOverHttp(server.url, unknown, 'not the password at all');
    for (const attempt of [wrong, missing]) {
      expect(attempt.setCookie).toBeNull();
      expect(attempt.body.data).toBeNull();
    }
    expect(wrong.body.errors).toEqual(missing.body.errors);
    expect(wrong.body.errors?.[0]).toMatchObject({ message: 'Email or password is incorrect', extensions: { code: 'UNAUTHENTICATED' } });

    const inOrg = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'auth.sign_in_failed', actorId: staff.userId } });
    expect(inOrg).toMatchObject({
      actorType: 'USER',
      actorLabel: staff.email,
      targetType: 'User',
      targetId: staff.userId,
      changes: { reason: { before: null, after: 'wrong_password' } },
    });
    const global = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId: null, action: 'auth.sign_in_failed', actorLabel: unknown } });
    expect(global).toMatchObject({ actorId: null, targetId: null, changes: { reason: { before: null, after: 'unknown_email' } } });
  });

  it('limits sign-ins per IP and email: the next attempt is HTTP 429 RATE_LIMITED even with the right password', async () => {
    const limited = await startTestServer(db, { env: { RATE_LIMIT_SIGNIN_PER_15MIN: '3' } });
    try {
      const staff = await createTestStaff(db, orgId, 'ANALYST');
      for (let i = 0; i < 3; i++) expect((await signInOverHttp(limited.url, staff.email, 'guessing a password')).response.status).toBe(200);
      const blocked = await signInOverHttp(limited.url, staff.email, TEST_PASSWORD);
      expect(blocked.response.status).toBe(429);
      expect(Number(blocked.response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.response.headers.get('ratelimit')).toMatch(/"sign-in"; r=0; t=\d+/);
      expect(blocked.response.headers.get('ratelimit-policy')).toBe('"sign-in"; q=3; w=900');
      expect(blocked.setCookie).toBeNull();
      expect(blocked.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: Number(blocked.response.headers.get('retry-after')) });
      // Limited attempts are not even checked: no audit entry for them.
      expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'auth.sign_in_failed', actorId: staff.userId } })).toBe(3);
      // Another email from the same address is its own bucket.
      const other = await createTestStaff(db, orgId, 'ANALYST');
      expect((await signInOverHttp(limited.url, other.email)).cookie).toMatch(/^callsnare_session=/);
    } finally {
      await limited.close();
    }
  });

  it('ends a session after the idle timeout, and slides it while the user is active', async () => {
    const staff = await createTestStaff(db, orgId, 'DISPATCHER');
    const { cookie } = await signInOverHttp(server.url, staff.email);
    clock.advance(SESSION_IDLE_MS - HOUR);
    expect((await graphql(server.url, VIEWER, { cookie: cookie! })).body.data?.viewer.label).toBe(staff.email);
    clock.advance(SESSION_IDLE_MS - HOUR); // still inside the idle window that the last request restarted
    expect((await graphql(server.url, VIEWER, { cookie: cookie! })).body.data?.viewer.label).toBe(staff.email);
    clock.advance(SESSION_IDLE_MS + 1);
    const expired = await graphql(server.url, VIEWER, { cookie: cookie! });
    expect(expired.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/session has ended/) });
  });

  it('ends a session at its absolute expiry however active it is', async () => {
    const staff = await createTestStaff(db, orgId, 'DISPATCHER');
    const { cookie } = await signInOverHttp(server.url, staff.email);
    const started = clock.now().getTime();
    while (clock.now().getTime() + SESSION_IDLE_MS / 2 < started + SESSION_MAX_AGE_MS) {
      clock.advance(SESSION_IDLE_MS / 2);
      expect((await graphql(server.url, VIEWER, { cookie: cookie! })).body.data?.viewer.label).toBe(staff.email);
    }
    clock.set(new Date(started + SESSION_MAX_AGE_MS));
    expect((await graphql(server.url, VIEWER, { cookie: cookie! })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('signOut revokes the session server-side, clears the cookie and is audited', async () => {
    const staff = await createTestStaff(db, orgId, 'ADMIN');
    const { cookie } = await signInOverHttp(server.url, staff.email);
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookie! },
      body: JSON.stringify({ query: 'mutation { signOut }' }),
    });
    expect(await response.json()).toEqual({ data: { signOut: true } });
    expect(response.headers.get('set-cookie')).toMatch(/^callsnare_session=; .*Expires=Thu, 01 Jan 1970/);
    const session = await db.prisma.session.findFirstOrThrow({ where: { userId: staff.userId } });
    expect(session.revokedAt).toEqual(clock.now());
    // The old cookie, replayed, is no identity any more.
    expect((await graphql(server.url, VIEWER, { cookie: cookie! })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const entry = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'auth.signed_out', actorId: staff.userId } });
    expect(entry).toMatchObject({ actorType: 'USER', actorLabel: staff.email, targetType: 'Session', targetId: session.id });
  });

  it('lets a member of several organizations switch the active one, and no other', async () => {
    const second = await createTestOrg(db, { name: 'Second Shop' });
    const stranger = await createTestOrg(db, { name: 'Not Yours' });
    const staff = await createTestStaff(db, orgId, 'DISPATCHER');
    await db.prisma.membership.create({ data: { orgId: second.orgId, userId: staff.userId, role: 'ANALYST' } });
    const { cookie, body } = await signInOverHttp(server.url, staff.email);
    expect(body.data?.signIn.organization.id).toBe(orgId);

    const switched = await graphql(
      server.url,
      'mutation($orgId: ID!) { switchOrganization(orgId: $orgId) { role organization { name } memberships { role } } }',
      {
        cookie: cookie!,
        variables: { orgId: second.orgId },
      },
    );
    expect(switched.body.data?.switchOrganization).toEqual({
      role: 'ANALYST',
      organization: { name: 'Second Shop' },
      memberships: [{ role: 'DISPATCHER' }, { role: 'ANALYST' }],
    });
    expect((await graphql(server.url, VIEWER, { cookie: cookie! })).body.data?.viewer.organization.name).toBe('Second Shop');

    for (const target of [stranger.orgId, crypto.randomUUID(), 'not-an-id']) {
      const refused = await graphql(server.url, 'mutation($orgId: ID!) { switchOrganization(orgId: $orgId) { label } }', {
        cookie: cookie!,
        variables: { orgId: target },
      });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('a removed member keeps a session but no organization: viewer answers, everything else is FORBIDDEN', async () => {
    const staff = await createTestStaff(db, orgId, 'ADMIN');
    const { cookie } = await signInOverHttp(server.url, staff.email);
    await db.prisma.membership.delete({ where: { id: staff.membershipId } });
    const viewer = await graphql(server.url, VIEWER, { cookie: cookie! });
    expect(viewer.body.data?.viewer).toMatchObject({ role: null, organization: null, memberships: [] });
    const members = await graphql(server.url, '{ members { totalCount } }', { cookie: cookie! });
    expect(members.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['OWNER', 'ADMIN'] });
  });

  it('an invited user sets a password once with the token, then signs in', async () => {
    const owner = await ownerOf(db, orgId);
    const { cookie } = await signInOverHttp(server.url, owner.email);
    const email = `new-${crypto.randomBytes(4).toString('hex')}@staff.test`;
    const invited = await graphql(
      server.url,
      'mutation($email: String!) { inviteMember(email: $email, role: DISPATCHER) { member { email passwordSet } setPasswordToken setPasswordExpiresAt } }',
      {
        cookie: cookie!,
        variables: { email },
      },
    );
    const invitation = invited.body.data!.inviteMember;
    expect(invitation.member).toEqual({ email, passwordSet: false });
    expect(invitation.setPasswordToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Before the password is set, sign-in fails like any other failure.
    expect((await signInOverHttp(server.url, email, 'a brand new password')).body.errors?.[0]?.message).toBe('Email or password is incorrect');

    const setPassword = 'mutation($token: String!, $password: String!) { setPassword(token: $token, password: $password) { email } }';
    const short = await graphql(server.url, setPassword, { variables: { token: invitation.setPasswordToken, password: 'short' } });
    expect(short.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { password: expect.any(String) } });
    const done = await graphql(server.url, setPassword, { variables: { token: invitation.setPasswordToken, password: 'a brand new password' } });
    expect(done.body.data?.setPassword).toEqual({ email });
    const again = await graphql(server.url, setPassword, { variables: { token: invitation.setPasswordToken, password: 'another new password' } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const signedIn = await signInOverHttp(server.url, email, 'a brand new password');
    expect(signedIn.body.data?.signIn).toMatchObject({ label: email, role: 'DISPATCHER' });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.memberships).toMatchObject([{ orgId, inviteTokenHash: null, acceptedAt: expect.any(Date) }]);
    expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'auth.password_set', actorId: user.id } })).toBe(1);
  });

  it('an invitation token stops working after 7 days', async () => {
    const owner = await ownerOf(db, orgId);
    const { cookie } = await signInOverHttp(server.url, owner.email);
    const email = `late-${crypto.randomBytes(4).toString('hex')}@staff.test`;
    const invited = await graphql(server.url, 'mutation($email: String!) { inviteMember(email: $email, role: ANALYST) { setPasswordToken } }', {
      cookie: cookie!,
      variables: { email },
    });
    clock.advance(7 * 24 * HOUR);
    const late = await graphql(server.url, 'mutation($token: String!) { setPassword(token: $token, password: "a brand new password") { email } }', {
      variables: { token: invited.body.data!.inviteMember.setPasswordToken },
    });
    expect(late.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/expired/) });
  });
});
