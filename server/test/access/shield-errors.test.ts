// How the shield treats errors (allowExternalErrors: false): typed errors keep
// their code, anything else is masked as INTERNAL_SERVER_ERROR and its original
// reaches the log, never the client; the fallback rule names the denied field.
import { buildSchema, graphql as execute } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildGraphQLSchema } from '../../src/api/schema';
import { formatGraphQLError, MaskedInternalError } from '../../src/graphql/errors';
import { permissionRules, permissionShield, resourceEdges } from '../../src/access/shield';
import type { GraphQLContext } from '../../src/graphql/context';
import { systemClock } from '../../src/common/clock';

function contextWith(prisma: unknown): GraphQLContext {
  return {
    deps: { db: { prisma }, clock: systemClock } as unknown as GraphQLContext['deps'],
    req: {} as GraphQLContext['req'],
    res: {} as GraphQLContext['res'],
    request: {},
    identity: {
      kind: 'credential',
      credentialId: '0190c3a0-0000-7000-8000-000000000001',
      orgId: '0190c3a0-0000-7000-8000-000000000002',
      name: 'unit',
      prefix: 'cs_test_unit',
      scopes: ['audit:read'],
    },
    identityProblem: null,
    signInLimiter: {} as GraphQLContext['signInLimiter'],
  };
}

async function run(query: string, prisma: unknown) {
  const result = await execute({ schema: await buildGraphQLSchema(), source: query, contextValue: contextWith(prisma) });
  const logged: unknown[] = [];
  const formatted = (result.errors ?? []).map((error) => formatGraphQLError(error.toJSON(), error, (internal) => logged.push(internal)));
  return { result, formatted, logged };
}

describe('the permission shield and errors', () => {
  it('masks an unexpected resolver error as INTERNAL_SERVER_ERROR and logs the original', async () => {
    const boom = new Error('connect ECONNREFUSED 10.0.0.5:5432 (password=hunter2)');
    const failing = new Proxy(
      {},
      {
        get: () => {
          throw boom;
        },
      },
    );
    const { result, formatted, logged } = await run('{ auditEntries { totalCount } }', failing);
    expect(result.errors?.[0]?.originalError).toBeInstanceOf(MaskedInternalError);
    expect(formatted).toEqual([
      { message: 'Internal server error', locations: expect.any(Array), path: ['auditEntries'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(logged).toEqual([boom]);
  });

  it('lets a domain error through with its code instead of "Not Authorised!"', async () => {
    const { formatted } = await run('{ auditEntries(first: 101) { totalCount } }', {});
    expect(formatted[0]).toMatchObject({ message: expect.stringMatching(/first must be between 1 and 100/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('denies a root field without a table row, naming it', async () => {
    const bare = buildSchema('type Query { viewer: Viewer! backdoor: String } type Viewer { label: String! }');
    const shielded = applyMiddleware(bare, permissionShield(bare));
    const rootValue = { backdoor: 'open sesame', viewer: { label: 'unit' } };
    const backdoor = await execute({ schema: shielded, source: '{ backdoor }', rootValue, contextValue: contextWith({}) });
    expect(backdoor.errors?.[0]).toMatchObject({ message: 'Query.backdoor is not open to any identity', extensions: { code: 'FORBIDDEN' } });
    expect(backdoor.data).toEqual({ backdoor: null });
  });

  it('refuses to build over a schema where a type outside RESULT_TYPES is reachable, naming the path', () => {
    const bare = buildSchema('type Query { viewer: Viewer! } type Viewer { label: String! secret: Hidden } type Hidden { value: String }');
    expect(() => permissionShield(bare)).toThrow('Hidden is reachable (Query.viewer → Viewer.secret) but not listed in RESULT_TYPES');
    const behindUnion = buildSchema('type Query { thing: Thing } union Thing = Viewer | Hidden type Viewer { label: String! } type Hidden { value: String }');
    expect(() => permissionShield(behindUnion)).toThrow('Hidden is reachable (Query.thing)');
    const backToRoot = buildSchema('type Query { viewer: Viewer! } type Viewer { root: Query }');
    expect(() => permissionShield(backToRoot)).toThrow('Query.viewer → Viewer.root returns the root type Query');
  });

  it('wraps only root fields and edges between resources in the real schema', async () => {
    const schema = await buildGraphQLSchema();
    const map = permissionShield(schema) as Record<string, Record<string, unknown>>;
    expect(Object.keys(map).sort()).toEqual(expect.arrayContaining(['Mutation', 'Query']));
    for (const [typeName, fields] of Object.entries(map)) {
      if (['Query', 'Mutation', 'Subscription'].includes(typeName)) continue;
      for (const field of Object.keys(fields)) {
        expect(resourceEdges(schema).some((edge) => edge.type === typeName && edge.field === field)).toBe(true);
      }
    }
    expect(map.Lead?.callbacks).toBeDefined();
    expect(map.Lead?.phone).toBeUndefined();
  });

  it('never caches a decision, and names the reason a credential is refused', async () => {
    const schema = await buildGraphQLSchema();
    const rules = permissionRules(schema) as Record<string, Record<string, { name: string; cache?: string }>>;
    for (const [name, rule] of Object.entries({ ...rules.Query, ...rules.Mutation })) {
      expect({ name, cache: rule.cache }).toEqual({ name, cache: 'no_cache' });
    }
    // A credential asking for an operation the table keeps from credentials gets the named reason.
    const { formatted } = await run('{ members { totalCount } }', {});
    expect(formatted[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredIdentity: 'session', operation: 'members' });
  });
});
