import { isSebError } from '../core/errors';
import { asksForHelp, EXIT_OK, EXIT_USAGE, isCommand, usageOf, USAGE, UsageError, isUsageError, type CommandName } from './usage';
import { outputTo, type Output, type RawIo } from './output';
import { version } from '../../package.json';

type Command = (args: string[], io: Output) => number | Promise<number>;

/**
 * Every command's code is loaded when it runs, so a process pays only for the command it runs: `verify` never loads
 * git or the statistics, `diff` never loads the analysis. Tests bundle these modules in; the packaged command line
 * keeps each group in a file of its own (dist/cli-<module>.js, see scripts/build.mjs): the analysis (TypeScript's
 * parser, most of the code), the evidence, verify, the commands that open a run with git, signing, and the commands
 * over many worksheets.
 */
const COMMANDS: Record<CommandName, Command> = {
  info: async (args, io) => (await import('./run-commands.js')).infoCommand(args, io),
  diff: async (args, io) => (await import('./run-commands.js')).diffCommand(args, io),
  analyze: async (args, io) => (await import('./analyze.js')).analyzeCommand(args, io),
  evidence: async (args, io) => (await import('./evidence.js')).evidenceCommand(args, io),
  rubric: async (args, io) => (await import('./grading-commands.js')).rubricCommand(args, io),
  keygen: async (args, io) => (await import('./signing-commands.js')).keygenCommand(args, io),
  sign: async (args, io) => (await import('./signing-commands.js')).signCommand(args, io),
  verify: async (args, io) => (await import('./verify.js')).verifyCommand(args, io),
  agreement: async (args, io) => (await import('./grading-commands.js')).agreementCommand(args, io),
  calibrate: async (args, io) => (await import('./grading-commands.js')).calibrateCommand(args, io),
  aggregate: async (args, io) => (await import('./grading-commands.js')).aggregateCommand(args, io),
  adjudicate: async (args, io) => (await import('./grading-commands.js')).adjudicateCommand(args, io),
};

/**
 * Runs the command line; returns the exit code. Every line goes out through one escaping output (./output), to `raw`
 * (the process's stdout and stderr, or a test's buffers).
 */
export async function main(argv: string[], raw: RawIo): Promise<number> {
  const io = outputTo(raw);
  const [command, ...rest] = argv;
  try {
    if (isCommand(command)) {
      if (asksForHelp(rest)) {
        io.out(...usageOf(command));
        return EXIT_OK;
      }
      return await COMMANDS[command](rest, io);
    }
    switch (command) {
      case '--version':
        io.out(version);
        return EXIT_OK;
      case 'help':
        io.out(...(isCommand(rest[0]) ? usageOf(rest[0]) : USAGE));
        return EXIT_OK;
      case undefined:
      case '--help':
      case '-h':
        io.out(...USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (isUsageError(e)) {
      io.err(`seb-review: ${e.message}`, '', ...(isCommand(command) ? usageOf(command) : USAGE));
      return EXIT_USAGE;
    }
    if (isSebError(e)) {
      io.err(`seb-review: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(...`seb-review: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`.split('\n'));
    return EXIT_USAGE;
  }
}
