import type { Command } from 'commander';
import { credentialModeFor } from '../access/credential-secret';
import { createApiCredential, createCredentialProblems } from '../access/credentials.service';
import { inTransaction } from '../db/types';
import { systemActor } from '../common/actor';
import { configFrom, failOnProblems, UsageError, withDatabase, type CliIO } from './runtime';
import { requireOrg, requireOrgIdFormat } from './org-lookup';

const DAY_MS = 86_400_000;

export function registerCredential(program: Command, io: CliIO): void {
  const credential = program.command('credential').description('manage API credentials');
  credential
    .command('create')
    .description('create an org-scoped API credential; prints its secret once')
    .requiredOption('--org <id>', 'organization id')
    .requiredOption('--name <name>', 'what the credential is for, e.g. "Zapier sync"')
    .requiredOption('--scopes <list>', 'comma-separated scopes, e.g. leads:read,callbacks:read')
    .option('--expires-in-days <days>', 'expire after this many days (default: never)')
    .option('--json', 'print {"id","secret","prefix","scopes","expiresAt"} as JSON')
    .action(async (options: { org: string; name: string; scopes: string; expiresInDays?: string; json?: boolean }) => {
      let expiresInDays: number | null = null;
      if (options.expiresInDays !== undefined) {
        if (!/^\d+$/.test(options.expiresInDays) || Number(options.expiresInDays) < 1 || Number(options.expiresInDays) > 3650) {
          throw new UsageError(`--expires-in-days must be a whole number of days from 1 to 3650, got "${options.expiresInDays}"`);
        }
        expiresInDays = Number(options.expiresInDays);
      }
      const scopes = options.scopes
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean);
      const config = configFrom(io);
      requireOrgIdFormat(options.org);
      const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null;
      failOnProblems(createCredentialProblems({ name: options.name, scopes, expiresAt }, new Date()));
      const mode = credentialModeFor(config.integrationMode);
      const { credential: created, secret } = await withDatabase(config, (db) =>
        inTransaction(db.prisma, async (tx) => {
          await requireOrg(tx, options.org);
          return createApiCredential(tx, systemActor(options.org, 'operator (CLI)'), { name: options.name, scopes, expiresAt }, mode);
        }),
      );
      if (options.json) {
        io.out(JSON.stringify({ id: created.id, secret, prefix: created.prefix, scopes: created.scopes, expiresAt: created.expiresAt?.toISOString() ?? null }));
        return;
      }
      io.out(`Created credential ${created.id} "${created.name}" with scopes ${created.scopes.join(', ')}`);
      if (created.expiresAt) io.out(`Expires ${created.expiresAt.toISOString()}`);
      io.out(`Secret (shown once, store it now): ${secret}`);
    });
}
