// What a process keeps for a few seconds instead of asking the database on every
// request (call contexts per tracking number, credentials per secret hash): the
// mechanics both caches share. Writers drop what they changed after their
// transaction committed; a load that started before a drop is answered but not
// kept (it may have read the rows as they were); only found rows are kept.

export interface KeptRowsOptions {
  /** How long a row may be used without asking the database again (bounds how stale it is when a drop is lost). */
  ttlMs: number;
  /** Bound on the rows kept (oldest dropped first). */
  maxEntries: number;
  /** Monotonic milliseconds; injected by tests. */
  now?: () => number;
}

export class KeptRows<Row> {
  private readonly rows = new Map<string, { row: Row; loadedAt: number }>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: KeptRowsOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The row kept for `key` while fresh; otherwise `load`'s, kept as `keep` makes it unless a drop came while it loaded. */
  async get<Loaded extends Row>(
    key: string,
    load: () => Promise<Loaded | null | undefined>,
    keep: (row: Loaded) => Row = (row) => row,
  ): Promise<Row | Loaded | null | undefined> {
    const kept = this.rows.get(key);
    if (kept && this.now() - kept.loadedAt < this.options.ttlMs) return kept.row;
    const generation = this.generation;
    const loadedAt = this.now();
    const row = await load();
    if (row && generation === this.generation) {
      this.rows.delete(key);
      const oldest = this.rows.keys().next();
      if (this.rows.size >= this.options.maxEntries && !oldest.done) this.rows.delete(oldest.value);
      this.rows.set(key, { row: keep(row), loadedAt });
    }
    return row;
  }

  /** Drops the rows `which` selects (every row when not given); loads under way are not kept. */
  drop(which?: (row: Row, key: string) => boolean): void {
    this.generation += 1;
    for (const [key, kept] of this.rows) if (!which || which(kept.row, key)) this.rows.delete(key);
  }
}
