// Cursor pagination shared by every list (docs/api-conventions.md): `first` (1–100,
// default 20) and an opaque `after` cursor that encodes the sort key and the
// row id. Pages are keyset-ordered on (sort key, id), so rows inserted while a
// client pages never shift or repeat what it sees. This is the data layer
// (services page with it); graphql/connection.ts declares the GraphQL types.
import { badInput } from '../common/errors';
import { isUuid } from '../common/ids';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /**
   * Lazy when it came from a count query: the count runs only when something
   * reads this property (GraphQL reads it only when a client selects
   * `totalCount`), because counting a large filter costs more than the page.
   */
  totalCount: number | Promise<number>;
}

/** The total of a page, whichever form it has. */
export async function totalOf(page: Pick<Page<unknown>, 'totalCount'>): Promise<number> {
  return page.totalCount;
}

/** Sort key + id of a row, as stored in a cursor. */
export interface CursorPosition {
  /** ISO timestamp (toISOString) of the sort key. */
  key: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`v1|${position.key}|${position.id}`, 'utf8').toString('base64url');
}

// Every list sorts on a timestamp, and encodeCursor writes it with toISOString.
const CURSOR_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// JavaScript has a year 0; PostgreSQL has none (1 BC comes before 1 AD) and refuses it.
const EARLIEST_CURSOR_TIME = Date.parse('0001-01-01T00:00:00.000Z');

/**
 * The position a cursor names. A cursor is client input: anything encodeCursor
 * could not have written (bad shape, id or timestamp) is BAD_USER_INPUT here, so
 * no list ever hands the database an invalid date.
 */
export function decodeCursor(cursor: string): CursorPosition {
  const [version, key, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // The round trip also refuses dates the pattern lets through, like month 13 or 24:00.
  const time = key !== undefined && CURSOR_KEY.test(key) ? Date.parse(key) : Number.NaN;
  const validKey = time >= EARLIEST_CURSOR_TIME && new Date(time).toISOString() === key;
  if (version !== 'v1' || rest.length > 0 || !key || !validKey || !id || !isUuid(id)) {
    throw badInput('`after` is not a cursor returned by this list', { after: 'not a valid cursor' });
  }
  return { key, id };
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { first: `must be 1–${MAX_PAGE_SIZE}` });
  }
  return first;
}

/**
 * Builds a page from rows fetched with `take: size + 1` (the extra row only
 * tells whether a next page exists). `cursorOf` writes the cursor of a row
 * (default: encodeCursor of its position).
 */
export function toPage<T>(
  rows: T[],
  size: number,
  totalCount: number | (() => Promise<number>),
  positionOf: (row: T) => CursorPosition,
  cursorOf: (row: T) => string = (row) => encodeCursor(positionOf(row)),
): Page<T> {
  const hasNextPage = rows.length > size;
  const nodes = hasNextPage ? rows.slice(0, size) : rows;
  const page: Omit<Page<T>, 'totalCount'> = { nodes, pageInfo: new LazyPageInfo(hasNextPage, nodes[nodes.length - 1], cursorOf) };
  if (typeof totalCount === 'number') return { ...page, totalCount };
  // An own, enumerable property: resolvers that spread a page ({ ...page, nodes }) keep it.
  let counting: Promise<number> | null = null;
  return Object.defineProperty(page, 'totalCount', { enumerable: true, get: () => (counting ??= totalCount()) }) as Page<T>;
}

// The cursor is written when something reads it (GraphQL reads it only when a client
// selects it): a page of 50 leads holds 50 timeline pages whose cursors are rarely asked for.
class LazyPageInfo<T> {
  // Private fields (#): a pageInfo's own properties stay what a client sees.
  readonly #last: T | undefined;
  readonly #cursorOf: (row: T) => string;
  #cursor: string | null | undefined;

  constructor(
    readonly hasNextPage: boolean,
    last: T | undefined,
    cursorOf: (row: T) => string,
  ) {
    this.#last = last;
    this.#cursorOf = cursorOf;
  }

  get endCursor(): string | null {
    if (this.#cursor === undefined) this.#cursor = this.#last === undefined ? null : this.#cursorOf(this.#last);
    return this.#cursor;
  }
}

/** Prisma `where` for "strictly after the cursor" in a (key DESC, id DESC) order. */
export function afterDescending(keyField: string, cursor: CursorPosition, parse: (key: string) => unknown = (k) => new Date(k)) {
  const key = parse(cursor.key);
  return {
    OR: [{ [keyField]: { lt: key } }, { [keyField]: key, id: { lt: cursor.id } }],
  } as Record<string, unknown>;
}

/** Prisma `where` for "strictly after the cursor" in a (key ASC, id ASC) order. */
export function afterAscending(keyField: string, cursor: CursorPosition, parse: (key: string) => unknown = (k) => new Date(k)) {
  const key = parse(cursor.key);
  return {
    OR: [{ [keyField]: { gt: key } }, { [keyField]: key, id: { gt: cursor.id } }],
  } as Record<string, unknown>;
}

export interface PaginateOptions<Row extends { id: string }, Where> {
  first?: number | null;
  after?: string | null;
  /** Sort key column (a timestamp), paired with id as the tiebreaker. */
  sortKey: keyof Row & string;
  direction: 'asc' | 'desc';
  where: Where;
  findMany: (args: { where: Where; orderBy: Record<string, 'asc' | 'desc'>[]; take: number }) => Promise<Row[]>;
  count: (args: { where: Where }) => Promise<number>;
}

/** One page of any time-ordered list: rows after the cursor, plus the total for the filter. */
export async function paginate<Row extends { id: string }, Where>(options: PaginateOptions<Row, Where>): Promise<Page<Row>> {
  const size = pageSize(options.first);
  const { sortKey, direction } = options;
  const cursorWhere = options.after ? (direction === 'desc' ? afterDescending : afterAscending)(sortKey, decodeCursor(options.after)) : null;
  const where = (cursorWhere ? { AND: [options.where, cursorWhere] } : options.where) as Where;
  const rows = await options.findMany({ where, orderBy: [{ [sortKey]: direction }, { id: direction }], take: size + 1 });
  const totalCount = () => options.count({ where: options.where });
  return toPage(rows, size, totalCount, (row) => ({ key: (row[sortKey] as unknown as Date).toISOString(), id: row.id }));
}
