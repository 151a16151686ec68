// Isolated, migrated databases for tests. initdb and the migrations run once per
// jest run (global-setup.ts); each caller then gets its own copy:
// - pglite: an in-memory PGlite loaded from the migrated (or empty) data-dir dump;
// - postgres (when TEST_DATABASE_URL is set): a database created from the migrated
//   template database, dropped again by close();
// - an embedded data directory (what the CLI opens on disk): a copy of a migrated one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { databaseTargetFrom, openDatabase, type Database, type DatabaseTarget } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';

export type TestDatabaseKind = 'pglite' | 'postgres';

/** For `describe.each(testDatabaseKinds)`: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const testDatabaseKinds: TestDatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** Handed from global-setup to the test workers and to global-teardown. */
export const testDatabaseEnv = {
  /** Path of the migrated PGlite data-dir dump (an uncompressed tar). */
  pgliteDump: 'CALLSNARE_TEST_PGLITE_DUMP',
  /** Path of the same PGlite's dump right after initdb, before any migration. */
  pgliteEmptyDump: 'CALLSNARE_TEST_PGLITE_EMPTY_DUMP',
  /** A migrated embedded data directory (DATA_DIR layout: <dir>/pgdata), closed, to copy. */
  embeddedTemplate: 'CALLSNARE_TEST_EMBEDDED_TEMPLATE',
  /** Name of the migrated PostgreSQL template database. */
  postgresTemplate: 'CALLSNARE_TEST_PG_TEMPLATE',
  /** Prefix of every PostgreSQL database this jest run creates, so teardown can sweep leftovers. */
  postgresPrefix: 'CALLSNARE_TEST_PG_PREFIX',
} as const;

export async function openTestDatabase(kind: TestDatabaseKind): Promise<Database> {
  return kind === 'pglite' ? openTestPGlite() : openTestPostgres('migrated');
}

/** A database with no tables at all, for tests of the migrations themselves. */
export async function openEmptyTestDatabase(kind: TestDatabaseKind): Promise<Database> {
  if (kind === 'postgres') return openTestPostgres('empty');
  // A copy of a fresh initdb (seconds saved per database); without the globalSetup, a fresh initdb.
  const dumpPath = process.env[testDatabaseEnv.pgliteEmptyDump];
  if (!dumpPath) return openDatabase({ kind: 'pglite', dataDir: null });
  pgliteEmptyDump ??= fs.promises.readFile(dumpPath).then((bytes) => new Blob([bytes]));
  return openDatabase({ kind: 'pglite', dataDir: null }, { loadDataDir: await pgliteEmptyDump });
}

/**
 * Puts a migrated embedded database into `dataDir` (a CLI's DATA_DIR, which must
 * not hold one yet): a copy of the one global-setup made, instead of an initdb
 * and every migration (seconds). Without the globalSetup, one is created here.
 * `from`: copy the (closed) embedded database of that DATA_DIR instead, say one
 * a describe block seeded and filled once for all its tests.
 */
export async function seedEmbeddedDatabase(dataDir: string, options: { from?: string } = {}): Promise<void> {
  const target = databaseTargetFrom(undefined, dataDir);
  const pgdata = embeddedPath(target);
  if (fs.existsSync(pgdata)) throw new Error(`${pgdata} already holds a database`);
  const template = options.from ?? process.env[testDatabaseEnv.embeddedTemplate];
  if (template) {
    fs.cpSync(embeddedPath(databaseTargetFrom(undefined, template)), pgdata, { recursive: true });
    return;
  }
  const db = await openDatabase(target);
  try {
    await applyMigrations(db);
  } finally {
    await db.close();
  }
}

function embeddedPath(target: DatabaseTarget): string {
  if (target.kind !== 'pglite' || !target.dataDir) throw new Error('not an embedded database in a data directory');
  return target.dataDir;
}

let pgliteDump: Promise<Blob> | undefined;
let pgliteEmptyDump: Promise<Blob> | undefined;

async function openTestPGlite(): Promise<Database> {
  const dumpPath = process.env[testDatabaseEnv.pgliteDump];
  if (!dumpPath) {
    // Run without the project's globalSetup: migrate this one (~2 s more).
    const db = await openDatabase({ kind: 'pglite', dataDir: null });
    await applyMigrations(db);
    return db;
  }
  pgliteDump ??= fs.promises.readFile(dumpPath).then((bytes) => new Blob([bytes]));
  return openDatabase({ kind: 'pglite', dataDir: null }, { loadDataDir: await pgliteDump });
}

async function openTestPostgres(contents: 'migrated' | 'empty'): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('a PostgreSQL test database needs TEST_DATABASE_URL (a postgresql:// URL)');
  const template = contents === 'migrated' ? process.env[testDatabaseEnv.postgresTemplate] : undefined;
  const prefix = process.env[testDatabaseEnv.postgresPrefix] ?? 'callsnare_test_';
  const name = `${prefix}${crypto.randomBytes(6).toString('hex')}`;
  await withServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`));
  let db: Database;
  try {
    db = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, name) }, { poolSize: 5 });
    // Without the project's globalSetup there is no template: migrate this one.
    if (contents === 'migrated' && !template) await applyMigrations(db);
  } catch (error) {
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await dropDatabase(serverUrl, name);
      }
    },
  };
}

/** Runs `work` on a connection to the server's own database (the one TEST_DATABASE_URL names). */
export async function withServer<T>(serverUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/** The server URL with its database replaced. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
