import type { Command } from 'commander';
import { runDemoCommand } from './demo.command';
import { configFrom, withDatabase, type CliIO } from './runtime';

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('seed a demo organization with a week of realistic leads, events, callbacks, staff alerts and audit history')
    .action(async () => {
      const config = configFrom(io);
      await withDatabase(config, (db) => runDemoCommand(db, io.out, { dashboardBaseUrl: config.publicBaseUrl }));
    });
}
