// `callsnare lead evidence`: the dispute bundle for a lead's phone (compliance/evidence-bundle.ts),
// as JSON or self-contained HTML, to stdout or a file. The export is audited (lead.evidence_exported).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { inTransaction } from '../db/types';
import { systemActor } from '../common/actor';
import { isUuid } from '../common/ids';
import { crossTenant } from '../db/tenant-guard';
import { exportLeadEvidence } from '../compliance/evidence-bundle';
import { renderEvidenceHtml } from '../compliance/evidence-html';
import { configFrom, UsageError, withDatabase, type CliIO } from './runtime';
import { requireOrgIdFormat } from './org-lookup';

export function registerLead(program: Command, io: CliIO): void {
  const lead = program.command('lead').description('leads');
  lead
    .command('evidence')
    .description("everything recorded about a lead's phone (calls, texts, delivery reports, consent, audit entries, webhook ids) for answering a complaint")
    .requiredOption('--lead <id>', 'lead id')
    .option('--org <id>', 'organization id (checked against the lead)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--html', 'a readable, self-contained HTML page instead of JSON')
    .action(async (options: { lead: string; org?: string; out?: string; html?: boolean }) => {
      const config = configFrom(io);
      if (!isUuid(options.lead)) throw new UsageError(`--lead must be a lead id (a UUID), got "${options.lead}"`);
      if (options.org !== undefined) requireOrgIdFormat(options.org);
      if (options.out !== undefined) {
        const dir = path.dirname(path.resolve(options.out));
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--out: directory ${dir} does not exist`);
        if (fs.existsSync(options.out) && fs.statSync(options.out).isDirectory()) throw new UsageError(`--out: ${options.out} is a directory`);
      }
      const format = options.html ? 'html' : 'json';
      const bundle = await withDatabase(config, (db) =>
        inTransaction(db.prisma, async (tx) => {
          const found = await crossTenant('the operator names a lead by id', () =>
            tx.lead.findUnique({ where: { id: options.lead }, select: { orgId: true } }),
          );
          if (!found || (options.org !== undefined && found.orgId !== options.org)) {
            throw new UsageError(options.org === undefined ? `no lead with id ${options.lead}` : `organization ${options.org} has no lead ${options.lead}`);
          }
          return exportLeadEvidence(tx, systemActor(found.orgId, 'operator (CLI)'), options.lead, format);
        }),
      );
      const text = format === 'html' ? renderEvidenceHtml(bundle) : `${JSON.stringify(bundle, null, 2)}\n`;
      if (options.out === undefined) {
        io.out(text.trimEnd());
        return;
      }
      fs.writeFileSync(options.out, text);
      io.err(
        `Wrote the evidence for ${bundle.phone} (${bundle.leads.length} lead(s), ${bundle.texts.length} text(s), ${bundle.auditEntries.length} audit entries) to ${options.out}`,
      );
    });
}
