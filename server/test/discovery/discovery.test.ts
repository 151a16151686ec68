// Public discovery, without credentials: the action catalog, the docs pages and
// llms.txt, and the catalog agrees with what the shield enforces.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import type { Role } from '../../src/generated/prisma/enums';
import { PERMISSIONS } from '../../src/access/permissions';
import { ROLES, SCOPES, type Scope } from '../../src/access/scopes';
import { PLANNED_CAPABILITIES, SHIPPED_CAPABILITIES } from '../../src/discovery/roadmap';
import { openTestDatabase } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { OPERATION_PROBES, verdictOf } from '../support/operation-probes';

jest.setTimeout(60_000);

interface CatalogAction {
  name: string;
  kind: 'query' | 'mutation' | 'header' | 'field';
  status: 'public' | 'protected' | 'internal' | 'planned';
  identities: string[];
  roles: Role[];
  roleRequired: boolean;
  scope: Scope | null;
  description: string;
  audit: string[];
}

const DOCS = ['security', 'permissions', 'actions', 'webhooks', 'staff', 'agent-access'];
const BASE = 'https://calls.example.com';

describe('public discovery', () => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    server = await startTestServer(db, { env: { PUBLIC_BASE_URL: BASE, RATE_LIMIT_SIGNIN_PER_15MIN: '1000' } });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const get = (route: string) => fetch(`${server.url}${route}`);

  it('serves /actions.json: every operation of the permission table, with roles, scopes and statuses', async () => {
    const response = await get('/actions.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const catalog = (await response.json()) as {
      endpoint: string;
      schema: string;
      scopes: { name: string }[];
      roles: { name: string }[];
      actions: CatalogAction[];
    };
    expect(catalog.endpoint).toBe(`${BASE}/graphql`);
    expect(catalog.schema).toBe(`${BASE}/schema.graphql`);
    expect(catalog.scopes.map((s) => s.name)).toEqual([...SCOPES]);
    expect(catalog.roles.map((r) => r.name)).toEqual([...ROLES]);
    expect(catalog.actions.map((a) => a.name)).toEqual([
      ...PERMISSIONS.map((row) => row.name),
      ...SHIPPED_CAPABILITIES.map((item) => item.name),
      ...PLANNED_CAPABILITIES.map((item) => item.name),
    ]);
    expect(catalog.actions.find((a) => a.name === 'auditEntries')).toEqual({
      name: 'auditEntries',
      kind: 'query',
      status: 'protected',
      identities: ['session', 'credential'],
      roles: ['OWNER', 'ADMIN', 'ANALYST'],
      roleRequired: true,
      scope: 'audit:read',
      description: expect.any(String),
      audit: [],
    });
    expect(catalog.actions.find((a) => a.name === 'createApiCredential')).toMatchObject({
      status: 'internal',
      identities: ['session'],
      scope: null,
      audit: ['credential.created'],
    });
    expect(catalog.actions.find((a) => a.name === 'leads')).toMatchObject({ status: 'protected', scope: 'leads:read' });
  });

  it('agrees with the shield: every served action allows exactly what the catalog says', async () => {
    const catalog = (await (await get('/actions.json')).json()) as { actions: CatalogAction[] };
    const { orgId } = await createTestOrg(db);
    const signInEmail = (await createTestStaff(db, orgId, 'ANALYST')).email;
    const staff = new Map<Role, string>([['OWNER', (await ownerOf(db, orgId)).userId]]);
    for (const role of ROLES.filter((r) => r !== 'OWNER')) staff.set(role, (await createTestStaff(db, orgId, role)).userId);
    const secrets = new Map<string, string>();
    const credential = async (scopes: Scope[]) => {
      const key = scopes.join(',');
      if (!secrets.has(key)) secrets.set(key, (await createTestCredential(db, orgId, scopes, `catalog ${secrets.size}`)).secret);
      return secrets.get(key)!;
    };

    // Operations only: a shipped header or filter field follows the operation it is used with.
    for (const action of catalog.actions.filter((a) => a.status !== 'planned' && a.kind !== 'header' && a.kind !== 'field')) {
      const probe = OPERATION_PROBES[action.name]!({ orgId, signInEmail });
      const ask = async (auth: { bearer?: string; cookie?: string }) =>
        verdictOf((await graphql(server.url, probe.query, { variables: probe.variables, ...auth })).body);

      expect({ action: action.name, anonymous: await ask({}) }).toEqual({
        action: action.name,
        anonymous: action.status === 'public' ? 'allowed' : 'UNAUTHENTICATED',
      });
      if (action.status === 'public') continue;
      for (const role of ROLES) {
        // A fresh session each time: signOut ends the one it is called with.
        const cookie = await openTestSession(db, staff.get(role)!, orgId);
        const expected = !action.roleRequired || action.roles.includes(role) ? 'allowed' : 'FORBIDDEN';
        expect({ action: action.name, role, verdict: await ask({ cookie }) }).toEqual({ action: action.name, role, verdict: expected });
      }
      const mayUseCredential = action.identities.includes('credential');
      if (action.scope) {
        expect({ action: action.name, withScope: await ask({ bearer: await credential([action.scope]) }) }).toEqual({
          action: action.name,
          withScope: 'allowed',
        });
        const without = await graphql(server.url, probe.query, {
          variables: probe.variables,
          bearer: await credential(SCOPES.filter((s) => s !== action.scope)),
        });
        expect(without.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: action.scope });
      } else {
        const verdict = await ask({ bearer: await credential([...SCOPES]) });
        expect({ action: action.name, anyCredential: verdict }).toEqual({ action: action.name, anyCredential: mayUseCredential ? 'allowed' : 'FORBIDDEN' });
      }
    }
  });

  it('serves /docs with a link to every page, and each page as HTML and as markdown', async () => {
    const index = await get('/docs');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    const html = await index.text();
    for (const slug of DOCS) expect(html).toContain(`href="/docs/${slug}"`);

    for (const slug of DOCS) {
      const page = await get(`/docs/${slug}`);
      expect({ slug, status: page.status }).toEqual({ slug, status: 200 });
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const body = await page.text();
      expect(body).toMatch(/^<!doctype html>/);
      expect(body).toContain('<h1');
      const markdown = await get(`/docs/${slug}.md`);
      expect(markdown.headers.get('content-type')).toMatch(/text\/markdown/);
      expect(await markdown.text()).toMatch(/^# /);
    }
    expect((await get('/docs/nope')).status).toBe(404);
  });

  it('explains the posture in the security page, and how to get and use a credential in agent-access', async () => {
    const security = await (await get('/docs/security')).text();
    for (const heading of [
      'Discovery is public',
      'Every action needs an explicit identity',
      'Provider traffic is treated as real traffic',
      'Evidence closes the loop',
    ]) {
      expect(security).toContain(heading);
    }
    const agent = await (await get('/docs/agent-access')).text();
    expect(agent).toContain(`${BASE}/graphql`);
    expect(agent).toContain('authorization: Bearer');
    for (const scope of ['leads:read', 'callbacks:write', 'audit:read']) expect(agent).toContain(scope);
  });

  it('generates the actions and permissions pages from the permission table', async () => {
    const actions = await (await get('/docs/actions')).text();
    for (const row of PERMISSIONS) expect(actions).toContain(`<code>${row.name}</code>`);
    const permissions = await (await get('/docs/permissions')).text();
    for (const scope of SCOPES) expect(permissions).toContain(`<code>${scope}</code>`);
    for (const role of ROLES) expect(permissions).toContain(`<code>${role}</code>`);
  });

  it('renders docs/public/webhooks.md when it exists, a placeholder otherwise', async () => {
    const page = await (await get('/docs/webhooks')).text();
    const file = path.join(__dirname, '..', '..', '..', 'docs', 'public', 'webhooks.md');
    if (fs.existsSync(file)) {
      const heading = /^#\s+(.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
      expect(page).toContain(heading!.replace(/&/g, '&amp;'));
    } else {
      expect(page).toContain('This page is being written');
    }
  });

  it('keeps GraphQL introspection open: the schema is public, the data is not', async () => {
    const { body } = await graphql(server.url, '{ __schema { queryType { name } mutationType { name } } }');
    expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } } } });
  });

  it('serves /llms.txt listing the docs, the catalog and the schema with absolute URLs', async () => {
    const response = await get('/llms.txt');
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^# CallSnare\n\n> /);
    for (const slug of DOCS) expect(text).toContain(`](${BASE}/docs/${slug}.md)`);
    expect(text).toContain(`](${BASE}/actions.json)`);
    expect(text).toContain(`](${BASE}/schema.graphql)`);
  });
});
