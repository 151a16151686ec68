// The credentials behind Bearer secrets, kept in this process for a few seconds:
// every API request starts by finding its credential, and that round trip was a
// fifth of a page of leads (BENCHMARKS.md, docs/decisions/0026). What is kept is the
// row, never a verdict: authenticateCredential checks its revocation, expiry and
// grace times against the clock on every request, so a time that passes counts
// at once. Revoking or rotating a credential drops every entry here and, over the
// LiveBus, on every other node, once its transaction committed. Unknown secrets
// are never kept (random secrets cannot fill the cache).
import { KeptRows, type KeptRowsOptions } from '../common/kept-rows';

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

export interface CredentialCacheOptions extends KeptRowsOptions {
  invalidations?: CredentialInvalidations;
}

export const DEFAULT_CREDENTIAL_CACHE: CredentialCacheOptions = { ttlMs: 5_000, maxEntries: 10_000 };

export class CredentialCache<Row extends object = object> {
  private readonly rows: KeptRows<Row>;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: CredentialCacheOptions = DEFAULT_CREDENTIAL_CACHE) {
    this.rows = new KeptRows(options);
    this.unsubscribe = options.invalidations?.subscribe(() => this.rows.drop()) ?? (() => undefined);
  }

  /** The row kept for `secretHash` while fresh; otherwise `load`'s (common/kept-rows.ts). */
  get(secretHash: string, load: () => Promise<Row | undefined>): Promise<Row | null | undefined> {
    return this.rows.get(secretHash, load);
  }

  /** Drops every row here and tells the other nodes. Call after the write committed. */
  invalidate(): void {
    this.rows.drop();
    this.options.invalidations?.publish();
  }

  close(): void {
    this.unsubscribe();
    this.rows.drop();
  }
}
