// `callsnare audit verify` and `audit checkpoint`: check an org's keyed audit
// chain, and sign its head so a copy kept elsewhere can later expose truncation
// or a rewrite. Both only read. Exit 3: the trail has been tampered with.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { inspectAuditChain, type AuditChainReport } from '../audit/audit.service';
import { parseAuditCheckpoint, takeAuditCheckpoint, verifyAgainstCheckpoint, type AuditCheckpoint } from '../audit/audit-checkpoint';
import { systemClock } from '../common/clock';
import { auditKeyForReading, configFrom, UsageError, withExistingDatabase, type CliIO } from './runtime';
import { requireOrg, requireOrgIdFormat } from './org-lookup';

export function registerAudit(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  const audit = program.command('audit').description('inspect the audit trail');
  const tampered = (message: string) => {
    io.err(`callsnare: ${message}`);
    setExitCode(3);
  };

  audit
    .command('verify')
    .description("check an organization's audit chain (and, with --against, that it still reaches a checkpoint); exit 3 when it does not hold")
    .requiredOption('--org <id>', 'organization id')
    .option('--against <file>', 'a checkpoint printed earlier by `audit checkpoint`, kept outside the database')
    .action(async (options: { org: string; against?: string }) => {
      const config = configFrom(io);
      requireOrgIdFormat(options.org);
      const checkpoint = options.against ? readCheckpointFile(options.against, options.org) : null;
      const key = auditKeyForReading(config);
      const outcome = await withExistingDatabase(config, async (db) => {
        await requireOrg(db.prisma, options.org);
        if (!checkpoint) return { ok: true as const, chain: await inspectAuditChain(db.prisma, options.org, key) };
        if (!key)
          throw new UsageError(
            'checking a checkpoint needs the audit signing key: set AUDIT_SIGNING_KEY (or DATA_DIR to the installation that holds audit-signing.key)',
          );
        return verifyAgainstCheckpoint(db.prisma, checkpoint, key);
      });
      if (!outcome.ok) {
        tampered(outcome.message);
        return;
      }
      const chain = outcome.chain;
      if (chain.broken) {
        tampered(`audit chain broken at entry #${chain.broken.seq} (${chain.broken.entryId}): ${chain.broken.reason}`);
        return;
      }
      const reaches = checkpoint && checkpoint.seq > 0 ? `; reaches the checkpoint at entry #${checkpoint.seq}` : '';
      io.out(`audit chain intact: ${chain.entries} entries${legacyNote(chain)}${reaches}`);
    });

  audit
    .command('checkpoint')
    .description("sign the head of an organization's audit chain; store the output outside this machine for `audit verify --against`")
    .requiredOption('--org <id>', 'organization id')
    .option('--json', 'print the checkpoint on one line')
    .action(async (options: { org: string; json?: boolean }) => {
      const config = configFrom(io);
      requireOrgIdFormat(options.org);
      const key = auditKeyForReading(config);
      if (!key) throw new UsageError('no audit signing key: set AUDIT_SIGNING_KEY (or DATA_DIR to the installation that holds audit-signing.key)');
      const taken = await withExistingDatabase(config, async (db) => {
        await requireOrg(db.prisma, options.org);
        return takeAuditCheckpoint(db.prisma, options.org, key, systemClock);
      });
      if (!taken.ok) {
        const { broken } = taken.chain;
        tampered(
          broken
            ? `audit chain broken at entry #${broken.seq} (${broken.entryId}): ${broken.reason}; no checkpoint taken`
            : 'audit chain broken; no checkpoint taken',
        );
        return;
      }
      io.out(options.json ? JSON.stringify(taken.checkpoint) : JSON.stringify(taken.checkpoint, null, 2));
    });
}

/** Entries from before signing verify only as far as the database can be trusted: say so. */
function legacyNote(chain: AuditChainReport): string {
  if (chain.legacyEntries === 0) return '';
  const which = chain.legacyEntries === chain.entries ? `all ${chain.entries}` : `the first ${chain.legacyEntries}`;
  return ` (${which} written before audit signing: only a checkpoint can vouch for them)`;
}

/** The checkpoint in `file`, or bad input (exit 2) saying what is wrong with it. */
function readCheckpointFile(file: string, orgId: string): AuditCheckpoint {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the checkpoint file ${path.resolve(file)}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
  }
  const checkpoint = parseAuditCheckpoint(text);
  if (typeof checkpoint === 'string') throw new UsageError(`the checkpoint file ${path.resolve(file)} is not a checkpoint: ${checkpoint}`);
  if (checkpoint.orgId !== orgId) throw new UsageError(`the checkpoint is for organization ${checkpoint.orgId}, not ${orgId}`);
  return checkpoint;
}
