// The PostgreSQL pool keeps its first connections (and their prepared statements) through a lull,
// and lets a burst's extra connections go once they sit idle.
import type { Database } from '../../src/db/client';
import { openDatabase, POOL_KEPT_CONNECTIONS } from '../../src/db/client';
import { openTestDatabase } from '../support/database';

const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('the PostgreSQL pool', () => {
  let owner: Database;
  let db: Database;
  beforeAll(async () => {
    owner = await openTestDatabase('postgres');
    db = await openDatabase(owner.target, { idleTimeoutMs: 200 });
  });
  afterAll(async () => {
    await db.close();
    await owner.close();
  });

  it(`keeps ${POOL_KEPT_CONNECTIONS} connections through a lull and closes the rest of a burst's once they sit idle`, async () => {
    const pool = db.pool!;
    const backends = async () =>
      (await owner.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).map(
        (row) => row.pid,
      );
    const before = new Set(await backends());
    // Five clients held at once: the pool has to open five connections, however fast each query runs
    // (five concurrent queries could share one that connected and finished early).
    const burst = await Promise.all(Array.from({ length: 5 }, () => pool.connect()));
    await Promise.all(burst.map((client) => client.query('SELECT 1')));
    for (const client of burst) client.release();
    expect(pool.totalCount).toBe(5);
    const opened = (await backends()).filter((pid) => !before.has(pid));
    expect(opened).toHaveLength(5);
    // Well past the idle timeout (200 ms here, a minute in a server).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pool.totalCount).toBe(POOL_KEPT_CONNECTIONS);
    const left = (await backends()).filter((pid) => !before.has(pid));
    expect(left).toHaveLength(POOL_KEPT_CONNECTIONS);
    // The kept connections are the ones the next queries use: no new backend.
    const next = await Promise.all(Array.from({ length: POOL_KEPT_CONNECTIONS }, () => pool.connect()));
    await Promise.all(next.map((client) => client.query('SELECT 1')));
    for (const client of next) client.release();
    expect((await backends()).filter((pid) => !before.has(pid)).sort()).toEqual([...left].sort());
  });
});
