import v8 from 'node:v8';
import type { Command } from 'commander';
import type * as ServerModule from '../server';
import { createLogger } from '../logger';
import { configFrom, type CliIO } from './runtime';
import type { Config } from '../config';
import { databaseTargetFrom } from '../db/client';

/**
 * V8 settings the `serve` process gives itself on the embedded database (issue #13: a
 * server's memory), where the database runs inside the process as WebAssembly.
 * `--optimize-for-size` caps V8's young generation at 16 MB instead of 32 MB and makes
 * V8 prefer memory over speed where it has the choice. It is the one young-generation
 * limit that still applies once the process runs (`--max-semi-space-size` is read only
 * at start-up). Measured with the benchmark's c=32 missed-call burst on an on-disk
 * PGlite: ~60 MB less RSS after the burst, CPU per delivery unchanged within noise.
 * `--liftoff-only` keeps WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) on
 * V8's baseline compiler. Its optimizing compiler, re-compiling the hot functions of
 * PGlite's large module on V8's worker threads from start-up on, used ~60–80 MB of
 * scratch memory that glibc keeps after it is freed (its arenas are not returned to the
 * system): RSS after the same burst 214–220 MB instead of 291–299 MB, idle 184–190
 * instead of 258–268, and the first burst spends less CPU per delivery (no tier-up to
 * pay for). Both flags must be set before the server (and its WebAssembly) loads.
 * On PostgreSQL the process holds no database, and the flags cost CPU: in six paired runs
 * of the 3-node scale test, node CPU per delivery was 4.3 ms without them against 5.2 ms
 * with them (medians), lower in every pair once read against HAProxy's CPU in the same
 * run (BENCHMARKS.md, "Cluster"). So a node on PostgreSQL keeps V8's defaults.
 */
export function serveV8Flags(config: Pick<Config, 'databaseUrl' | 'dataDir'>): readonly string[] {
  return databaseTargetFrom(config.databaseUrl, config.dataDir).kind === 'pglite' ? ['--optimize-for-size', '--liftoff-only'] : [];
}

export function registerServe(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('serve')
    .description('run the server (API, webhooks, dashboard, docs); migrates the database first')
    .action(async () => {
      const config = configFrom(io);
      for (const flag of serveV8Flags(config)) v8.setFlagsFromString(flag);
      // Loaded here, after the flags: the server (GraphQL, Express) is most of what a process loads,
      // and the other commands never need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS require: import() would need an ESM path here
      const { startServer } = require('../server') as typeof ServerModule;
      const logger = createLogger(config.logLevel);
      const server = await startServer(config, { logger, announce: io.out });
      io.out(`CallSnare is running at ${server.url} (Ctrl+C to stop)`);
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
        server.close().then(
          () => {
            logger.info('shutdown complete');
            done(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            done(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      await new Promise(() => undefined); // runs until a signal ends the process
    });
}
