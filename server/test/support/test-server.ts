// The shared test fixture of the end-to-end test files: one migrated database,
// one real CallSnare server on it, a Twilio poster signing with the test auth
// token, and a manual clock, per describe block (usually one per database kind).
import type { Database } from '../../src/db/client';
import type { RunningServer, StartOptions } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, type TestDatabaseKind } from './database';
import { startTestServer } from './server';
import { TEST_AUTH_TOKEN, twilioPoster, type TwilioPoster } from './twilio';

export interface TestServerFixture {
  /** The block's database (the server's too). */
  readonly db: Database;
  readonly server: RunningServer;
  /** Posts to `server` like Twilio, signed with TEST_AUTH_TOKEN. */
  readonly twilio: TwilioPoster;
  /** The server's clock; back at `now` before every test. */
  readonly clock: ManualClock;
}

export interface TestServerOptions {
  /** Where the clock starts, and where it is set back to before each test (default: ManualClock's, a Thursday 10:00 in New York). */
  now?: Date | string;
  /** Server env on top of TWILIO_AUTH_TOKEN=TEST_AUTH_TOKEN. */
  env?: Record<string, string>;
  /** What the server starts besides the HTTP API (see startTestServer). */
  start?: Pick<StartOptions, 'workers' | 'smsTransport' | 'outbox' | 'stripe'>;
}

/**
 * Call inside a describe block: opens the database and starts the server before
 * its tests (beforeAll), sets the clock back before each test, and stops the
 * server and closes the database after them. The fields throw when read before
 * beforeAll ran (at the top level of the describe callback, say).
 */
export function useTestServer(kind: TestDatabaseKind, options: TestServerOptions = {}): TestServerFixture {
  const clock = new ManualClock(options.now);
  const start = clock.now().toISOString();
  let ready: { db: Database; server: RunningServer; twilio: TwilioPoster } | null = null;
  const get = () => {
    if (!ready) throw new Error('useTestServer: the database and server exist from beforeAll on, inside hooks and tests');
    return ready;
  };

  beforeAll(async () => {
    const db = await openTestDatabase(kind);
    try {
      const server = await startTestServer(db, { clock, env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, ...options.env }, start: options.start });
      ready = { db, server, twilio: twilioPoster(server) };
    } catch (error) {
      await db.close();
      throw error;
    }
  });
  beforeEach(() => clock.set(start));
  afterAll(async () => {
    const opened = ready;
    ready = null;
    if (!opened) return;
    try {
      await opened.server.close();
    } finally {
      await opened.db.close();
    }
  });

  return {
    get db() {
      return get().db;
    },
    get server() {
      return get().server;
    },
    get twilio() {
      return get().twilio;
    },
    clock,
  };
}
