// Rate-limit counters: in process memory by default, in Redis when REDIS_URL is
// set so every process behind a load balancer shares them. Each limiter gets
// its own store and key prefix (express-rate-limit refuses shared stores).
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import type { Store } from 'express-rate-limit';
import type { Config } from '../config';
import type { Logger } from '../logger';

export interface RateLimitStores {
  /** A fresh store for one limiter; undefined means express-rate-limit's memory store. */
  storeFor(limiterName: string): Store | undefined;
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

export const memoryRateLimitStores: RateLimitStores = {
  kind: 'memory',
  storeFor: () => undefined,
  close: async () => undefined,
};

export async function createRateLimitStores(config: Config, logger: Logger): Promise<RateLimitStores> {
  if (!config.redisUrl) return memoryRateLimitStores;
  const client = createClient({ url: config.redisUrl });
  client.on('error', (error) => logger.error({ err: error }, 'redis: rate-limit store error'));
  await client.connect();
  return {
    kind: 'redis',
    storeFor: (limiterName) =>
      new RedisStore({
        prefix: `callsnare:rl:${limiterName}:`,
        sendCommand: (...args: string[]) => client.sendCommand(args),
      }),
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}

/** Seconds until the client may retry, from express-rate-limit's request info. */
export function retryAfterSeconds(resetTime: Date | undefined, now: Date): number {
  if (!resetTime) return 60;
  return Math.max(1, Math.ceil((resetTime.getTime() - now.getTime()) / 1000));
}
