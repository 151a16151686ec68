// Process wiring: config -> database (migrated) -> first-start demo -> app -> listen.
// Used by `callsnare serve` and by tests that need a real server.
import type { AddressInfo } from 'node:net';
import { ConfigError, isLoopbackHost, type Config } from './config';
import type { AppDeps } from './app-deps';
import { createApp } from './app';
import { createLogger, type Logger } from './logger';
import { databaseTargetFrom, describeTarget, openDatabase, type Database } from './db/client';
import { applyMigrations } from './db/migration-runner';
import { withTenantGuard } from './db/tenant-guard';
import { systemClock, type Clock } from './common/clock';
import { seedDemoOrganization } from './demo/demo.seed';
import { startAuditSigning } from './audit/audit-signing';
import { createRateLimitStores } from './http/rate-limit';
import type { SmsTransport } from './messaging/sms-transport';
import { createSmsTransport } from './messaging/sms-transports';
import { createStripeClient, type StripeClient } from './billing/stripe-client';
import { OutboxWorker, runOutboxOnce, type OutboxOptions } from './messaging/outbox.worker';
import { CallbackSlaWorker, runCallbackSlaOnce } from './callbacks/overdue-escalation';
import { WebhookDeliveryWorker, runWebhookDeliveriesOnce, type WebhookWorkerOptions } from './outbound-webhooks/webhook-delivery.worker';
import { InMemoryLiveBus } from './live/live-bus';
import { CredentialCache, credentialBusInvalidations, DEFAULT_CREDENTIAL_CACHE } from './access/credential-cache';
import type * as RedisLiveBusModule from './live/redis-live-bus';
import { WebhookLogWriter } from './webhook-log/webhook-log';
import { AppliedRefs } from './recovery/applied-refs';
import { CallContextCache, DEFAULT_CALL_CONTEXT_CACHE, liveBusInvalidations } from './recovery/call-context';

/** One pass of each background job, for tests and tools that run with workers off. */
export { runOutboxOnce, runCallbackSlaOnce, runWebhookDeliveriesOnce };

export interface RunningServer {
  url: string;
  deps: AppDeps;
  /** Graceful: stop accepting, finish in-flight requests, close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** An already-open (and migrated) database, e.g. a test's; closed by close() only if owned. */
  db?: Database;
  /** Seed a demo org when the database has no organization (sandbox only). Default: true. */
  seedDemoOnFirstStart?: boolean;
  /** Where the one-time demo sign-in is printed. */
  announce?: (line: string) => void;
  /**
   * Run the background workers (outbox sends, callback SLA escalation) in this
   * process. Default: true. Tests turn them off and drive runOutboxOnce(deps) themselves.
   */
  workers?: boolean;
  /** Replaces the transport chosen from the integration mode (tests: a Twilio client with a fake network). */
  smsTransport?: SmsTransport;
  /** Outbox tuning (retry limits, backoff, jitter). */
  outbox?: Partial<OutboxOptions>;
  /** Outbound webhook worker tuning (HTTP client, retry schedule, auto-disable). */
  outboundWebhooks?: Partial<WebhookWorkerOptions>;
  /** Replaces the Stripe client chosen from the integration mode (tests: a client with a fake network). */
  stripe?: StripeClient | null;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const sandboxOnNetwork = config.integrationMode === 'sandbox' && !isLoopbackHost(config.host);
  // Sandbox mode takes unsigned webhooks and seeds a demo org with a printed password:
  // anyone who can reach it can act as the shop. It stays on this machine unless told otherwise.
  if (sandboxOnNetwork && !config.allowSandboxOnNetwork) {
    throw new ConfigError([
      `HOST=${config.host} would expose sandbox mode (unsigned webhooks accepted, demo organization) to the network: use HOST=127.0.0.1, INTEGRATION_MODE=live, or set ALLOW_SANDBOX_ON_NETWORK=1 to do it anyway`,
    ]);
  }
  const ownsDb = !options.db;
  const db = options.db ?? (await openDatabase(databaseTargetFrom(config.databaseUrl, config.dataDir), { holder: 'a running server' }));
  try {
    startAuditSigning(config, (line) => logger.info(line));
    if (ownsDb) {
      const { applied } = await applyMigrations(db, { log: (message) => logger.info(message) });
      logger.info({ database: describeTarget(db.target), applied }, applied.length ? 'database migrated' : 'database up to date');
    }
    if (config.integrationMode === 'sandbox' && (options.seedDemoOnFirstStart ?? true) && (await db.prisma.organization.count()) === 0) {
      const demo = await seedDemoOrganization(db, { clock, dashboardBaseUrl: config.publicBaseUrl });
      const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
      announce('');
      announce('  First start: a demo organization was created (sandbox mode).');
      announce(`  Sign in at ${config.publicBaseUrl}/ as ${demo.ownerEmail} with password: ${demo.ownerPassword}`);
      announce(`  Demo tracking number: ${demo.trackingNumber} (forwards to ${demo.forwardTo})`);
      announce('  This password is shown once. Create your own org with: npm run callsnare -- org create --help');
      announce('');
    }
  } catch (error) {
    if (ownsDb) await db.close();
    throw error;
  }

