// Once per jest run: initialize one PGlite and dump it to files (empty, then
// migrated), make an embedded data directory from the migrated dump (for the
// CLI's on-disk database), and (with TEST_DATABASE_URL) migrate one PostgreSQL
// template database, so each test copies a database instead of running initdb
// and the migrations itself. Workers inherit the process.env set here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { databaseTargetFrom, openDatabase } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { databaseUrl, dropDatabase, quoteIdent, testDatabaseEnv, withServer } from './database';

export default async function globalSetup(): Promise<void> {
  requireVmModules();
  const runId = crypto.randomBytes(4).toString('hex');
  const dumpPath = path.join(os.tmpdir(), `callsnare-test-${runId}.pglite.tar`);
  const emptyDumpPath = path.join(os.tmpdir(), `callsnare-test-${runId}.empty.pglite.tar`);
  const embeddedDir = path.join(os.tmpdir(), `callsnare-test-${runId}-embedded`);
  try {
    await dumpPGlite(emptyDumpPath, dumpPath);
    await makeEmbeddedTemplate(dumpPath, embeddedDir);
    const serverUrl = process.env.TEST_DATABASE_URL;
    if (serverUrl) await createMigratedTemplate(serverUrl, runId);
  } catch (error) {
    // jest skips globalTeardown when globalSetup fails.
    for (const file of [dumpPath, emptyDumpPath, embeddedDir]) fs.rmSync(file, { recursive: true, force: true });
    throw error;
  }
}

/** One initdb for the whole run: its data directory dumped before and after the migrations. */
async function dumpPGlite(emptyFile: string, migratedFile: string): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    const dumpTo = async (file: string) => fs.writeFileSync(file, Buffer.from(await (await db.pglite!.dumpDataDir('none')).arrayBuffer()));
    await dumpTo(emptyFile);
    process.env[testDatabaseEnv.pgliteEmptyDump] = emptyFile;
    await applyMigrations(db);
    await dumpTo(migratedFile);
    process.env[testDatabaseEnv.pgliteDump] = migratedFile;
  } finally {
    await db.close();
  }
}

/** The migrated database as an embedded (on-disk) data directory, closed cleanly so tests can copy it. */
async function makeEmbeddedTemplate(dumpFile: string, dir: string): Promise<void> {
  const db = await openDatabase(databaseTargetFrom(undefined, dir), { loadDataDir: new Blob([fs.readFileSync(dumpFile)]) });
  await db.close();
  process.env[testDatabaseEnv.embeddedTemplate] = dir;
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
