import type { Command } from 'commander';
import { databaseTargetFrom, describeTarget, openDatabase } from '../db/client';
import { applyMigrations } from '../db/migration-runner';
import { CLI_HOLDER, configFrom, type CliIO } from './runtime';

export function registerMigrate(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('apply pending migrations to DATABASE_URL (or the embedded database) and exit')
    .action(async () => {
      const config = configFrom(io);
      const db = await openDatabase(databaseTargetFrom(config.databaseUrl, config.dataDir), { holder: CLI_HOLDER });
      try {
        const { applied } = await applyMigrations(db);
        const where = describeTarget(db.target);
        if (applied.length === 0) io.out(`${where}: up to date, no migration applied`);
        else io.out(`${where}: applied ${applied.length} migration(s): ${applied.join(', ')}`);
      } finally {
        await db.close();
      }
    });
}
