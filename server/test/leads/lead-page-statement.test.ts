// A page of leads reads its nodes' first timeline page, their callbacks and the
// total in the list's own statement (leads/lead-page.loaders.ts), and answers exactly
// what the same fields answer when each is read on its own (lead(id), later pages).
import { parse, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { PrismaClient } from '../../src/generated/prisma/client';
import { buildGraphQLSchema } from '../../src/api/schema';
import type { GraphQLContext } from '../../src/graphql/context';
import { leadLoadersFor, timelineKey } from '../../src/leads/lead.loaders';
import { selectedFieldNames } from '../../src/graphql/selection';
import { systemClock } from '../../src/common/clock';
import type { RunningServer } from '../../src/server';
import { SCOPES } from '../../src/access/scopes';
import { testDatabaseKinds } from '../support/database';
import { useTestServer } from '../support/test-server';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;

const EVENT_FIELDS = 'id type data actorType actorLabel createdAt';
const CALLBACK_FIELDS = 'id status dueAt scheduledFor outcome notes completedAt attempt overdue createdAt updatedAt lead { id } assignee { id }';
const LEAD_PARTS = `id name lastActivityAt
  events(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { ${EVENT_FIELDS} } }
  callbacks { ${CALLBACK_FIELDS} }`;

describe.each(testDatabaseKinds)('a page of leads in one statement (%s)', (kind) => {
  const api = useTestServer(kind);
  let orgId: string;
  let bearer: string;

  beforeAll(async () => {
    orgId = (await createTestOrg(api.db, { name: 'One Statement HVAC' })).orgId;
    bearer = (await createTestCredential(api.db, orgId, [...SCOPES], 'everything')).secret;
    const start = Date.parse('2026-02-10T14:00:00.000Z');
    for (let i = 0; i < 6; i++) {
      const at = new Date(start + i * 60_000);
      const lead = await createTestLead(api.db, orgId, { name: `Caller ${i}`, at, callback: i % 2 === 0 ? {} : null });
      // Timelines of 1 to 4 events: some fit the page of 2, some go on.
      for (let n = 0; n < i % 4; n++) {
        await api.db.prisma.leadEvent.create({
          data: {
            orgId,
            leadId: lead.id,
            type: 'NOTE_ADDED',
            data: { body: `note ${n}`, nested: { at: '2026-02-10T14:00:00+00:00', list: [1, 'two'] } },
            actorType: 'USER',
            actorLabel: 'Dana (dispatcher)',
            createdAt: new Date(at.getTime() + (n + 1) * 1_001),
          },
        });
      }
      if (i === 2) {
        // A rescheduled callback and a finished one: every timestamp column set.
        const done = new Date(at.getTime() + 7_777);
        await api.db.prisma.callback.create({
          data: {
            orgId,
            leadId: lead.id,
            status: 'SCHEDULED',
            dueAt: new Date(at.getTime() + 3_600_123),
            scheduledFor: new Date(at.getTime() + 1_800_456),
            attempt: 2,
          },
        });
        await api.db.prisma.callback.create({
          data: {
            orgId,
            leadId: lead.id,
            status: 'COMPLETED',
            dueAt: at,
            outcome: 'BOOKED',
            notes: 'Booked for Friday',
            completedAt: done,
            overdueAt: done,
            attempt: 1,
          },
        });
      }
    }
  });

  async function ask(query: string, server: RunningServer = api.server): Promise<Row> {
    const { body } = await graphql(server.url, query, { bearer });
    expect(body.errors).toBeUndefined();
    return body.data as Row;
  }

  /** Each lead of a page as lead(id) answers it, where nothing is read along with a list. */
  async function eachOnItsOwn(nodes: Row[], parts: string): Promise<Row[]> {
    return Promise.all(nodes.map(async (node) => (await ask(`{ lead(id: "${String(node.id)}") { ${parts} } }`)).lead as Row));
  }

  it('answers every field of the page as each lead read on its own does', async () => {
    const page = (await ask(`{ leads(first: 10) { totalCount nodes { ${LEAD_PARTS} } } }`)).leads as { totalCount: number; nodes: Row[] };
    expect(page.totalCount).toBe(6);
    expect(page.nodes).toHaveLength(6);
    expect(page.nodes).toEqual(await eachOnItsOwn(page.nodes, LEAD_PARTS));
    // The data the test wrote reaches the answer (timestamps to the millisecond, JSON as written).
    const third = page.nodes.find((node) => node.name === 'Caller 2') as { events: { nodes: Row[] }; callbacks: Row[] };
    expect(third.events.nodes[1]).toMatchObject({
      createdAt: '2026-02-10T14:02:01.001Z',
      data: { body: 'note 0', nested: { at: '2026-02-10T14:00:00+00:00', list: [1, 'two'] } },
    });
    expect(third.callbacks.map((callback) => [callback.status, callback.scheduledFor, callback.completedAt])).toEqual([
      ['COMPLETED', null, '2026-02-10T14:02:07.777Z'],
      ['OPEN', null, null],
      ['SCHEDULED', '2026-02-10T14:32:00.456Z', null],
    ]);
  });

  it("continues a lead's timeline from the cursor of the page read along with the list", async () => {
    const page = (await ask(`{ leads(first: 10) { nodes { name events(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } } } }`)).leads as {
      nodes: { name: string; events: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Row[] } }[];
    };
    const long = page.nodes.find((node) => node.name === 'Caller 3');
    expect(long?.events.pageInfo.hasNextPage).toBe(true);
    const rest = (await ask(`{ leads(first: 10) { nodes { name events(first: 10, after: "${long?.events.pageInfo.endCursor}") { nodes { id } } } } }`))
      .leads as {
      nodes: { name: string; events: { nodes: Row[] } }[];
    };
    const whole = (await ask(`{ leads(first: 10) { nodes { name events(first: 10) { nodes { id } } } } }`)).leads as {
      nodes: { name: string; events: { nodes: Row[] } }[];
    };
    const of = (list: { name: string; events: { nodes: Row[] } }[]) => list.find((node) => node.name === 'Caller 3')?.events.nodes ?? [];
    expect([...(long?.events.nodes ?? []), ...of(rest.nodes)]).toEqual(of(whole.nodes));
    expect(of(whole.nodes)).toHaveLength(4);
  });

  it('answers timelines of different shapes on one page (aliases, fragments) as each lead on its own', async () => {
    const parts = `id short: events(first: 1) { nodes { id type } } long: events(first: 3) { totalCount nodes { id createdAt } } ...more`;
    const fragment = `fragment more on Lead { callbacks { id dueAt } }`;
    const page = (await ask(`{ leads(first: 10) { nodes { ${parts} } } } ${fragment}`)).leads as { nodes: Row[] };
    const alone = await Promise.all(page.nodes.map(async (node) => (await ask(`{ lead(id: "${String(node.id)}") { ${parts} } } ${fragment}`)).lead as Row));
    expect(page.nodes).toEqual(alone);
  });

  /** A server on a second client of the same database that records the SQL it sends. */
  async function withCountingServer(run: (server: RunningServer, queries: string[]) => Promise<void>) {
    const counting = new PrismaClient({ adapter: api.db.adapterFactory, log: [{ emit: 'event', level: 'query' }] });
    const queries: string[] = [];
    counting.$on('query' as never, (event: { query: string }) => queries.push(event.query));
    const countingServer = await startTestServer({ ...api.db, prisma: counting, close: async () => undefined });
    try {
      await run(countingServer, queries);
    } finally {
      await countingServer.close();
      await counting.$disconnect();
    }
  }

  it('reads a page with its timelines, callbacks and total in as many statements as the page alone', async () => {
    await withCountingServer(async (countingServer, queries) => {
      const statementsOf = async (query: string) => {
        await ask(query, countingServer); // the credential's first use records lastUsedAt
        queries.length = 0;
        await ask(query, countingServer);
        return queries.length;
      };
      const alone = await statementsOf('{ leads(first: 10) { nodes { id } } }');
      // The bench's page (bench/queries.mjs): what the dashboard's list asks for.
      const withEverything = await statementsOf(
        '{ leads(first: 10) { totalCount pageInfo { endCursor hasNextPage } nodes { id name lastActivityAt events(first: 5) { nodes { id type createdAt } } callbacks { id status dueAt overdue } } } }',
      );
      expect(withEverything).toBe(alone);
    });
  });

  it('reads no callback for a caller who may not see callbacks (the edge refuses them)', async () => {
    const leadsOnly = (await createTestCredential(api.db, orgId, ['leads:read'], 'leads only')).secret;
    await withCountingServer(async (countingServer, queries) => {
      const page = '{ leads(first: 10) { nodes { id events(first: 2) { nodes { id } } callbacks { id } } } }';
      await graphql(countingServer.url, page, { bearer: leadsOnly });
      queries.length = 0;
      const { body } = await graphql(countingServer.url, page, { bearer: leadsOnly });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'callbacks:read' });
      expect(queries.some((query) => query.includes('"Callback"'))).toBe(false);
      expect(queries.some((query) => query.includes('"LeadEvent"'))).toBe(true);
    });
  });

  it("answers a lead's read-along timeline and callbacks as values, not promises (the page completes in one pass)", async () => {
    const schema = await buildGraphQLSchema();
    const lead = schema.getType('Lead') as GraphQLObjectType;
    const document = parse('{ events(first: 2) { nodes { id } } callbacks { id } }');
    const [eventsNode, callbacksNode] = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections as FieldNode[];
    const infoOf = (node: FieldNode) => ({ fieldNodes: [node], fragments: {}, variableValues: {} }) as unknown as GraphQLResolveInfo;
    const contextWith = (scopes: string[]) =>
      ({
        deps: { db: { prisma: {} }, clock: systemClock },
        request: {},
        identity: { kind: 'credential', credentialId: orgId, orgId, name: 'unit', prefix: 'cs_test_unit', scopes },
        identityProblem: null,
      }) as unknown as GraphQLContext;
    const leadId = '0190c3a0-0000-7000-8000-0000000000aa';
    const readAlong = (context: GraphQLContext) => {
      const key = timelineKey('LeadEvent', leadId, 2, null, selectedFieldNames(infoOf(eventsNode as FieldNode), ['nodes']));
      leadLoadersFor(context, {} as never, orgId, null).readAlong(leadId, { events: { key, rows: [] }, callbacks: [] });
    };
    const allowed = contextWith(['leads:read', 'callbacks:read']);
    readAlong(allowed);
    const timeline = lead.getFields().events?.resolve?.({ id: leadId }, { first: 2 }, allowed, infoOf(eventsNode as FieldNode));
    expect(timeline).not.toBeInstanceOf(Promise);
    expect(timeline).toMatchObject({ nodes: [] });
    const callbacks = lead.getFields().callbacks?.resolve?.({ id: leadId }, {}, allowed, infoOf(callbacksNode as FieldNode));
    expect(callbacks).toEqual([]);
    // The edge still decides, and says no as a value too.
    const refused = contextWith(['leads:read']);
    readAlong(refused);
    expect(lead.getFields().callbacks?.resolve?.({ id: leadId }, {}, refused, infoOf(callbacksNode as FieldNode))).toMatchObject({
      extensions: { code: 'FORBIDDEN', requiredScope: 'callbacks:read' },
    });
  });
});
