// What the keyed audit chain and signed checkpoints catch when someone with
// write access to the database tampers with it: truncation, a rewrite with the
// public SHA-256 algorithm, a rewrite with the wrong key, a forged checkpoint;
// and that chains written before signing existed still verify.
import fs from 'node:fs';
import path from 'node:path';
import { databaseTargetFrom, openDatabase, type Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import { chainedFieldsOf, legacyAuditHash, signedAuditHash, type ChainedFields } from '../../src/audit/audit.service';
import { AuditSigningKey } from '../../src/audit/audit-signing';
import { checkpointSignature, type AuditCheckpoint } from '../../src/audit/audit-checkpoint';
import { openTestDatabase, seedEmbeddedDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { cliHarness, type CliHarness } from '../cli/cli-harness';

jest.setTimeout(120_000);

describe.each(testDatabaseKinds)('audit tamper evidence on %s', (kind) => {
  let testDb: Database | null = null;
  let cli: CliHarness;
  let orgId: string;

  /** The database the CLI uses: the test's PostgreSQL database, or the CLI's embedded one opened in turn. */
  async function store<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (testDb) return fn(testDb);
    const db = await openDatabase(databaseTargetFrom(undefined, cli.env.DATA_DIR!));
    try {
      await applyMigrations(db);
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  /** Rewrites entries from `fromSeq` on, editing that one, relinking and rehashing the rest with `hashOf`. */
  async function rewriteChain(db: Database, fromSeq: number, edit: Partial<ChainedFields>, hashOf: (fields: ChainedFields) => string) {
    const entries = await db.prisma.auditEntry.findMany({ where: { orgId }, orderBy: { seq: 'asc' } });
    let prevHash = entries[fromSeq - 2]?.hash ?? null;
    for (const entry of entries.slice(fromSeq - 1)) {
      const fields = { ...chainedFieldsOf(entry), ...(entry.seq === fromSeq ? edit : {}), prevHash };
      const hash = hashOf(fields);
      await db.prisma.auditEntry.update({
        where: { id: entry.id },
        data: { actorLabel: fields.actorLabel, changes: fields.changes as object, prevHash, hash },
      });
      prevHash = hash;
    }
  }

  function writeCheckpoint(text: string): string {
    const file = path.join(cli.env.DATA_DIR!, 'checkpoint.json');
    fs.writeFileSync(file, text);
    return file;
  }

  async function checkpoint(): Promise<{ file: string; checkpoint: Record<string, unknown> }> {
    const result = await cli.run('audit', 'checkpoint', '--org', orgId, '--json');
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out[0]!) as Record<string, unknown>;
    return { file: writeCheckpoint(result.out[0]!), checkpoint: printed };
  }

  /** org.created, tracking_line.added, then three credential.created. */
  async function tamperOrg(db: Database): Promise<string> {
    const { orgId: id } = await createTestOrg(db, { name: 'Tamper HVAC' });
    for (const name of ['Zapier', 'Reports', 'Backup']) await createTestCredential(db, id, ['leads:read'], name);
    return id;
  }

  // Embedded: the org is written once into a migrated embedded database (opening one costs
  // seconds), and every test gets its own copy of that closed database to tamper with.
  let startingPoint: CliHarness | null = null;
  let embeddedOrgId: string;
  beforeAll(async () => {
    if (kind !== 'pglite') return;
    startingPoint = cliHarness(kind, null);
    await seedEmbeddedDatabase(startingPoint.env.DATA_DIR!);
    const db = await openDatabase(databaseTargetFrom(undefined, startingPoint.env.DATA_DIR!));
    try {
      embeddedOrgId = await tamperOrg(db);
    } finally {
      await db.close();
    }
  });
  afterAll(() => startingPoint?.cleanup());

  beforeEach(async () => {
    testDb = kind === 'postgres' ? await openTestDatabase('postgres') : null;
    cli = cliHarness(kind, testDb);
    if (testDb) {
      orgId = await tamperOrg(testDb);
    } else {
      await seedEmbeddedDatabase(cli.env.DATA_DIR!, { from: startingPoint!.env.DATA_DIR! });
      orgId = embeddedOrgId;
    }
  });
  afterEach(async () => {
    cli.cleanup();
    await testDb?.close();
  });

  it('audit checkpoint --json prints orgId, seq, head and at, signed; verify --against it passes while the chain grows', async () => {
    const { file, checkpoint: printed } = await checkpoint();
    expect(Object.keys(printed).sort()).toEqual(['at', 'head', 'orgId', 'seq', 'signature']);
    const head = await store((db) => db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, seq: 5 } }));
    expect(printed).toMatchObject({ orgId, seq: 5, head: head.hash, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(head.hash).toMatch(/^h2:[0-9a-f]{64}$/);
    expect(new Date(printed.at as string).toISOString()).toBe(printed.at);

    await store((db) => createTestCredential(db, orgId, ['leads:read'], 'Later'));
    const verified = await cli.run('audit', 'verify', '--org', orgId, '--against', file);
    expect(verified.err).toEqual([]);
    expect(verified).toMatchObject({ code: 0, out: ['audit chain intact: 6 entries; reaches the checkpoint at entry #5'] });
  });

  it('deleting the newest entries passes a plain verify but fails verify --against an earlier checkpoint with exit 3 (truncated)', async () => {
    const { file } = await checkpoint();
    await store((db) => db.prisma.auditEntry.deleteMany({ where: { orgId, seq: { gte: 4 } } }));
    expect(await cli.run('audit', 'verify', '--org', orgId)).toMatchObject({ code: 0 });
    const against = await cli.run('audit', 'verify', '--org', orgId, '--against', file);
    expect(against.code).toBe(3);
    expect(against.err).toEqual(['callsnare: audit chain truncated: the checkpoint covers entry #5 but the chain ends at entry #3']);
  });

  it('an entry edited and every later hash recomputed with the public SHA-256 algorithm fails verification with exit 3', async () => {
    await store((db) => rewriteChain(db, 3, { actorLabel: 'someone else' }, legacyAuditHash));
    const result = await cli.run('audit', 'verify', '--org', orgId);
    expect(result.code).toBe(3);
    expect(result.err).toEqual([expect.stringMatching(/^callsnare: audit chain broken at entry #3 \(.+\): unsigned entry after signed ones \(downgrade\)$/)]);
  });

  it('an entry edited and every later hash recomputed with HMAC under a wrong key fails verification with exit 3', async () => {
    const wrongKey = AuditSigningKey.generate();
    await store((db) => rewriteChain(db, 2, { changes: { number: { before: null, after: '+15005559999' } } }, (fields) => signedAuditHash(fields, wrongKey)));
    const result = await cli.run('audit', 'verify', '--org', orgId);
    expect(result.code).toBe(3);
    expect(result.err).toEqual([expect.stringMatching(/^callsnare: audit chain broken at entry #2 \(.+\): content does not match its hash$/)]);
  });

  it('the whole chain rewritten with the public algorithm passes alone but fails verify --against a checkpoint with exit 3 (rewritten)', async () => {
    const { file } = await checkpoint();
    await store((db) => rewriteChain(db, 1, { actorLabel: 'nobody' }, legacyAuditHash));
    const alone = await cli.run('audit', 'verify', '--org', orgId);
    expect(alone.code).toBe(0);
    expect(alone.out).toEqual(['audit chain intact: 5 entries (all 5 written before audit signing: only a checkpoint can vouch for them)']);
    const against = await cli.run('audit', 'verify', '--org', orgId, '--against', file);
    expect(against.code).toBe(3);
    expect(against.err).toEqual(['callsnare: audit chain rewritten: entry #5 no longer has the hash the checkpoint recorded']);
  });

  it('a checkpoint whose signature does not match its fields, or that another key signed, exits 3 as forged', async () => {
    const { checkpoint: genuine } = await checkpoint();
    const { signature: _genuineSignature, ...fields } = genuine as unknown as AuditCheckpoint;
    const forgeries = [
      { ...genuine, seq: 2 },
      { ...genuine, signature: 'f'.repeat(64) },
      { ...fields, signature: checkpointSignature(AuditSigningKey.generate(), fields) },
    ];
    for (const forged of forgeries) {
      const result = await cli.run('audit', 'verify', '--org', orgId, '--against', writeCheckpoint(JSON.stringify(forged)));
      expect(result.code).toBe(3);
      expect(result.err).toEqual(['callsnare: the checkpoint signature is invalid: forged, or made with another AUDIT_SIGNING_KEY']);
    }
  });

  it('bad --against input exits 2 with one line: a missing file, a file that is not JSON, a checkpoint of another org', async () => {
    const { checkpoint: genuine } = await checkpoint();
    const missing = await cli.run('audit', 'verify', '--org', orgId, '--against', path.join(cli.env.DATA_DIR!, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([expect.stringMatching(/^callsnare: cannot read the checkpoint file .*nope\.json/)]);

    const notJson = await cli.run('audit', 'verify', '--org', orgId, '--against', writeCheckpoint('{"orgId": '));
    expect(notJson).toMatchObject({ code: 2, err: [expect.stringMatching(/^callsnare: the checkpoint file .* is not a checkpoint: not JSON/)] });

    const otherOrg = '00000000-0000-7000-8000-000000000000';
    const foreign = await cli.run('audit', 'verify', '--org', orgId, '--against', writeCheckpoint(JSON.stringify({ ...genuine, orgId: otherOrg })));
    expect(foreign).toMatchObject({ code: 2, err: [`callsnare: the checkpoint is for organization ${otherOrg}, not ${orgId}`] });
  });

  it('a chain written with the legacy SHA-256 algorithm still verifies, and new signed entries continue it', async () => {
    // Rows as the version before audit signing wrote them.
    await store((db) => rewriteChain(db, 1, {}, legacyAuditHash));
    await store((db) => createTestCredential(db, orgId, ['leads:read'], 'After upgrade'));
    const entries = await store((db) => db.prisma.auditEntry.findMany({ where: { orgId }, orderBy: { seq: 'asc' } }));
    expect(entries.map((entry) => /^h2:/.test(entry.hash))).toEqual([false, false, false, false, false, true]);
    const result = await cli.run('audit', 'verify', '--org', orgId);
    expect(result.err).toEqual([]);
    expect(result).toMatchObject({
      code: 0,
      out: ['audit chain intact: 6 entries (the first 5 written before audit signing: only a checkpoint can vouch for them)'],
    });
  });
});
