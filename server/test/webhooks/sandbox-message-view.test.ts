// GET /webhooks/twilio/sandbox/messages/:id shows one text only to its own
// organization: a staff session or an API credential (leads:read) of the org
// that sent it. Anyone else learns nothing, not even that the id exists.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { openTestSession, ownerOf } from '../support/sessions';
import { LIVE_ENV, newCall, newCallerNumber, twilioPoster } from '../support/twilio';

jest.setTimeout(120_000);

describe.each(testDatabaseKinds)('the sandbox message view on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const clock = new ManualClock('2026-01-15T15:00:00.000Z');

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** An org whose missed call queued a text-back; returns the text's id. */
  async function orgWithTextBack() {
    const org = await createTestOrg(db);
    const response = await twilioPoster(server, { authToken: null }).dialStatus(newCall(newCallerNumber(), org.trackingNumber!));
    expect(response.status).toBe(200);
    const messageId = response.headers.get('x-callsnare-message-id');
    expect(messageId).toBeTruthy();
    return { orgId: org.orgId, messageId: messageId! };
  }
  const view = (messageId: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/webhooks/twilio/sandbox/messages/${messageId}`, { headers }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { message?: { id: string; body: string; status: string }; error?: { code: string; message: string } },
    }));
  const bearer = async (orgId: string, scopes: Parameters<typeof createTestCredential>[2] = ['leads:read']) => {
    const { secret } = await createTestCredential(db, orgId, scopes);
    return { authorization: `Bearer ${secret}` };
  };

  it('without an identity answers 401 and shows nothing', async () => {
    const { messageId } = await orgWithTextBack();
    const response = await view(messageId);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/Bearer/) } });
    expect(await view(messageId, { authorization: 'Bearer cs_test_not_a_real_credential' })).toMatchObject({ status: 401 });
    expect(await view(messageId, { cookie: 'callsnare_session=not-a-session' })).toMatchObject({ status: 401 });
  });

  it("another organization's credential or session gets 404, as for an id that does not exist", async () => {
    const { messageId } = await orgWithTextBack();
    const other = await createTestOrg(db);
    const credential = await view(messageId, await bearer(other.orgId));
    expect(credential).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Message not found' } } });
    const owner = await ownerOf(db, other.orgId);
    const session = await view(messageId, { cookie: await openTestSession(db, owner.userId, other.orgId, clock) });
    expect(session).toEqual(credential);
    expect(await view('0190a5f0-0000-7000-8000-000000000000', await bearer(other.orgId))).toEqual(credential);
  });

  it("the message's own organization sees it, with a credential (leads:read) or a staff session", async () => {
    const { orgId, messageId } = await orgWithTextBack();
    const credential = await view(messageId, await bearer(orgId));
    expect(credential.status).toBe(200);
    expect(credential.body.message).toMatchObject({ id: messageId, status: 'QUEUED', body: expect.stringContaining('sorry we missed your call') });
    const owner = await ownerOf(db, orgId);
    const session = await view(messageId, { cookie: await openTestSession(db, owner.userId, orgId, clock) });
    expect(session).toEqual(credential);
  });

  it('a credential of the org without leads:read is refused with 403', async () => {
    const { orgId, messageId } = await orgWithTextBack();
    const response = await view(messageId, await bearer(orgId, ['callbacks:read']));
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('does not exist in live mode', async () => {
    const live = await startTestServer(db, { clock, env: LIVE_ENV, start: { stripe: null } });
    try {
      const { orgId, messageId } = await orgWithTextBack();
      const response = await fetch(`${live.url}/webhooks/twilio/sandbox/messages/${messageId}`, { headers: await bearer(orgId) });
      expect(response.status).toBe(404);
    } finally {
      await live.close();
    }
  });
});
