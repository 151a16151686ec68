import type { Command } from 'commander';
import {
  addTrackingLine,
  MESSAGING_REGISTRATIONS,
  parseMessagingRegistration,
  setTrackingLineRegistration,
  trackingLineProblems,
} from '../settings/tracking-lines.service';
import type { MessagingRegistration } from '../generated/prisma/enums';
import { inTransaction } from '../db/types';
import { systemActor } from '../common/actor';
import { isE164 } from '../common/phone';
import { configFrom, failOnProblems, UsageError, withDatabase, type CliIO } from './runtime';
import { requireOrg, requireOrgIdFormat } from './org-lookup';

/** --registration's value, or a usage error listing the accepted ones. */
function registrationOption(value: string): MessagingRegistration {
  const registration = parseMessagingRegistration(value);
  if (!registration) throw new UsageError(`--registration must be one of ${MESSAGING_REGISTRATIONS.join(', ')} (got "${value}")`);
  return registration;
}

export function registerLine(program: Command, io: CliIO): void {
  const line = program.command('line').description('manage tracking lines');
  line
    .command('add')
    .description('add a tracking line to an organization')
    .requiredOption('--org <id>', 'organization id')
    .requiredOption('--number <e164>', 'tracking number callers dial, E.164')
    .requiredOption('--forward-to <e164>', 'the shop phone calls ring, E.164')
    .option('--registration <state>', `its messaging registration: ${MESSAGING_REGISTRATIONS.join(', ')} (default UNKNOWN)`)
    .option('--json', 'print the line as JSON')
    .action(async (options: { org: string; number: string; forwardTo: string; registration?: string; json?: boolean }) => {
      const config = configFrom(io);
      requireOrgIdFormat(options.org);
      failOnProblems(trackingLineProblems({ number: options.number, forwardTo: options.forwardTo }));
      const registration = options.registration === undefined ? null : registrationOption(options.registration);
      const created = await withDatabase(config, (db) =>
        inTransaction(db.prisma, async (tx) => {
          await requireOrg(tx, options.org);
          return addTrackingLine(tx, systemActor(options.org, 'operator (CLI)'), { number: options.number, forwardTo: options.forwardTo, registration });
        }),
      );
      if (options.json)
        io.out(
          JSON.stringify({
            id: created.id,
            orgId: created.orgId,
            number: created.number,
            forwardTo: created.forwardTo,
            messagingRegistration: created.messagingRegistration,
          }),
        );
      else io.out(`Added tracking line ${created.number} -> ${created.forwardTo} (${created.id}), messaging registration ${created.messagingRegistration}`);
    });
  line
    .command('registration')
    .description("record a tracking line's messaging registration (A2P 10DLC or toll-free verification)")
    .requiredOption('--org <id>', 'organization id')
    .requiredOption('--number <e164>', 'the tracking number, E.164')
    .requiredOption('--registration <state>', MESSAGING_REGISTRATIONS.join(', '))
    .option('--json', 'print the line as JSON')
    .action(async (options: { org: string; number: string; registration: string; json?: boolean }) => {
      const config = configFrom(io);
      requireOrgIdFormat(options.org);
      if (!isE164(options.number)) throw new UsageError(`--number must be E.164, like +15005550006 (got "${options.number}")`);
      const registration = registrationOption(options.registration);
      const updated = await withDatabase(config, (db) =>
        inTransaction(db.prisma, async (tx) => {
          await requireOrg(tx, options.org);
          const found = await tx.trackingLine.findFirst({ where: { orgId: options.org, number: options.number }, select: { id: true } });
          if (!found) throw new UsageError(`organization ${options.org} has no tracking line ${options.number}`);
          return setTrackingLineRegistration(tx, systemActor(options.org, 'operator (CLI)'), { lineId: found.id, registration });
        }),
      );
      if (options.json) io.out(JSON.stringify({ id: updated.id, number: updated.number, messagingRegistration: updated.messagingRegistration }));
      else io.out(`Tracking line ${updated.number}: messaging registration ${updated.messagingRegistration}`);
    });
}
