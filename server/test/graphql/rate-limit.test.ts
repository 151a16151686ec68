// /graphql is rate-limited per actor: a credential, a user, or (anonymous) an IP
// each have their own bucket. Over the limit: HTTP 429, Retry-After, RateLimit
// headers and a RATE_LIMITED GraphQL error. With Redis, processes share counts.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestStaff, openTestSession } from '../support/sessions';

jest.setTimeout(60_000);

const VIEWER = '{ viewer { label } }';
const redisUrl = process.env.REDIS_URL_TEST;

describe('the /graphql rate limit (memory store)', () => {
  let db: Database;
  let server: RunningServer;
  let orgId: string;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    server = await startTestServer(db, { env: { RATE_LIMIT_API_PER_MIN: '3' } });
    orgId = (await createTestOrg(db)).orgId;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('answers the request over the limit with 429, Retry-After, RateLimit headers and RATE_LIMITED', async () => {
    const { secret } = await createTestCredential(db, orgId, ['leads:read']);
    for (let i = 0; i < 3; i++) expect((await graphql(server.url, VIEWER, { bearer: secret })).status).toBe(200);
    const limited = await graphql(server.url, VIEWER, { bearer: secret });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit')).toMatch(/^"api"; r=0; t=\d+$/);
    expect(limited.headers.get('ratelimit-policy')).toMatch(/^"api"; q=3; w=60; pk=/);
    expect(limited.body).toEqual({
      errors: [{ message: expect.stringMatching(/Too many requests/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }],
    });
  });

  it('keeps one bucket per actor: another credential, a user and an anonymous caller are unaffected', async () => {
    const { secret: busy } = await createTestCredential(db, orgId, ['leads:read']);
    for (let i = 0; i < 4; i++) await graphql(server.url, VIEWER, { bearer: busy });
    expect((await graphql(server.url, VIEWER, { bearer: busy })).status).toBe(429);

    const { secret: calm } = await createTestCredential(db, orgId, ['leads:read']);
    expect((await graphql(server.url, VIEWER, { bearer: calm })).status).toBe(200);
    const staff = await createTestStaff(db, orgId, 'ANALYST');
    const cookie = await openTestSession(db, staff.userId, orgId);
    expect((await graphql(server.url, VIEWER, { cookie })).status).toBe(200);
    // Same IP as everything above, but anonymous callers are counted by IP only.
    expect((await graphql(server.url, VIEWER)).status).toBe(200);
  });

  it('counts a user across sessions, and anonymous callers by IP', async () => {
    const staff = await createTestStaff(db, orgId, 'DISPATCHER');
    for (let i = 0; i < 3; i++) await graphql(server.url, VIEWER, { cookie: await openTestSession(db, staff.userId, orgId) });
    expect((await graphql(server.url, VIEWER, { cookie: await openTestSession(db, staff.userId, orgId) })).status).toBe(429);

    const fresh = await startTestServer(db, { env: { RATE_LIMIT_API_PER_MIN: '3' } });
    try {
      for (let i = 0; i < 3; i++) expect((await graphql(fresh.url, VIEWER)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const anonymous = await graphql(fresh.url, VIEWER);
      expect(anonymous.status).toBe(429);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await fresh.close();
    }
  });
});

(redisUrl ? describe : describe.skip)('the /graphql rate limit with REDIS_URL (REDIS_URL_TEST)', () => {
  let db: Database;
  let first: RunningServer;
  let second: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    const env = { RATE_LIMIT_API_PER_MIN: '3', RATE_LIMIT_SIGNIN_PER_15MIN: '2', REDIS_URL: redisUrl! };
    first = await startTestServer(db, { env });
    second = await startTestServer(db, { env });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await db.close();
  });

  it('two processes share one count per actor', async () => {
    expect(first.deps.rateLimitStores.kind).toBe('redis');
    const { orgId } = await createTestOrg(db);
    const { secret } = await createTestCredential(db, orgId, ['leads:read']);
    expect((await graphql(first.url, VIEWER, { bearer: secret })).status).toBe(200);
    expect((await graphql(second.url, VIEWER, { bearer: secret })).status).toBe(200);
    expect((await graphql(first.url, VIEWER, { bearer: secret })).status).toBe(200);
    const limited = await graphql(second.url, VIEWER, { bearer: secret });
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('two processes share the sign-in count per IP and email', async () => {
    const { orgId } = await createTestOrg(db);
    const staff = await createTestStaff(db, orgId, 'ANALYST');
    const signIn = (url: string) =>
      graphql(url, 'mutation($email: String!) { signIn(email: $email, password: "wrong password guess") { label } }', { variables: { email: staff.email } });
    expect((await signIn(first.url)).status).toBe(200);
    expect((await signIn(second.url)).status).toBe(200);
    const limited = await signIn(first.url);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });
});
