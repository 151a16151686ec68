// The audit trail of identity and access actions: one entry per action, in the
// same transaction, with actor, target, changes, request id, IP and user agent;
// never a secret or hash; a hash chain that exposes tampering; and the
// auditEntries query (filters, newest first, cursors stable under inserts).
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { verifyAuditChain } from '../../src/audit/audit.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { TEST_PASSWORD, createTestStaff, openTestSession, ownerOf, type TestStaff } from '../support/sessions';
import { cliHarness } from '../cli/cli-harness';

jest.setTimeout(90_000);

const USER_AGENT = 'audit-test/1.0';

describe.each(testDatabaseKinds)('audit trail on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let clock: ManualClock;
  let orgId: string;
  let owner: TestStaff;
  let ownerCookie: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    clock = new ManualClock('2026-05-04T12:00:00.000Z');
    server = await startTestServer(db, { clock });
    orgId = (await createTestOrg(db, { name: 'Audit HVAC' })).orgId;
    owner = await ownerOf(db, orgId);
    ownerCookie = await openTestSession(db, owner.userId, orgId, clock);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** Runs an operation under a unique request id; returns the response and the entries it wrote. */
  async function audited(query: string, options: { cookie?: string; variables?: Record<string, unknown> } = {}) {
    clock.advance(1_000);
    const requestId = `req-${crypto.randomBytes(6).toString('hex')}`;
    const response = await graphql(server.url, query, { ...options, headers: { 'x-request-id': requestId, 'user-agent': USER_AGENT } });
    const entries = await db.prisma.auditEntry.findMany({ where: { requestId } });
    return { body: response.body, entries, requestId };
  }
  const common = (requestId: string) => ({ requestId, ip: expect.stringMatching(/127\.0\.0\.1/), userAgent: USER_AGENT, createdAt: clock.now() });
  const asOwner = { actorType: 'USER', actorId: '', actorLabel: '' };

  beforeAll(() => {
    asOwner.actorId = owner.userId;
    asOwner.actorLabel = owner.email;
  });

  it('sign-in, failed sign-in and sign-out each write one entry', async () => {
    const staff = await createTestStaff(db, orgId, 'DISPATCHER');
    const signIn = 'mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { label } }';
    const ok = await audited(signIn, { variables: { email: staff.email, password: TEST_PASSWORD } });
    const session = await db.prisma.session.findFirstOrThrow({ where: { userId: staff.userId } });
    expect(ok.entries).toEqual([
      expect.objectContaining({
        orgId,
        action: 'auth.signed_in',
        actorType: 'USER',
        actorId: staff.userId,
        actorLabel: staff.email,
        targetType: 'Session',
        targetId: session.id,
        ...common(ok.requestId),
      }),
    ]);

    const failed = await audited(signIn, { variables: { email: staff.email, password: 'not it at all' } });
    expect(failed.entries).toEqual([
      expect.objectContaining({
        orgId,
        action: 'auth.sign_in_failed',
        actorId: staff.userId,
        targetType: 'User',
        targetId: staff.userId,
        changes: { reason: { before: null, after: 'wrong_password' } },
        ...common(failed.requestId),
      }),
    ]);

    const cookie = await openTestSession(db, staff.userId, orgId, clock);
    const out = await audited('mutation { signOut }', { cookie });
    expect(out.entries).toEqual([
      expect.objectContaining({ orgId, action: 'auth.signed_out', actorId: staff.userId, targetType: 'Session', ...common(out.requestId) }),
    ]);
  });

  it('credential created, rotated and revoked each write one entry, without secrets', async () => {
    const created = await audited(
      'mutation { createApiCredential(input: { name: "Audit feed", scopes: ["audit:read"] }) { secret credential { id prefix } } }',
      { cookie: ownerCookie },
    );
    const { secret, credential } = created.body.data!.createApiCredential;
    expect(created.entries).toEqual([
      expect.objectContaining({
        orgId,
        action: 'credential.created',
        ...asOwner,
        targetType: 'ApiCredential',
        targetId: credential.id,
        ...common(created.requestId),
        changes: {
          name: { before: null, after: 'Audit feed' },
          prefix: { before: null, after: credential.prefix },
          scopes: { before: null, after: ['audit:read'] },
          expiresAt: { before: null, after: null },
        },
      }),
    ]);

    const rotated = await audited('mutation($id: ID!) { rotateApiCredential(id: $id, graceSeconds: 30) { secret credential { id } } }', {
      cookie: ownerCookie,
      variables: { id: credential.id },
    });
    expect(rotated.entries).toEqual([
      expect.objectContaining({ action: 'credential.rotated', ...asOwner, targetId: credential.id, ...common(rotated.requestId) }),
    ]);
    const replacement = rotated.body.data!.rotateApiCredential;

    const revoked = await audited('mutation($id: ID!) { revokeApiCredential(id: $id) { id } }', {
      cookie: ownerCookie,
      variables: { id: replacement.credential.id },
    });
    expect(revoked.entries).toEqual([
      expect.objectContaining({
        action: 'credential.revoked',
        ...asOwner,
        targetId: replacement.credential.id,
        changes: { revokedAt: { before: null, after: clock.now().toISOString() } },
        ...common(revoked.requestId),
      }),
    ]);

    const everything = JSON.stringify(await db.prisma.auditEntry.findMany({ where: { orgId } }));
    const hashes = (await db.prisma.apiCredential.findMany({ where: { orgId } })).map((c) => c.secretHash);
    for (const hidden of [secret, replacement.secret, ...hashes]) expect(everything).not.toContain(hidden);
  });

  it('member invited, joined (password set), role changed and removed each write their entries, without the token', async () => {
    const email = `audited-${crypto.randomBytes(4).toString('hex')}@staff.test`;
    const invited = await audited('mutation($email: String!) { inviteMember(email: $email, role: ANALYST) { member { id userId } setPasswordToken } }', {
      cookie: ownerCookie,
      variables: { email },
    });
    const { member, setPasswordToken } = invited.body.data!.inviteMember;
    expect(invited.entries).toEqual([
      expect.objectContaining({
        action: 'member.invited',
        ...asOwner,
        targetType: 'Membership',
        targetId: member.id,
        changes: { email: { before: null, after: email }, role: { before: null, after: 'ANALYST' } },
        ...common(invited.requestId),
      }),
    ]);

    const set = await audited('mutation($token: String!) { setPassword(token: $token, password: "a fine long password") { email } }', {
      variables: { token: setPasswordToken },
    });
    expect(set.entries).toEqual([
      expect.objectContaining({
        orgId,
        action: 'auth.password_set',
        actorType: 'USER',
        actorId: member.userId,
        actorLabel: email,
        targetType: 'User',
        targetId: member.userId,
        ...common(set.requestId),
      }),
      expect.objectContaining({
        orgId,
        action: 'member.joined',
        actorType: 'USER',
        actorId: member.userId,
        actorLabel: email,
        targetType: 'Membership',
        targetId: member.id,
        ...common(set.requestId),
      }),
    ]);

    const changed = await audited('mutation($id: ID!) { updateMemberRole(membershipId: $id, role: DISPATCHER) { id } }', {
      cookie: ownerCookie,
      variables: { id: member.id },
    });
    expect(changed.entries).toEqual([
      expect.objectContaining({
        action: 'member.role_changed',
        ...asOwner,
        targetId: member.id,
        changes: { role: { before: 'ANALYST', after: 'DISPATCHER' } },
        ...common(changed.requestId),
      }),
    ]);
    const unchanged = await audited('mutation($id: ID!) { updateMemberRole(membershipId: $id, role: DISPATCHER) { id } }', {
      cookie: ownerCookie,
      variables: { id: member.id },
    });
    expect(unchanged.entries).toEqual([]);

    const removed = await audited('mutation($id: ID!) { removeMember(membershipId: $id) { id } }', { cookie: ownerCookie, variables: { id: member.id } });
    expect(removed.entries).toEqual([expect.objectContaining({ action: 'member.removed', ...asOwner, targetId: member.id, ...common(removed.requestId) })]);

    const everything = JSON.stringify(await db.prisma.auditEntry.findMany({ where: { orgId } }));
    expect(everything).not.toContain(setPasswordToken);
    expect(everything).not.toMatch(/\$argon2id\$/);
  });

  it('the hash chain holds, and `audit verify` finds a tampered entry', async () => {
    expect(await verifyAuditChain(db.prisma, orgId)).toMatchObject({ ok: true });
    const target = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'member.role_changed' } });
    await db.prisma.auditEntry.update({ where: { id: target.id }, data: { changes: { role: { before: 'ANALYST', after: 'OWNER' } } } });
    expect(await verifyAuditChain(db.prisma, orgId)).toMatchObject({
      ok: false,
      brokenAtSeq: target.seq,
      entryId: target.id,
      reason: 'content does not match its hash',
    });
    if (kind === 'postgres') {
      const cli = cliHarness('postgres', db);
      try {
        const result = await cli.run('audit', 'verify', '--org', orgId);
        expect(result.code).toBe(3);
        expect(result.err[0]).toContain(`audit chain broken at entry #${target.seq} (${target.id})`);
      } finally {
        cli.cleanup();
      }
    }
    await db.prisma.auditEntry.update({ where: { id: target.id }, data: { changes: target.changes as object } });
    expect(await verifyAuditChain(db.prisma, orgId)).toMatchObject({ ok: true });
  });

  describe('the auditEntries query', () => {
    const PAGE = `query($first: Int, $after: String, $filter: AuditEntryFilter) {
      auditEntries(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id seq action actorType actorId actorLabel targetType targetId changes requestId ip userAgent createdAt hash prevHash }
      }
    }`;
    let reader: string;

    beforeAll(async () => {
      reader = (await createTestCredential(db, orgId, ['audit:read'], 'Auditor')).secret;
    });

    it('pages newest first with stable cursors, even while new entries arrive', async () => {
      const stored = await db.prisma.auditEntry.findMany({ where: { orgId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const { body } = await graphql(server.url, PAGE, { bearer: reader, variables: { first: 4, after } });
        expect(body.errors).toBeUndefined();
        const page = body.data!.auditEntries;
        seen.push(...page.nodes.map((n: { id: string }) => n.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        if (pages++ === 0) {
          expect(page.totalCount).toBe(stored.length);
          // New activity after the first page must not shift what the next pages return.
          clock.advance(1_000);
          await graphql(server.url, 'mutation { createApiCredential(input: { name: "During paging", scopes: ["leads:read"] }) { secret } }', {
            cookie: ownerCookie,
          });
        }
      } while (after);
      expect(seen).toEqual(stored.map((e) => e.id));
    });

    it('serves every field of an entry', async () => {
      const { body } = await graphql(server.url, PAGE, { bearer: reader, variables: { first: 1, filter: { action: 'credential.created' } } });
      const stored = await db.prisma.auditEntry.findFirstOrThrow({
        where: { orgId, action: 'credential.created' },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      expect(body.data!.auditEntries.nodes).toEqual([
        {
          id: stored.id,
          seq: stored.seq,
          action: stored.action,
          actorType: stored.actorType,
          actorId: stored.actorId,
          actorLabel: stored.actorLabel,
          targetType: stored.targetType,
          targetId: stored.targetId,
          changes: stored.changes,
          requestId: stored.requestId,
          ip: stored.ip,
          userAgent: stored.userAgent,
          createdAt: stored.createdAt.toISOString(),
          hash: stored.hash,
          prevHash: stored.prevHash,
        },
      ]);
    });

    it('filters by action, actor, target and time', async () => {
      const all = await db.prisma.auditEntry.findMany({ where: { orgId } });
      const count = async (filter: Record<string, unknown>) =>
        (await graphql(server.url, PAGE, { bearer: reader, variables: { filter } })).body.data!.auditEntries.totalCount;
      expect(await count({ action: 'credential.created' })).toBe(all.filter((e) => e.action === 'credential.created').length);
      expect(await count({ actorId: owner.userId })).toBe(all.filter((e) => e.actorId === owner.userId).length);
      expect(await count({ actorType: 'SYSTEM' })).toBe(all.filter((e) => e.actorType === 'SYSTEM').length);
      expect(await count({ targetType: 'Membership' })).toBe(all.filter((e) => e.targetType === 'Membership').length);
      const one = all.find((e) => e.action === 'member.invited')!;
      expect(await count({ targetType: 'Membership', targetId: one.targetId })).toBe(all.filter((e) => e.targetId === one.targetId).length);
      const since = new Date('2026-05-04T12:00:05.000Z');
      const until = new Date('2026-05-04T12:00:10.000Z');
      expect(await count({ since: since.toISOString(), until: until.toISOString() })).toBe(
        all.filter((e) => e.createdAt >= since && e.createdAt < until).length,
      );
      expect(await count({ action: 'auth.signed_in', actorType: 'CREDENTIAL' })).toBe(0);
    });

    it('refuses bad page sizes, foreign cursors, unknown actions and empty time ranges with BAD_USER_INPUT', async () => {
      for (const variables of [
        { first: 0 },
        { first: 101 },
        { after: 'not-a-cursor' },
        { filter: { action: 'credential.stolen' } },
        { filter: { since: '2026-05-05T00:00:00Z', until: '2026-05-04T00:00:00Z' } },
      ]) {
        const { body } = await graphql(server.url, PAGE, { bearer: reader, variables });
        expect({ variables, code: body.errors?.[0]?.extensions?.code }).toEqual({ variables, code: 'BAD_USER_INPUT' });
      }
    });
  });
});
