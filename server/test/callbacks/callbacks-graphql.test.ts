// Callback attempts, the retry cadence setting and live notices of staff
// callback changes, through HTTP + GraphQL as the dashboard uses them.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { subscribeInboxUpdates, type InboxUpdateNotice } from '../../src/live/inbox-updates';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { openTestSession } from '../support/sessions';
import { leadWithFirstCallback, orgWithOwner } from './callback-fixtures';

jest.setTimeout(120_000);

const THURSDAY_10AM = '2026-01-15T15:00:00.000Z';

describe.each(testDatabaseKinds)('callbacks over GraphQL on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const clock = new ManualClock(THURSDAY_10AM);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });
  beforeEach(() => clock.set(THURSDAY_10AM));

  async function staffOrg() {
    const org = await orgWithOwner(db);
    const cookie = await openTestSession(db, org.owner.id!, org.orgId, clock);
    const gql = (query: string, variables: Record<string, unknown> = {}) => graphql(server.url, query, { cookie, variables });
    return { ...org, gql };
  }

  it('settings.callbackRetryMinutes reads [60, 240] by default and is set through updateSettings, with clear errors', async () => {
    const { gql } = await staffOrg();
    expect((await gql('{ settings { callbackRetryMinutes } }')).body.data!.settings.callbackRetryMinutes).toEqual([60, 240]);

    const update = 'mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { callbackRetryMinutes } }';
    const set = await gql(update, { input: { callbackRetryMinutes: [30, 120, 1440] } });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data!.updateSettings.callbackRetryMinutes).toEqual([30, 120, 1440]);

    const refused = await gql(update, { input: { callbackRetryMinutes: [2] } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { callbackRetryMinutes: expect.stringMatching(/5.*10080/) } });
    const tooMany = await gql(update, { input: { callbackRetryMinutes: [10, 20, 30, 40, 50, 60, 70] } });
    expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { callbackRetryMinutes: expect.stringMatching(/at most 6/) },
    });
    expect((await gql('{ settings { callbackRetryMinutes } }')).body.data!.settings.callbackRetryMinutes).toEqual([30, 120, 1440]);
  });

  it('completing with NO_ANSWER shows attempt 2 in the queue; every staff callback change publishes LEAD_CHANGED after it committed', async () => {
    const { orgId, owner, gql } = await staffOrg();
    const { lead, callback } = await leadWithFirstCallback(db, orgId, new Date(THURSDAY_10AM));
    const notices: InboxUpdateNotice[] = [];
    const unsubscribe = subscribeInboxUpdates(server.deps.live, orgId, (notice) => notices.push(notice));
    const leadChanges = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return notices.filter((notice) => notice.kind === 'LEAD_CHANGED' && notice.leadId === lead.id).length;
    };
    try {
      const completed = await gql('mutation($id: ID!) { completeCallback(id: $id, outcome: NO_ANSWER) { id attempt status } }', { id: callback.id });
      expect(completed.body.errors).toBeUndefined();
      expect(completed.body.data!.completeCallback).toEqual({ id: callback.id, attempt: 1, status: 'COMPLETED' });
      expect(await leadChanges()).toBe(1);

      const queue = await gql(
        '{ callbacks(filter: { status: [OPEN, SCHEDULED] }) { nodes { id attempt status scheduledFor dueAt lead { id needsDecision callbackOverdue } } } }',
      );
      expect(queue.body.errors).toBeUndefined();
      expect(queue.body.data!.callbacks.nodes).toEqual([
        expect.objectContaining({
          attempt: 2,
          status: 'OPEN',
          scheduledFor: '2026-01-15T16:00:00.000Z',
          dueAt: '2026-01-15T16:15:00.000Z',
          lead: { id: lead.id, needsDecision: false, callbackOverdue: false },
        }),
      ]);
      const retryId = queue.body.data!.callbacks.nodes[0].id as string;

      const assigned = await gql('mutation($id: ID!, $to: ID) { assignCallback(id: $id, assigneeId: $to) { id } }', { id: retryId, to: owner.id });
      expect(assigned.body.errors).toBeUndefined();
      expect(await leadChanges()).toBe(2);
      const scheduled = await gql('mutation($lead: ID!, $at: DateTimeISO!) { scheduleCallback(leadId: $lead, at: $at) { id attempt } }', {
        lead: lead.id,
        at: '2026-01-15T20:00:00.000Z',
      });
      expect(scheduled.body.data!.scheduleCallback).toEqual({ id: retryId, attempt: 2 });
      expect(await leadChanges()).toBe(3);
      const canceled = await gql('mutation($id: ID!) { cancelCallback(id: $id) { status } }', { id: retryId });
      expect(canceled.body.data!.cancelCallback.status).toBe('CANCELED');
      expect(await leadChanges()).toBe(4);

      // A refused change commits nothing and announces nothing.
      const refused = await gql('mutation($id: ID!) { cancelCallback(id: $id) { status } }', { id: retryId });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await leadChanges()).toBe(4);
    } finally {
      unsubscribe();
    }
  });

  it('a lead whose attempts ran out reads needsDecision: true', async () => {
    const { orgId, gql } = await staffOrg();
    await db.prisma.orgSettings.update({ where: { orgId }, data: { callbackRetryMinutes: [] } });
    const { lead, callback } = await leadWithFirstCallback(db, orgId, new Date(THURSDAY_10AM));
    await gql('mutation($id: ID!) { completeCallback(id: $id, outcome: LEFT_VOICEMAIL) { id } }', { id: callback.id });
    const read = await gql('query($id: ID!) { lead(id: $id) { needsDecision callbacks { attempt status outcome } } }', { id: lead.id });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.lead).toEqual({ needsDecision: true, callbacks: [{ attempt: 1, status: 'COMPLETED', outcome: 'LEFT_VOICEMAIL' }] });
  });
});
