// Fan-out of "something changed" notices to whoever is listening in this
// process (GraphQL subscriptions, the outbox's wake-up). Messages are plain
// JSON and channels are strings, so the in-memory bus below and a Redis
// pub/sub bus are interchangeable: a node publishes, every node's listeners
// on that channel receive it (docs/decisions/0011-inbox-work-order-and-live-updates.md,
// 0013-live-subscriptions-over-websocket.md).
//
// Publish only after the transaction that made the change committed: a
// listener that reads the database on a notice must find the change there.

export type LiveMessage = Record<string, unknown>;
export type LiveListener = (message: LiveMessage) => void;

export interface LiveBus {
  /** Fire and forget; never throws (a lost notice costs latency, not data). */
  publish(channel: string, message: LiveMessage): void;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, listener: LiveListener): () => void;
  close(): Promise<void>;
  /** Where notices travel: 'redis' across nodes, 'degraded' while Redis is unreachable (this node only). */
  state?(): 'redis' | 'degraded';
}

/** One process: listeners are called on a later tick, each with its own copy (as Redis would deliver it). */
export class InMemoryLiveBus implements LiveBus {
  private readonly channels = new Map<string, Set<LiveListener>>();

  publish(channel: string, message: LiveMessage): void {
    const listeners = this.channels.get(channel);
    if (!listeners || listeners.size === 0) return;
    const wire = JSON.stringify(message);
    queueMicrotask(() => {
      for (const listener of [...listeners]) {
        try {
          listener(JSON.parse(wire) as LiveMessage);
        } catch {
          // A failing listener must not stop the others; the listener owns its own error reporting.
        }
      }
    });
  }

  subscribe(channel: string, listener: LiveListener): () => void {
    let listeners = this.channels.get(channel);
    if (!listeners) this.channels.set(channel, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.channels.get(channel) === listeners) this.channels.delete(channel);
    };
  }

  /** Listeners on a channel now (diagnostics, and tests that wait until a subscription is live). */
  listenerCount(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
