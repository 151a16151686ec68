// subscription inboxUpdates over graphql-ws on /graphql, against a real server:
// who may connect and subscribe, what each organization hears (and not),
// nothing for rolled-back work, and connections ending with the identity.
import { inboxChannel } from '../../src/live/inbox-updates';
import { announceAccessChange } from '../../src/live/access-notices';
import { LIVE_CLOSE_CODES, LIVE_LIMITS } from '../../src/api/subscriptions';
import { SESSION_IDLE_MS } from '../../src/access/sessions';
import { issueCredentialSecret } from '../../src/access/credential-secret';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';
import { closeOf, listenerCount, openLive, rawUpgrade, untilListening, type LiveSession } from './live-client';

jest.setTimeout(120_000);

const INBOX = 'subscription { inboxUpdates { kind at lead { id phone status } } }';
/** Thursday 10:00 in New York: business hours. */
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';

describe.each(testDatabaseKinds)('live inbox updates on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS });
  const { clock } = fixture;
  const open: LiveSession[] = [];

  afterEach(async () => {
    await Promise.all(open.splice(0).map((live) => live.dispose()));
  });

  /** An org with its owner's session cookie (sent from the dashboard's own origin). */
  async function shop() {
    const org = await createTestOrg(fixture.db);
    const owner = await ownerOf(fixture.db, org.orgId);
    const cookie = await openTestSession(fixture.db, owner.userId, org.orgId, clock);
    return { orgId: org.orgId, trackingNumber: org.trackingNumber!, owner, cookie };
  }

  function live(auth: Parameters<typeof openLive>[1]) {
    const session = openLive(fixture.server, auth);
    open.push(session);
    return session;
  }

  const ownOrigin = () => fixture.server.url;

  async function missedCall(trackingNumber: string, caller = newCallerNumber()) {
    const call = newCall(caller, trackingNumber);
    await fixture.twilio.voice(call);
    const response = await fixture.twilio.dialStatus(call, 'no-answer');
    return { caller, response };
  }

  it('a session subscriber hears a missed call of its own organization, with the lead read fresh', async () => {
    const a = await shop();
    const feed = live({ cookie: a.cookie, origin: ownOrigin() }).subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId));

    const { caller, response } = await missedCall(a.trackingNumber);
    expect(response.status).toBe(200);
    const update = await feed.next();
    expect(update.errors).toBeUndefined();
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId: a.orgId, phone: caller } });
    expect(update.data).toEqual({ inboxUpdates: { kind: 'MISSED_CALL', at: clock.now().toISOString(), lead: { id: lead.id, phone: caller, status: 'NEW' } } });

    await fixture.twilio.sms(caller, a.trackingNumber, 'AC stopped cooling, can someone come out today?');
    const reply = await feed.next();
    expect(reply.data).toMatchObject({ inboxUpdates: { kind: 'REPLY_RECEIVED', lead: { id: lead.id } } });
  });

  it("another organization's subscriber (Bearer credential) hears nothing of it, only its own", async () => {
    const a = await shop();
    const b = await shop();
    const feedA = live({ cookie: a.cookie, origin: ownOrigin() }).subscribe(INBOX);
    const { secret } = await createTestCredential(fixture.db, b.orgId, ['leads:read'], 'inbox feed');
    const feedB = live({ bearer: secret }).subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId));
    await untilListening(fixture.server, inboxChannel(b.orgId));

    const fromA = await missedCall(a.trackingNumber);
    expect((await feedA.next()).data).toMatchObject({ inboxUpdates: { kind: 'MISSED_CALL', lead: { phone: fromA.caller } } });
    const fromB = await missedCall(b.trackingNumber);
    // B's socket delivers in order: had it been sent A's update, that would come first.
    expect((await feedB.next()).data).toMatchObject({ inboxUpdates: { kind: 'MISSED_CALL', lead: { phone: fromB.caller } } });
    const again = await missedCall(a.trackingNumber);
    expect((await feedA.next()).data).toMatchObject({ inboxUpdates: { lead: { phone: again.caller } } });
    expect(feedA.results).toHaveLength(2);
    expect(feedB.results).toHaveLength(1);
  });

  it('a webhook whose transaction rolls back publishes nothing', async () => {
    const a = await shop();
    const failing = newCallerNumber();
    // A failure after the lead was written: the callback insert for this caller's lead raises, the transaction rolls back.
    await fixture.db.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION live_test_fail_callback() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM "Lead" WHERE id = NEW."leadId" AND phone = '${failing}') THEN
          RAISE EXCEPTION 'injected failure for the live test';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await fixture.db.prisma.$executeRawUnsafe(
      'CREATE TRIGGER live_test_fail_callback BEFORE INSERT ON "Callback" FOR EACH ROW EXECUTE FUNCTION live_test_fail_callback()',
    );
    try {
      const feed = live({ cookie: a.cookie, origin: ownOrigin() }).subscribe(INBOX);
      await untilListening(fixture.server, inboxChannel(a.orgId));

      const failed = await missedCall(a.trackingNumber, failing);
      expect(failed.response.status).toBe(500);
      expect(await fixture.db.prisma.lead.count({ where: { orgId: a.orgId, phone: failing } })).toBe(0);

      const ok = await missedCall(a.trackingNumber);
      expect((await feed.next()).data).toMatchObject({ inboxUpdates: { kind: 'MISSED_CALL', lead: { phone: ok.caller } } });
      expect(feed.results).toHaveLength(1);
    } finally {
      await fixture.db.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS live_test_fail_callback ON "Callback"');
    }
  });

  it('a credential without leads:read is refused the subscription (FORBIDDEN), before any stream starts', async () => {
    const a = await shop();
    const { secret } = await createTestCredential(fixture.db, a.orgId, ['callbacks:read'], 'no leads');
    const feed = live({ bearer: secret }).subscribe(INBOX);
    await feed.ended();
    expect(feed.error).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'leads:read', operation: 'inboxUpdates' }) }),
    ]);
    expect(listenerCount(fixture.server, inboxChannel(a.orgId))).toBe(0);
  });

  it("nested fields keep their own permissions: a lead's callbacks need callbacks:read", async () => {
    const a = await shop();
    const { secret } = await createTestCredential(fixture.db, a.orgId, ['leads:read'], 'leads only');
    const feed = live({ bearer: secret }).subscribe('subscription { inboxUpdates { kind lead { id callbacks { id } } } }');
    await untilListening(fixture.server, inboxChannel(a.orgId));
    await missedCall(a.trackingNumber);
    const update = await feed.next();
    expect(update.errors?.[0]).toMatchObject({
      path: ['inboxUpdates', 'lead', 'callbacks'],
      extensions: { code: 'FORBIDDEN', requiredScope: 'callbacks:read' },
    });
  });

  it('the query limits apply: a document past the depth limit is refused', async () => {
    const a = await shop();
    const { secret } = await createTestCredential(fixture.db, a.orgId, ['leads:read', 'callbacks:read'], 'deep');
    let selection = 'id';
    for (let i = 0; i < 6; i += 1) selection = `lead { callbacks { ${selection} } }`;
    const feed = live({ bearer: secret }).subscribe(`subscription { inboxUpdates { ${selection} } }`);
    await feed.ended();
    expect(feed.error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });

  it('without an identity, or with a bad credential, the connection is closed with 4401', async () => {
    const anonymous = live({ origin: ownOrigin() });
    expect(await anonymous.closed).toMatchObject({ code: LIVE_CLOSE_CODES.unauthenticated });
    const forged = live({ bearer: 'cs_test_not_a_real_credential' });
    expect(await forged.closed).toMatchObject({ code: LIVE_CLOSE_CODES.unauthenticated, reason: expect.stringMatching(/credential/) });
    // As over HTTP: a sandbox server refuses live-mode credentials outright.
    const otherMode = live({ bearer: issueCredentialSecret('LIVE').secret });
    expect(await otherMode.closed).toMatchObject({ code: LIVE_CLOSE_CODES.unauthenticated, reason: expect.stringMatching(/other integration mode/) });
  });

  it('caps live connections per credential or session (4429)', async () => {
    const a = await shop();
    const { secret } = await createTestCredential(fixture.db, a.orgId, ['leads:read'], 'many sockets');
    const allowed = Array.from({ length: LIVE_LIMITS.maxConnectionsPerIdentity }, () => live({ bearer: secret }));
    for (const session of allowed) session.subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId), allowed.length);
    const oneTooMany = live({ bearer: secret });
    expect(await oneTooMany.closed).toMatchObject({ code: LIVE_CLOSE_CODES.tooManyConnections });
    // The session's own connections count on their own.
    const dashboard = live({ cookie: a.cookie, origin: ownOrigin() });
    dashboard.subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId), allowed.length + 1);
  });

  it('a WebSocket carrying the session cookie from a foreign Origin is refused at the upgrade (403)', async () => {
    const a = await shop();
    const foreign = await rawUpgrade(fixture.server, { headers: { cookie: a.cookie, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const nullOrigin = await rawUpgrade(fixture.server, { headers: { cookie: a.cookie, origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const own = await rawUpgrade(fixture.server, { headers: { cookie: a.cookie, origin: ownOrigin() } });
    expect(own.status).toBe(101);
    own.socket!.close();
    const elsewhere = await rawUpgrade(fixture.server, { path: '/webhooks/twilio' });
    expect(elsewhere.status).toBe(404);
  });

  it("signing out closes the session's live connections (4401)", async () => {
    const a = await shop();
    const session = live({ cookie: a.cookie, origin: ownOrigin() });
    session.subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId));
    const { body } = await graphql(fixture.server.url, 'mutation { signOut }', { cookie: a.cookie });
    expect(body.data).toEqual({ signOut: true });
    expect(await session.closed).toMatchObject({ code: LIVE_CLOSE_CODES.unauthenticated });
    await untilListening(fixture.server, inboxChannel(a.orgId), 0);
  });

  it('revoking a credential closes its live connections (4401); other connections of the org stay', async () => {
    const a = await shop();
    const { secret, credential } = await createTestCredential(fixture.db, a.orgId, ['leads:read'], 'to revoke');
    const revoked = live({ bearer: secret });
    revoked.subscribe(INBOX);
    const staying = live({ cookie: a.cookie, origin: ownOrigin() });
    const stayingFeed = staying.subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId), 2);

    const { body } = await graphql(fixture.server.url, 'mutation($id: ID!) { revokeApiCredential(id: $id) { id status } }', {
      cookie: a.cookie,
      variables: { id: credential.id },
    });
    expect(body.data).toEqual({ revokeApiCredential: { id: credential.id, status: 'REVOKED' } });
    expect(await revoked.closed).toMatchObject({ code: LIVE_CLOSE_CODES.unauthenticated });
    await untilListening(fixture.server, inboxChannel(a.orgId), 1);

    const { caller } = await missedCall(a.trackingNumber);
    expect((await stayingFeed.next()).data).toMatchObject({ inboxUpdates: { lead: { phone: caller } } });
  });

  it("a removed member's connection closes (4403: no access left); the periodic check closes an expired session (4401)", async () => {
    const a = await shop();
    const dispatcher = await createTestStaff(fixture.db, a.orgId, 'DISPATCHER');
    const removedSession = live({ cookie: await openTestSession(fixture.db, dispatcher.userId, a.orgId, clock), origin: ownOrigin() });
    removedSession.subscribe(INBOX);
    const idleSession = live({ cookie: a.cookie, origin: ownOrigin() });
    idleSession.subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId), 2);

    const { body } = await graphql(fixture.server.url, 'mutation($id: ID!) { removeMember(membershipId: $id) { id } }', {
      cookie: a.cookie,
      variables: { id: dispatcher.membershipId },
    });
    expect(body.errors).toBeUndefined();
    expect(await removedSession.closed).toMatchObject({ code: LIVE_CLOSE_CODES.accessChanged });

    // What the sweep every LIVE_LIMITS.recheckIntervalMs does, asked for now.
    clock.advance(SESSION_IDLE_MS + 60_000);
    announceAccessChange(fixture.server.deps.live, { everyone: true });
    expect(await idleSession.closed).toMatchObject({ code: LIVE_CLOSE_CODES.unauthenticated });
  });

  it("switching organization closes the session's connections (4403), which reconnect to the new one", async () => {
    const a = await shop();
    const b = await shop();
    await createTestStaff(fixture.db, b.orgId, 'DISPATCHER', { email: a.owner.email });
    const session = live({ cookie: a.cookie, origin: ownOrigin() });
    session.subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId));
    const { body } = await graphql(fixture.server.url, 'mutation($orgId: ID!) { switchOrganization(orgId: $orgId) { label } }', {
      cookie: a.cookie,
      variables: { orgId: b.orgId },
    });
    expect(body.errors).toBeUndefined();
    expect(await session.closed).toMatchObject({ code: LIVE_CLOSE_CODES.accessChanged });

    const again = live({ cookie: a.cookie, origin: ownOrigin() }).subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(b.orgId));
    const { caller } = await missedCall(b.trackingNumber);
    expect((await again.next()).data).toMatchObject({ inboxUpdates: { lead: { phone: caller } } });
  });

  it('caps subscriptions per connection', async () => {
    const a = await shop();
    const session = live({ cookie: a.cookie, origin: ownOrigin() });
    const feeds = Array.from({ length: LIVE_LIMITS.maxSubscriptionsPerConnection }, () => session.subscribe(INBOX));
    await untilListening(fixture.server, inboxChannel(a.orgId), feeds.length);
    const extra = session.subscribe(INBOX);
    await extra.ended();
    expect(extra.error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) })]);
  });

  it('refuses queries over WebSocket and subscriptions over HTTP, each pointing to the other', async () => {
    const a = await shop();
    const feed = live({ cookie: a.cookie, origin: ownOrigin() }).subscribe('{ viewer { label } }');
    await feed.ended();
    expect(feed.error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })]);

    const overHttp = await graphql(fixture.server.url, INBOX, { cookie: a.cookie });
    expect(overHttp.status).toBe(400);
    expect(overHttp.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const anonymous = await graphql(fixture.server.url, INBOX);
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', operation: 'inboxUpdates' });
  });

  it('a malformed or oversized message closes only that connection; the server keeps serving', async () => {
    const a = await shop();
    const garbage = await rawUpgrade(fixture.server, { headers: { cookie: a.cookie, origin: ownOrigin() } });
    const garbageClosed = closeOf(garbage.socket!);
    garbage.socket!.send('this is not a graphql-ws message');
    expect((await garbageClosed).code).toBe(4400);

    const huge = await rawUpgrade(fixture.server, { headers: { cookie: a.cookie, origin: ownOrigin() } });
    const hugeClosed = closeOf(huge.socket!);
    huge.socket!.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(LIVE_LIMITS.maxMessageBytes) } }));
    expect((await hugeClosed).code).toBe(1009);

    // The legacy subscriptions-transport-ws protocol is not spoken: no subprotocol is agreed.
    await expect(rawUpgrade(fixture.server, { headers: { cookie: a.cookie, origin: ownOrigin() }, protocol: 'graphql-ws' })).rejects.toThrow(/subprotocol/);

    const feed = live({ cookie: a.cookie, origin: ownOrigin() }).subscribe(INBOX);
    await untilListening(fixture.server, inboxChannel(a.orgId));
    const { caller } = await missedCall(a.trackingNumber);
    expect((await feed.next()).data).toMatchObject({ inboxUpdates: { lead: { phone: caller } } });
  });
});

describe('live connections at shutdown', () => {
  it('server close() closes every live connection with 1001 and ends its subscriptions', async () => {
    const db = await openTestDatabase('pglite');
    const server = await startTestServer(db);
    try {
      const org = await createTestOrg(db);
      const owner = await ownerOf(db, org.orgId);
      const session = openLive(server, { cookie: await openTestSession(db, owner.userId, org.orgId), origin: server.url });
      const feed = session.subscribe(INBOX);
      await untilListening(server, inboxChannel(org.orgId));
      await server.close();
      expect(await session.closed).toMatchObject({ code: LIVE_CLOSE_CODES.goingAway });
      await feed.ended();
      await session.dispose();
    } finally {
      await server.close();
      await db.close();
    }
  });
});
