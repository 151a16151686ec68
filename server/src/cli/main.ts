// The operator CLI (`callsnare`, `npm run callsnare -- <cmd>`), one file per command.
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { processIO, reportError, type CliIO } from './runtime';
import { registerServe } from './serve.command';
import { registerMigrate } from './migrate.command';
import { registerOrg } from './org.command';
import { registerLine } from './line.command';
import { registerCredential } from './credential.command';
import { registerAudit } from './audit.command';
import { registerDemo } from './demo.register';
import { registerSimulate } from './simulate.command';
import { registerUser } from './user.command';
import { registerLead } from './lead.command';

/** Runs one CLI invocation; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIO = processIO, onServeExit: (code: number) => void = (code) => process.exit(code)): Promise<number> {
  let exitCode = 0;
  const program = new Command('callsnare')
    .description('CallSnare operator CLI')
    .showHelpAfterError(false)
    .exitOverride()
    // Subcommands created by .command() inherit exitOverride and this output configuration.
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      outputError: (text, write) => write(`callsnare: ${text.replace(/^error: /, '').trim()}\n`),
    });
  registerServe(program, io, onServeExit);
  registerMigrate(program, io);
  registerOrg(program, io);
  registerLine(program, io);
  registerCredential(program, io);
  registerDemo(program, io);
  registerSimulate(program, io);
  registerUser(program, io);
  registerLead(program, io);
  registerAudit(program, io, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is bad input.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, io);
  }
}
