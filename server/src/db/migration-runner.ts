// Applies the checked-in SQL migrations (prisma/migrations/NNNN_name/migration.sql)
// at start-up: plain SQL, each migration in its own transaction, recorded in
// Prisma's `_prisma_migrations` table exactly as `prisma migrate deploy` would
// (same columns, same SHA-256 checksum), so the history stays readable by
// Prisma's tools. Prisma's schema engine is needed only to write and check
// migrations in development (schema-engine.ts). docs/decisions/0012-plain-migration-runner.md
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './client';
import { findRepoRoot, MigrationError } from './migration-files';

export { findRepoRoot, MigrationError, type MigrationErrorCode } from './migration-files';

export interface ApplyMigrationsOptions {
  /** Defaults to `<repo>/prisma/migrations`. */
  migrationsDir?: string;
  log?: (msg: string) => void;
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/** The statements any SQL session can run: PGlite's own, or one PostgreSQL connection. */
interface Session {
  /** Runs a script of one or more statements (simple query protocol: no parameters). */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  transaction(work: (tx: Session) => Promise<void>): Promise<void>;
}

// The key Prisma's schema engine takes (pg_advisory_lock) while migrating: a
// node migrating with either tool waits for the other.
const MIGRATION_LOCK_KEY = 72707369;

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies the migrations the database has not seen yet, in folder-name order. Idempotent;
 * safe when several nodes start at once (an advisory lock serialises them; runs on one
 * embedded database queue in this process). A failing
 * migration rolls back whole (PostgreSQL DDL is transactional): nothing is recorded and
 * the next start tries it again.
 */
export async function applyMigrations(db: Database, options: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const migrations = readMigrations(options.migrationsDir ?? path.join(findRepoRoot(), 'prisma', 'migrations'));
  const log = options.log ?? (() => {});
  return withSession(db, async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(MIGRATIONS_TABLE);
      const rows = await session.query<AppliedRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
      const done = alreadyApplied(rows, migrations, log);
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await applyOne(session, migration, log);
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

/** Names already applied. A failure recorded by Prisma's engine blocks everything, as it would there. */
function alreadyApplied(rows: AppliedRow[], migrations: Migration[], log: (msg: string) => void): Set<string> {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      'MIGRATION_FAILED',
      `migration ${failed.migration_name} failed earlier and is marked failed in _prisma_migrations; ` +
        'no further migrations will be applied until it is resolved (https://pris.ly/d/migrate-resolve)',
      failed.migration_name,
    );
  }
  const finished = rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null);
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of finished) {
    const migration = byName.get(row.migration_name);
    if (!migration) log(`migration ${row.migration_name} is recorded in the database but not in prisma/migrations (a newer version ran here?)`);
    else if (migration.checksum !== row.checksum)
      log(`migration ${row.migration_name} was edited after it was applied here (checksum differs); its new text is not re-run`);
  }
  return new Set(finished.map((row) => row.migration_name));
}

async function applyOne(session: Session, migration: Migration, log: (msg: string) => void): Promise<void> {
  log(`applying migration ${migration.name}`);
  try {
    await session.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
         VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
        [crypto.randomUUID(), migration.checksum, migration.name],
      );
    });
  } catch (error) {
    const message = (error as { message?: unknown } | null)?.message;
    const reason = typeof message === 'string' ? (message.split('\n')[0] ?? '') : String(error);
    throw new MigrationError('MIGRATION_FAILED', `migration ${migration.name} failed: ${reason}`, migration.name, error);
  }
}

/** prisma/migrations: every sub-folder in name order, with its migration.sql and checksum. */
export function readMigrations(migrationsDir: string): Migration[] {
  const baseDir = path.resolve(migrationsDir);
  if (!fs.existsSync(baseDir)) throw new MigrationError('MIGRATIONS_UNREADABLE', `migrations folder ${baseDir} does not exist`);
  return fs
    .readdirSync(baseDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(baseDir, name, 'migration.sql');
      let sql: string;
      try {
        sql = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new MigrationError('MIGRATIONS_UNREADABLE', `migration ${name} has no readable migration.sql (${(error as Error).message})`, name);
      }
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** PGlite is one session: the advisory lock cannot separate two runs in this process, so they queue here. */
const embeddedRuns = new WeakMap<object, Promise<unknown>>();

async function withSession<T>(db: Database, work: (session: Session) => Promise<T>): Promise<T> {
  if (db.pglite) {
    const pglite = db.pglite;
    const previous = embeddedRuns.get(pglite) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => workOnEmbedded(pglite, work));
    embeddedRuns.set(pglite, run);
    return run;
  }
  return workOnServer(db, work);
}

function workOnEmbedded<T>(pglite: PGlite, work: (session: Session) => Promise<T>): Promise<T> {
  const over = (target: Pick<Transaction, 'exec' | 'query'>): Omit<Session, 'transaction'> => ({
    exec: async (sql) => {
      await target.exec(sql);
    },
    query: async <R>(sql: string, params?: unknown[]) => (await target.query<R>(sql, params)).rows,
  });
  return work({
    ...over(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn({ ...over(tx), transaction: () => Promise.reject(new Error('nested transaction')) })),
  });
}

async function workOnServer<T>(db: Database, work: (session: Session) => Promise<T>): Promise<T> {
  if (db.target.kind !== 'postgres') throw new Error('a database without PGlite must be PostgreSQL');
  const client = new pg.Client({ connectionString: db.target.url });
  await client.connect();
  const session: Session = {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    transaction: async (fn) => {
      await client.query('BEGIN');
      try {
        await fn(session);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
  };
  try {
    return await work(session);
  } finally {
    await client.end();
  }
}
