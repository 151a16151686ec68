// What the HTTP app, workers and CLI commands share.
import type { Config } from './config';
import type { Database } from './db/client';
import type { Logger } from './logger';
import type { Clock } from './shared/clock';
import type { RateLimitStores } from './http/rate-limit';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  rateLimitStores: RateLimitStores;
}
