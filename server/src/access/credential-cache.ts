// The credentials behind Bearer secrets, kept in this process for a few seconds:
// every API request starts by finding its credential, and that round trip was a
// fifth of a page of leads (BENCHMARKS.md, docs/decisions/0026). What is kept is the
// row, never a verdict: authenticateCredential checks its revocation, expiry and
// grace times against the clock on every request, so a time that passes counts
// at once. Revoking or rotating a credential drops every entry here and, over the
// LiveBus, on every other node, once its transaction committed. Unknown secrets
// are never kept (random secrets cannot fill the cache).

/** How a drop reaches the other nodes (the LiveBus; in memory on one node, Redis pub/sub across nodes). */
export interface CredentialInvalidations {
  publish(): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Drops over a LiveBus-shaped channel. */
export function credentialBusInvalidations(bus: {
  publish(channel: string, message: Record<string, unknown>): void;
  subscribe(channel: string, listener: (message: Record<string, unknown>) => void): () => void;
}): CredentialInvalidations {
  const channel = 'credentials.invalidated';
  return { publish: () => bus.publish(channel, {}), subscribe: (listener) => bus.subscribe(channel, () => listener()) };
}

export interface CredentialCacheOptions {
  /** How long a row may be used without reading it again: bounds how late a drop lost on the bus can be. */
  ttlMs: number;
  /** Bound on the rows kept (oldest dropped first). */
  maxEntries: number;
  /** Monotonic milliseconds; injected by tests. */
  now?: () => number;
  invalidations?: CredentialInvalidations;
}

export const DEFAULT_CREDENTIAL_CACHE: CredentialCacheOptions = { ttlMs: 5_000, maxEntries: 10_000 };

export class CredentialCache<Row extends object = object> {
  private readonly rows = new Map<string, { row: Row; loadedAt: number }>();
  private generation = 0;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: CredentialCacheOptions = DEFAULT_CREDENTIAL_CACHE) {
    this.now = options.now ?? (() => performance.now());
    this.unsubscribe = options.invalidations?.subscribe(() => this.drop()) ?? (() => undefined);
  }

  /**
   * The row kept for `secretHash` while fresh; otherwise `load`'s, kept unless a drop
   * came while it loaded (it may have read the row as it was before the change).
   */
  async get(secretHash: string, load: () => Promise<Row | undefined>): Promise<Row | undefined> {
    const kept = this.rows.get(secretHash);
    if (kept && this.now() - kept.loadedAt < this.options.ttlMs) return kept.row;
    const generation = this.generation;
    const loadedAt = this.now();
    const row = await load();
    if (row && generation === this.generation) {
      this.rows.delete(secretHash);
      const oldest = this.rows.keys().next();
      if (this.rows.size >= this.options.maxEntries && !oldest.done) this.rows.delete(oldest.value);
      this.rows.set(secretHash, { row, loadedAt });
    }
    return row;
  }

  /** Drops every row here and tells the other nodes. Call after the write committed. */
  invalidate(): void {
    this.drop();
    this.options.invalidations?.publish();
  }

  close(): void {
    this.unsubscribe();
    this.rows.clear();
  }

  private drop(): void {
    this.generation += 1;
    this.rows.clear();
  }
}
