// Pages of a connection (docs/api-conventions.md: nodes, pageInfo, totalCount; `first` ≤ 100,
// `after` cursor) with fetchNext(), and async iteration across pages.
import type { RequestOptions } from './transport.js';

export interface PageInfo {
  /** True when another page follows this one. */
  hasNextPage: boolean;
  /** Pass as `after` to continue after this page; null on an empty page. */
  endCursor: string | null;
}

/** What every list query returns. */
export interface Connection<TNode> {
  nodes: TNode[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Page size and position, accepted by every `list` method. */
export interface PageOptions extends RequestOptions {
  /** Page size, 1–100 (server default 20). */
  first?: number;
  /** `pageInfo.endCursor` of the previous page. */
  after?: string | null;
}

/** Options of every `iterate` method. */
export interface IterateOptions extends RequestOptions {
  /** How many items to fetch per request, 1–100. Default 100. */
  pageSize?: number;
}

export const MAX_PAGE_SIZE = 100;

/**
 * One page of a list. `for await (const item of page)` walks this page and every
 * page after it.
 */
export class Page<TNode> implements Connection<TNode>, AsyncIterable<TNode> {
  readonly nodes: TNode[];
  readonly pageInfo: PageInfo;
  readonly totalCount: number;
  readonly #fetchAfter: (cursor: string) => Promise<Page<TNode>>;

  constructor(connection: Connection<TNode>, fetchAfter: (cursor: string) => Promise<Page<TNode>>) {
    this.nodes = connection.nodes;
    this.pageInfo = { hasNextPage: connection.pageInfo.hasNextPage, endCursor: connection.pageInfo.endCursor };
    this.totalCount = connection.totalCount;
    this.#fetchAfter = fetchAfter;
  }

  /** Whether `fetchNext()` will return a page. */
  get hasNextPage(): boolean {
    return this.pageInfo.hasNextPage && this.pageInfo.endCursor !== null;
  }

  /** The page after this one (same filter and page size), or null when this is the last page. */
  fetchNext(): Promise<Page<TNode> | null> {
    const cursor = this.pageInfo.endCursor;
    if (!this.pageInfo.hasNextPage || cursor === null) return Promise.resolve(null);
    return this.#fetchAfter(cursor);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TNode> {
    yield* this.nodes;
    let page = await this.fetchNext();
    while (page) {
      yield* page.nodes;
      page = await page.fetchNext();
    }
  }
}

/** Variables every connection query takes. */
export interface PageVariables {
  first?: number | null;
  after?: string | null;
}

/**
 * Fetches one page with `load(variables)`, wiring fetchNext() to load the same
 * query again after the page's end cursor.
 */
export async function loadPage<TNode, TVariables extends PageVariables>(
  load: (variables: TVariables) => Promise<Connection<TNode>>,
  variables: TVariables,
): Promise<Page<TNode>> {
  const connection = await load(variables);
  return new Page(connection, (cursor) => loadPage(load, { ...variables, after: cursor }));
}

/** Splits a list method's options into query variables and per-call request options. */
export function pageArguments(options: PageOptions = {}): { page: PageVariables; request: RequestOptions } {
  const { first, after, ...request } = options;
  const page: PageVariables = {};
  if (first !== undefined) page.first = first;
  if (after !== undefined) page.after = after;
  return { page, request };
}

/** Every item of every page, fetching `pageSize` at a time. */
export async function* iterateAll<TNode>(firstPage: () => Promise<Page<TNode>>): AsyncGenerator<TNode, void, undefined> {
  yield* await firstPage();
}
