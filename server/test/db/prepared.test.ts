// queryPrepared: the hot path's statements keep their plan (db/prepared.ts).
// The same rows as $queryRaw, errors as the driver reports them (a unique
// violation is still recognised), and on PGlite a text is parsed once per
// instance and never runs inside someone else's open transaction.
import type { Database } from '../../src/db/client';
import { MAX_PREPARED_TEXTS, MAX_SELECTION_TEXTS, queryPrepared, statementName } from '../../src/db/prepared';
import { isUniqueViolation } from '../../src/common/errors';
import { Prisma } from '../../src/generated/prisma/client';
import { openTestDatabase, testDatabaseKinds } from '../support/database';

jest.setTimeout(60_000);

describe.each(testDatabaseKinds)('queryPrepared on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await db.prisma.$executeRawUnsafe('CREATE TABLE prepared_probe (id int PRIMARY KEY, label text, at timestamptz, data jsonb, flag boolean)');
  });
  afterAll(() => db.close());

  const insert = (id: number, label: string | null) =>
    Prisma.sql`INSERT INTO prepared_probe (id, label, at, data, flag)
      VALUES (${id}::int, ${label}, ${new Date('2026-12-01T08:30:00.123Z')}::timestamptz, ${JSON.stringify({ id, tags: ['a'] })}::jsonb, ${id % 2 === 0})
      RETURNING id, label, at, data, flag, (SELECT count(*)::int FROM prepared_probe) AS before`;

  it('returns the rows $queryRaw returns for the same statement, for every column type the hot path reads', async () => {
    const read = (id: number) =>
      Prisma.sql`SELECT id, label, at, data, flag, ${'x'}::text AS echo, NULL::text AS nothing FROM prepared_probe WHERE id = ${id}::int`;
    await queryPrepared(db.prisma, insert(1, 'first'));
    await queryPrepared(db.prisma, insert(2, null));
    for (const id of [1, 2]) {
      const viaPrepared = await queryPrepared(db.prisma, read(id));
      expect(viaPrepared).toEqual(await db.prisma.$queryRaw(read(id)));
    }
    expect(await queryPrepared(db.prisma, read(2))).toEqual([
      { id: 2, label: null, at: new Date('2026-12-01T08:30:00.123Z'), data: { id: 2, tags: ['a'] }, flag: true, echo: 'x', nothing: null },
    ]);
  });

  it('passes an array as one array parameter, each element as it was (commas, quotes, backslashes, braces, NULL)', async () => {
    const values = ['plain', 'a,b', 'say "hi"', 'back\\slash', '{braces}', ' spaced ', '', null];
    const [row] = await queryPrepared<{ values: (string | null)[]; n: number }>(
      db.prisma,
      Prisma.sql`SELECT ${values}::text[] AS values, cardinality(${values}::text[]) AS n`,
    );
    expect(row).toEqual({ values, n: values.length });
    const ids = ['0190a7e2-0000-7000-8000-000000000001', '0190a7e2-0000-7000-8000-000000000002'];
    expect(await queryPrepared(db.prisma, Prisma.sql`SELECT unnest(${ids}::uuid[])::text AS id`)).toEqual(ids.map((id) => ({ id })));
  });

  it('reports a unique violation as the driver does (the exactly-once paths recognise it), and the statement keeps working', async () => {
    await queryPrepared(db.prisma, insert(10, 'once'));
    const error = await queryPrepared(db.prisma, insert(10, 'again')).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await queryPrepared(db.prisma, insert(11, 'next'))).toHaveLength(1);
    expect(await db.prisma.$queryRaw`SELECT label FROM prepared_probe WHERE id IN (10, 11) ORDER BY id`).toEqual([{ label: 'once' }, { label: 'next' }]);
  });

  it('a statement that fails on its first run (before it was ever kept) runs on the next call', async () => {
    const failing = (id: number) =>
      Prisma.sql`INSERT INTO prepared_probe (id, label) VALUES (${id}::int, ${'first-run'}) RETURNING id, 1 / (${id}::int - 20) AS inverse`;
    await expect(queryPrepared(db.prisma, failing(20))).rejects.toThrow(/division by zero/);
    expect(await queryPrepared(db.prisma, failing(21))).toEqual([{ id: 21, inverse: 1 }]);
  });

  if (kind === 'pglite') {
    it('is parsed once per instance: later calls only bind and run it', async () => {
      const pglite = db.pglite!;
      const statement = (id: number) => Prisma.sql`SELECT ${id}::int + 1 AS next, ${'once'}::text AS tag`;
      const spy = jest.spyOn(pglite, 'execProtocol');
      try {
        for (let id = 0; id < 5; id++) expect(await queryPrepared(db.prisma, statement(id))).toEqual([{ next: id + 1, tag: 'once' }]);
        // A Parse message starts with 'P'; only the first exchange carries one.
        const parses = spy.mock.calls.map(([message]) => message[0] === 'P'.charCodeAt(0));
        expect(parses).toEqual([true, false, false, false, false]);
      } finally {
        spy.mockRestore();
      }
      const kept = await pglite.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE name = $1', [statementName(statement(0).text)]);
      expect(kept.rows).toHaveLength(1);
    });

    it('waits for an open transaction to end instead of running inside it', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const didInsert = new Promise<void>((resolve) => (inserted = resolve));
      const transaction = db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO prepared_probe (id, label) VALUES (30, 'rolled back')`;
        inserted();
        await held;
        throw new Error('roll back');
      });
      await didInsert;
      const read = queryPrepared<{ n: number }>(db.prisma, Prisma.sql`SELECT count(*)::int AS n FROM prepared_probe WHERE id = ${30}::int`);
      release();
      await expect(transaction).rejects.toThrow('roll back');
      // Had it run inside the transaction it would have seen its row (1), and the rollback would not have undone it.
      expect(await read).toEqual([{ n: 0 }]);
    });

    /** How many texts PGlite holds prepared under our names. */
    const named = async () =>
      (await db.pglite!.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'prepared\\_%'`)).rows[0]!.n;

    it(`names texts that vary with a selection only while fewer than ${MAX_SELECTION_TEXTS} texts are named, so the rest stay for hot statements`, async () => {
      const before = await named();
      expect(before).toBeLessThan(MAX_SELECTION_TEXTS);
      const selections = Array.from(
        { length: MAX_SELECTION_TEXTS + 5 },
        (_, i) => Prisma.sql`SELECT ${i}::int AS i, ${Prisma.raw(`'selection ${i}'`)}::text AS v`,
      );
      for (const [i, text] of selections.entries()) {
        expect(await queryPrepared(db.prisma, text, { variesWithSelection: true })).toEqual([{ i, v: `selection ${i}` }]);
      }
      expect(await named()).toBe(MAX_SELECTION_TEXTS);
      const hot = Prisma.sql`SELECT ${1}::int AS hot`;
      expect(await queryPrepared(db.prisma, hot)).toEqual([{ hot: 1 }]);
      expect(await named()).toBe(MAX_SELECTION_TEXTS + 1);
    });

    it(`keeps at most ${MAX_PREPARED_TEXTS} texts; past them a new text still runs, unprepared`, async () => {
      const texts = Array.from({ length: MAX_PREPARED_TEXTS + 3 }, (_, i) => Prisma.sql`SELECT ${i}::int AS i, ${Prisma.raw(`'text ${i}'`)}::text AS variant`);
      for (const [i, text] of texts.entries()) expect(await queryPrepared(db.prisma, text)).toEqual([{ i, variant: `text ${i}` }]);
      expect(await named()).toBe(MAX_PREPARED_TEXTS);
    });
  }
});
