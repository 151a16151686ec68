// `callsnare user reset-password`: a one-time set-password link for any
// account, for the operator to hand to a locked-out person (an owner whose
// shop has no other OWNER or ADMIN, a member of several organizations).
import type { Command } from 'commander';
import { inTransaction } from '../db/types';
import { issueOperatorPasswordReset } from '../access/password-resets';
import { isEmail, normalizeEmail } from '../access/passwords';
import { startAuditSigning } from '../audit/audit-signing';
import { systemClock } from '../common/clock';
import { configFrom, UsageError, withExistingDatabase, type CliIO } from './runtime';

export function registerUser(program: Command, io: CliIO): void {
  const user = program.command('user').description('manage staff accounts');
  user
    .command('reset-password')
    .description("print a one-time set-password token and link (24 h) for an account; using it ends the account's sessions")
    .requiredOption('--email <email>', "the account's sign-in email")
    .option('--json', 'print {"userId","email","setPasswordToken","expiresAt","url"} as JSON')
    .action(async (options: { email: string; json?: boolean }) => {
      const config = configFrom(io);
      const email = normalizeEmail(options.email);
      if (!isEmail(email)) throw new UsageError(`--email must be an email address, got "${options.email}"`);
      // An account can only be in a database that exists: never create one here.
      const grant = await withExistingDatabase(config, (db) => {
        startAuditSigning(config, () => undefined);
        return inTransaction(db.prisma, (tx) => issueOperatorPasswordReset(tx, { email, operatorLabel: 'operator (CLI)' }, systemClock));
      });
      const url = `${config.publicBaseUrl}/set-password?token=${encodeURIComponent(grant.setPasswordToken)}`;
      if (options.json) {
        io.out(
          JSON.stringify({ userId: grant.userId, email: grant.email, setPasswordToken: grant.setPasswordToken, expiresAt: grant.expiresAt.toISOString(), url }),
        );
        return;
      }
      io.out(`Password reset for ${grant.email} (user ${grant.userId}), works once until ${grant.expiresAt.toISOString()}`);
      io.out(`Token (shown once): ${grant.setPasswordToken}`);
      io.out(`Link: ${url}`);
    });
}
