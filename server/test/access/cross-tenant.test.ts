// Tenant isolation: a user or credential of org A can neither read nor change
// any row of org B through any operation; B's ids answer NOT_FOUND, never FORBIDDEN.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { SCOPES } from '../../src/access/scopes';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';

jest.setTimeout(60_000);

describe.each(testDatabaseKinds)('tenant isolation on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let a: { orgId: string; owner: string; credential: string };
  let b: { orgId: string; credentialId: string; ownerMembershipId: string; analystMembershipId: string; ownerUserId: string };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db);
    const orgA = await createTestOrg(db, { name: 'Shop A' });
    const orgB = await createTestOrg(db, { name: 'Shop B' });
    const ownerA = await ownerOf(db, orgA.orgId);
    const ownerB = await ownerOf(db, orgB.orgId);
    const analystB = await createTestStaff(db, orgB.orgId, 'ANALYST');
    const credentialB = await createTestCredential(db, orgB.orgId, ['leads:read'], 'B partner');
    a = {
      orgId: orgA.orgId,
      owner: await openTestSession(db, ownerA.userId, orgA.orgId),
      credential: (await createTestCredential(db, orgA.orgId, [...SCOPES], 'A everything')).secret,
    };
    b = {
      orgId: orgB.orgId,
      credentialId: credentialB.credential.id,
      ownerMembershipId: ownerB.membershipId,
      analystMembershipId: analystB.membershipId,
      ownerUserId: ownerB.userId,
    };
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it("every operation that takes an id answers NOT_FOUND for org B's rows, and changes nothing", async () => {
    const before = await snapshotOfB();
    const calls = [
      { query: 'mutation($id: ID!) { rotateApiCredential(id: $id, graceSeconds: 0) { secret } }', variables: { id: b.credentialId } },
      { query: 'mutation($id: ID!) { revokeApiCredential(id: $id) { id } }', variables: { id: b.credentialId } },
      { query: 'mutation($id: ID!) { updateMemberRole(membershipId: $id, role: ANALYST) { id } }', variables: { id: b.ownerMembershipId } },
      { query: 'mutation($id: ID!) { updateMemberRole(membershipId: $id, role: OWNER) { id } }', variables: { id: b.analystMembershipId } },
      { query: 'mutation($id: ID!) { removeMember(membershipId: $id) { id } }', variables: { id: b.analystMembershipId } },
      { query: 'mutation($id: ID!) { switchOrganization(orgId: $id) { label } }', variables: { id: b.orgId } },
    ];
    for (const call of calls) {
      const { body } = await graphql(server.url, call.query, { cookie: a.owner, variables: call.variables });
      expect({ query: call.query, code: body.errors?.[0]?.extensions?.code }).toEqual({ query: call.query, code: 'NOT_FOUND' });
    }
    expect(await snapshotOfB()).toEqual(before);
  });

  it("lists show org A's rows only, for a session and for a credential", async () => {
    const members = await graphql(server.url, '{ members(first: 100) { nodes { id } } }', { cookie: a.owner });
    const memberIds = members.body.data!.members.nodes.map((n: { id: string }) => n.id);
    expect(memberIds).not.toContain(b.ownerMembershipId);
    expect(memberIds).not.toContain(b.analystMembershipId);

    const credentials = await graphql(server.url, '{ apiCredentials(first: 100) { nodes { id } } }', { cookie: a.owner });
    expect(credentials.body.data!.apiCredentials.nodes.map((n: { id: string }) => n.id)).not.toContain(b.credentialId);

    const bEntryIds = new Set((await db.prisma.auditEntry.findMany({ where: { orgId: b.orgId }, select: { id: true } })).map((e) => e.id));
    expect(bEntryIds.size).toBeGreaterThan(0);
    for (const auth of [{ cookie: a.owner }, { bearer: a.credential }]) {
      const all = await graphql(server.url, '{ auditEntries(first: 100) { totalCount nodes { id } } }', auth);
      expect(all.body.errors).toBeUndefined();
      expect(all.body.data!.auditEntries.nodes.some((n: { id: string }) => bEntryIds.has(n.id))).toBe(false);
      const aimed = await graphql(server.url, 'query($id: String) { auditEntries(filter: { targetId: $id }) { totalCount } }', {
        ...auth,
        variables: { id: b.credentialId },
      });
      expect(aimed.body.data!.auditEntries.totalCount).toBe(0);
      const byActor = await graphql(server.url, 'query($id: String) { auditEntries(filter: { actorId: $id }) { totalCount } }', {
        ...auth,
        variables: { id: b.ownerUserId },
      });
      expect(byActor.body.data!.auditEntries.totalCount).toBe(0);
    }
  });

  it('a credential is bound to its organization: viewer names org A', async () => {
    const { body } = await graphql(server.url, '{ viewer { organization { id } } }', { bearer: a.credential });
    expect(body.data?.viewer.organization.id).toBe(a.orgId);
  });

  async function snapshotOfB() {
    return {
      credential: await db.prisma.apiCredential.findUniqueOrThrow({ where: { id: b.credentialId } }),
      credentials: await db.prisma.apiCredential.count({ where: { orgId: b.orgId } }),
      memberships: await db.prisma.membership.findMany({ where: { orgId: b.orgId }, orderBy: { id: 'asc' } }),
      audit: await db.prisma.auditEntry.count({ where: { orgId: b.orgId } }),
    };
  }
});
