// Runs the operator CLI in-process against a test database and captures its output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { Database } from '../../src/db/client';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

export interface CliHarness {
  env: Record<string, string>;
  run(...argv: string[]): Promise<CliRun>;
  cleanup(): void;
}

/**
 * PostgreSQL: the CLI connects to the test database's URL. PGlite: the CLI
 * opens a data directory of its own (one process at a time may hold it), so
 * every command starts from what the previous one stored.
 */
export function cliHarness(kind: 'pglite' | 'postgres', db: Database | null): CliHarness {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-cli-'));
  const env: Record<string, string> = { LOG_LEVEL: 'silent', DATA_DIR: dataDir };
  if (kind === 'postgres') {
    if (db?.target.kind !== 'postgres') throw new Error('a PostgreSQL test database is required');
    env.DATABASE_URL = db.target.url;
  }
  return {
    env,
    async run(...argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), env });
      return { code, out, err };
    },
    cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
