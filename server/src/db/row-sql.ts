// Rows written by a raw statement exactly as Prisma would write them: the
// row is the same object a service hands to Prisma (keys are the model's
// generated field names, checked against Prisma's field enum), and the
// database turns it into typed columns (jsonb_populate_record over the table's
// own row type: uuid, enums, timestamptz, jsonb), so no column list or cast is
// typed by hand. Columns whose value only the statement knows (the id of a
// lead it is opening) are given as SQL over the statement's relations.
import { Prisma } from '../generated/prisma/client';

export interface RowInsert<F extends string> {
  /** The table (a Prisma model name; tables are named after their models here). */
  table: Prisma.ModelName;
  /** Prisma's generated field enum of that model, e.g. Prisma.LeadScalarFieldEnum. */
  fields: Record<string, F>;
  /** Column values as Prisma takes them (Dates, strings, JSON objects, null). */
  row: Partial<Record<F, unknown>>;
  /** Columns computed by the statement: SQL over the relations in `from`. */
  computed?: Partial<Record<F, Prisma.Sql>>;
  /** Relations joined to the row (e.g. the CTE holding the lead); none: the row alone. */
  from?: Prisma.Sql;
  where?: Prisma.Sql;
  /** ON CONFLICT …, RETURNING … */
  tail?: Prisma.Sql;
}

/** The columns an insert writes, checked against the model's fields (a stray or misspelt key throws). */
export function insertedColumns<F extends string>(insert: Pick<RowInsert<F>, 'table' | 'fields' | 'row' | 'computed'>): F[] {
  const known = fieldSet(insert.fields);
  const columns = [...new Set([...Object.keys(insert.row), ...Object.keys(insert.computed ?? {})])] as F[];
  const unknown = columns.filter((column) => !known.has(column));
  if (unknown.length > 0) throw new Error(`${insert.table} has no column ${unknown.join(', ')}`);
  return columns;
}

const fieldSets = new WeakMap<object, Set<string>>();

/** A model's field names as a set, made once per field enum (the hot path inserts several rows per call). */
function fieldSet(fields: Record<string, string>): Set<string> {
  let set = fieldSets.get(fields);
  if (!set) {
    set = new Set(Object.values(fields));
    fieldSets.set(fields, set);
  }
  return set;
}

export function insertRowSql<F extends string>(insert: RowInsert<F>): Prisma.Sql {
  const columns = insertedColumns(insert);
  const table = Prisma.raw(`"${insert.table}"`);
  const values = columns.map((column) => insert.computed?.[column] ?? Prisma.raw(`r."${column}"`));
  const json = JSON.stringify(Object.fromEntries(Object.entries(insert.row).filter(([column]) => insert.computed?.[column as F] === undefined)));
  return Prisma.sql`INSERT INTO ${table} (${Prisma.raw(columns.map((column) => `"${column}"`).join(', '))})
    SELECT ${Prisma.join(values)} FROM jsonb_populate_record(NULL::${table}, ${json}::jsonb) r${insert.from ? Prisma.sql` CROSS JOIN ${insert.from}` : Prisma.empty}
    ${insert.where ? Prisma.sql`WHERE ${insert.where}` : Prisma.empty}
    ${insert.tail ?? Prisma.empty}`;
}

/**
 * Many rows of one table in one INSERT whose text depends only on the columns
 * (so a prepared plan serves every batch size): the rows travel as one jsonb
 * array and jsonb_populate_recordset types them. Every row must carry the
 * same keys (the first row's are the columns).
 */
export function insertRowsSql<F extends string>(insert: Pick<RowInsert<F>, 'table' | 'fields' | 'tail'> & { rows: Partial<Record<F, unknown>>[] }): Prisma.Sql {
  const [first] = insert.rows;
  if (!first) throw new Error(`no ${insert.table} rows to insert`);
  const columns = insertedColumns({ table: insert.table, fields: insert.fields, row: first });
  const table = Prisma.raw(`"${insert.table}"`);
  const list = Prisma.raw(columns.map((column) => `"${column}"`).join(', '));
  const values = Prisma.raw(columns.map((column) => `r."${column}"`).join(', '));
  return Prisma.sql`INSERT INTO ${table} (${list})
    SELECT ${values} FROM jsonb_populate_recordset(NULL::${table}, ${JSON.stringify(insert.rows)}::jsonb) r
    ${insert.tail ?? Prisma.empty}`;
}
