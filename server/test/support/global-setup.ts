// Once per jest run: migrate one PGlite and dump it to a file, and (with
// TEST_DATABASE_URL) migrate one PostgreSQL template database, so each test file
// copies a migrated database instead of running the schema engine itself.
// Workers inherit the process.env set here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { openDatabase } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { databaseUrl, dropDatabase, quoteIdent, testDatabaseEnv, withServer } from './database';

export default async function globalSetup(): Promise<void> {
  requireVmModules();
  const runId = crypto.randomBytes(4).toString('hex');
  const dumpPath = path.join(os.tmpdir(), `callsnare-test-${runId}.pglite.tar`);
  try {
    await dumpMigratedPGlite(dumpPath);
    const serverUrl = process.env.TEST_DATABASE_URL;
    if (serverUrl) await createMigratedTemplate(serverUrl, runId);
  } catch (error) {
    // jest skips globalTeardown when globalSetup fails.
    fs.rmSync(dumpPath, { force: true });
    throw error;
  }
}

async function dumpMigratedPGlite(file: string): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    await applyMigrations(db);
    const dump = await db.pglite!.dumpDataDir('none');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env[testDatabaseEnv.pgliteDump] = file;
  } finally {
    await db.close();
  }
}

async function createMigratedTemplate(serverUrl: string, runId: string): Promise<void> {
  const prefix = `callsnare_t${runId}_`;
  const template = `${prefix}template`;
  process.env[testDatabaseEnv.postgresPrefix] = prefix;
  await withServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(template)}`));
  try {
    // Every connection to the template must be closed before it can be copied.
    const db = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, template) }, { poolSize: 1 });
    try {
      await applyMigrations(db);
    } finally {
      await db.close();
    }
  } catch (error) {
    await dropDatabase(serverUrl, template);
    throw new Error(`could not migrate the test template database on TEST_DATABASE_URL: ${(error as Error).message}`);
  }
  process.env[testDatabaseEnv.postgresTemplate] = template;
}

/**
 * PGlite's Emscripten loader runs `await import("node:module")`, and jest can run an
 * `import()` inside test files only when node has --experimental-vm-modules (without it
 * the first PGlite.create in a test file crashes the whole run). Workers inherit the flag.
 */
function requireVmModules(): void {
  if (typeof (vm as { SyntheticModule?: unknown }).SyntheticModule === 'function') return;
  throw new Error(
    'the server tests need node --experimental-vm-modules (PGlite loads itself with import()): ' + 'run NODE_OPTIONS=--experimental-vm-modules npx jest …',
  );
}
