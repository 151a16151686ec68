// Rate-limit counters: in process memory by default, in Redis when REDIS_URL is
// set so every process behind a load balancer shares them. Each limiter gets
// its own store and key prefix (express-rate-limit refuses shared stores).
//
// While Redis is unreachable (at start-up or later) each limiter counts in this
// node's memory instead: limits stay enforced, per node, and the log and /readyz
// say so. Nothing waits on Redis: commands fail at once instead of queueing.
import type * as RateLimitRedisModule from 'rate-limit-redis';
import type { RedisStore } from 'rate-limit-redis';
import type * as RedisModule from 'redis';
import { MemoryStore, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { Config } from '../config';
import type { Logger } from '../logger';

export interface RateLimitStores {
  /** A fresh store for one limiter; undefined means express-rate-limit's memory store. */
  storeFor(limiterName: string): Store | undefined;
  readonly kind: 'memory' | 'redis';
  /** 'redis' while counters are shared; 'per-node' while Redis is unreachable and each node counts alone. */
  state(): 'memory' | 'redis' | 'per-node';
  close(): Promise<void>;
}

export const memoryRateLimitStores: RateLimitStores = {
  kind: 'memory',
  storeFor: () => undefined,
  state: () => 'memory',
  close: async () => undefined,
};

/** How long start-up waits for Redis before serving with per-node counters (it keeps reconnecting). */
const REDIS_START_WAIT_MS = 3_000;

export async function createRateLimitStores(config: Config, logger: Logger): Promise<RateLimitStores> {
  if (!config.redisUrl) return memoryRateLimitStores;
  // Loaded only with REDIS_URL: a single node never needs the redis client (578 modules, ~19 MB of RSS).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use; import() would need an ESM path here
  const { createClient } = require('redis') as typeof RedisModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const { RedisStore: SharedStore } = require('rate-limit-redis') as typeof RateLimitRedisModule;
  const client = createClient({ url: config.redisUrl, disableOfflineQueue: true });
  const health = new RedisHealth(client, logger);
  client.on('error', (error: unknown) => health.failed(error));
  client.on('ready', () => health.recovered());
  const connected = client.connect().catch((error: unknown) => health.failed(error));
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, REDIS_START_WAIT_MS).unref())]);
  if (!client.isReady) health.failed(new Error(`not reachable within ${REDIS_START_WAIT_MS} ms of start-up`));
  return {
    kind: 'redis',
    storeFor: (limiterName) =>
      new RedisOrLocalStore(
        new SharedStore({
          prefix: `callsnare:rl:${limiterName}:`,
          sendCommand: (...args: string[]) => client.sendCommand(args),
        }),
        health,
      ),
    state: () => (health.isUp() ? 'redis' : 'per-node'),
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}

/** After a failed command on a live connection, Redis is tried again this long after. */
const REDIS_RETRY_MS = 5_000;

/** Whether the shared counters can be used; logs each outage once, and its end. */
class RedisHealth {
  private down = false;
  private downSince = 0;

  constructor(
    private readonly client: { readonly isReady: boolean },
    private readonly logger: Logger,
  ) {}

  /** Up, or worth trying again: the connection is back or the last failure is old. */
  isUp(): boolean {
    return this.client.isReady && (!this.down || Date.now() - this.downSince >= REDIS_RETRY_MS);
  }

  failed(error: unknown): void {
    this.downSince = Date.now();
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      { err: error instanceof Error ? { message: error.message } : undefined },
      'rate limits: Redis unreachable; each node counts on its own until it reconnects',
    );
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info('rate limits: Redis reachable again; counters are shared by every node');
  }
}

/** Redis counters, or this node's memory while Redis is unreachable. */
class RedisOrLocalStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private readonly local = new MemoryStore();
  private options: Options | undefined;
  /** rate-limit-redis loads its scripts in init(); after an outage they are loaded again. */
  private redisReady: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisStore,
    private readonly health: RedisHealth,
  ) {
    this.prefix = redis.prefix;
  }

  init(options: Options): void {
    this.options = options;
    this.local.init(options);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return (await this.shared((redis) => redis.increment(key))) ?? this.local.increment(key);
  }

  async decrement(key: string): Promise<void> {
    if ((await this.shared(async (redis) => redis.decrement(key).then(() => true))) === undefined) await this.local.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await this.shared(async (redis) => redis.resetKey(key).then(() => true));
    await this.local.resetKey(key);
  }

  shutdown(): void {
    this.local.shutdown();
  }

  /** Runs `work` on Redis when it is up; undefined when it is not (or fails now). */
  private async shared<T>(work: (redis: RedisStore) => Promise<T>): Promise<T | undefined> {
    if (!this.health.isUp() || !this.options) return undefined;
    try {
      this.redisReady ??= this.redis.init(this.options);
      await this.redisReady;
      const result = await work(this.redis);
      this.health.recovered();
      return result;
    } catch (error) {
      this.redisReady = null;
      this.health.failed(error);
      return undefined;
    }
  }
}

/** Seconds until the client may retry, from express-rate-limit's request info. */
export function retryAfterSeconds(resetTime: Date | undefined, now: Date): number {
  if (!resetTime) return 60;
  return Math.max(1, Math.ceil((resetTime.getTime() - now.getTime()) / 1000));
}
