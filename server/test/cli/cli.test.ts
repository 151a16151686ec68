import fs from 'node:fs';
import path from 'node:path';
import { databaseTargetFrom, openDatabase, type Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { hashCredentialSecret } from '../../src/access/credential-secret';
import { verifyPassword } from '../../src/access/passwords';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { cliHarness, type CliHarness } from './cli-harness';

jest.setTimeout(120_000);

const ACME = [
  'org',
  'create',
  '--name',
  'Acme HVAC',
  '--owner-email',
  'o@acme.test',
  '--owner-password',
  'correct horse battery',
  '--tracking-number',
  '+15005550006',
  '--forward-to',
  '+15005550001',
  '--json',
];

// Every CLI command on the embedded database starts a PGlite of its own (seconds
// each), so with PostgreSQL available the command-by-command cases run there and
// the embedded database gets one flow through every command.
const embeddedOnly = !testDatabaseKinds.includes('postgres');

describe.each(testDatabaseKinds)('operator CLI on %s', (kind) => {
  const detailed = kind === 'postgres' || embeddedOnly;
  const itDetailed = detailed ? it : it.skip;
  let testDb: Database | null = null;
  let cli: CliHarness;

  beforeEach(async () => {
    testDb = kind === 'postgres' ? await openTestDatabase('postgres') : null;
    cli = cliHarness(kind, testDb);
  });
  afterEach(async () => {
    cli.cleanup();
    await testDb?.close();
  });

  /** Reads what the CLI stored, through a connection of our own. */
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

  itDetailed('org create --json prints orgId, userId and trackingNumber, and stores org, owner, settings, line and audit', async () => {
    const result = await cli.run(...ACME);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(1);
    const printed = JSON.parse(result.out[0]!);
    expect(Object.keys(printed).sort()).toEqual(['orgId', 'trackingNumber', 'userId']);
    expect(printed.trackingNumber).toBe('+15005550006');

    await inspect(async ({ prisma }) => {
      const org = await prisma.organization.findUniqueOrThrow({
        where: { id: printed.orgId },
        include: { settings: true, trackingLines: true, memberships: { include: { user: true } } },
      });
      expect(org.name).toBe('Acme HVAC');
      expect(org.settings?.businessName).toBe('Acme HVAC');
      expect(org.trackingLines.map((line) => [line.number, line.forwardTo])).toEqual([['+15005550006', '+15005550001']]);
      expect(org.memberships).toHaveLength(1);
      expect(org.memberships[0]!.role).toBe('OWNER');
      expect(org.memberships[0]!.user.id).toBe(printed.userId);
      expect(org.memberships[0]!.user.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(org.memberships[0]!.user.passwordHash, 'correct horse battery')).toBe(true);
      const actions = await prisma.auditEntry.findMany({ where: { orgId: printed.orgId }, orderBy: { seq: 'asc' } });
      expect(actions.map((entry) => entry.action)).toEqual(['org.created', 'tracking_line.added']);
    });
  });

  itDetailed('a duplicate tracking number fails with exit 2, one line, and no new org', async () => {
    expect((await cli.run(...ACME)).code).toBe(0);
    const second = await cli.run(
      'org',
      'create',
      '--name',
      'Copycat Cooling',
      '--owner-email',
      'x@copycat.test',
      '--owner-password',
      'another long password',
      '--tracking-number',
      '+15005550006',
      '--forward-to',
      '+15005550002',
    );
    expect(second.code).toBe(2);
    expect(second.out).toEqual([]);
    expect(second.err).toEqual(['callsnare: tracking number +15005550006 is already in use']);
    await inspect(async ({ prisma }) => {
      expect(await prisma.organization.count()).toBe(1);
      expect(await prisma.user.count({ where: { email: 'x@copycat.test' } })).toBe(0);
    });
  });

  it.each([
    [
      ['org', 'create', '--name', 'A', '--owner-email', 'not-an-email', '--owner-password', 'long enough pw'],
      /owner email "not-an-email" is not a valid email/,
    ],
    [['org', 'create', '--name', 'A', '--owner-email', 'a@a.test', '--owner-password', 'short'], /owner password must be at least \d+ characters/],
    [['org', 'create', '--name', 'A', '--owner-email', 'a@a.test'], /required option '--owner-password <password>' not specified/],
    [
      ['org', 'create', '--name', 'A', '--owner-email', 'a@a.test', '--owner-password', 'long enough pw', '--timezone', 'Mars/Olympus'],
      /timezone "Mars\/Olympus" is not an IANA time zone/,
    ],
    [
      ['org', 'create', '--name', 'A', '--owner-email', 'a@a.test', '--owner-password', 'long enough pw', '--tracking-number', '5551234'],
      /--tracking-number and --forward-to go together/,
    ],
    [
      [
        'org',
        'create',
        '--name',
        'A',
        '--owner-email',
        'a@a.test',
        '--owner-password',
        'long enough pw',
        '--tracking-number',
        '5551234',
        '--forward-to',
        '+15005550001',
      ],
      /tracking number must be E\.164/,
    ],
    [['line', 'add', '--org', 'nope', '--number', '+15005550007', '--forward-to', '+15005550001'], /--org must be an organization id/],
    [['line', 'add', '--org', '00000000-0000-7000-8000-000000000000', '--number', '+15005550007', '--forward-to', '+15005550001'], /no organization with id/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad input %j exits 2 with one line naming the problem and writes nothing', async (argv, message) => {
    const result = await cli.run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(message);
    // Bad input is caught before the database is opened: an embedded one is never even created.
    if (kind === 'pglite' && !fs.existsSync(path.join(cli.env.DATA_DIR!, 'pgdata'))) return;
    await inspect(async ({ prisma }) => {
      expect(await prisma.organization.count()).toBe(0);
      expect(await prisma.user.count()).toBe(0);
      expect(await prisma.auditEntry.count()).toBe(0);
    });
  });

  itDetailed('line add and credential create work on an existing org; the secret is printed once and stored only as a hash', async () => {
    const { orgId } = JSON.parse((await cli.run(...ACME)).out[0]!);
    const line = await cli.run('line', 'add', '--org', orgId, '--number', '+15005550007', '--forward-to', '+15005550001');
    expect(line.code).toBe(0);
    expect(line.out[0]).toMatch(/^Added tracking line \+15005550007 -> \+15005550001/);

    const created = await cli.run(
      'credential',
      'create',
      '--org',
      orgId,
      '--name',
      'Zapier sync',
      '--scopes',
      'leads:read,callbacks:read',
      '--expires-in-days',
      '30',
      '--json',
    );
    expect(created.code).toBe(0);
    const credential = JSON.parse(created.out[0]!);
    expect(credential.secret).toMatch(/^cs_test_[0-9A-Za-z]{46}$/);
    expect(credential.scopes).toEqual(['callbacks:read', 'leads:read']);
    await inspect(async ({ prisma }) => {
      const stored = await prisma.apiCredential.findUniqueOrThrow({ where: { id: credential.id } });
      expect(stored.secretHash).toBe(hashCredentialSecret(credential.secret));
      expect(JSON.stringify(stored)).not.toContain(credential.secret);
      expect(stored.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
      const audit = await prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'credential.created' } });
      expect(JSON.stringify(audit.changes)).not.toContain(credential.secret);
    });

    const badScope = await cli.run('credential', 'create', '--org', orgId, '--name', 'x', '--scopes', 'leads:read,leads:delete');
    expect(badScope.code).toBe(2);
    expect(badScope.err).toEqual([expect.stringMatching(/unknown scope "leads:delete"/)]);
    const badDays = await cli.run('credential', 'create', '--org', orgId, '--name', 'x', '--scopes', 'leads:read', '--expires-in-days', 'soon');
    expect(badDays.code).toBe(2);
    await inspect(async ({ prisma }) => expect(await prisma.apiCredential.count()).toBe(1));
  });

  itDetailed('org list prints every organization with its id, name and creation time; --json as an array', async () => {
    const { orgId } = JSON.parse((await cli.run(...ACME)).out[0]!);
    const second = await cli.run(
      'org',
      'create',
      '--name',
      'Beta Cooling',
      '--owner-email',
      'b@beta.test',
      '--owner-password',
      'another long password',
      '--json',
    );
    const betaId = JSON.parse(second.out[0]!).orgId;
    const listed = await cli.run('org', 'list', '--json');
    expect(listed.err).toEqual([]);
    expect(listed.code).toBe(0);
    const orgs = JSON.parse(listed.out[0]!) as { id: string; name: string; createdAt: string }[];
    expect(orgs.map((org) => [org.id, org.name])).toEqual([
      [orgId, 'Acme HVAC'],
      [betaId, 'Beta Cooling'],
    ]);
    for (const org of orgs) expect(new Date(org.createdAt).toISOString()).toBe(org.createdAt);
    const text = await cli.run('org', 'list');
    expect(text.code).toBe(0);
    expect(text.out).toEqual([
      expect.stringMatching(new RegExp(`^${orgId}  Acme HVAC  \\d{4}-\\d\\d-\\d\\dT`)),
      expect.stringMatching(new RegExp(`^${betaId}  Beta Cooling  `)),
    ]);
  });

  itDetailed('migrate applies nothing the second time', async () => {
    const first = await cli.run('migrate');
    expect(first.code).toBe(0);
    const second = await cli.run('migrate');
    expect(second.code).toBe(0);
    expect(second.out[0]).toMatch(/up to date, no migration applied/);
  });

  itDetailed('audit verify reports an intact chain, then the first tampered entry with exit 3', async () => {
    const { orgId } = JSON.parse((await cli.run(...ACME)).out[0]!);
    await cli.run('credential', 'create', '--org', orgId, '--name', 'Reports', '--scopes', 'audit:read');
    const intact = await cli.run('audit', 'verify', '--org', orgId);
    expect(intact).toMatchObject({ code: 0, out: ['audit chain intact: 3 entries'] });

    await inspect(({ prisma }) => prisma.auditEntry.updateMany({ where: { orgId, seq: 2 }, data: { actorLabel: 'someone else' } }));
    const broken = await cli.run('audit', 'verify', '--org', orgId);
    expect(broken.code).toBe(3);
    expect(broken.err[0]).toMatch(/audit chain broken at entry #2 .*content does not match its hash/);
  });
  (kind === 'pglite' && !embeddedOnly ? it : it.skip)('runs every command in turn on the embedded database, keeping data between commands', async () => {
    const created = await cli.run(...ACME);
    expect(created.code).toBe(0);
    const { orgId } = JSON.parse(created.out[0]!);
    const duplicate = await cli.run(
      'org',
      'create',
      '--name',
      'Copycat',
      '--owner-email',
      'x@copycat.test',
      '--owner-password',
      'another long password',
      '--tracking-number',
      '+15005550006',
      '--forward-to',
      '+15005550002',
    );
    expect(duplicate).toMatchObject({ code: 2, err: ['callsnare: tracking number +15005550006 is already in use'] });
    expect((await cli.run('line', 'add', '--org', orgId, '--number', '+15005550007', '--forward-to', '+15005550001')).code).toBe(0);
    const credential = await cli.run('credential', 'create', '--org', orgId, '--name', 'Sync', '--scopes', 'leads:read', '--json');
    expect(credential.code).toBe(0);
    const { secret } = JSON.parse(credential.out[0]!);
    expect(await cli.run('audit', 'verify', '--org', orgId)).toMatchObject({ code: 0, out: ['audit chain intact: 4 entries'] });
    expect((await cli.run('migrate')).out[0]).toMatch(/up to date, no migration applied/);
    await inspect(async ({ prisma }) => {
      expect(await prisma.organization.count()).toBe(1);
      expect(await prisma.trackingLine.count({ where: { orgId } })).toBe(2);
      expect((await prisma.apiCredential.findFirstOrThrow({ where: { orgId } })).secretHash).toBe(hashCredentialSecret(secret));
    });
  });
});
