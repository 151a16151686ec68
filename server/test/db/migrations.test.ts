import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/client';
import { applyMigrations, findRepoRoot, MigrationError } from '../../src/db/migration-runner';
import { diffSchemaAgainstMigrations } from '../../src/db/schema-engine';
import { openEmptyTestDatabase, openTestDatabase, testDatabaseKinds } from '../support/database';

// The WASM schema engine (drift checks) and fresh PGlite instances take seconds each, and
// a drift check took over 60 s with several jest workers on a busy 2-core machine.
jest.setTimeout(180_000);

const repoRoot = findRepoRoot();
const committedMigrations = path.join(repoRoot, 'prisma', 'migrations');
const committedNames = fs
  .readdirSync(committedMigrations, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-migrations-test-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(testDatabaseKinds)('migrations on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openEmptyTestDatabase(kind);
  });
  afterEach(() => db.close());

  test('applying to an empty database runs every committed migration and records it in _prisma_migrations', async () => {
    const logged: string[] = [];
    const { applied } = await applyMigrations(db, { log: (msg) => logged.push(msg) });

    expect(applied).toEqual(committedNames);
    expect(logged.join('\n')).toContain(committedNames[0]);
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>(
      'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(committedNames);
    expect(rows.every((row) => row.finished_at !== null && row.rolled_back_at === null)).toBe(true);
    expect(await db.prisma.organization.count()).toBe(0);
  });

  test('applying a second time applies nothing', async () => {
    await applyMigrations(db);
    expect(await applyMigrations(db)).toEqual({ applied: [] });
    const counted = await db.prisma.$queryRawUnsafe<{ count: number }[]>('SELECT count(*)::int AS count FROM _prisma_migrations');
    expect(counted).toEqual([{ count: committedNames.length }]);
  });

  test('a failing migration is reported by name, rolls back whole, records nothing, and runs again next time', async () => {
    await applyMigrations(db);
    const migrationsDir = copyCommittedMigrations(`broken-${kind}`);
    writeMigration(migrationsDir, '9999_broken', 'CREATE TABLE "Fine" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n');

    const failure = await applyMigrations(db, { migrationsDir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED', migration: '9999_broken' });
    expect((failure as Error).message).toMatch(/^migration 9999_broken failed: .*NoSuchTable/);
    expect((failure as Error).message).not.toContain('\n');
    const fine = await db.prisma.$queryRawUnsafe<{ fine: string | null }[]>(`SELECT to_regclass('"Fine"')::text AS fine`);
    expect(fine).toEqual([{ fine: null }]);
    expect(await appliedNames(db)).toEqual(committedNames);

    fs.writeFileSync(path.join(migrationsDir, '9999_broken', 'migration.sql'), 'CREATE TABLE "Fine" (id int);\n');
    expect(await applyMigrations(db, { migrationsDir })).toEqual({ applied: ['9999_broken'] });
  });

  test("a failure recorded by Prisma's own tools blocks later runs with the way out named", async () => {
    await applyMigrations(db);
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('00000000-0000-0000-0000-000000000001', 'x', '9998_half_done', now())`,
    );
    await expect(applyMigrations(db)).rejects.toThrow(/migration 9998_half_done failed earlier .*migrate-resolve/);
  });

  test('records what prisma migrate deploy records: the SHA-256 of migration.sql, one step, finished', async () => {
    await applyMigrations(db);
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; applied_steps_count: number }[]>(
      'SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(committedMigrations, row.migration_name, 'migration.sql'));
      expect(row).toEqual({ migration_name: row.migration_name, checksum: crypto.createHash('sha256').update(sql).digest('hex'), applied_steps_count: 1 });
    }
  });

  test('a migration may hold semicolons inside function bodies and comments (the whole file runs as one script)', async () => {
    await applyMigrations(db);
    const migrationsDir = copyCommittedMigrations(`script-${kind}`);
    writeMigration(
      migrationsDir,
      '9999_function',
      `-- a comment; with a semicolon\nCREATE FUNCTION probe_add(a int, b int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN a + b; END $$;\n`,
    );
    await applyMigrations(db, { migrationsDir });
    const sum = await db.prisma.$queryRawUnsafe<{ sum: number }[]>('SELECT probe_add(2, 3) AS sum');
    expect(sum).toEqual([{ sum: 5 }]);
  });

  test('nodes starting at once apply each migration once', async () => {
    const results = await Promise.all([applyMigrations(db), applyMigrations(db), applyMigrations(db)]);
    expect(results.flatMap((result) => result.applied).sort()).toEqual(committedNames);
    expect(await appliedNames(db)).toEqual(committedNames);
  });
});

async function appliedNames(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
  return rows.map((row) => row.migration_name);
}

describe('schema drift', () => {
  test('the committed migrations match schema.prisma', async () => {
    expect(await diffSchemaAgainstMigrations()).toEqual({ hasChanges: false, sql: '' });
  });

  test('a model missing from the migrations comes out as the CREATE TABLE of the next migration', async () => {
    const schemaPath = path.join(scratch, 'schema.prisma');
    const schema = fs.readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8');
    fs.writeFileSync(schemaPath, `${schema}\nmodel DriftProbe {\n  id   Int    @id\n  note String\n}\n`);

    const { hasChanges, sql } = await diffSchemaAgainstMigrations({ schemaPath });

    expect(hasChanges).toBe(true);
    expect(sql).toContain('CREATE TABLE "DriftProbe"');
    expect(sql).not.toContain('CREATE TABLE "Organization"');
  });

  test('a migrations folder without migration_lock.toml is refused with a clear message', async () => {
    const migrationsDir = copyCommittedMigrations('no-lockfile');
    fs.rmSync(path.join(migrationsDir, 'migration_lock.toml'));
    await expect(diffSchemaAgainstMigrations({ migrationsDir })).rejects.toThrow(/migration_lock\.toml/);
  });
});

describe.each(testDatabaseKinds)('openTestDatabase on %s', (kind) => {
  test('gives each caller its own migrated database', async () => {
    const [first, second] = await Promise.all([openTestDatabase(kind), openTestDatabase(kind)]);
    try {
      await first.prisma.organization.create({ data: { name: 'Only in the first' } });
      expect(await first.prisma.organization.count()).toBe(1);
      expect(await second.prisma.organization.count()).toBe(0);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

function copyCommittedMigrations(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(committedMigrations, dir, { recursive: true });
  return dir;
}

function writeMigration(migrationsDir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(migrationsDir, name));
  fs.writeFileSync(path.join(migrationsDir, name, 'migration.sql'), sql);
}
