import { isSebError } from '../core/errors';
import { infoCommand } from './info';
import { diffCommand } from './diff';
import { rubricCommand } from './rubric-check';
import { keygenCommand } from './keygen';
import { signCommand } from './sign';
import { verifyCommand } from './verify';
import { agreementCommand, calibrateCommand } from './calibration';
import { aggregateCommand } from './aggregate';
import { adjudicateCommand } from './adjudicate';
import { asksForHelp, EXIT_OK, EXIT_USAGE, isCommand, usageOf, USAGE, UsageError, isUsageError, type CommandName } from './usage';
import { outputTo, type Output, type RawIo } from './output';
import { version } from '../../package.json';

const COMMANDS: Record<CommandName, (args: string[], io: Output) => number | Promise<number>> = {
  info: infoCommand,
  diff: diffCommand,
  // The analysis brings TypeScript's parser (most of the bundle): loaded only when `analyze` runs. The packaged
  // command line keeps it in a file of its own (dist/cli-analyze.js, see scripts/build.mjs).
  analyze: async (args, io) => (await import('./analyze.js')).analyzeCommand(args, io),
  evidence: async (args, io) => (await import('./evidence.js')).evidenceCommand(args, io),
  rubric: (args, io) => rubricCommand(args, io),
  keygen: keygenCommand,
  sign: signCommand,
  verify: verifyCommand,
  agreement: agreementCommand,
  calibrate: calibrateCommand,
  aggregate: aggregateCommand,
  adjudicate: adjudicateCommand,
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
