// One process at a time opens the embedded database: a CLI command refuses,
// with the holder's pid, instead of writing into a database a server holds;
// a lock left by a dead process is taken over; read-only commands never create
// a database. (The CLI lock cases start from a copy of a migrated embedded
// database; the running server creates its own.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseTargetFrom, openDatabase, type Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { runCli } from '../../src/cli/main';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startServer } from '../../src/server';
import { seedEmbeddedDatabase } from '../support/database';
import { cliHarness, type CliHarness } from './cli-harness';

jest.setTimeout(120_000);

const ACME = ['org', 'create', '--name', 'Acme HVAC', '--owner-email', 'o@acme.test', '--owner-password', 'correct horse battery', '--json'];

describe('the embedded database lock', () => {
  let cli: CliHarness;
  let lockFile: string;

  beforeEach(() => {
    cli = cliHarness('pglite', null);
    lockFile = path.join(cli.env.DATA_DIR!, 'pgdata.lock');
  });
  afterEach(() => cli.cleanup());

  async function openEmbedded(): Promise<Database> {
    const db = await openDatabase(databaseTargetFrom(undefined, cli.env.DATA_DIR!), { holder: 'a running server' });
    await applyMigrations(db);
    return db;
  }

  it('credential create exits 2 naming the pid while another open holds the database, and stores no credential', async () => {
    await seedEmbeddedDatabase(cli.env.DATA_DIR!);
    const { orgId } = JSON.parse((await cli.run(...ACME)).out[0]!);
    const holder = await openEmbedded();
    try {
      expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, holder: 'a running server' });
      const result = await cli.run('credential', 'create', '--org', orgId, '--name', 'Zapier sync', '--scopes', 'leads:read');
      expect(result.code).toBe(2);
      expect(result.out).toEqual([]);
      expect(result.err).toEqual([
        `callsnare: the embedded database in ${path.resolve(cli.env.DATA_DIR!)} is in use by a running server (pid ${process.pid}); stop it or use DATABASE_URL`,
      ]);
      expect(await holder.prisma.apiCredential.count()).toBe(0);
    } finally {
      await holder.close();
    }
    expect(fs.existsSync(lockFile)).toBe(false);
    const db = await openEmbedded();
    try {
      expect(await db.prisma.apiCredential.count()).toBe(0);
      expect(await db.prisma.auditEntry.count({ where: { action: 'credential.created' } })).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('a running server holds the embedded database: CLI commands exit 2 naming it, until it stops', async () => {
    const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: cli.env.DATA_DIR! }), {
      logger: createLogger('silent'),
      seedDemoOnFirstStart: false,
      workers: false,
    });
    let stopped = false;
    try {
      const refused = await cli.run(...ACME);
      expect(refused.code).toBe(2);
      expect(refused.err).toEqual([
        `callsnare: the embedded database in ${path.resolve(cli.env.DATA_DIR!)} is in use by a running server (pid ${process.pid}); stop it or use DATABASE_URL`,
      ]);
      expect(await server.deps.db.prisma.organization.count()).toBe(0);
      await server.close();
      stopped = true;
      expect(fs.existsSync(lockFile)).toBe(false);
      expect((await cli.run(...ACME)).code).toBe(0);
    } finally {
      if (!stopped) await server.close();
    }
  });

  it('a lock left by a process that is no longer running is taken over, and released after the command', async () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(exited.stdout);
    expect(deadPid).toBeGreaterThan(0);
    await seedEmbeddedDatabase(cli.env.DATA_DIR!);
    fs.writeFileSync(lockFile, JSON.stringify({ pid: deadPid, holder: 'a running server' }));
    const created = await cli.run(...ACME);
    expect(created.err).toEqual([]);
    expect(created.code).toBe(0);
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it.each([
    [['audit', 'verify', '--org', '00000000-0000-7000-8000-000000000000']],
    [['audit', 'checkpoint', '--org', '00000000-0000-7000-8000-000000000000']],
    [['org', 'list']],
  ])('%j with a DATA_DIR that does not exist exits 2 with one line and creates nothing', async (argv) => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-missing-')), 'not-here');
    try {
      const io = { out: [] as string[], err: [] as string[] };
      const code = await runCli(argv, { out: (line) => io.out.push(line), err: (line) => io.err.push(line), env: { LOG_LEVEL: 'silent', DATA_DIR: missing } });
      expect(code).toBe(2);
      expect(io.err).toEqual([
        `callsnare: no embedded database in ${path.resolve(missing)} (DATA_DIR); point DATA_DIR at the server's data directory or set DATABASE_URL`,
      ]);
      expect(fs.existsSync(missing)).toBe(false);
    } finally {
      fs.rmSync(path.dirname(missing), { recursive: true, force: true });
    }
  });
});
