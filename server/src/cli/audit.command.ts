import type { Command } from 'commander';
import { verifyAuditChain } from '../audit/audit.service';
import { configFrom, withDatabase, type CliIO } from './runtime';
import { requireOrg } from './org-lookup';

export function registerAudit(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  const audit = program.command('audit').description('inspect the audit trail');
  audit
    .command('verify')
    .description("check an organization's audit hash chain; reports the first broken link")
    .requiredOption('--org <id>', 'organization id')
    .action(async (options: { org: string }) => {
      const config = configFrom(io);
      const result = await withDatabase(config, async (db) => {
        await requireOrg(db.prisma, options.org);
        return verifyAuditChain(db.prisma, options.org);
      });
      if (result.ok) {
        io.out(`audit chain intact: ${result.entries} entries`);
        return;
      }
      io.err(`audit chain broken at entry #${result.brokenAtSeq} (${result.entryId}): ${result.reason}`);
      setExitCode(3);
    });
}
