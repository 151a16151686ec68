// Pages and iteration across 250 leads: fetchNext() until the end, for-await over a
// page, and client.leads.iterate(), each seeing every lead exactly once, in order.
import { createTestLead } from '../../server/test/support/leads';
import { Page, ValidationError, type CallSnare, type Lead } from '../src/index';
import { startSdkTestServer, type SdkTestServer } from './support/harness';

jest.setTimeout(120_000);

const LEADS = 250;
let api: SdkTestServer;
let client: CallSnare;
let requests = 0;
/** Lead ids, most recent activity first (the list's order). */
let expectedOrder: string[];

beforeAll(async () => {
  api = await startSdkTestServer();
  const start = Date.now() - LEADS * 60_000;
  const ids: string[] = [];
  for (let i = 0; i < LEADS; i++) {
    const lead = await createTestLead(api.db, api.orgId, { name: `Caller ${i}`, at: new Date(start + i * 60_000) });
    ids.push(lead.id);
  }
  expectedOrder = ids.reverse();
  client = await api.client(['leads:read'], {
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
  });
});
afterAll(async () => {
  await api?.close();
});

beforeEach(() => {
  requests = 0;
});

it('fetchNext() walks 250 leads in pages of 100, 100 and 50, then returns null', async () => {
  const sizes: number[] = [];
  const seen: string[] = [];
  let page: Page<Lead> | null = await client.leads.list({}, { first: 100 });
  expect(page.totalCount).toBe(LEADS);
  while (page) {
    sizes.push(page.nodes.length);
    seen.push(...page.nodes.map((lead) => lead.id));
    expect(page.totalCount).toBe(LEADS);
    const next: Page<Lead> | null = await page.fetchNext();
    if (!next) expect(page.pageInfo.hasNextPage).toBe(false);
    page = next;
  }
  expect(sizes).toEqual([100, 100, 50]);
  expect(seen).toEqual(expectedOrder);
  expect(requests).toBe(3);
});

it('a page keeps its filter and page size when fetching the next one', async () => {
  const first = await client.leads.list({ search: 'Caller 1' }, { first: 30 });
  // "Caller 1", "Caller 10"–"Caller 19", "Caller 100"–"Caller 199": 111 leads.
  expect(first.totalCount).toBe(111);
  const second = (await first.fetchNext())!;
  expect(second.nodes).toHaveLength(30);
  expect(second.nodes.every((lead) => lead.name!.startsWith('Caller 1'))).toBe(true);
  expect(new Set([...first.nodes, ...second.nodes].map((lead) => lead.id)).size).toBe(60);
});

it('for await over a page yields it and every later page', async () => {
  const page = await client.leads.list({}, { first: 40, after: null });
  const seen: string[] = [];
  for await (const lead of page) seen.push(lead.id);
  expect(seen).toEqual(expectedOrder);
  expect(requests).toBe(Math.ceil(LEADS / 40));
});

it('leads.iterate() yields all 250 leads once, 100 per request by default', async () => {
  const seen: string[] = [];
  for await (const lead of client.leads.iterate()) seen.push(lead.id);
  expect(seen).toEqual(expectedOrder);
  expect(requests).toBe(3);
});

it('leads.iterate() stops fetching when the loop breaks', async () => {
  const seen: string[] = [];
  for await (const lead of client.leads.iterate({}, { pageSize: 25 })) {
    seen.push(lead.id);
    if (seen.length === 30) break;
  }
  expect(seen).toEqual(expectedOrder.slice(0, 30));
  expect(requests).toBe(2);
});

it('starts after a cursor from an earlier page', async () => {
  const first = await client.leads.list({}, { first: 100 });
  const resumed = await client.leads.list({}, { first: 100, after: first.pageInfo.endCursor });
  expect(resumed.nodes.map((lead) => lead.id)).toEqual(expectedOrder.slice(100, 200));
});

it('a page size over 100 is a ValidationError', async () => {
  await expect(client.leads.list({}, { first: 101 })).rejects.toBeInstanceOf(ValidationError);
});
