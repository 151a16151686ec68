// leads and a lead's timeline read only the columns a query selects (graphql/selection.ts):
// whatever the selection (one field, every field, fragments, aliases, a later page),
// each field answers what it answers when whole rows are read.
import { SCOPES } from '../../src/access/scopes';
import { testDatabaseKinds } from '../support/database';
import { useTestServer } from '../support/test-server';
import { graphql } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;

describe.each(testDatabaseKinds)('column selection of leads and timelines (%s)', (kind) => {
  const api = useTestServer(kind);
  let bearer: string;
  let leadId: string;
  let leadFields: string[];

  beforeAll(async () => {
    const org = await createTestOrg(api.db, { name: 'Selection HVAC' });
    bearer = (await createTestCredential(api.db, org.orgId, [...SCOPES], 'everything')).secret;
    const at = new Date('2026-01-15T15:00:00.000Z');
    const lead = await createTestLead(api.db, org.orgId, { name: 'Sam Field', at, callback: {} });
    leadId = lead.id;
    for (const [i, body] of ['first note', 'second note'].entries()) {
      await api.db.prisma.leadEvent.create({
        data: {
          orgId: org.orgId,
          leadId,
          type: 'NOTE_ADDED',
          data: { body },
          actorType: 'SYSTEM',
          actorLabel: 'CallSnare',
          createdAt: new Date(at.getTime() + (i + 1) * 1000),
        },
      });
    }
    const introspection = await ask('{ __type(name: "Lead") { fields { name args { name } type { kind ofType { kind ofType { kind ofType { kind } } } } } } }');
    const fields = (introspection.__type as { fields: { name: string; args: unknown[]; type: unknown }[] }).fields;
    // Every field without arguments whose value is a scalar, an enum or a list of them.
    leadFields = fields.filter((field) => field.args.length === 0 && !JSON.stringify(field.type).includes('OBJECT')).map((field) => field.name);
  });

  async function ask(query: string, variables: Record<string, unknown> = {}): Promise<Row> {
    const { body } = await graphql(api.server.url, query, { bearer, variables });
    expect(body.errors).toBeUndefined();
    return body.data as Row;
  }

  async function leadOfPage(selection: string, fragments = ''): Promise<Row> {
    const data = await ask(`{ leads(first: 100) { nodes { ${selection} } } } ${fragments}`);
    const nodes = (data.leads as { nodes: Row[] }).nodes;
    expect(nodes).toHaveLength(1);
    return nodes[0] as Row;
  }

  it('a page of leads answers each field of a lead as lead(id) does, alone or together', async () => {
    expect(leadFields).toEqual(expect.arrayContaining(['phone', 'status', 'allowedTransitions', 'unread', 'quietHoursNow', 'updatedAt']));
    const whole = (await ask(`query($id: ID!) { lead(id: $id) { ${leadFields.join(' ')} } }`, { id: leadId })).lead as Row;
    expect(await leadOfPage(leadFields.join(' '))).toEqual(whole);
    for (const field of leadFields) {
      expect(await leadOfPage(`id ${field}`)).toEqual({ id: leadId, [field]: whole[field] });
    }
    expect(await leadOfPage('id ...Parts ... on Lead { name }', 'fragment Parts on Lead { status allowedTransitions callbacks { status } }')).toEqual({
      id: leadId,
      status: whole.status,
      allowedTransitions: whole.allowedTransitions,
      name: 'Sam Field',
      callbacks: [{ status: 'OPEN' }],
    });
  });

  it("a lead's timeline answers the fields asked for, on the first page, a later page and side by side", async () => {
    const everything = 'id type createdAt actorType actorLabel data';
    const page = await leadOfPage(`id events(first: 10) { totalCount nodes { ${everything} } }`);
    const timeline = (page.events as { totalCount: number; nodes: Row[] }).nodes;
    expect(timeline.map((event) => event.type)).toEqual(['CALL_MISSED', 'NOTE_ADDED', 'NOTE_ADDED']);

    const first = await leadOfPage('id events(first: 1) { nodes { type } pageInfo { endCursor } }');
    const { nodes: firstNodes, pageInfo } = first.events as { nodes: Row[]; pageInfo: { endCursor: string } };
    expect(firstNodes).toEqual([{ type: 'CALL_MISSED' }]);
    const later = await ask(
      'query($id: ID!, $after: String) { lead(id: $id) { events(first: 2, after: $after) { nodes { ...Event } } } } fragment Event on LeadEvent { data actorLabel createdAt }',
      {
        id: leadId,
        after: pageInfo.endCursor,
      },
    );
    const pick = (row: Row) => ({ data: row.data, actorLabel: row.actorLabel, createdAt: row.createdAt });
    expect((later.lead as { events: { nodes: Row[] } }).events.nodes).toEqual(timeline.slice(1).map(pick));

    const sideBySide = await leadOfPage('id ids: events(first: 5) { nodes { id } } details: events(first: 5) { nodes { id data } }');
    expect(sideBySide.ids).toEqual({ nodes: timeline.map((event) => ({ id: event.id })) });
    expect(sideBySide.details).toEqual({ nodes: timeline.map((event) => ({ id: event.id, data: event.data })) });
  });

  it("a lead's callbacks answer each field as the callbacks query does, alone or with the fields their resolvers compute", async () => {
    const introspection = await ask(
      '{ __type(name: "Callback") { fields { name args { name } type { kind ofType { kind ofType { kind ofType { kind } } } } } } }',
    );
    const fields = (introspection.__type as { fields: { name: string; args: unknown[]; type: unknown }[] }).fields;
    const scalarFields = fields.filter((field) => field.args.length === 0 && !JSON.stringify(field.type).includes('OBJECT')).map((field) => field.name);
    expect(scalarFields).toEqual(expect.arrayContaining(['id', 'status', 'dueAt', 'overdue', 'attempt', 'createdAt']));
    const selection = `${scalarFields.join(' ')} lead { id name } assignee { id }`;
    const queue = (await ask(`{ callbacks(first: 100) { nodes { ${selection} } } }`)).callbacks as { nodes: Row[] };
    expect(queue.nodes).toHaveLength(1);
    const whole = queue.nodes[0] as Row;
    expect((await leadOfPage(`callbacks { ${selection} }`)).callbacks).toEqual([whole]);
    for (const field of [...scalarFields, 'lead { id name }', 'assignee { id }']) {
      const name = field.split(' ')[0] as string;
      expect((await leadOfPage(`callbacks { ${field} }`)).callbacks).toEqual([{ [name]: whole[name] }]);
    }
    expect((await leadOfPage('callbacks { id ...Due }', 'fragment Due on Callback { overdue dueAt }')).callbacks).toEqual([
      { id: whole.id, overdue: whole.overdue, dueAt: whole.dueAt },
    ]);
  });
});
