// leads { totalCount } unfiltered or by status reads the per-(org, status) counts
// the triggers of migration 0005 keep in every writing transaction ("LeadCount").
// They must stay exact whoever writes: the missed-call webhook's one statement,
// staff status changes through the API, plain Prisma writes, many at once.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import type { LeadStatus } from '../../src/generated/prisma/enums';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql, startTestServer } from '../support/server';
import { openTestSession } from '../support/sessions';
import { newCall, newCallerNumber, TEST_AUTH_TOKEN, twilioPoster, type TwilioPoster } from '../support/twilio';

jest.setTimeout(180_000);

const STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'BOOKED', 'LOST'];
const LEADS = `query($filter: LeadFilter) { leads(first: 1, filter: $filter) { totalCount } }`;
const UPDATE = 'mutation($id: ID!, $status: LeadStatus!) { updateLead(id: $id, input: { status: $status }) { id status } }';

describe.each(testDatabaseKinds)('lead counts on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let twilio: TwilioPoster;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN } });
    twilio = twilioPoster(server);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** Per status: the kept count (sum over slots) and COUNT(*) of the rows. */
  async function keptAndCounted(orgId: string) {
    const kept = await db.prisma.leadCount.groupBy({ by: ['status'], where: { orgId }, _sum: { count: true } });
    const counted = await db.prisma.lead.groupBy({ by: ['status'], where: { orgId }, _count: { _all: true } });
    const of = <T>(rows: T[], status: LeadStatus, value: (row: T) => number | null | undefined) =>
      value(rows.find((row) => (row as { status: LeadStatus }).status === status) as T) ?? 0;
    return {
      kept: Object.fromEntries(STATUSES.map((status) => [status, of(kept, status, (row) => row?._sum.count)])) as Record<LeadStatus, number>,
      counted: Object.fromEntries(STATUSES.map((status) => [status, of(counted, status, (row) => row?._count._all)])) as Record<LeadStatus, number>,
    };
  }

  it('stay exact through 50 concurrent missed calls, direct inserts and status changes, and answer totalCount', async () => {
    const org = await createTestOrg(db);
    const other = await createTestOrg(db);
    const cookie = await openTestSession(db, org.userId, org.orgId);
    const ask = (query: string, variables: Record<string, unknown>) => graphql(server.url, query, { cookie, variables });

    // Lead opens: 50 missed calls through the webhook (each one statement on the hot path),
    // 10 replayed, and 10 leads written by Prisma, all at once; another org's lead beside them.
    const calls = Array.from({ length: 50 }, () => newCall(newCallerNumber(), org.trackingNumber!));
    const responses = await Promise.all([
      ...calls.map((call) => twilio.dialStatus(call)),
      ...calls.slice(0, 10).map((call) => twilio.dialStatus(call)),
      ...Array.from({ length: 10 }, (_, i) => createTestLead(db, org.orgId, { status: STATUSES[i % 4]!, missedCall: false })),
      createTestLead(db, other.orgId, { missedCall: false }),
    ]);
    const statuses = responses.slice(0, 60).map((response) => (response as { status: number }).status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    let counts = await keptAndCounted(org.orgId);
    expect(counts.counted.NEW).toBeGreaterThanOrEqual(3 + statuses.filter((status) => status === 200).length - 10);
    expect(counts.kept).toEqual(counts.counted);

    // Status changes: 50 at once through the API, each lead moved once or twice.
    const newLeads = await db.prisma.lead.findMany({ where: { orgId: org.orgId, status: 'NEW' }, take: 50, orderBy: { id: 'asc' } });
    const changed = await Promise.all(newLeads.map((lead, i) => ask(UPDATE, { id: lead.id, status: (['CONTACTED', 'BOOKED', 'LOST'] as const)[i % 3] })));
    expect(changed.map((result) => result.body.errors)).toEqual(changed.map(() => undefined));
    const moved = await Promise.all(
      newLeads.filter((_, i) => i % 3 === 0).map((lead, i) => ask(UPDATE, { id: lead.id, status: i % 2 === 0 ? 'BOOKED' : 'LOST' })),
    );
    expect(moved.map((result) => result.body.errors)).toEqual(moved.map(() => undefined));
    counts = await keptAndCounted(org.orgId);
    expect(counts.kept).toEqual(counts.counted);
    expect(counts.counted.BOOKED + counts.counted.LOST).toBeGreaterThanOrEqual(33);

    // Deleted leads leave the counts too; the other org's count is its own.
    const gone = await db.prisma.lead.deleteMany({ where: { orgId: org.orgId, status: 'LOST' } });
    expect(gone.count).toBeGreaterThan(0);
    counts = await keptAndCounted(org.orgId);
    expect(counts.kept).toEqual(counts.counted);
    expect((await keptAndCounted(other.orgId)).kept).toEqual({ NEW: 1, CONTACTED: 0, BOOKED: 0, LOST: 0 });

    // totalCount: unfiltered and by status from the kept counts, other filters counted; all equal COUNT(*).
    const credential = await createTestCredential(db, org.orgId, ['leads:read']);
    const total = async (filter: Record<string, unknown> | null) => {
      const { body } = await graphql(server.url, LEADS, { bearer: credential.secret, variables: { filter } });
      expect(body.errors).toBeUndefined();
      return body.data?.leads.totalCount as number;
    };
    const all = await db.prisma.lead.count({ where: { orgId: org.orgId } });
    expect(await total(null)).toBe(all);
    expect(await total({ status: [] })).toBe(all);
    expect(await total({ status: ['NEW', 'CONTACTED'] })).toBe(counts.counted.NEW + counts.counted.CONTACTED);
    expect(await total({ status: ['BOOKED'] })).toBe(counts.counted.BOOKED);
    expect(await total({ optedOut: false })).toBe(all);
    const booked = await db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId, status: 'BOOKED' } });
    expect(await total({ search: booked.phone })).toBe(1);
  });

  it('are dropped with their organization (deleting an org with leads does not fail)', async () => {
    const org = await createTestOrg(db);
    await Promise.all([createTestLead(db, org.orgId), createTestLead(db, org.orgId, { status: 'BOOKED' })]);
    expect((await keptAndCounted(org.orgId)).kept).toEqual({ NEW: 1, CONTACTED: 0, BOOKED: 1, LOST: 0 });
    await db.prisma.organization.delete({ where: { id: org.orgId } });
    expect(await db.prisma.leadCount.count({ where: { orgId: org.orgId } })).toBe(0);
  });
});
