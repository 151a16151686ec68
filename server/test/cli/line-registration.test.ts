// `callsnare line add --registration` and `callsnare line registration`: the state is stored and
// audited; a registered state clears the carrier-filtering flag; bad input exits 2 with one line
// and changes nothing. (Runs on PostgreSQL when available, else on an embedded database.)
import { databaseTargetFrom, openDatabase, type Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { openTestDatabase, seedEmbeddedDatabase, testDatabaseKinds } from '../support/database';
import { cliHarness, type CliHarness } from './cli-harness';

jest.setTimeout(120_000);

const kind = testDatabaseKinds.includes('postgres') ? 'postgres' : 'pglite';

describe(`callsnare line registration on ${kind}`, () => {
  let testDb: Database | null = null;
  let cli: CliHarness;

  beforeEach(async () => {
    testDb = kind === 'postgres' ? await openTestDatabase('postgres') : null;
    cli = cliHarness(kind, testDb);
    if (kind === 'pglite') await seedEmbeddedDatabase(cli.env.DATA_DIR!);
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

  it('adds a line with a registration, changes it (audited, clearing a carrier flag), and refuses bad input with exit 2', async () => {
    const created = await cli.run(
      'org',
      'create',
      '--name',
      'Acme HVAC',
      '--owner-email',
      'o@acme.test',
      '--owner-password',
      'correct horse battery',
      '--json',
    );
    const { orgId } = JSON.parse(created.out[0]!) as { orgId: string };

    const added = await cli.run(
      'line',
      'add',
      '--org',
      orgId,
      '--number',
      '+15005550007',
      '--forward-to',
      '+15005550001',
      '--registration',
      'toll-free-pending',
      '--json',
    );
    expect(added.err).toEqual([]);
    expect(JSON.parse(added.out[0]!)).toMatchObject({ number: '+15005550007', messagingRegistration: 'TOLL_FREE_PENDING' });

    await inspect((db) =>
      db.prisma.trackingLine.updateMany({
        where: { orgId, number: '+15005550007' },
        data: { carrierFilteringCode: '30032', carrierFilteringAt: new Date('2026-01-15T15:00:00Z') },
      }),
    );
    const changed = await cli.run('line', 'registration', '--org', orgId, '--number', '+15005550007', '--registration', 'TOLL_FREE_VERIFIED', '--json');
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.out[0]!)).toMatchObject({ messagingRegistration: 'TOLL_FREE_VERIFIED' });

    const bad: [string[], RegExp][] = [
      [
        ['line', 'registration', '--org', orgId, '--number', '+15005550007', '--registration', 'VERIFIED'],
        /--registration must be one of UNKNOWN, NOT_REQUIRED/,
      ],
      [['line', 'registration', '--org', orgId, '--number', '+15005550099', '--registration', 'UNKNOWN'], /has no tracking line \+15005550099/],
      [['line', 'registration', '--org', orgId, '--number', '5550007', '--registration', 'UNKNOWN'], /--number must be E\.164/],
      [['line', 'registration', '--org', 'acme', '--number', '+15005550007', '--registration', 'UNKNOWN'], /--org must be an organization id/],
      [['line', 'add', '--org', orgId, '--number', '+15005550008', '--forward-to', '+15005550001', '--registration', 'maybe'], /--registration must be one of/],
    ];
    for (const [argv, message] of bad) {
      const result = await cli.run(...argv);
      expect(result.code).toBe(2);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(message);
    }

    await inspect(async ({ prisma }) => {
      expect(await prisma.trackingLine.findFirstOrThrow({ where: { orgId, number: '+15005550007' } })).toMatchObject({
        messagingRegistration: 'TOLL_FREE_VERIFIED',
        carrierFilteringCode: null,
        carrierFilteringAt: null,
      });
      expect(await prisma.trackingLine.count({ where: { orgId, number: '+15005550008' } })).toBe(0);
      const audit = await prisma.auditEntry.findMany({ where: { orgId, action: 'tracking_line.registration_changed' } });
      expect(audit).toEqual([
        expect.objectContaining({
          actorType: 'SYSTEM',
          actorLabel: 'operator (CLI)',
          changes: {
            messagingRegistration: { before: 'TOLL_FREE_PENDING', after: 'TOLL_FREE_VERIFIED' },
            carrierFilteringCode: { before: '30032', after: null },
            carrierFilteringAt: { before: '2026-01-15T15:00:00.000Z', after: null },
          },
        }),
      ]);
    });
  });
});
