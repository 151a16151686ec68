// Sandbox mode accepts unsigned webhooks and seeds a demo organization, so it
// only listens on loopback unless ALLOW_SANDBOX_ON_NETWORK=1 says otherwise,
// and then it warns loudly.
import type { Database } from '../../src/db/client';
import { ConfigError, isLoopbackHost, loadConfig } from '../../src/config';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { captureLog, LOG_LEVEL } from '../support/captured-log';

jest.setTimeout(60_000);

const NETWORK_WARNING = /^SANDBOX MODE IS REACHABLE FROM THE NETWORK/;

describe('which hosts count as loopback', () => {
  it('knows loopback addresses and localhost from network addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.5', 'fe80::1', '::ffff:10.0.0.1', 'shop.example.com', '128.0.0.1']) {
      expect([host, isLoopbackHost(host)]).toEqual([host, false]);
    }
  });

  it('only takes 1 or 0 for ALLOW_SANDBOX_ON_NETWORK', () => {
    expect(loadConfig({ ALLOW_SANDBOX_ON_NETWORK: '1' }).allowSandboxOnNetwork).toBe(true);
    expect(loadConfig({}).allowSandboxOnNetwork).toBe(false);
    expect(() => loadConfig({ ALLOW_SANDBOX_ON_NETWORK: 'please' })).toThrow('ALLOW_SANDBOX_ON_NETWORK must be 1 or 0 (got "please")');
  });
});

describe.each(testDatabaseKinds)('sandbox mode and HOST on %s', (kind) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('refuses to start on 0.0.0.0, :: or a LAN address, with one line saying how to proceed', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      const log = captureLog();
      const starting = startTestServer(db, { env: { HOST: host, INTEGRATION_MODE: 'sandbox' }, logger: log.logger });
      await expect(starting).rejects.toBeInstanceOf(ConfigError);
      const problems = await starting.catch((error: unknown) => (error as ConfigError).problems);
      expect(problems).toEqual([
        `HOST=${host} would expose sandbox mode (unsigned webhooks accepted, demo organization) to the network: use HOST=127.0.0.1, INTEGRATION_MODE=live, or set ALLOW_SANDBOX_ON_NETWORK=1 to do it anyway`,
      ]);
      expect(log.lines.some((line) => line.msg === 'CallSnare listening')).toBe(false);
    }
  });

  it('starts on loopback without a warning', async () => {
    const log = captureLog();
    const server = await startTestServer(db, { env: { HOST: '127.0.0.1' }, logger: log.logger });
    try {
      expect(log.lines.filter((line) => line.level >= LOG_LEVEL.warn)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('starts on 0.0.0.0 with ALLOW_SANDBOX_ON_NETWORK=1, and warns at warn level', async () => {
    const log = captureLog();
    const server = await startTestServer(db, { env: { HOST: '0.0.0.0', ALLOW_SANDBOX_ON_NETWORK: '1' }, logger: log.logger });
    try {
      expect((await fetch(`${server.url.replace('0.0.0.0', '127.0.0.1')}/healthz`)).status).toBe(200);
      const warnings = log.lines.filter((line) => line.level === LOG_LEVEL.warn);
      expect(warnings).toEqual([expect.objectContaining({ host: '0.0.0.0', msg: expect.stringMatching(NETWORK_WARNING) })]);
    } finally {
      await server.close();
    }
  });
});
