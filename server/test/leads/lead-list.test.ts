// The unfiltered list of leads (the dashboard's and the SDK's default) is read by
// a statement of its own (leads.service.ts recentLeads); a filter goes through
// paginate. Both must page alike: same leads, same order (ties on
// lastActivityAt broken by id), same cursors, same totals, and only the org's own.
import { SCOPES } from '../../src/access/scopes';
import { testDatabaseKinds } from '../support/database';
import { useTestServer } from '../support/test-server';
import { graphql } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

jest.setTimeout(120_000);

const PAGE = `query($first: Int, $after: String, $filter: LeadFilter) {
  leads(first: $first, after: $after, filter: $filter) {
    nodes { id name status lastActivityAt }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
}`;

interface Page {
  nodes: { id: string; name: string; status: string; lastActivityAt: string }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

describe.each(testDatabaseKinds)('the unfiltered list of leads (%s)', (kind) => {
  const api = useTestServer(kind);
  let bearer: string;

  beforeAll(async () => {
    const org = await createTestOrg(api.db, { name: 'List HVAC' });
    const other = await createTestOrg(api.db, { name: 'Other HVAC' });
    bearer = (await createTestCredential(api.db, org.orgId, [...SCOPES], 'everything')).secret;
    // Seven leads, three of them at the same instant (the tie is broken by id), in every status.
    const base = Date.parse('2026-03-02T15:00:00.000Z');
    const times = [0, 60_000, 60_000, 60_000, 120_000, 180_000, 240_000];
    const statuses = ['NEW', 'CONTACTED', 'BOOKED', 'LOST'] as const;
    for (const [i, offset] of times.entries()) {
      await createTestLead(api.db, org.orgId, { name: `Lead ${i}`, at: new Date(base + offset), status: statuses[i % 4]!, missedCall: false });
    }
    await createTestLead(api.db, other.orgId, { name: 'Not ours', at: new Date(base + 90_000), missedCall: false });
  });

  async function pageThrough(filter: Record<string, unknown> | null, first: number): Promise<Page[]> {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const { body } = await graphql(api.server.url, PAGE, { bearer, variables: { first, after, filter } });
      expect(body.errors).toBeUndefined();
      const page = (body.data as { leads: Page }).leads;
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return pages;
  }

  it('pages exactly as the same list read through a filter that keeps every lead', async () => {
    const everyStatus = { status: ['NEW', 'CONTACTED', 'BOOKED', 'LOST'] };
    for (const first of [1, 2, 3, 7, 20]) {
      const unfiltered = await pageThrough(null, first);
      expect(unfiltered).toEqual(await pageThrough(everyStatus, first));
      expect(await pageThrough({ search: '  ', status: [] }, first)).toEqual(unfiltered);
    }
    const all = (await pageThrough(null, 20))[0]!;
    expect(all.totalCount).toBe(7);
    expect(all.nodes.map((node) => node.name)).not.toContain('Not ours');
    // Most recent activity first; the three leads at the same instant in descending id order.
    const order = all.nodes.map((node) => [node.lastActivityAt, node.id].join('|'));
    expect(order).toEqual([...order].sort().reverse());
  });
});
