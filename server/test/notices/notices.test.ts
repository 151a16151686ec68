// Dashboard notices: raised once per (org, dedupeKey) however many callers race,
// listed to OWNERs and ADMINs only, dismissed once (audited) for the whole org.
import { raiseNotice } from '../../src/notices/notices.service';
import { inTransaction } from '../../src/db/types';
import { testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { useTestServer } from '../support/test-server';

jest.setTimeout(120_000);

const LIST = 'query($all: Boolean) { notices(includeDismissed: $all) { id kind message subjectId createdAt dismissedAt } }';
const DISMISS = 'mutation($id: ID!) { dismissNotice(id: $id) { id dismissedAt } }';

describe.each(testDatabaseKinds)('dashboard notices on %s', (kind) => {
  const fixture = useTestServer(kind);

  async function shop() {
    const org = await createTestOrg(fixture.db);
    const owner = await ownerOf(fixture.db, org.orgId);
    return { orgId: org.orgId, cookie: await openTestSession(fixture.db, owner.userId, org.orgId) };
  }

  it('raising the same dedupeKey twenty times at once creates one notice, and only the first call says it was new', async () => {
    const { orgId } = await shop();
    const input = { orgId, kind: 'CARRIER_FILTERING' as const, dedupeKey: 'carrier:line-1', message: 'Carriers are filtering texts.' };
    const results = await Promise.all(Array.from({ length: 20 }, () => inTransaction(fixture.db.prisma, (tx) => raiseNotice(tx, input, fixture.clock))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await fixture.db.prisma.notice.count({ where: { orgId } })).toBe(1);
    // Outside a transaction too, and another org may use the same key.
    expect(await raiseNotice(fixture.db.prisma, input)).toBe(false);
    const other = await createTestOrg(fixture.db);
    expect(await raiseNotice(fixture.db.prisma, { ...input, orgId: other.orgId })).toBe(true);
  });

  it('a notice raised in a transaction that rolls back is not there', async () => {
    const { orgId } = await shop();
    await expect(
      inTransaction(fixture.db.prisma, async (tx) => {
        await raiseNotice(tx, { orgId, kind: 'WEBHOOK_ENDPOINT_DISABLED', dedupeKey: 'endpoint:x', message: 'm' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await fixture.db.prisma.notice.count({ where: { orgId } })).toBe(0);
  });

  it('managers list their own notices; dismissing hides it for everyone, is audited once, and only includeDismissed lists it again', async () => {
    const { orgId, cookie } = await shop();
    const elsewhere = await createTestOrg(fixture.db);
    await raiseNotice(fixture.db.prisma, { orgId: elsewhere.orgId, kind: 'CARRIER_FILTERING', dedupeKey: 'carrier:x', message: 'not yours' });
    const subjectId = (await fixture.db.prisma.trackingLine.findFirstOrThrow({ where: { orgId } })).id;
    await raiseNotice(fixture.db.prisma, {
      orgId,
      kind: 'CARRIER_FILTERING',
      dedupeKey: `carrier:${subjectId}`,
      message: 'Carriers are filtering.',
      subjectId,
    });

    const listed = await graphql(fixture.server.url, LIST, { cookie });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data!.notices).toEqual([
      expect.objectContaining({ kind: 'CARRIER_FILTERING', message: 'Carriers are filtering.', subjectId, dismissedAt: null }),
    ]);
    const id = listed.body.data!.notices[0].id as string;

    const admin = await createTestStaff(fixture.db, orgId, 'ADMIN');
    const asAdmin = await openTestSession(fixture.db, admin.userId, orgId);
    const dismissed = await graphql(fixture.server.url, DISMISS, { cookie: asAdmin, variables: { id } });
    expect(dismissed.body.errors).toBeUndefined();
    expect(dismissed.body.data!.dismissNotice.dismissedAt).toEqual(fixture.clock.now().toISOString());
    const again = await graphql(fixture.server.url, DISMISS, { cookie, variables: { id } });
    expect(again.body.data!.dismissNotice.dismissedAt).toEqual(dismissed.body.data!.dismissNotice.dismissedAt);

    expect((await graphql(fixture.server.url, LIST, { cookie })).body.data!.notices).toEqual([]);
    expect((await graphql(fixture.server.url, LIST, { cookie, variables: { all: true } })).body.data!.notices.map((n: { id: string }) => n.id)).toEqual([id]);
    const audit = await fixture.db.prisma.auditEntry.findMany({ where: { orgId, action: 'notice.dismissed' } });
    expect(audit).toEqual([expect.objectContaining({ targetType: 'Notice', targetId: id, actorId: admin.userId })]);
    expect(await fixture.db.prisma.notice.findUniqueOrThrow({ where: { id } })).toMatchObject({ dismissedById: admin.userId });
  });

  it("another org's notice, an unknown id and a malformed id are NOT_FOUND", async () => {
    const { cookie } = await shop();
    const elsewhere = await createTestOrg(fixture.db);
    await raiseNotice(fixture.db.prisma, { orgId: elsewhere.orgId, kind: 'CARRIER_FILTERING', dedupeKey: 'carrier:y', message: 'not yours' });
    const theirs = await fixture.db.prisma.notice.findFirstOrThrow({ where: { orgId: elsewhere.orgId } });
    for (const id of [theirs.id, '0190f000-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const result = await graphql(fixture.server.url, DISMISS, { cookie, variables: { id } });
      expect(result.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await fixture.db.prisma.notice.findUniqueOrThrow({ where: { id: theirs.id } })).dismissedAt).toBeNull();
  });

  it('dispatchers, analysts, API credentials and anonymous callers are refused', async () => {
    const { orgId } = await shop();
    for (const role of ['DISPATCHER', 'ANALYST'] as const) {
      const staff = await createTestStaff(fixture.db, orgId, role);
      const cookie = await openTestSession(fixture.db, staff.userId, orgId);
      expect((await graphql(fixture.server.url, LIST, { cookie })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const credential = await createTestCredential(fixture.db, orgId, ['settings:read', 'settings:write', 'audit:read']);
    expect((await graphql(fixture.server.url, LIST, { bearer: credential.secret })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(fixture.server.url, LIST)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
