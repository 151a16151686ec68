// The inbox: open leads in work order (needs reply, callback overdue, new missed
// call, the rest; latest activity first within each), paged in SQL with a keyset
// cursor the index (orgId, inboxRank, lastActivityAt DESC, id DESC) serves.
import { Prisma } from '../../src/generated/prisma/client';
import type { LeadStatus } from '../../src/generated/prisma/enums';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { inboxPageSql, type InboxPosition } from '../../src/leads/inbox.service';
import { newRowId } from '../../src/common/ids';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { testPhone } from '../support/leads';
import { graphql, startTestServer } from '../support/server';
import { openTestSession } from '../support/sessions';

jest.setTimeout(120_000);

const INBOX = `query($first: Int, $after: String) {
  inbox(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id status needsReply callbackOverdue lastActivityAt }
  }
}`;

const INBOX_INDEX = 'Lead_orgId_inboxRank_lastActivityAt_id_idx';

interface SeededLead {
  id: string;
  status: LeadStatus;
  needsReply: boolean;
  callbackOverdue: boolean;
  lastActivityAt: Date;
}

const STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'BOOKED', 'LOST', 'CONTACTED', 'NEW', 'CONTACTED'];
const START = Date.parse('2026-01-15T12:00:00.000Z');

/**
 * `count` leads of every kind: each status, needing a reply or not, overdue or not,
 * closed ones with stale flags; activity times repeat (ties broken by id).
 */
async function seedLeads(db: Database, orgId: string, count: number): Promise<SeededLead[]> {
  const leads = Array.from({ length: count }, (_, i): SeededLead & { phone: string } => ({
    id: newRowId(),
    phone: testPhone(),
    status: STATUSES[i % STATUSES.length]!,
    needsReply: i % 5 === 0,
    callbackOverdue: i % 3 === 0,
    lastActivityAt: new Date(START + ((i * 7) % 23) * 60_000),
  }));
  await db.prisma.lead.createMany({
    data: leads.map((lead) => ({
      ...lead,
      orgId,
      openPhone: lead.status === 'NEW' || lead.status === 'CONTACTED' ? lead.phone : null,
      createdAt: new Date(START - 86_400_000),
    })),
  });
  return leads;
}

function rankOf(lead: SeededLead): number {
  if (lead.status === 'BOOKED' || lead.status === 'LOST') return 9;
  if (lead.needsReply) return 0;
  if (lead.callbackOverdue) return 1;
  return lead.status === 'NEW' ? 2 : 3;
}

