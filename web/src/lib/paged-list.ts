// A cursor-paged list that stays on screen: "Load more" appends the next page;
// a refresh (a live update, a reconnect, a poll) reloads everything shown in
// one pass from the top, so rows that moved are neither lost nor doubled; a
// failed refresh keeps the rows and reports the error beside them.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  totalCount?: number;
}

export type FetchPage<T> = (first: number, after: string | undefined) => Promise<Page<T>>;

/** The server's largest page. */
export const MAX_PAGE = 100;

/** The page sizes a refresh asks for to cover what is shown (at least one page). */
export function refreshPlan(shown: number, pageSize: number, maxPage = MAX_PAGE): number[] {
  let remaining = Math.max(shown, pageSize);
  const sizes: number[] = [];
  while (remaining > 0) {
    const size = Math.min(maxPage, remaining);
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/** Rows of `more` not already in `rows`, appended (a row moves between pages while staff page). */
export function appendUnique<T extends { id: string }>(rows: readonly T[], more: readonly T[]): T[] {
  const seen = new Set(rows.map((row) => row.id));
  return [...rows, ...more.filter((row) => !seen.has(row.id) && seen.add(row.id))];
}

export interface PagedList<T> {
  rows: T[];
  totalCount: number | null;
  hasNextPage: boolean;
  /** True until the first page arrived (or failed). */
  loading: boolean;
  loadingMore: boolean;
  /** The last failure; rows from before it stay on screen. */
  error: unknown;
  refresh: () => void;
  loadMore: () => void;
}

interface State<T> {
  rows: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

const initial = { rows: [], endCursor: null, hasNextPage: false, totalCount: null, loading: true, loadingMore: false, error: null };

/**
 * `key` names the list (its filter): a new key starts over. Work runs one
 * request chain at a time, so a refresh and a "Load more" never interleave.
 */
export function usePagedList<T extends { id: string }>(key: string, fetchPage: FetchPage<T>, pageSize: number): PagedList<T> {
  const [state, setState] = useState<State<T>>(initial);
  const stateRef = useRef(state);
  stateRef.current = state;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const queue = useRef<Promise<void>>(Promise.resolve());
  const generation = useRef(0);
  const refreshQueued = useRef(false);

  const enqueue = useCallback((work: (gen: number) => Promise<void>) => {
    const gen = generation.current;
    queue.current = queue.current.then(() => (gen === generation.current ? work(gen) : undefined)).catch(() => {});
  }, []);

  const refresh = useCallback(() => {
    // One queued refresh covers any number of requests for it.
    if (refreshQueued.current) return;
    refreshQueued.current = true;
    enqueue(async (gen) => {
      refreshQueued.current = false;
      try {
        let rows: T[] = [];
        let last: Page<T> | null = null;
        let after: string | undefined;
        for (const size of refreshPlan(stateRef.current.rows.length, pageSize)) {
          last = await fetchRef.current(size, after);
          rows = appendUnique(rows, last.nodes);
          after = last.pageInfo.endCursor ?? undefined;
          if (!last.pageInfo.hasNextPage || !after) break;
        }
        if (gen !== generation.current || !last) return;
        const page = last;
        setState((s) => ({
          ...s,
          rows,
          endCursor: page.pageInfo.endCursor ?? null,
          hasNextPage: page.pageInfo.hasNextPage,
          totalCount: page.totalCount ?? s.totalCount,
          loading: false,
          error: null,
        }));
      } catch (error) {
        if (gen === generation.current) setState((s) => ({ ...s, loading: false, error }));
      }
    });
  }, [enqueue, pageSize]);

  const loadMore = useCallback(() => {
    if (stateRef.current.loadingMore || !stateRef.current.hasNextPage) return;
    setState((s) => ({ ...s, loadingMore: true }));
    enqueue(async (gen) => {
      try {
        const page = await fetchRef.current(pageSize, stateRef.current.endCursor ?? undefined);
        if (gen !== generation.current) return;
        setState((s) => ({
          ...s,
          rows: appendUnique(s.rows, page.nodes),
          endCursor: page.pageInfo.endCursor ?? s.endCursor,
          hasNextPage: page.pageInfo.hasNextPage,
          totalCount: page.totalCount ?? s.totalCount,
          loadingMore: false,
          error: null,
        }));
      } catch (error) {
        if (gen === generation.current) setState((s) => ({ ...s, loadingMore: false, error }));
      }
    });
  }, [enqueue, pageSize]);

  useEffect(() => {
    generation.current += 1;
    refreshQueued.current = false;
    stateRef.current = initial;
    setState(initial);
    refresh();
  }, [key, refresh]);

  return { ...state, refresh, loadMore };
}
