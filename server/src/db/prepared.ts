// Statements on the hot paths (recovery/missed-call-writes.ts, the webhook
// log, the outbox; the credential lookup and the reads behind a page of leads)
// go to the driver directly, as named statements: each text is parsed once per
// connection and then only bound and run, and no ORM work is done per call.
//   - PostgreSQL: through the pool Prisma's adapter uses (openDatabase gives
//     both the same pg.Pool), as a named query: pg prepares it once on each
//     connection.
//   - PGlite: Prisma's adapter sends every statement unnamed, which PGlite
//     plans on every call, on the server's own thread. Here the statement is
//     parsed once per instance under a name, then each call is one
//     Bind/Execute/Sync message, run exactly as PGlite runs its own queries
//     (outside any open transaction, after it).
// Inside an interactive transaction (a Tx) the statement goes through Prisma.
import { createHash } from 'node:crypto';
import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Tx } from './types';

/** Statement texts are few (one per variant of a hot statement); past the cap a new text runs unnamed. */
export const MAX_PREPARED_TEXTS = 64;
/**
 * Texts that vary with what a client selects (the columns of a GraphQL list) are
 * named only while fewer than this many texts are: however many selections
 * clients send, the hot path's texts always find room.
 */
export const MAX_SELECTION_TEXTS = 32;

export interface PreparedOptions {
  /** The text depends on client input (a GraphQL selection), so its variants are unbounded: see MAX_SELECTION_TEXTS. */
  variesWithSelection?: boolean;
}

interface Statements {
  query<T>(query: Prisma.Sql, options: PreparedOptions): Promise<T[]>;
}

/** Per driver (a PGlite instance is one session; a pool is its connections): the texts named so far. */
const byDriver = new WeakMap<object, Statements>();
/** Each client over a driver (the opened one, the tenant-guarded one). */
const byClient = new WeakMap<PrismaClient, Statements>();

/** The client's statements go straight to `driver` when run by queryPrepared (openDatabase registers every client it opens). */
export function registerDriver(prisma: PrismaClient, driver: { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; pool: pg.Pool }): void {
  const key = driver.kind === 'pglite' ? driver.pglite : driver.pool;
  let statements = byDriver.get(key);
  if (!statements) {
    statements = driver.kind === 'pglite' ? new EmbeddedStatements(driver.pglite) : new PooledStatements(driver.pool);
    byDriver.set(key, statements);
  }
  byClient.set(prisma, statements);
}

/** `extended` (e.g. the tenant-guarded client) runs queryPrepared over the same driver as `base`. */
export function shareDriver(base: PrismaClient, extended: PrismaClient): void {
  const statements = byClient.get(base);
  if (statements) byClient.set(extended, statements);
}

/** Runs `query` as a named statement on the client's driver (see above); in a transaction, through it. */
export async function queryPrepared<T>(db: PrismaClient | Tx, query: Prisma.Sql, options: PreparedOptions = {}): Promise<T[]> {
  const statements = byClient.get(db as PrismaClient);
  if (statements) return statements.query<T>(query, options);
  return db.$queryRaw<T[]>(query);
}

/** Rows of a raw statement come back with driver types; make dates Dates and JSON objects whatever the driver (in place: the row is new). */
export function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (value === null) continue;
    if ((key.endsWith('At') || key === 'deferredUntil') && !(value instanceof Date)) row[key] = new Date(value as string);
    else if ((key === 'data' || key === 'evidence') && typeof value === 'string') row[key] = JSON.parse(value);
  }
  return row;
}

/** The name a prepared text gets: the same text always gets the same name. */
export function statementName(text: string): string {
  return `prepared_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/** Names for texts, the first MAX_PREPARED_TEXTS of them; null past that (run unnamed). */
class StatementNames {
  private readonly names = new Map<string, string>();

  nameOf(text: string, options: PreparedOptions): { name: string; known: boolean } | null {
    const known = this.names.get(text);
    if (known !== undefined) return { name: known, known: true };
    if (this.names.size >= (options.variesWithSelection ? MAX_SELECTION_TEXTS : MAX_PREPARED_TEXTS)) return null;
    return { name: statementName(text), known: false };
  }

  remember(text: string, name: string): void {
    this.names.set(text, name);
  }
}

class PooledStatements implements Statements {
  private readonly names = new StatementNames();

  constructor(private readonly pool: pg.Pool) {}

  async query<T>(query: Prisma.Sql, options: PreparedOptions): Promise<T[]> {
    const text = query.text;
    const named = this.names.nameOf(text, options);
    // pg parses a named query once on each connection and reuses it there.
    const result = await this.pool.query({ ...(named ? { name: named.name } : {}), text, values: query.values.map(textValue) });
    if (named && !named.known) this.names.remember(text, named.name);
    return result.rows as T[];
  }
}

class EmbeddedStatements implements Statements {
  private readonly names = new StatementNames();

  constructor(private readonly pglite: PGlite) {}

  async query<T>(query: Prisma.Sql, options: PreparedOptions): Promise<T[]> {
    const text = query.text;
    const named = this.names.nameOf(text, options);
    if (!named) return (await this.pglite.query<T>(text, query.values)).rows;
    const { serialize } = protocol;
    const { name, known } = named;
    const message = concat([
      ...(known ? [] : [serialize.parse({ name, text, types: [] })]),
      serialize.bind({ statement: name, values: query.values.map(textValue) }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    // As PGlite's own query(): after any open transaction, one protocol exchange at a time.
    return this.pglite._runExclusiveTransaction(() =>
      this.pglite._runExclusiveQuery(async () => {
        try {
          const { messages } = await this.pglite.execProtocol(message, { syncToFs: false });
          if (!known) this.names.remember(text, name);
          await this.pglite.syncToFs();
          const [result] = parse.parseResults(messages, this.pglite.parsers, { rowMode: 'object' });
          return (result?.rows ?? []) as T[];
        } catch (error) {
          // The Parse may have failed or succeeded: forget it either way (closing an unknown name is no error).
          if (!known) await this.pglite.execProtocol(concat([serialize.close({ type: 'S', name }), serialize.sync()]), { throwOnError: false });
          throw error;
        }
      }),
    );
  }
}

/** Parameters travel as text; each one's type comes from its place in the statement (every one is cast or compared to a column). */
function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value);
}

/** A PostgreSQL array literal (`{"a","b",NULL}`): every element quoted, so commas, braces and spaces in it stay text. */
function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    const text = textValue(value);
    return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
  });
  return `{${elements.join(',')}}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
