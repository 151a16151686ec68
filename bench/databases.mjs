// The two databases a benchmark runs on: a fresh PostgreSQL database (created
// here, dropped afterwards) and an in-memory PGlite. Each is migrated, given
// one organization and a credential through the real services, then seeded.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { seed } from './seed.mjs';

const requireFromServer = createRequire(new URL('../server/package.json', import.meta.url));

export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TRACKING_NUMBER = '+15005550006';
export const FORWARD_TO = '+15005550001';

/**
 * Opens, migrates and seeds one database. Returns { db, orgId, secret, seedTimings, close }.
 * `server` is the loaded server/dist modules.
 */
export async function prepareDatabase(kind, { leads, server, log }) {
  const pg = requireFromServer('pg');
  let admin = null;
  let databaseName = null;
  let target;
  if (kind === 'pg') {
    databaseName = `callsnare_bench_${crypto.randomBytes(4).toString('hex')}`;
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${databaseName}`;
    target = { kind: 'postgres', url: url.toString() };
    log(`  created database ${databaseName}`);
  } else {
    target = { kind: 'pglite', dataDir: null };
  }

  let db = null;
  let seedClient = null;
  const close = async () => {
    if (seedClient) await seedClient.end().catch(() => {});
    if (db) await db.close().catch((error) => log(`  closing the database failed: ${error.message}`));
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
      log(`  dropped database ${databaseName}`);
    }
  };

  try {
    db = await server.openDatabase(target);
    const migrateStarted = performance.now();
    await server.applyMigrations(db);
    const migrateMs = performance.now() - migrateStarted;

    const ownerPassword = crypto.randomBytes(18).toString('base64url');
    const { orgId } = await server.inTransaction(db.prisma, (tx) =>
      server.createOrganization(
        tx,
        { label: 'bench' },
        {
          name: 'Bench HVAC',
          ownerEmail: 'owner@bench.callsnare.test',
          ownerPassword,
          timezone: server.daytimeTimeZone(),
          trackingLine: { number: TRACKING_NUMBER, forwardTo: FORWARD_TO },
        },
      ),
    );
    const { secret } = await server.inTransaction(db.prisma, (tx) =>
      server.createApiCredential(tx, server.systemActor(orgId, 'bench'), { name: 'bench', scopes: [...server.SCOPES] }, 'TEST'),
    );
    // The text-back is measured at any hour: quiet hours would defer it, and so would the callers' calling
    // window (their area code is unassigned, so the shop's zone is theirs: see daytimeTimeZone). (Every
    // missed call comes from a new caller, so the per-caller cooldown never applies.)
    // Everything else keeps its defaults.
    await db.prisma.orgSettings.update({ where: { orgId }, data: { quietHoursEnabled: false } });

    let exec;
    if (kind === 'pg') {
      seedClient = new pg.Client({ connectionString: target.url });
      await seedClient.connect();
      exec = (sql) => seedClient.query(sql);
    } else {
      exec = (sql) => db.pglite.exec(sql);
    }
    const seedTimings = await seed(exec, { orgId, leads, trackingNumber: TRACKING_NUMBER }, log);
    if (seedClient) {
      await seedClient.end();
      seedClient = null;
    }
    return { kind, db, orgId, secret, migrateMs, seedTimings, databaseName, close };
  } catch (error) {
    await close();
    throw error;
  }
}
