// Scopes do not stop at the root field. A field that leads from one resource to
// another (Callback.lead, Lead.callbacks) demands that other resource's
// permission, whichever query or mutation payload reached it. The edges are
// derived from the schema and the permission table; this matrix tries each edge
// through every probe below, with every role and with credentials holding the
// root's scope with and without the edge's. Expectations come from the table rows.
// Reproduces the review's finding: with only callbacks:read,
// `{callbacks{nodes{lead{messages{nodes{body}}}}}}` returned callers' texts.
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import type { Role } from '../../src/generated/prisma/enums';
import { permissionFor, type OperationPermission } from '../../src/access/permissions';
import { resourceEdges, type ResourceEdge } from '../../src/access/shield';
import { ROLES, type Scope } from '../../src/access/scopes';
import { repoRoot } from '../../src/common/paths';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { createTestStaff, openTestSession, ownerOf, type TestStaff } from '../support/sessions';
import { verdictOf } from '../support/operation-probes';
import { describeCaller, expectedFor, type Caller, type Expected } from '../support/access-expectations';

jest.setTimeout(180_000);

const schema = buildSchema(fs.readFileSync(path.join(repoRoot(), 'schema.graphql'), 'utf8'));
const edges = resourceEdges(schema);

interface NestedProbe {
  /** The root operation the document calls. */
  root: string;
  query: (ids: { leadId: string; callbackId: string }) => { query: string; variables?: Record<string, unknown> };
}

/** For each edge, documents that reach it from a query and from mutation payloads. */
const NESTED_PROBES: Record<string, NestedProbe[]> = {
  'Callback.lead': [
    {
      root: 'callbacks',
      query: () => ({ query: '{ callbacks(first: 5) { nodes { id lead { phone messages { nodes { body } } events { nodes { data } } } } } }' }),
    },
    {
      root: 'assignCallback',
      query: ({ callbackId }) => ({
        query: 'mutation($id: ID!) { assignCallback(id: $id, assigneeId: null) { id lead { phone } } }',
        variables: { id: callbackId },
      }),
    },
    {
      root: 'scheduleCallback',
      query: ({ leadId }) => ({
        query: 'mutation($id: ID!) { scheduleCallback(leadId: $id, at: "2030-01-01T15:00:00.000Z") { id lead { phone } } }',
        variables: { id: leadId },
      }),
    },
  ],
  'Lead.callbacks': [
    { root: 'leads', query: () => ({ query: '{ leads(first: 5) { nodes { id callbacks { id dueAt } } } }' }) },
    { root: 'lead', query: ({ leadId }) => ({ query: 'query($id: ID!) { lead(id: $id) { id callbacks { id notes } } }', variables: { id: leadId } }) },
    {
      root: 'updateLead',
      query: ({ leadId }) => ({
        query: 'mutation($id: ID!) { updateLead(id: $id, input: { name: "Probe" }) { id callbacks { id } } }',
        variables: { id: leadId },
      }),
    },
  ],
};

/** The root's verdict first (the edge is never reached without it), then the edge's. */
function expectedNested(root: OperationPermission, edge: ResourceEdge, caller: Caller): Expected {
  const atRoot = expectedFor(root, caller);
  return atRoot.verdict === 'allowed' ? expectedFor(edge.needs, caller) : atRoot;
}

function callersFor(root: OperationPermission, edge: ResourceEdge): Caller[] {
  const rootScope = root.scope as Scope;
  const edgeScope = edge.needs.scope as Scope;
  return [
    ...ROLES.map((role): Caller => ({ kind: 'session', role })),
    { kind: 'credential', scopes: [rootScope], label: `only ${rootScope}` },
    { kind: 'credential', scopes: [...new Set([rootScope, edgeScope])], label: `${rootScope} and ${edgeScope}` },
  ];
}

describe('resource edges', () => {
  it("are derived from the schema: a callback's lead and a lead's callbacks", () => {
    expect(edges.map((edge) => [`${edge.type}.${edge.field}`, edge.needs.name])).toEqual([
      ['Lead.callbacks', 'callbacks'],
      ['Callback.lead', 'lead'],
    ]);
  });

  it('each have nested probes (add them here when the schema grows an edge)', () => {
    expect(edges.map((edge) => `${edge.type}.${edge.field}`).filter((name) => !NESTED_PROBES[name]?.length)).toEqual([]);
  });
});

describe.each(testDatabaseKinds)('nested permissions on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let orgId: string;
  let ids: { leadId: string; callbackId: string };
  const staff = new Map<Role, TestStaff>();
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { env: { RATE_LIMIT_API_PER_MIN: '100000' } });
    orgId = (await createTestOrg(db, { name: 'Nested HVAC' })).orgId;
    staff.set('OWNER', await ownerOf(db, orgId));
    for (const role of ROLES.filter((r) => r !== 'OWNER')) staff.set(role, await createTestStaff(db, orgId, role));
    const lead = await createTestLead(db, orgId, { name: 'Caller With Secrets', callback: { status: 'OPEN' } });
    await db.prisma.message.create({
      data: {
        orgId,
        leadId: lead.id,
        direction: 'INBOUND',
        kind: 'INBOUND',
        body: 'my gate code is 4411',
        status: 'RECEIVED',
        fromPhone: lead.phone,
        toPhone: '+15005550006',
      },
    });
    const callback = await db.prisma.callback.findFirstOrThrow({ where: { leadId: lead.id } });
    ids = { leadId: lead.id, callbackId: callback.id };
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  async function secretFor(scopes: Scope[]): Promise<string> {
    const key = [...scopes].sort().join(',');
    if (!secrets.has(key)) secrets.set(key, (await createTestCredential(db, orgId, scopes, `nested ${secrets.size + 1}`)).secret);
    return secrets.get(key)!;
  }

  const cases = edges.flatMap((edge) =>
    (NESTED_PROBES[`${edge.type}.${edge.field}`] ?? []).flatMap((probe) => {
      const root = permissionFor(probe.root)!;
      return callersFor(root, edge).map(
        (caller) => [`${edge.type}.${edge.field} via ${probe.root}`, describeCaller(caller), { edge, probe, root, caller }] as const,
      );
    }),
  );

  it.each(cases)('%s, %s', async (_path, _caller, { edge, probe, root, caller }) => {
    const expected = expectedNested(root, edge, caller);
    const cookie = caller.kind === 'session' ? await openTestSession(db, staff.get(caller.role)!.userId, orgId) : undefined;
    const bearer = caller.kind === 'credential' ? await secretFor(caller.scopes) : undefined;
    const { query, variables } = probe.query(ids);
    const { body } = await graphql(server.url, query, { variables, cookie, bearer });
    expect({ verdict: verdictOf(body), error: body.errors?.[0]?.message }).toMatchObject({ verdict: expected.verdict });
    const text = JSON.stringify(body.data ?? null);
    if (expected.verdict === 'allowed') {
      expect(body.errors).toBeUndefined();
    } else {
      if (expected.verdict === 'FORBIDDEN') expect(body.errors?.[0]?.extensions).toMatchObject(expected.extensions);
      // Nothing of the other resource leaks next to the error.
      expect(text).not.toContain('my gate code');
      expect(text).not.toContain('Caller With Secrets');
      if (edge.field === 'callbacks') expect(text).not.toContain(ids.callbackId);
    }
  });
});
