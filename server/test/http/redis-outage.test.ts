// A Redis outage degrades a node, never stops it (REDIS_URL_TEST): rate limits keep
// counting in the node's memory and still refuse the client over the limit, /readyz
// stays 200 and says "per-node" / "degraded", the outage is logged once, and shared
// counting resumes when Redis is back. Also: a node starts while Redis is down.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { captureLog, LOG_LEVEL } from '../support/captured-log';
import { CuttableProxy } from '../support/cuttable-proxy';
import { openTestDatabase } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';

jest.setTimeout(60_000);

const redisUrl = process.env.REDIS_URL_TEST;
const VIEWER = '{ viewer { organization { id } } }';

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readiness(server: RunningServer): Promise<{ status: number; body: Record<string, unknown> }> {
  // A fresh connection each time: a kept-alive one can be closed by the server's idle timeout just as it is reused.
  const response = await fetch(`${server.url}/readyz`, { headers: { connection: 'close' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

(redisUrl ? describe : describe.skip)('a node whose Redis goes away (REDIS_URL_TEST)', () => {
  let db: Database;
  const proxy = new CuttableProxy(new URL(redisUrl ?? 'redis://127.0.0.1:6379'));
  const servers: RunningServer[] = [];
  const log = captureLog();

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await proxy.cut();
    log.clear();
  });
  afterAll(async () => {
    await db.close();
  });

  async function node(): Promise<RunningServer> {
    const server = await startTestServer(db, {
      env: { RATE_LIMIT_API_PER_MIN: '3', REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
      logger: log.logger,
    });
    servers.push(server);
    return server;
  }

  it('keeps limiting per node while Redis is unreachable, says so once in the log and in /readyz, and shares counts again after', async () => {
    await proxy.start();
    const server = await node();
    expect(await readiness(server)).toEqual({ status: 200, body: expect.objectContaining({ live: 'redis', rateLimits: 'redis' }) });
    const { orgId } = await createTestOrg(db);

    await proxy.cut();
    await until(async () => (await readiness(server)).body.rateLimits === 'per-node', 'the node to notice the outage');
    const { secret } = await createTestCredential(db, orgId, ['leads:read']);
    const during = [];
    for (let request = 0; request < 4; request++) during.push((await graphql(server.url, VIEWER, { bearer: secret })).status);
    expect(during).toEqual([200, 200, 200, 429]);
    expect(await readiness(server)).toEqual({ status: 200, body: expect.objectContaining({ database: 'ok', live: 'degraded', rateLimits: 'per-node' }) });
    const outages = log.lines.filter((line) => line.level === LOG_LEVEL.warn && line.msg.startsWith('rate limits: Redis unreachable'));
    expect(outages).toHaveLength(1);

    await proxy.start();
    await until(async () => {
      const body = (await readiness(server)).body;
      return body.rateLimits === 'redis' && body.live === 'redis';
    }, 'the node to reconnect');
    const after = await createTestCredential(db, orgId, ['leads:read']);
    const second = await node();
    const shared = [];
    for (const target of [server, second, server, second]) shared.push((await graphql(target.url, VIEWER, { bearer: after.secret })).status);
    expect(shared).toEqual([200, 200, 200, 429]);
  });

  it('starts while Redis is down, limiting per node, and joins the shared counts when Redis comes up', async () => {
    await proxy.start();
    await proxy.cut(); // the port is known and nothing listens on it
    const server = await node();
    expect(await readiness(server)).toEqual({ status: 200, body: expect.objectContaining({ rateLimits: 'per-node' }) });
    const { orgId } = await createTestOrg(db);
    const { secret } = await createTestCredential(db, orgId, ['leads:read']);
    const during = [];
    for (let request = 0; request < 4; request++) during.push((await graphql(server.url, VIEWER, { bearer: secret })).status);
    expect(during).toEqual([200, 200, 200, 429]);

    await proxy.start();
    await until(async () => (await readiness(server)).body.rateLimits === 'redis', 'the node to reach Redis');
    expect(log.errors()).toEqual([]);
  });
});
