import type { Command } from 'commander';
import { startServer } from '../server';
import { createLogger } from '../logger';
import { configFrom, type CliIO } from './runtime';

export function registerServe(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('serve')
    .description('run the server (API, webhooks, dashboard, docs); migrates the database first')
    .action(async () => {
      const config = configFrom(io);
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
