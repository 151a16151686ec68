// The permission matrix, generated from the permission table: every served
// operation × every role × a credential with and without the scope it needs ×
// no identity. Expectations are derived from the table row here, independently
// of the shield's own decision function.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import type { Role } from '../../src/generated/prisma/enums';
import { PERMISSIONS, type OperationPermission } from '../../src/access/permissions';
import { ROLES, SCOPES, type Scope } from '../../src/access/scopes';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestStaff, openTestSession, ownerOf, type TestStaff } from '../support/sessions';
import { OPERATION_PROBES, verdictOf } from '../support/operation-probes';
import { describeCaller, expectedFor, type Caller } from '../support/access-expectations';

jest.setTimeout(120_000);

function callersFor(row: OperationPermission): Caller[] {
  const others = SCOPES.filter((scope) => scope !== row.scope);
  return [
    { kind: 'none' },
    ...ROLES.map((role): Caller => ({ kind: 'session', role })),
    ...(row.scope ? [{ kind: 'credential', scopes: [row.scope], label: `only ${row.scope}` } as Caller] : []),
    { kind: 'credential', scopes: others, label: row.scope ? `every scope but ${row.scope}` : 'every scope' },
  ];
}

const served = PERMISSIONS.filter((row) => row.status !== 'planned');

describe.each(testDatabaseKinds)('permission matrix on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let orgId: string;
  const staff = new Map<Role, TestStaff>();
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { env: { RATE_LIMIT_SIGNIN_PER_15MIN: '1000', RATE_LIMIT_API_PER_MIN: '100000' } });
    orgId = (await createTestOrg(db, { name: 'Matrix HVAC' })).orgId;
    staff.set('OWNER', await ownerOf(db, orgId));
    for (const role of ROLES.filter((r) => r !== 'OWNER')) staff.set(role, await createTestStaff(db, orgId, role));
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  async function credentialSecret(scopes: Scope[]): Promise<string> {
    const key = [...scopes].sort().join(',');
    if (!secrets.has(key)) secrets.set(key, (await createTestCredential(db, orgId, scopes, `matrix ${secrets.size + 1}`)).secret);
    return secrets.get(key)!;
  }

  async function call(row: OperationPermission, caller: Caller) {
    const probe = OPERATION_PROBES[row.name]!({ orgId, signInEmail: staff.get('DISPATCHER')!.email });
    // A fresh session per call: signOut must not end the session other calls use.
    const cookie = caller.kind === 'session' ? await openTestSession(db, staff.get(caller.role)!.userId, orgId) : undefined;
    const bearer = caller.kind === 'credential' ? await credentialSecret(caller.scopes) : undefined;
    return graphql(server.url, probe.query, { variables: probe.variables, cookie, bearer });
  }

  it('has a probe for every served operation (add one to support/operation-probes.ts with the table row)', () => {
    expect(served.map((row) => row.name).filter((name) => !OPERATION_PROBES[name])).toEqual([]);
  });

  describe.each(served.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    it.each(callersFor(row).map((caller) => [describeCaller(caller), caller] as const))('%s', async (_label, caller) => {
      const expected = expectedFor(row, caller);
      const { body } = await call(row, caller);
      expect({ verdict: verdictOf(body), error: body.errors?.[0]?.message }).toMatchObject({ verdict: expected.verdict });
      if (expected.verdict === 'allowed') {
        // Allowed: data, or a service's own answer to the probe's made-up ids; never an unexpected failure.
        // (A subscription over HTTP: BAD_REQUEST pointing to the WebSocket endpoint, server/test/live.)
        expect([undefined, 'NOT_FOUND', 'BAD_USER_INPUT', ...(row.kind === 'subscription' ? ['BAD_REQUEST'] : [])]).toContain(
          body.errors?.[0]?.extensions?.code,
        );
      } else {
        expect(body.data?.[row.name] ?? null).toBeNull();
        expect(body.errors?.[0]?.extensions?.operation).toBe(row.name);
        if (expected.verdict === 'FORBIDDEN') expect(body.errors?.[0]?.extensions).toMatchObject(expected.extensions);
      }
    });
  });

  it('answers a planned operation as not in the schema (nothing half-served)', async () => {
    const secret = await credentialSecret([...SCOPES]);
    for (const row of PERMISSIONS.filter((r) => r.status === 'planned')) {
      const operation = `${row.kind} { ${row.name} }`;
      const { body } = await graphql(server.url, operation, { bearer: secret });
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });
});
