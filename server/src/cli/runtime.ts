// Shared plumbing of CLI commands: config, database, one-line errors, exit codes.
// Exit 2: bad input (nothing written). Exit 1: CallSnare itself failed.
import { ConfigError, loadConfig, type Config } from '../config';
import { databaseTargetFrom, EmbeddedDatabaseInUseError, EmbeddedDatabaseMissingError, openDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migration-runner';
import { DomainError } from '../common/errors';
import { auditSigningKeyInUse, loadAuditSigningKey, startAuditSigning, type AuditSigningKey } from '../audit/audit-signing';
import { AuditKeyUnavailableError } from '../audit/audit.service';

/** How a CLI command names itself in the embedded database's lock. */
export const CLI_HOLDER = 'a running callsnare command';

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

/**
 * Opens (and migrates) the configured database for one command that writes,
 * then closes it. New audit entries are signed with the configured key (or the
 * sandbox installation key, created on first use).
 */
export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseTargetFrom(config.databaseUrl, config.dataDir), { holder: CLI_HOLDER });
  try {
    // After the open: a command refused because the database is in use writes nothing, not even a key.
    startAuditSigning(config, () => undefined);
    await applyMigrations(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * Opens the configured database for a command that only reads: an embedded
 * database must already exist (it is never created or migrated here).
 */
export async function withExistingDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseTargetFrom(config.databaseUrl, config.dataDir), { holder: CLI_HOLDER, mustExist: true });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The key to check audit entries with, never creating one: AUDIT_SIGNING_KEY, the one in use, or the installation's key file. */
export function auditKeyForReading(config: Config): AuditSigningKey | null {
  return config.auditSigningKey ?? auditSigningKeyInUse() ?? loadAuditSigningKey(config, { create: false, log: () => undefined });
}

/** The exit code for an error, after printing it as one line. */
export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) io.err(`callsnare: ${problem}`);
    return 2;
  }
  if (
    error instanceof UsageError ||
    error instanceof EmbeddedDatabaseInUseError ||
    error instanceof EmbeddedDatabaseMissingError ||
    error instanceof AuditKeyUnavailableError
  ) {
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
