// TRUST_PROXY says how far to believe X-Forwarded-For. `true` believed the
// client's own header, so rotating it dodged every per-IP limit; only a hop
// count or a list of proxy addresses is accepted now. With one trusted hop the
// client IP is the address our proxy appended (the rightmost), whatever the
// client put in front of it.
import { configProblemsOf as problemsOf } from '../support/config-problems';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { loadConfig } from '../../src/config';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { signInOverHttp } from '../support/sessions';

jest.setTimeout(60_000);

describe('TRUST_PROXY configuration', () => {
  it('refuses TRUST_PROXY=true with one line telling to set a hop count', () => {
    for (const value of ['true', 'TRUE', 'yes', 'false']) {
      const problems = problemsOf({ TRUST_PROXY: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY=\w+ is not accepted: set the number of proxies in front of CallSnare \(e\.g\. TRUST_PROXY=1/);
      expect(problems[0]).not.toContain('\n');
    }
  });

  it('accepts a hop count, or proxy addresses, CIDRs and the loopback/linklocal/uniquelocal names', () => {
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.10, uniquelocal, linklocal' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.10',
      'uniquelocal',
      'linklocal',
    ]);
    expect(loadConfig({}).trustProxy).toBeUndefined();
  });

  it('refuses anything else, naming what it did not understand', () => {
    expect(problemsOf({ TRUST_PROXY: '-1' })).toEqual([expect.stringContaining('"-1"')]);
    expect(problemsOf({ TRUST_PROXY: 'loopback, 10.0.0.0/33, proxy.example' })).toEqual([
      'TRUST_PROXY must be a hop count (e.g. 1) or a comma-separated list of proxy IPs, CIDRs, loopback, linklocal or uniquelocal (not understood: "10.0.0.0/33", "proxy.example")',
    ]);
  });
});

describe.each(testDatabaseKinds)('per-IP limits behind one proxy (TRUST_PROXY=1) on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const LIMIT = 3;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, {
      env: { TRUST_PROXY: '1', RATE_LIMIT_WEBHOOK_PER_MIN: String(LIMIT), RATE_LIMIT_SIGNIN_PER_15MIN: String(LIMIT) },
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** What a client sending `claimed` looks like after our proxy appended the address it really came from. */
  const forwardedFor = (claimed: string, real: string) => ({ 'x-forwarded-for': `${claimed}, ${real}` });

  function postWebhook(headers: Record<string, string>) {
    return fetch(`${server.url}/webhooks/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: '',
    });
  }

  it('counts webhook deliveries by the address the proxy saw, however the client rotates X-Forwarded-For', async () => {
    const real = '203.0.113.7';
    for (let i = 0; i < LIMIT; i++) {
      expect((await postWebhook(forwardedFor(`198.51.100.${i}, 10.9.8.${i}`, real))).status).not.toBe(429);
    }
    const limited = await postWebhook(forwardedFor('198.51.100.250', real));
    expect(limited.status).toBe(429);
    const logged = await db.prisma.webhookLog.findFirst({ where: { outcome: 'RATE_LIMITED' }, orderBy: { receivedAt: 'desc' } });
    expect(logged?.ip).toBe(real);

    // Another client behind the same proxy has its own budget: the header is still honoured.
    expect((await postWebhook(forwardedFor('198.51.100.250', '203.0.113.8'))).status).not.toBe(429);
  });

  it('counts sign-in attempts by the address the proxy saw, however the client rotates X-Forwarded-For', async () => {
    const org = await createTestOrg(db);
    const email = (await db.prisma.membership.findFirstOrThrow({ where: { orgId: org.orgId }, include: { user: true } })).user.email;
    const real = '203.0.113.20';
    for (let i = 0; i < LIMIT; i++) {
      const { body } = await signInOverHttp(server.url, email, 'wrong password', forwardedFor(`192.0.2.${i}`, real));
      expect(body.errors?.[0]?.extensions?.code).not.toBe('RATE_LIMITED');
    }
    const limited = await signInOverHttp(server.url, email, 'wrong password', forwardedFor('192.0.2.200', real));
    expect(limited.response.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    const elsewhere = await signInOverHttp(server.url, email, 'wrong password', forwardedFor('192.0.2.200', '203.0.113.21'));
    expect(elsewhere.body.errors?.[0]?.extensions?.code).not.toBe('RATE_LIMITED');
  });
});
