// The permission table against the built schema and the contract: every root
// field has a row (deny by default otherwise), every object type is allowed on
// purpose, every type and field is described, and the table says what the published API lists.
import { isIntrospectionType, isObjectType, type GraphQLSchema } from 'graphql';
import { buildGraphQLSchema } from '../../src/api/schema';
import { PERMISSIONS, RESULT_TYPES, permissionFor } from '../../src/access/permissions';
import { SCOPES } from '../../src/access/scopes';

// The published API (README, docs/api-conventions.md), by name.
const CONTRACT_QUERIES = [
  'viewer',
  'leads',
  'lead',
  'callbacks',
  'settings',
  'trackingLines',
  'auditEntries',
  'webhookLogs',
  'billing',
  'apiCredentials',
  'members',
  'stats',
];
const CONTRACT_MUTATIONS = [
  'signIn',
  'signOut',
  'updateLead',
  'addLeadNote',
  'sendMessage',
  'scheduleCallback',
  'assignCallback',
  'completeCallback',
  'cancelCallback',
  'updateSettings',
  'createApiCredential',
  'rotateApiCredential',
  'revokeApiCredential',
  'inviteMember',
  'updateMemberRole',
  'removeMember',
];

const ROOTS = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' } as const;

describe('the permission table', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGraphQLSchema();
  });

  it('has a row for every Query, Mutation and Subscription field of the schema, of the right kind, not marked planned', () => {
    const problems: string[] = [];
    for (const [typeName, kind] of Object.entries(ROOTS)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) continue;
      for (const field of Object.keys(type.getFields())) {
        const row = permissionFor(field);
        if (!row) problems.push(`${typeName}.${field} has no row in server/src/access/permissions.ts (it is denied to everyone)`);
        else if (row.kind !== kind) problems.push(`${typeName}.${field} is a ${kind} but its row says ${row.kind}`);
        else if (row.status === 'planned') problems.push(`${typeName}.${field} is served but its row is still "planned"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('marks an operation protected, internal or public only when the schema serves it', () => {
    const served = new Set(
      Object.keys(ROOTS).flatMap((typeName) => {
        const type = schema.getType(typeName);
        return isObjectType(type) ? Object.keys(type.getFields()) : [];
      }),
    );
    expect(PERMISSIONS.filter((row) => row.status !== 'planned' && !served.has(row.name)).map((row) => row.name)).toEqual([]);
  });

  it('allows every object type the schema returns explicitly (RESULT_TYPES), and nothing else silently', () => {
    const objectTypes = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !isIntrospectionType(type) && !(type.name in ROOTS))
      .map((type) => type.name);
    expect(objectTypes.filter((name) => !RESULT_TYPES.includes(name))).toEqual([]);
  });

  it('describes every type, field and argument of the schema', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) continue;
      if (!type.description && !(type.name in ROOTS)) missing.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists every published operation once, with the right kind', () => {
    const names = PERMISSIONS.map((row) => row.name);
    expect(names.length).toBe(new Set(names).size);
    for (const name of CONTRACT_QUERIES) expect(permissionFor(name)?.kind).toBe('query');
    for (const name of CONTRACT_MUTATIONS) expect(permissionFor(name)?.kind).toBe('mutation');
  });

  it('follows the access rules: credentials never manage credentials or members; scopes from the list; roles as the table says', () => {
    for (const name of [
      'apiCredentials',
      'createApiCredential',
      'rotateApiCredential',
      'revokeApiCredential',
      'members',
      'inviteMember',
      'updateMemberRole',
      'removeMember',
    ]) {
      expect(permissionFor(name)).toMatchObject({ status: 'internal', roles: ['OWNER', 'ADMIN'], scope: null });
    }
    const expectations: [string, string[], string][] = [
      ['leads', ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'], 'leads:read'],
      ['lead', ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'], 'leads:read'],
      ['stats', ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'], 'leads:read'],
      ['updateLead', ['OWNER', 'ADMIN', 'DISPATCHER'], 'leads:write'],
      ['addLeadNote', ['OWNER', 'ADMIN', 'DISPATCHER'], 'leads:write'],
      ['sendMessage', ['OWNER', 'ADMIN', 'DISPATCHER'], 'messages:send'],
      ['callbacks', ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'], 'callbacks:read'],
      ['scheduleCallback', ['OWNER', 'ADMIN', 'DISPATCHER'], 'callbacks:write'],
      ['assignCallback', ['OWNER', 'ADMIN', 'DISPATCHER'], 'callbacks:write'],
      ['completeCallback', ['OWNER', 'ADMIN', 'DISPATCHER'], 'callbacks:write'],
      ['cancelCallback', ['OWNER', 'ADMIN', 'DISPATCHER'], 'callbacks:write'],
      ['settings', ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'], 'settings:read'],
      ['trackingLines', ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'], 'settings:read'],
      ['updateSettings', ['OWNER', 'ADMIN'], 'settings:write'],
      ['auditEntries', ['OWNER', 'ADMIN', 'ANALYST'], 'audit:read'],
      ['webhookLogs', ['OWNER', 'ADMIN', 'ANALYST'], 'webhook_logs:read'],
      ['billing', ['OWNER', 'ADMIN', 'ANALYST'], 'billing:read'],
    ];
    for (const [name, roles, scope] of expectations) {
      expect({ name, roles: permissionFor(name)?.roles, scope: permissionFor(name)?.scope }).toEqual({ name, roles, scope });
      expect(['protected', 'planned']).toContain(permissionFor(name)?.status);
    }
    expect(permissionFor('viewer')).toMatchObject({ status: 'protected', roles: 'any', scope: null });
    expect(permissionFor('signIn')?.status).toBe('public');
    for (const row of PERMISSIONS) {
      if (row.scope) expect(SCOPES).toContain(row.scope);
      if (row.status === 'internal' || row.status === 'public') expect(row.scope).toBeNull();
      if (row.status === 'public') expect(row.roles).toEqual([]);
    }
  });
});