  const rateLimitStores = await createRateLimitStores(config, logger);
  // The sandbox keeps what it "sent" next to a database that outlives the process, so a restart can reconcile.
  const durableSandboxRecord = ownsDb && !(db.target.kind === 'pglite' && db.target.dataDir === null);
  const sms = options.smsTransport ?? createSmsTransport(config, logger, { clock, durableSandboxRecord });
  let outboxWorker: OutboxWorker | null = null;
  const stripe = options.stripe !== undefined ? options.stripe : createStripeClient(config);
  // Across nodes (REDIS_URL) every node's subscribers hear every node's notices; alone, in memory.
  const live = config.redisUrl ? await loadRedisLiveBus().connect(config.redisUrl, logger) : new InMemoryLiveBus();
  const guardedDb = withTenantGuard(db);
  const webhookLog = new WebhookLogWriter({ db: guardedDb, logger });
  const deps: AppDeps = {
    config,
    db: guardedDb,
    logger,
    clock,
    rateLimitStores,
    sms,
    stripe,
    live,
    webhookLog,
    outbox: {
      nudge: () => outboxWorker?.nudge(),
      claimant: () => outboxWorker?.claimant() ?? null,
      handOff: (message) => outboxWorker?.handOff(message),
    },
    callContexts: new CallContextCache({ ...DEFAULT_CALL_CONTEXT_CACHE, invalidations: liveBusInvalidations(live) }),
    credentials: new CredentialCache({ ...DEFAULT_CREDENTIAL_CACHE, invalidations: credentialBusInvalidations(live) }),
    appliedRefs: new AppliedRefs(),
  };
  const callsnare = await createApp(deps);
  await new Promise<void>((resolve, reject) => {
    callsnare.httpServer.once('error', reject);
    callsnare.httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = callsnare.httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, database: describeTarget(db.target), mode: config.integrationMode }, 'CallSnare listening');
  if (sandboxOnNetwork) {
    logger.warn(
      { host: config.host, url },
      'SANDBOX MODE IS REACHABLE FROM THE NETWORK (ALLOW_SANDBOX_ON_NETWORK=1): unsigned webhooks are accepted and the demo organization can be signed into by anyone who reaches this address. Use INTEGRATION_MODE=live for anything real.',
    );
  }

  const workers = options.workers ?? true;
  outboxWorker = workers ? new OutboxWorker(deps, options.outbox) : null;
  const callbackSla = workers ? new CallbackSlaWorker(deps) : null;
  const webhookWorker = workers ? new WebhookDeliveryWorker(deps, options.outboundWebhooks) : null;
  outboxWorker?.start();
  callbackSla?.start();
  webhookWorker?.start();

  let closing: Promise<void> | null = null;
  return {
    url,
    deps,
    close() {
      closing ??= (async () => {
        await callsnare.stop();
        // After the HTTP server drained (nothing new can be queued), before the database closes.
        // Webhook-log rows of the last deliveries are stored before the database closes.
        await Promise.all([outboxWorker?.stop(), callbackSla?.stop(), webhookWorker?.stop(), webhookLog.flush()]);
        await rateLimitStores.close();
        deps.callContexts?.close();
        deps.credentials?.close();
        await live.close();
        if (ownsDb) await db.close();
      })();
      return closing;
    },
  };
}

/** The redis client is ~580 modules (~4 MB of heap): loaded only by a node that has REDIS_URL. */
function loadRedisLiveBus(): typeof RedisLiveBusModule.RedisLiveBus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use (above); import() would need an ESM path here
  return (require('./live/redis-live-bus') as typeof RedisLiveBusModule).RedisLiveBus;
}
