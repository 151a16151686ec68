// `callsnare user reset-password`: the operator's way back in for a locked-out
// person (any account, whatever its organizations). Exit 2 with one line on
// bad input, an unknown email, a database a server holds or one that does not exist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseTargetFrom, openDatabase, type Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { runCli } from '../../src/cli/main';
import { verifyPassword } from '../../src/access/passwords';
import { setPasswordWithToken } from '../../src/access/sign-in.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { cliHarness, type CliHarness } from '../cli/cli-harness';

jest.setTimeout(120_000);

const ACME = ['org', 'create', '--name', 'Acme HVAC', '--owner-email', 'o@acme.test', '--owner-password', 'correct horse battery', '--json'];

describe.each(testDatabaseKinds)('user reset-password on %s', (kind) => {
  // With PostgreSQL available the embedded database only gets the lock cases (each PGlite open takes seconds).
  const detailed = kind === 'postgres' || !testDatabaseKinds.includes('postgres');
  const itDetailed = detailed ? it : it.skip;
  let testDb: Database | null = null;
  let cli: CliHarness;

  beforeEach(async () => {
    testDb = kind === 'postgres' ? await openTestDatabase('postgres') : null;
    cli = cliHarness(kind, testDb);
    cli.env.PUBLIC_BASE_URL = 'https://app.callsnare.test';
  });
  afterEach(async () => {
    cli.cleanup();
    await testDb?.close();
  });

  async function inspect<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (testDb) return fn(testDb);
    const db = await openDatabase(databaseTargetFrom(undefined, cli.env.DATA_DIR!));
    try {
      await applyMigrations(db);
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  itDetailed(
    "--json prints a one-time token and the set-password link; the token sets a new password and is audited in the person's organization",
    async () => {
      const { orgId, userId } = JSON.parse((await cli.run(...ACME)).out[0]!);
      const result = await cli.run('user', 'reset-password', '--email', ' O@Acme.test ', '--json');
      expect(result.err).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.out).toHaveLength(1);
      const printed = JSON.parse(result.out[0]!);
      expect(Object.keys(printed).sort()).toEqual(['email', 'expiresAt', 'setPasswordToken', 'url', 'userId']);
      expect(printed).toMatchObject({ userId, email: 'o@acme.test', setPasswordToken: expect.stringMatching(/^[\w-]{43}$/) });
      expect(printed.url).toBe(`https://app.callsnare.test/set-password?token=${printed.setPasswordToken}`);
      expect(new Date(printed.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);

      await inspect(async (db) => {
        const entry = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'member.password_reset' } });
        expect(entry).toMatchObject({ actorType: 'SYSTEM', actorLabel: 'operator (CLI)', targetType: 'Membership' });
        expect(await db.prisma.passwordReset.findFirstOrThrow({ where: { userId } })).toMatchObject({ orgId: null, createdById: null, usedAt: null });
        await setPasswordWithToken(db.prisma, { token: printed.setPasswordToken, password: 'a brand new owner password' }, {});
        const user = await db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
        expect(await verifyPassword(user.passwordHash, 'a brand new owner password')).toBe(true);
      });
    },
  );

  itDetailed('prints the token and the link as text without --json', async () => {
    await cli.run(...ACME);
    const result = await cli.run('user', 'reset-password', '--email', 'o@acme.test');
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      expect.stringMatching(/^Password reset for o@acme\.test \(user [0-9a-f-]{36}\), works once until \d{4}-\d\d-\d\dT/),
      expect.stringMatching(/^Token \(shown once\): [\w-]{43}$/),
      expect.stringMatching(/^Link: https:\/\/app\.callsnare\.test\/set-password\?token=[\w-]{43}$/),
    ]);
  });

  itDetailed.each([
    [['user', 'reset-password', '--email', 'not-an-email'], 'callsnare: --email must be an email address, got "not-an-email"'],
    [['user', 'reset-password', '--email', 'nobody@acme.test'], 'callsnare: no CallSnare account with the email nobody@acme.test'],
  ])('%j exits 2 with one line and writes nothing', async (argv, line) => {
    await cli.run(...ACME);
    const result = await cli.run(...argv);
    expect(result).toEqual({ code: 2, out: [], err: [line] });
    await inspect(async (db) => expect(await db.prisma.passwordReset.count()).toBe(0));
  });

  itDetailed('without --email exits 2', async () => {
    const result = await cli.run('user', 'reset-password');
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
  });

  if (kind === 'pglite') {
    it('exits 2 naming the pid while another process holds the embedded database, writing nothing', async () => {
      await cli.run(...ACME);
      const holder = await openDatabase(databaseTargetFrom(undefined, cli.env.DATA_DIR!), { holder: 'a running server' });
      try {
        await applyMigrations(holder);
        const result = await cli.run('user', 'reset-password', '--email', 'o@acme.test');
        expect(result.code).toBe(2);
        expect(result.out).toEqual([]);
        expect(result.err).toEqual([
          `callsnare: the embedded database in ${path.resolve(cli.env.DATA_DIR!)} is in use by a running server (pid ${process.pid}); stop it or use DATABASE_URL`,
        ]);
        expect(await holder.prisma.passwordReset.count()).toBe(0);
      } finally {
        await holder.close();
      }
    });

    it('exits 2 with one line for a DATA_DIR that holds no database, and creates none', async () => {
      const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-missing-')), 'not-here');
      try {
        const io = { out: [] as string[], err: [] as string[] };
        const code = await runCli(['user', 'reset-password', '--email', 'o@acme.test'], {
          out: (line) => io.out.push(line),
          err: (line) => io.err.push(line),
          env: { LOG_LEVEL: 'silent', DATA_DIR: missing },
        });
        expect(code).toBe(2);
        expect(io.err).toEqual([
          `callsnare: no embedded database in ${path.resolve(missing)} (DATA_DIR); point DATA_DIR at the server's data directory or set DATABASE_URL`,
        ]);
        expect(fs.existsSync(missing)).toBe(false);
      } finally {
        fs.rmSync(path.dirname(missing), { recursive: true, force: true });
      }
    });
  }
});
