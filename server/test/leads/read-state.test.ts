// Per-user read state, stored on the server: what is "new" or "updated" for
// one staff member is theirs alone, and API credentials have none.
import { PrismaClient } from '../../src/generated/prisma/client';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { graphql, startTestServer } from '../support/server';
import { createTestStaff, openTestSession } from '../support/sessions';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const INBOX = '{ inbox(first: 100) { nodes { id unread } } }';
const MARK_READ = 'mutation($id: ID!) { markLeadRead(id: $id) { id unread lastActivityAt } }';

describe.each(testDatabaseKinds)('read state on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const clock = new ManualClock('2026-01-15T15:00:00.000Z');

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** A shop with three leads, its owner and a dispatcher signed in, and a read-only credential. */
  async function shop() {
    const org = await createTestOrg(db);
    const dispatcher = await createTestStaff(db, org.orgId, 'DISPATCHER');
    const owner = await openTestSession(db, org.userId, org.orgId, clock);
    const other = await openTestSession(db, dispatcher.userId, org.orgId, clock);
    const { secret } = await createTestCredential(db, org.orgId, ['leads:read', 'leads:write']);
    const leads = [];
    for (let i = 0; i < 3; i++) leads.push(await createTestLead(db, org.orgId, { at: new Date(clock.now().getTime() - (i + 1) * MINUTE) }));
    return { orgId: org.orgId, owner, dispatcher: other, secret, leads };
  }

  async function unreadOf(auth: { cookie?: string; bearer?: string }): Promise<Record<string, boolean>> {
    const { body } = await graphql(server.url, INBOX, auth);
    expect(body.errors).toBeUndefined();
    return Object.fromEntries(body.data!.inbox.nodes.map((node: { id: string; unread: boolean }) => [node.id, node.unread]));
  }

  it('two staff members see their own unread leads; new activity makes a read lead unread again', async () => {
    const { owner, dispatcher, leads } = await shop();
    const [first, second, third] = leads.map((lead) => lead.id) as [string, string, string];
    const allUnread = { [first]: true, [second]: true, [third]: true };
    expect(await unreadOf({ cookie: owner })).toEqual(allUnread);
    expect(await unreadOf({ cookie: dispatcher })).toEqual(allUnread);

    const marked = await graphql(server.url, MARK_READ, { cookie: owner, variables: { id: first } });
    expect(marked.body.errors).toBeUndefined();
    expect(marked.body.data!.markLeadRead).toMatchObject({ id: first, unread: false });
    expect(await unreadOf({ cookie: owner })).toEqual({ ...allUnread, [first]: false });
    expect(await unreadOf({ cookie: dispatcher })).toEqual(allUnread);
    expect(await db.prisma.leadRead.count({ where: { leadId: first } })).toBe(1);

    // The dispatcher acts on the lead: it is new to the owner again, not to the dispatcher.
    clock.advance(MINUTE);
    const note = await graphql(server.url, 'mutation($id: ID!) { addLeadNote(leadId: $id, body: "Called, no answer") { id } }', {
      cookie: dispatcher,
      variables: { id: first },
    });
    expect(note.body.errors).toBeUndefined();
    expect(await unreadOf({ cookie: owner })).toEqual(allUnread);
    expect(await unreadOf({ cookie: dispatcher })).toEqual({ ...allUnread, [first]: false });
    // Reading it again.
    await graphql(server.url, MARK_READ, { cookie: owner, variables: { id: first } });
    expect((await unreadOf({ cookie: owner }))[first]).toBe(false);
  });

  it('API credentials have no read state: never unread, and cannot mark leads read', async () => {
    const { secret, leads, owner } = await shop();
    expect(Object.values(await unreadOf({ bearer: secret }))).toEqual([false, false, false]);
    const { body } = await graphql(server.url, MARK_READ, { bearer: secret, variables: { id: leads[0]!.id } });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await db.prisma.leadRead.count({ where: { leadId: leads[0]!.id } })).toBe(0);
    // A lead reached through another field has the same answer.
    const lead = await graphql(server.url, 'query($id: ID!) { lead(id: $id) { unread } }', { cookie: owner, variables: { id: leads[0]!.id } });
    expect(lead.body.data!.lead.unread).toBe(true);
  });

  it("another shop's lead, or no lead, is NOT_FOUND and records nothing", async () => {
    const { owner } = await shop();
    const theirs = await shop();
    for (const id of [theirs.leads[0]!.id, 'not-an-id', '01940000-0000-7000-8000-000000000000']) {
      const { body } = await graphql(server.url, MARK_READ, { cookie: owner, variables: { id } });
      expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect(await db.prisma.leadRead.count({ where: { leadId: theirs.leads[0]!.id } })).toBe(0);
  });

  it('marking a lead read from 20 tabs at once stores one read mark', async () => {
    const { owner, leads, orgId } = await shop();
    const answers = await Promise.all(Array.from({ length: 20 }, () => graphql(server.url, MARK_READ, { cookie: owner, variables: { id: leads[1]!.id } })));
    expect(answers.map((answer) => answer.body.errors)).toEqual(Array(20).fill(undefined));
    const marks = await db.prisma.leadRead.findMany({ where: { orgId, leadId: leads[1]!.id } });
    expect(marks).toHaveLength(1);
    expect(marks[0]!.readAt.toISOString()).toBe(leads[1]!.lastActivityAt.toISOString());
  });

  it('reads the unread flags of a whole page in a fixed number of SQL queries', async () => {
    const org = await createTestOrg(db);
    for (let i = 0; i < 100; i++) await createTestLead(db, org.orgId, { at: new Date(clock.now().getTime() - i * 1000), missedCall: false });
    const counting = new PrismaClient({ adapter: db.adapterFactory, log: [{ emit: 'event', level: 'query' }] });
    const queries: string[] = [];
    counting.$on('query' as never, (event: { query: string }) => queries.push(event.query));
    const countingServer = await startTestServer({ ...db, prisma: counting, close: async () => undefined }, { clock });
    try {
      const cookie = await openTestSession(db, org.userId, org.orgId, clock);
      const page = (first: number) =>
        graphql(countingServer.url, 'query($first: Int) { inbox(first: $first) { totalCount nodes { id unread needsReply lastInboundText } } }', {
          cookie,
          variables: { first },
        });
      await page(1);
      queries.length = 0;
      expect((await page(5)).body.errors).toBeUndefined();
      const forSmallPage = queries.length;
      queries.length = 0;
      const large = await page(100);
      expect(large.body.data!.inbox.nodes).toHaveLength(100);
      expect(queries.length).toBe(forSmallPage);
      expect(queries.length).toBeLessThanOrEqual(8);
    } finally {
      await countingServer.close();
      await counting.$disconnect();
    }
  });
});
