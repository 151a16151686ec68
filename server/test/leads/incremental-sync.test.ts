// Incremental sync: leads(filter: { updatedSince }) and callbacks(filter: { updatedSince })
// page oldest change first on (updatedAt, id), so a sync that pages to the end never
// misses a row changed while it pages and never loops; and every write path moves updatedAt.
import { testDatabaseKinds } from '../support/database';
import { useTestServer } from '../support/test-server';
import { graphql } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { ownerOf } from '../support/sessions';
import { newCall, newCallerNumber } from '../support/twilio';
import { runOutboxOnce } from '../../src/server';
import { runCallbackSlaOnce } from '../../src/callbacks/overdue-escalation';

jest.setTimeout(120_000);

/** Thursday 14:00 in New York: inside business hours and every calling window. */
const AFTERNOON = '2026-01-15T19:00:00.000Z';

/** Prisma stamps updatedAt with the wall clock: writes a millisecond apart get distinct stamps. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 3));

const LEADS = `query Sync($since: DateTimeISO!, $after: String) {
  leads(filter: { updatedSince: $since }, first: 2, after: $after) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } }
}`;
const CALLBACKS = `query Sync($since: DateTimeISO!, $after: String) {
  callbacks(filter: { updatedSince: $since }, first: 2, after: $after) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } }
}`;

type SyncPage = { nodes: { id: string; updatedAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe.each(testDatabaseKinds)('incremental sync (%s)', (kind) => {
  const api = useTestServer(kind, { now: AFTERNOON });

  afterEach(async () => {
    await api.db.prisma.message.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
    await api.db.prisma.staffAlert.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
  });

  /**
   * Pages `query` from `since` to the end; `between(page)` runs after each page (changes
   * made while the sync pages). Returns every node seen, in order, and the page count.
   */
  async function sync(query: string, field: 'leads' | 'callbacks', bearer: string, since: Date, between: (page: number) => Promise<void> = async () => {}) {
    const seen: { id: string; updatedAt: string }[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const answer = await graphql(api.server.url, query, { bearer, variables: { since: since.toISOString(), after } });
      expect(answer.body.errors).toBeUndefined();
      const page = answer.body.data![field] as SyncPage;
      seen.push(...page.nodes);
      pages += 1;
      if (pages > 50) throw new Error('the sync loops');
      await between(pages);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { seen, pages };
  }

  const sortedByChange = (nodes: { id: string; updatedAt: string }[]) =>
    [...nodes].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));

  it('a lead sync never misses a lead changed while it pages, and ends', async () => {
    const { orgId } = await createTestOrg(api.db);
    const { secret } = await createTestCredential(api.db, orgId, ['leads:read']);
    const since = new Date();
    const leads = [];
    for (let i = 0; i < 7; i++) {
      leads.push(await createTestLead(api.db, orgId, { at: api.clock.now() }));
      await nextMillisecond();
    }
    // Not changed since `since`: never listed.
    await api.db.prisma.lead.update({ where: { id: leads[0]!.id }, data: { updatedAt: new Date(since.getTime() - 60_000) } });

    const [, first, , , , , last] = leads;
    const { seen } = await sync(LEADS, 'leads', secret, since, async (page) => {
      if (page !== 1) return;
      // While the sync pages: one lead it already saw, and one it has not reached yet, change.
      await nextMillisecond();
      await api.db.prisma.lead.update({ where: { id: first!.id }, data: { name: 'Changed after it was read' } });
      await api.db.prisma.lead.update({ where: { id: last!.id }, data: { name: 'Changed before it was read' } });
    });

    expect(seen).toEqual(sortedByChange(seen));
    const ids = seen.map((node) => node.id);
    expect(new Set(ids)).toEqual(new Set(leads.slice(1).map((lead) => lead.id)));
    // The one read before its change is read again after it; the other once, in its new state.
    expect(ids.filter((id) => id === first!.id)).toHaveLength(2);
    expect(ids.filter((id) => id === last!.id)).toHaveLength(1);
    const current = await api.db.prisma.lead.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, updatedAt: true } });
    for (const lead of current) {
      expect(seen.filter((node) => node.id === lead.id).at(-1)!.updatedAt).toBe(lead.updatedAt.toISOString());
    }

    // Resuming from the latest change seen: only that change again, nothing older.
    const latest = new Date(seen.at(-1)!.updatedAt);
    const resumed = await sync(LEADS, 'leads', secret, latest);
    expect(resumed.seen.map((node) => node.id)).toEqual([seen.at(-1)!.id]);
  });

  it('a callback sync pages by (updatedAt, id) and sees a callback changed while it pages', async () => {
    const { orgId } = await createTestOrg(api.db);
    const { secret } = await createTestCredential(api.db, orgId, ['callbacks:read']);
    const since = new Date();
    const leads = [];
    for (let i = 0; i < 5; i++) {
      leads.push(await createTestLead(api.db, orgId, { at: api.clock.now(), callback: { dueAt: new Date(api.clock.now().getTime() + (5 - i) * 60_000) } }));
      await nextMillisecond();
    }
    const callbacks = await api.db.prisma.callback.findMany({ where: { orgId }, orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }] });
    expect(callbacks).toHaveLength(5);

    const { seen } = await sync(CALLBACKS, 'callbacks', secret, since, async (page) => {
      if (page !== 1) return;
      await nextMillisecond();
      await api.db.prisma.callback.update({ where: { id: callbacks[0]!.id }, data: { notes: 'rescheduled' } });
    });
    expect(seen).toEqual(sortedByChange(seen));
    expect(seen.map((node) => node.id)).toEqual([...callbacks.map((callback) => callback.id), callbacks[0]!.id]);

    // Without updatedSince the queue keeps its order: due soonest first.
    const queue = await graphql(api.server.url, '{ callbacks(first: 10) { nodes { id dueAt } } }', { bearer: secret });
    const dueAts = (queue.body.data!.callbacks.nodes as { dueAt: string }[]).map((node) => node.dueAt);
    expect(dueAts).toEqual([...dueAts].sort());
  });

  it('every write path moves Lead.updatedAt and Callback.updatedAt forward', async () => {
    const org = await createTestOrg(api.db);
    const owner = await ownerOf(api.db, org.orgId);
    // A credential, not a session: the clock moves a day on, past a session's idle expiry.
    const { secret: bearer } = await createTestCredential(api.db, org.orgId, ['leads:write', 'callbacks:write']);
    const caller = newCallerNumber();
    const stamps: { step: string; lead: number; callback: number }[] = [];
    let leadId = '';

    async function step(name: string, write: () => Promise<unknown>, moves: { lead?: boolean; callback?: boolean }) {
      const before = leadId ? await read() : null;
      await nextMillisecond();
      await write();
      const after = await read();
      stamps.push({ step: name, ...after });
      if (before && moves.lead) expect([name, after.lead > before.lead]).toEqual([name, true]);
      if (before && moves.callback) expect([name, after.callback > before.callback]).toEqual([name, true]);
    }
    async function read() {
      const lead = await api.db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId, phone: caller }, orderBy: { createdAt: 'desc' } });
      leadId = lead.id;
      const callback = await api.db.prisma.callback.findFirstOrThrow({ where: { orgId: org.orgId, leadId: lead.id }, orderBy: [{ updatedAt: 'desc' }] });
      return { lead: lead.updatedAt.getTime(), callback: callback.updatedAt.getTime() };
    }
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const answer = await graphql(api.server.url, query, { bearer, variables });
      expect(answer.body.errors).toBeUndefined();
      return answer.body.data!;
    };
    const openCallback = async () => (await api.db.prisma.callback.findFirstOrThrow({ where: { orgId: org.orgId, leadId, status: 'OPEN' } })).id;

    // The missed-call statement (raw SQL: lead, callback and text-back in one INSERT … statement).
    const call = newCall(caller, org.trackingNumber!);
    await step(
      'missed call',
      async () => {
        await api.twilio.voice(call);
        await api.twilio.dialStatus(call, 'no-answer');
      },
      {},
    );
    api.clock.advance(60_000);
    await step('text-back sent (outbox, raw SQL)', () => runOutboxOnce(api.server.deps), { lead: true });
    api.clock.advance(60_000);
    await step('reply received', () => api.twilio.sms(caller, org.trackingNumber!, 'Tomorrow works'), { lead: true });
    api.clock.advance(60_000);
    await step(
      'another missed call (raw SQL update)',
      async () => {
        const again = newCall(caller, org.trackingNumber!);
        await api.twilio.voice(again);
        await api.twilio.dialStatus(again, 'no-answer');
      },
      { lead: true },
    );
    await step('updateLead', () => gql('mutation($id: ID!) { updateLead(id: $id, input: { name: "Pat" }) { id } }', { id: leadId }), { lead: true });
    await step('addLeadNote', () => gql('mutation($id: ID!) { addLeadNote(leadId: $id, body: "note") { id } }', { id: leadId }), { lead: true });
    await step(
      'assignCallback',
      async () => gql('mutation($id: ID!, $to: ID) { assignCallback(id: $id, assigneeId: $to) { id } }', { id: await openCallback(), to: owner.userId }),
      {
        callback: true,
      },
    );
    api.clock.advance(24 * 60 * 60_000);
    await step('callback overdue (SLA worker)', () => runCallbackSlaOnce(api.server.deps), { lead: true, callback: true });
    await step(
      'completeCallback',
      async () => gql('mutation($id: ID!) { completeCallback(id: $id, outcome: NO_ANSWER) { id } }', { id: await openCallback() }),
      {
        lead: true,
        callback: true,
      },
    );
    await step('cancelCallback', async () => gql('mutation($id: ID!) { cancelCallback(id: $id) { id } }', { id: await openCallback() }), { callback: true });
    await step('STOP (opt-out)', () => api.twilio.sms(caller, org.trackingNumber!, 'STOP'), { lead: true });

    expect(stamps.map((stamp) => stamp.step)).toHaveLength(11);
  });
});
