// Statements on the hot path whose planning costs more than their work
// (recovery/missed-call-writes.ts): each text is planned once per connection
// and then only bound and run.
//   - PostgreSQL: the pg adapter names the statement after its text
//     (client.ts, preparedStatementName), so each pooled connection keeps its plan.
//   - PGlite: Prisma's adapter sends every statement unnamed, which PGlite plans
//     on every call, on the server's own thread. Here the statement is parsed
//     once per instance under a name, then each call is one Bind/Execute/Sync
//     message, run exactly as PGlite runs its own queries (outside any open
//     transaction, after it).
// Inside an interactive transaction (a Tx) the statement goes through Prisma.
import { createHash } from 'node:crypto';
import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Tx } from './types';

/** A statement whose text opens with this comment is named after its text by the pg adapter (client.ts). */
export const PREPARED_STATEMENT_MARK = '/* prepared */';

/** Statement texts are few (one per variant of a hot statement); past the cap a new text runs unprepared. */
export const MAX_PREPARED_TEXTS = 64;

/** Per PGlite instance (one session): the statements it has parsed. */
const byInstance = new WeakMap<PGlite, EmbeddedStatements>();
/** Each client over a PGlite instance (the opened one, the tenant-guarded one). */
const embedded = new WeakMap<PrismaClient, EmbeddedStatements>();

/** A client over an embedded instance: queryPrepared on it runs there, prepared. */
export function registerEmbedded(prisma: PrismaClient, pglite: PGlite): void {
  let statements = byInstance.get(pglite);
  if (!statements) {
    statements = new EmbeddedStatements(pglite);
    byInstance.set(pglite, statements);
  }
  embedded.set(prisma, statements);
}

/** Runs `query` with its plan reused (see above). Rows as $queryRaw returns them for these column types. */
export async function queryPrepared<T>(db: PrismaClient | Tx, query: Prisma.Sql): Promise<T[]> {
  const statements = embedded.get(db as PrismaClient);
  if (statements) return statements.query<T>(query);
  return db.$queryRaw<T[]>(Prisma.sql`${Prisma.raw(PREPARED_STATEMENT_MARK)}\n${query}`);
}

/** The name a prepared text gets: the same text always gets the same name. */
export function statementName(text: string): string {
  return `prepared_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

class EmbeddedStatements {
  /** Text -> name, for texts parsed on this instance. */
  private readonly parsed = new Map<string, string>();

  constructor(private readonly pglite: PGlite) {}

  query<T>(query: Prisma.Sql): Promise<T[]> {
    const { serialize } = protocol;
    const text = query.text;
    const known = this.parsed.get(text);
    if (known === undefined && this.parsed.size >= MAX_PREPARED_TEXTS) {
      return this.pglite.query<T>(text, query.values).then((result) => result.rows);
    }
    const name = known ?? statementName(text);
    const values = query.values.map(textValue);
    const message = concat([
      ...(known === undefined ? [serialize.parse({ name, text, types: [] })] : []),
      serialize.bind({ statement: name, values }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    // As PGlite's own query(): after any open transaction, one protocol exchange at a time.
    return this.pglite._runExclusiveTransaction(() =>
      this.pglite._runExclusiveQuery(async () => {
        try {
          const { messages } = await this.pglite.execProtocol(message, { syncToFs: false });
          if (known === undefined) this.parsed.set(text, name);
          await this.pglite.syncToFs();
          const [result] = parse.parseResults(messages, this.pglite.parsers, { rowMode: 'object' });
          return (result?.rows ?? []) as T[];
        } catch (error) {
          // The Parse may have failed or succeeded: forget it either way (closing an unknown name is no error).
          if (known === undefined) await this.pglite.execProtocol(concat([serialize.close({ type: 'S', name }), serialize.sync()]), { throwOnError: false });
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
  return JSON.stringify(value);
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
