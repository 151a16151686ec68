import type { Command } from 'commander';
import { createOrganization, createOrganizationProblems } from '../organizations/organizations.service';
import { inTransaction } from '../db/types';
import { configFrom, failOnProblems, UsageError, withDatabase, withExistingDatabase, type CliIO } from './runtime';

interface OrgCreateOptions {
  name: string;
  ownerEmail: string;
  ownerPassword: string;
  timezone?: string;
  trackingNumber?: string;
  forwardTo?: string;
  json?: boolean;
}

export function registerOrg(program: Command, io: CliIO): void {
  const org = program.command('org').description('manage organizations');
  org
    .command('create')
    .description('create an organization, its owner, default settings and optionally a tracking line')
    .requiredOption('--name <name>', 'the business name')
    .requiredOption('--owner-email <email>', 'owner sign-in email')
    .requiredOption('--owner-password <password>', 'owner password (at least 12 characters, not a common one)')
    .option('--timezone <tz>', 'IANA time zone, e.g. America/Chicago')
    .option('--tracking-number <e164>', 'tracking number callers dial, E.164')
    .option('--forward-to <e164>', 'the shop phone calls ring, E.164')
    .option('--json', 'print {"orgId","userId","trackingNumber"} as JSON')
    .action(async (options: OrgCreateOptions) => {
      if (Boolean(options.trackingNumber) !== Boolean(options.forwardTo)) {
        throw new UsageError('--tracking-number and --forward-to go together');
      }
      const config = configFrom(io);
      const input = {
        name: options.name,
        ownerEmail: options.ownerEmail,
        ownerPassword: options.ownerPassword,
        timezone: options.timezone ?? null,
        trackingLine: options.trackingNumber && options.forwardTo ? { number: options.trackingNumber, forwardTo: options.forwardTo } : null,
      };
      // Bad input is reported before the database is even opened.
      failOnProblems(createOrganizationProblems(input));
      const created = await withDatabase(config, (db) => inTransaction(db.prisma, (tx) => createOrganization(tx, { label: 'operator (CLI)' }, input)));
      if (options.json) {
        io.out(JSON.stringify({ orgId: created.orgId, userId: created.userId, trackingNumber: created.trackingNumber }));
      } else {
        io.out(`Created organization ${created.orgId}`);
        io.out(`Owner user ${created.userId} (${options.ownerEmail.trim().toLowerCase()})`);
        if (created.trackingNumber) io.out(`Tracking number ${created.trackingNumber} -> ${options.forwardTo}`);
      }
    });
  org
    .command('list')
    .description('list organizations (id, name, created), oldest first; only reads')
    .option('--json', 'print [{"id","name","createdAt"}] as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = configFrom(io);
      const orgs = await withExistingDatabase(config, (db) =>
        db.prisma.organization.findMany({ select: { id: true, name: true, createdAt: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      );
      if (options.json) {
        io.out(JSON.stringify(orgs.map((row) => ({ id: row.id, name: row.name, createdAt: row.createdAt.toISOString() }))));
        return;
      }
      for (const row of orgs) io.out(`${row.id}  ${row.name}  ${row.createdAt.toISOString()}`);
    });
}
