// Shared plumbing of CLI commands: config, database, one-line errors, exit codes.
// Exit 2: bad input (nothing written). Exit 1: CallSnare itself failed.
import { ConfigError, loadConfig, type Config } from '../config';
import { databaseTargetFrom, openDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrations';
import { DomainError } from '../shared/errors';

/** A problem with what the operator typed. */
export class UsageError extends Error {}

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

export function configFrom(io: CliIO): Config {
  return loadConfig(io.env);
}

/** Throws the first problem of a validation result as bad input (exit 2). */
export function failOnProblems(problems: Record<string, string>): void {
  const first = Object.values(problems)[0];
  if (first) throw new UsageError(first);
}

/** Opens (and migrates) the configured database for one command, then closes it. */
export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseTargetFrom(config.databaseUrl, config.dataDir));
  try {
    await applyMigrations(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The exit code for an error, after printing it as one line. */
export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) io.err(`callsnare: ${problem}`);
    return 2;
  }
  if (error instanceof UsageError) {
    io.err(`callsnare: ${error.message}`);
    return 2;
  }
  if (error instanceof DomainError && error.code !== 'RATE_LIMITED') {
    io.err(`callsnare: ${error.message}`);
    return 2;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  io.err(`callsnare: failed: ${message}`);
  return 1;
}
