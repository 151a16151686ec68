// The roadmap in public discovery: planned capabilities are listed (status planned, one
// line each) and are not in the schema; every operation the schema serves is public,
// protected or internal. When a planned capability ships, this test asks to move it.
import { buildSchema, isInputObjectType, type GraphQLObjectType } from 'graphql';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { PLANNED_CAPABILITIES } from '../../src/discovery/roadmap';
import { openTestDatabase } from '../support/database';
import { startTestServer } from '../support/server';

jest.setTimeout(60_000);

interface Catalog {
  statuses: Record<string, string>;
  actions: { name: string; kind: string; status: string; description: string }[];
}

let db: Database;
let server: RunningServer;
let catalog: Catalog;
let schemaSdl: string;

beforeAll(async () => {
  db = await openTestDatabase('pglite');
  server = await startTestServer(db);
  catalog = (await (await fetch(`${server.url}/actions.json`)).json()) as Catalog;
  schemaSdl = await (await fetch(`${server.url}/schema.graphql`)).text();
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const operationsOf = (type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {});

it('/actions.json explains the four statuses', () => {
  expect(Object.keys(catalog.statuses).sort()).toEqual(['internal', 'planned', 'protected', 'public']);
});

it('lists every roadmap item as planned, with a one-line description', () => {
  const planned = catalog.actions.filter((action) => action.status === 'planned');
  expect(planned.map((action) => action.name).sort()).toEqual(PLANNED_CAPABILITIES.map((item) => item.name).sort());
  for (const action of planned) expect(action.description).toMatch(/^[^\n]{10,200}$/);
});

it('Idempotency-Key and the updatedSince filters shipped: protected, and served by the schema', () => {
  const byName = new Map(catalog.actions.map((action) => [action.name, action]));
  for (const name of ['Idempotency-Key', 'LeadFilter.updatedSince', 'CallbackFilter.updatedSince']) {
    expect({ name, status: byName.get(name)?.status }).toEqual({ name, status: 'protected' });
    expect(byName.get(name)!.description).toMatch(/^[^\n]{10,200}$/);
  }
  const schema = buildSchema(schemaSdl);
  for (const name of ['LeadFilter.updatedSince', 'CallbackFilter.updatedSince']) {
    const [typeName = '', field = ''] = name.split('.');
    const type = schema.getType(typeName);
    expect({ name, served: type && isInputObjectType(type) ? field in type.getFields() : false }).toEqual({ name, served: true });
  }
});

it('outbound webhooks shipped: protected, for OWNER/ADMIN or the webhooks scopes', () => {
  const reads = ['webhookEndpoints', 'webhookDeliveries'];
  const writes = ['createWebhookEndpoint', 'updateWebhookEndpoint', 'deleteWebhookEndpoint', 'rotateWebhookEndpointSecret', 'redeliverWebhook'];
  const byName = new Map(catalog.actions.map((action) => [action.name, action as Catalog['actions'][number] & { scope?: string | null }]));
  for (const name of [...reads, ...writes]) {
    expect({ name, status: byName.get(name)?.status, scope: byName.get(name)?.scope }).toEqual({
      name,
      status: 'protected',
      scope: reads.includes(name) ? 'webhooks:read' : 'webhooks:write',
    });
  }
});

it('no planned capability is in the schema yet (one that shipped must move to the permission table)', () => {
  const schema = buildSchema(schemaSdl);
  const served = new Set([...operationsOf(schema.getQueryType()), ...operationsOf(schema.getMutationType()), ...operationsOf(schema.getSubscriptionType())]);
  for (const item of PLANNED_CAPABILITIES) {
    if (item.kind === 'query' || item.kind === 'mutation')
      expect({ name: item.name, served: served.has(item.name) }).toEqual({ name: item.name, served: false });
    if (item.kind === 'field') {
      const [typeName = '', field = ''] = item.name.split('.');
      const type = schema.getType(typeName);
      const fields = type && isInputObjectType(type) ? Object.keys(type.getFields()) : [];
      expect({ name: item.name, served: fields.includes(field) }).toEqual({ name: item.name, served: false });
    }
  }
});

it('every operation the schema serves is in the catalog as public, protected or internal', () => {
  const schema = buildSchema(schemaSdl);
  const statusOf = new Map(catalog.actions.map((action) => [action.name, action.status]));
  const operations = [...operationsOf(schema.getQueryType()), ...operationsOf(schema.getMutationType()), ...operationsOf(schema.getSubscriptionType())];
  expect(operations.length).toBeGreaterThan(10);
  for (const name of operations) expect({ name, status: statusOf.get(name) }).toEqual({ name, status: expect.stringMatching(/^(public|protected|internal)$/) });
});

it('/docs/actions has a Planned section with each roadmap item', async () => {
  const markdown = await (await fetch(`${server.url}/docs/actions.md`)).text();
  const planned = markdown.slice(markdown.indexOf('## Planned'));
  expect(markdown).toContain('## Planned');
  for (const item of PLANNED_CAPABILITIES) expect(planned).toContain(`| \`${item.name}\` | ${item.kind} |`);
});