/** The work order, computed here independently of the database. */
function workOrder(leads: SeededLead[]): string[] {
  return leads
    .filter((lead) => rankOf(lead) !== 9)
    .sort((a, b) => rankOf(a) - rankOf(b) || b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((lead) => lead.id);
}

describe.each(testDatabaseKinds)('inbox on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let orgId: string;
  let cookie: string;
  let secret: string;
  let seeded: SeededLead[];
  let otherOrgLeadIds: Set<string>;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db);
    const org = await createTestOrg(db);
    orgId = org.orgId;
    cookie = await openTestSession(db, org.userId, orgId);
    secret = (await createTestCredential(db, orgId, ['leads:read'])).secret;
    seeded = await seedLeads(db, orgId, 150);
    // Another shop's leads, all needing a reply and newer: they would top the list if they leaked.
    const other = await createTestOrg(db);
    otherOrgLeadIds = new Set((await seedLeads(db, other.orgId, 20)).map((lead) => lead.id));
    await db.prisma.lead.updateMany({ where: { orgId: other.orgId }, data: { needsReply: true, lastActivityAt: new Date(START + 86_400_000) } });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  async function allPages(first: number, auth: { cookie?: string; bearer?: string }) {
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { body } = await graphql(server.url, INBOX, { ...auth, variables: { first, after } });
      expect(body.errors).toBeUndefined();
      const inbox = body.data!.inbox;
      expect(inbox.totalCount).toBe(workOrder(seeded).length);
      expect(inbox.nodes.length).toBeLessThanOrEqual(first);
      ids.push(...inbox.nodes.map((node: { id: string }) => node.id));
      if (!inbox.pageInfo.hasNextPage) {
        expect(inbox.nodes.length).toBeGreaterThan(0);
        return ids;
      }
      expect(inbox.nodes).toHaveLength(first);
      after = inbox.pageInfo.endCursor;
    }
    throw new Error('the inbox never ended');
  }

  it('pages through 150 leads of mixed states in work order: every open lead exactly once, closed ones never', async () => {
    const expected = workOrder(seeded);
    expect(expected.length).toBeGreaterThan(80);
    // Page boundaries fall inside runs of equal rank and equal activity time.
    for (const [first, auth] of [
      [40, { cookie }],
      [7, { bearer: secret }],
      [100, { cookie }],
    ] as const) {
      const ids = await allPages(first, auth);
      expect(ids).toEqual(expected);
      expect(ids.some((id) => otherOrgLeadIds.has(id))).toBe(false);
    }
  });

  it("lists the work order's fields as stored", async () => {
    const { body } = await graphql(server.url, INBOX, { cookie, variables: { first: 3 } });
    const byId = new Map(seeded.map((lead) => [lead.id, lead]));
    for (const node of body.data!.inbox.nodes) {
      const lead = byId.get(node.id)!;
      expect(node).toEqual({
        id: lead.id,
        status: lead.status,
        needsReply: lead.needsReply,
        callbackOverdue: lead.callbackOverdue,
        lastActivityAt: lead.lastActivityAt.toISOString(),
      });
      expect(node.needsReply).toBe(true);
    }
  });

  it('answers BAD_USER_INPUT for a cursor it did not write, and for page sizes out of range', async () => {
    const { body: leadsPage } = await graphql(server.url, '{ leads(first: 1) { pageInfo { endCursor } } }', { cookie });
    const leadsCursor = leadsPage.data!.leads.pageInfo.endCursor as string;
    const forge = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const at = '2026-01-15T12:00:00.000Z';
    const id = newRowId();
    for (const after of [
      'garbage',
      leadsCursor,
      forge(`inbox1|9|${at}|${id}`),
      forge(`inbox1|x|${at}|${id}`),
      forge(`inbox1|-1|${at}|${id}`),
      forge(`inbox1|0|not-a-date|${id}`),
      forge(`inbox1|0|0000-01-01T00:00:00.000Z|${id}`),
      forge(`inbox1|0|${at}|not-a-uuid`),
      forge(`inbox1|0|${at}|${id}|extra`),
      forge(`inbox2|0|${at}|${id}`),
    ]) {
      const { status, body } = await graphql(server.url, INBOX, { cookie, variables: { first: 5, after } });
      expect(status).toBe(200);
      expect(body.errors?.[0]).toMatchObject({ message: '`after` is not a cursor returned by this list', extensions: { code: 'BAD_USER_INPUT' } });
    }
    for (const first of [0, 101, -1]) {
      const { body } = await graphql(server.url, INBOX, { cookie, variables: { first } });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // A well-formed cursor is only a position: one from another shop's inbox reads this shop's leads after it.
    const position = forge(`inbox1|2|${at}|${id}`);
    const { body } = await graphql(server.url, INBOX, { cookie, variables: { first: 100, after: position } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.inbox.nodes.every((node: { id: string }) => !otherOrgLeadIds.has(node.id))).toBe(true);
  });

  (kind === 'postgres' ? it : it.skip)("a page of a big shop's inbox is an index range scan, never a sort of all its leads", async () => {
    const big = await createTestOrg(db);
    const neighbour = await createTestOrg(db);
    for (const shop of [big.orgId, neighbour.orgId]) {
      await db.prisma.$executeRaw`
        INSERT INTO "Lead" ("id", "orgId", "phone", "openPhone", "status", "needsReply", "callbackOverdue", "createdAt", "updatedAt", "lastActivityAt")
        SELECT gen_random_uuid(), ${shop}::uuid, '+1999' || lpad(i::text, 7, '0'),
          CASE WHEN i % 4 < 2 THEN '+1999' || lpad(i::text, 7, '0') END,
          (ARRAY['NEW', 'CONTACTED', 'BOOKED', 'LOST'])[i % 4 + 1]::"LeadStatus",
          i % 11 = 0, i % 13 = 0, now(), now(), now() - (i % 5000) * interval '1 minute'
        FROM generate_series(1, 20000) AS i`;
    }
    await db.prisma.$executeRawUnsafe('ANALYZE "Lead"');
    const size = 50;
    const [middle] = await db.prisma.$queryRaw<{ inboxRank: number; lastActivityAt: Date; id: string }[]>`
      SELECT "inboxRank", "lastActivityAt", id::text AS id FROM "Lead" WHERE "orgId" = ${big.orgId}::uuid AND "inboxRank" < 9
      ORDER BY "inboxRank", "lastActivityAt" DESC, id DESC OFFSET 4000 LIMIT 1`;
    const cursor: InboxPosition = { rank: middle!.inboxRank, lastActivityAt: new Date(middle!.lastActivityAt), id: middle!.id };
    for (const after of [null, cursor]) {
      const [row] = await db.prisma.$queryRaw<{ 'QUERY PLAN': unknown }[]>(
        Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${inboxPageSql(big.orgId, size + 1, after)}`,
      );
      const plan = (row!['QUERY PLAN'] as [{ Plan: PlanNode }])[0].Plan;
      const nodes = flatten(plan);
      const describe = JSON.stringify(plan, null, 1);
      expect(nodes.filter((node) => node['Relation Name'] === 'Lead').every((node) => node['Index Name'] === INBOX_INDEX)).toBe(true);
      expect(nodes.some((node) => node['Index Name'] === INBOX_INDEX)).toBe(true);
      for (const node of nodes) {
        // Each branch reads at most one page (plus the row that says another page follows).
        if (node['Relation Name'] === 'Lead') {
          expect({ rows: node['Actual Rows'], removed: node['Rows Removed by Filter'] ?? 0, plan: describe }).toMatchObject({ removed: 0 });
          expect(node['Actual Rows']).toBeLessThanOrEqual(size + 1);
        }
        if (node['Node Type'] === 'Sort') expect(node['Actual Rows']).toBeLessThanOrEqual(2 * (size + 1));
      }
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
