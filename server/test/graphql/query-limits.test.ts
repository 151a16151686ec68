// Abusive queries are rejected before they execute; suggestions only for identified callers.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { QUERY_LIMITS } from '../../src/graphql/query-limits';
import { openTestDatabase } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';

jest.setTimeout(60_000);

describe('query limits', () => {
  let db: Database;
  let server: RunningServer;
  let secret: string;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    server = await startTestServer(db);
    const org = await createTestOrg(db);
    secret = (await createTestCredential(db, org.orgId, ['leads:read', 'callbacks:read'])).secret;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('prices nested lists by their page sizes and rejects an expensive query with QUERY_TOO_COMPLEX', async () => {
    const query = 'query($n: Int) { leads(first: 100) { nodes { events(first: $n) { nodes { id type createdAt } } } } }';
    const cheap = await graphql(server.url, query, { bearer: secret, variables: { n: 5 } });
    expect(cheap.body.errors).toBeUndefined();
    const expensive = await graphql(server.url, query, { bearer: secret, variables: { n: 100 } });
    expect(expensive.status).toBe(400);
    expect(expensive.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: QUERY_LIMITS.maxCost });
    expect(expensive.body.errors?.[0]?.extensions?.cost).toBeGreaterThan(QUERY_LIMITS.maxCost);
  });

  it('counts lists reached through fragments', async () => {
    const query = `fragment E on Lead { events(first: 100) { nodes { id type createdAt } } }
      query { leads(first: 100) { nodes { ...E } } }`;
    const { body } = await graphql(server.url, query, { bearer: secret });
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('rejects a query deeper than the depth limit, even through fragments', async () => {
    let selection = 'id';
    for (let i = 0; i < QUERY_LIMITS.maxDepth; i++) selection = `lead { id callbacks { ${selection} } }`;
    const query = `fragment Deep on Callback { ${selection} } query { callbacks(first: 1) { nodes { ...Deep } } }`;
    const { status, body } = await graphql(server.url, query, { bearer: secret });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
    expect(body.data).toBeUndefined();
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { label }`).join(' ');
    const { body } = await graphql(server.url, `{ ${aliases} }`, { bearer: secret });
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuses batched HTTP requests', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify([{ query: '{ viewer { label } }' }, { query: '{ viewer { label } }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('shows field suggestions to identified callers only', async () => {
    const anonymous = await graphql(server.url, '{ viewr { label } }');
    expect(anonymous.body.errors?.[0]?.message).toBe('Cannot query field "viewr" on type "Query".');
    const identified = await graphql(server.url, '{ viewr { label } }', { bearer: secret });
    expect(identified.body.errors?.[0]?.message).toMatch(/Did you mean "viewer"\?/);
  });
});
