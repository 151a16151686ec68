// The live bus across nodes: a notice published on any node reaches the listeners
// of every node, through Redis pub/sub (REDIS_URL). Each node holds one subscriber
// connection on the pattern `callsnare:live:*` and hands each message to its local
// listeners, so subscribing a GraphQL client never costs a Redis round trip and a
// reconnect re-establishes one subscription, not thousands.
//
// Redis down: notices published meanwhile are delivered to this node's listeners
// only (the same as a single node; other nodes' clients catch up on their next
// resync, which every live client does on reconnect), and the state is reported by
// `state()` for /readyz and logged once per outage. A lost notice costs latency,
// never data: every listener reads the database after a notice.
import { createClient } from 'redis';
import type { Logger } from '../logger';
import type { LiveBus, LiveListener, LiveMessage } from './live-bus';
import { InMemoryLiveBus } from './live-bus';

const CHANNEL_PREFIX = 'callsnare:live:';
/** How long start-up waits for Redis before serving degraded (the clients keep reconnecting). */
const REDIS_START_WAIT_MS = 3_000;

type RedisClient = ReturnType<typeof createClient>;

export type LiveBusState = 'redis' | 'degraded';

export class RedisLiveBus implements LiveBus {
  private readonly local = new InMemoryLiveBus();
  private degraded = false;
  private subscribed = false;

  private constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Connects both clients and subscribes before returning, so no notice published after
   * start-up is missed; when Redis does not answer within a few seconds the node starts
   * degraded and subscribes as soon as Redis is reachable (the clients keep reconnecting).
   */
  static async connect(url: string, logger: Logger): Promise<RedisLiveBus> {
    // Without the offline queue a publish during an outage fails at once (and is delivered
    // locally) instead of piling up to be replayed minutes later.
    const publisher = createClient({ url, disableOfflineQueue: true });
    const subscriber = publisher.duplicate();
    const bus = new RedisLiveBus(publisher, subscriber, logger);
    for (const client of [publisher, subscriber]) {
      client.on('error', (error: unknown) => bus.markDegraded(error));
      client.on('ready', () => {
        void bus.ensureSubscribed();
        bus.markRecovered();
      });
      client.connect().catch((error: unknown) => bus.markDegraded(error));
    }
    const started = Date.now();
    while (!(await bus.ensureSubscribed()) && Date.now() - started < REDIS_START_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!bus.subscribed) bus.markDegraded(new Error(`not reachable within ${REDIS_START_WAIT_MS} ms of start-up`));
    return bus;
  }

  publish(channel: string, message: LiveMessage): void {
    const wire = JSON.stringify(message);
    if (!this.publisher.isReady) {
      this.local.publish(channel, message);
      return;
    }
    this.publisher.publish(`${CHANNEL_PREFIX}${channel}`, wire).catch((error: unknown) => {
      this.markDegraded(error);
      this.local.publish(channel, message);
    });
  }

  subscribe(channel: string, listener: LiveListener): () => void {
    return this.local.subscribe(channel, listener);
  }

  listenerCount(channel: string): number {
    return this.local.listenerCount(channel);
  }

  /** 'degraded' while either connection is down: notices then reach this node's listeners only. */
  state(): LiveBusState {
    return this.degraded || !this.subscribed || !this.publisher.isReady || !this.subscriber.isReady ? 'degraded' : 'redis';
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.close(), this.publisher.close()]);
    await this.local.close();
  }

  /**
   * The node's one pattern subscription, made once Redis is reachable (node-redis renews it
   * after every reconnect). True once it exists.
   */
  private async ensureSubscribed(): Promise<boolean> {
    if (this.subscribed) return true;
    if (!this.subscriber.isReady) return false;
    this.subscribed = true;
    try {
      await this.subscriber.pSubscribe(`${CHANNEL_PREFIX}*`, (wire, channel) => {
        this.deliverLocally(channel.slice(CHANNEL_PREFIX.length), wire);
      });
      return true;
    } catch (error) {
      this.subscribed = false;
      this.markDegraded(error);
      return false;
    }
  }

  private deliverLocally(channel: string, wire: string): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(wire) as LiveMessage;
    } catch {
      return; // not ours: every publisher of this prefix sends JSON
    }
    this.local.publish(channel, message);
  }

  private markDegraded(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { err: error instanceof Error ? { message: error.message } : undefined },
      'live bus: Redis unreachable; live notices reach this node only until it reconnects',
    );
  }

  private markRecovered(): void {
    if (!this.degraded || !this.subscribed || !this.publisher.isReady || !this.subscriber.isReady) return;
    this.degraded = false;
    this.logger.info('live bus: Redis reachable again; live notices reach every node');
  }
}
