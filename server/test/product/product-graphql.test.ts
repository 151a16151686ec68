// The product API through HTTP + GraphQL: shapes, codes and the query-count bound.
import { PrismaClient } from '../../src/generated/prisma/client';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { SCOPES } from '../../src/access/scopes';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

jest.setTimeout(60_000);

const LEADS_PAGE = `query Leads($first: Int, $after: String, $filter: LeadFilter) {
  leads(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id phone name status optedOut createdAt lastActivityAt
      events(first: 5) { totalCount nodes { id type createdAt actorType actorLabel data } }
      messages(first: 5) { totalCount nodes { id body } }
      callbacks { id status dueAt overdue lead { id } assignee { id } }
    }
  }
}`;

describe.each(testDatabaseKinds)('product GraphQL API on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let orgId: string;
  let secret: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db);
    const org = await createTestOrg(db, { name: 'GraphQL HVAC' });
    orgId = org.orgId;
    secret = (await createTestCredential(db, orgId, [...SCOPES], 'everything')).secret;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('lists leads with their timeline and callbacks', async () => {
    const lead = await createTestLead(db, orgId, { name: 'Pat Lee', callback: { dueAt: new Date(Date.now() - 60_000) } });
    const { body } = await graphql(server.url, LEADS_PAGE, { bearer: secret, variables: { first: 10, filter: { search: 'pat' } } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.leads.totalCount).toBe(1);
    const node = body.data!.leads.nodes[0];
    expect(node).toMatchObject({ id: lead.id, name: 'Pat Lee', status: 'NEW', optedOut: false });
    expect(node.events.totalCount).toBe(1);
    expect(node.events.nodes[0]).toMatchObject({ type: 'CALL_MISSED', actorType: 'PROVIDER', actorLabel: 'Twilio' });
    expect(node.callbacks).toEqual([expect.objectContaining({ status: 'OPEN', overdue: true, lead: { id: lead.id }, assignee: null })]);
  });

  it('answers BAD_USER_INPUT with extensions.fields for invalid settings, and stores nothing', async () => {
    const { body } = await graphql(server.url, 'mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { ringTimeoutSeconds } }', {
      bearer: secret,
      variables: { input: { ringTimeoutSeconds: 99, timezone: 'Nowhere/Land' } },
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { ringTimeoutSeconds: 'must be a whole number from 5 to 60', timezone: expect.stringMatching(/IANA/) },
    });
    const stored = await db.prisma.orgSettings.findUniqueOrThrow({ where: { orgId } });
    expect(stored.ringTimeoutSeconds).toBe(20);
  });

  it('returns rendered template previews with segment counts', async () => {
    const { body } = await graphql(
      server.url,
      'mutation { updateSettings(input: { businessHoursTemplate: "Hi {callerFirstName}! {businessName} will call you {callbackEta}." }) { previews { businessHours { text characters segments encoding } } } }',
      { bearer: secret },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.updateSettings.previews.businessHours).toEqual({
      text: 'Hi Jordan! GraphQL HVAC will call you within 15 minutes.',
      characters: 56,
      segments: 1,
      encoding: 'GSM-7',
    });
  });

  it('completes a callback as BOOKED through the API and the lead follows', async () => {
    const lead = await createTestLead(db, orgId, { callback: {} });
    const callback = await db.prisma.callback.findFirstOrThrow({ where: { leadId: lead.id } });
    const { body } = await graphql(
      server.url,
      'mutation($id: ID!) { completeCallback(id: $id, outcome: BOOKED, notes: "Thu 2pm") { status outcome lead { status } } }',
      {
        bearer: secret,
        variables: { id: callback.id },
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.completeCallback).toEqual({ status: 'COMPLETED', outcome: 'BOOKED', lead: { status: 'BOOKED' } });
    const again = await graphql(server.url, 'mutation($id: ID!) { cancelCallback(id: $id) { status } }', { bearer: secret, variables: { id: callback.id } });
    expect(again.body.errors?.[0]).toMatchObject({
      message: 'callback is COMPLETED; only OPEN or SCHEDULED callbacks can be canceled',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it("another org's lead is NOT_FOUND", async () => {
    const other = await createTestOrg(db);
    const theirs = await createTestLead(db, other.orgId);
    const { body } = await graphql(server.url, 'query($id: ID!) { lead(id: $id) { id } }', { bearer: secret, variables: { id: theirs.id } });
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('serves stats', async () => {
    const { body } = await graphql(server.url, '{ stats { missedCalls missedCallLeads replyRate overdueCallbacksNow missedCallsByDay { date count } } }', {
      bearer: secret,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.stats.missedCalls).toBeGreaterThanOrEqual(1);
  });

  it('sendMessage queues a staff reply through the outbox, refuses opted-out callers and bad lengths, and audits', async () => {
    const lead = await createTestLead(db, orgId);
    const send = (leadId: string, body: string) =>
      graphql(
        server.url,
        'mutation($leadId: ID!, $body: String!) { sendMessage(leadId: $leadId, body: $body) { message { id direction kind status body } duringQuietHours } }',
        {
          bearer: secret,
          variables: { leadId, body },
        },
      );
    const sent = await send(lead.id, ' On our way, about 20 minutes out. ');
    expect(sent.body.errors).toBeUndefined();
    expect(sent.body.data!.sendMessage.message).toMatchObject({
      direction: 'OUTBOUND',
      kind: 'STAFF_REPLY',
      status: 'QUEUED',
      body: 'On our way, about 20 minutes out.',
    });
    expect(typeof sent.body.data!.sendMessage.duringQuietHours).toBe('boolean');
    const messageId = sent.body.data!.sendMessage.message.id;
    expect(await db.prisma.auditEntry.count({ where: { orgId, action: 'message.sent', targetId: messageId } })).toBe(1);

    const tooLong = await send(lead.id, 'x'.repeat(641));
    expect(tooLong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { body: '1–640 characters' } });

    const stopped = await createTestLead(db, orgId, { optedOut: true });
    const refused = await send(stopped.id, 'Hello?');
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(refused.body.errors?.[0]?.message).toMatch(/opted out/);
    expect(await db.prisma.message.count({ where: { leadId: stopped.id } })).toBe(0);
  });

  it('serves a bounded number of SQL queries for leads(first: 100) with events, messages and callbacks', async () => {
    const org = await createTestOrg(db);
    for (let i = 0; i < 100; i++) await createTestLead(db, org.orgId, { callback: i % 2 === 0 ? {} : null });
    const credential = await createTestCredential(db, org.orgId, ['leads:read', 'callbacks:read']);
    // A second client on the same database that counts the SQL it sends.
    const counting = new PrismaClient({ adapter: db.adapterFactory, log: [{ emit: 'event', level: 'query' }] });
    const queries: string[] = [];
    counting.$on('query' as never, (event: { query: string }) => queries.push(event.query));
    const countingServer = await startTestServer({ ...db, prisma: counting, close: async () => undefined });
    try {
      // First use of a credential records lastUsedAt; keep that write out of the comparison.
      await graphql(countingServer.url, '{ viewer { label } }', { bearer: credential.secret });
      queries.length = 0;
      const small = await graphql(countingServer.url, LEADS_PAGE, { bearer: credential.secret, variables: { first: 5 } });
      expect(small.body.errors).toBeUndefined();
      const forSmallPage = queries.length;
      queries.length = 0;
      const large = await graphql(countingServer.url, LEADS_PAGE, { bearer: credential.secret, variables: { first: 100 } });
      expect(large.body.errors).toBeUndefined();
      expect(large.body.data!.leads.nodes).toHaveLength(100);
      expect(queries.length).toBe(forSmallPage);
      expect(queries.length).toBeLessThanOrEqual(15);
    } finally {
      await countingServer.close();
      await counting.$disconnect();
    }
  });
});
