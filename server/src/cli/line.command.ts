import type { Command } from 'commander';
import { addTrackingLine, trackingLineProblems } from '../settings/tracking-lines.service';
import { inTransaction } from '../db/types';
import { systemActor } from '../common/actor';
import { configFrom, failOnProblems, withDatabase, type CliIO } from './runtime';
import { requireOrg, requireOrgIdFormat } from './org-lookup';

export function registerLine(program: Command, io: CliIO): void {
  const line = program.command('line').description('manage tracking lines');
  line
    .command('add')
    .description('add a tracking line to an organization')
    .requiredOption('--org <id>', 'organization id')
    .requiredOption('--number <e164>', 'tracking number callers dial, E.164')
    .requiredOption('--forward-to <e164>', 'the shop phone calls ring, E.164')
    .option('--json', 'print the line as JSON')
    .action(async (options: { org: string; number: string; forwardTo: string; json?: boolean }) => {
      const config = configFrom(io);
      requireOrgIdFormat(options.org);
      failOnProblems(trackingLineProblems({ number: options.number, forwardTo: options.forwardTo }));
      const created = await withDatabase(config, (db) =>
        inTransaction(db.prisma, async (tx) => {
          await requireOrg(tx, options.org);
          return addTrackingLine(tx, systemActor(options.org, 'operator (CLI)'), { number: options.number, forwardTo: options.forwardTo });
        }),
      );
      if (options.json) io.out(JSON.stringify({ id: created.id, orgId: created.orgId, number: created.number, forwardTo: created.forwardTo }));
      else io.out(`Added tracking line ${created.number} -> ${created.forwardTo} (${created.id})`);
    });
}
