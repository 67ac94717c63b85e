import { SebError } from '../core/errors';
import { infoCommand } from './info';
import { diffCommand } from './diff';
import { rubricCommand } from './rubric-check';
import { keygenCommand } from './keygen';
import { signCommand } from './sign';
import { verifyCommand } from './verify';
import { EXIT_USAGE, USAGE, UsageError } from './usage';
import { outputTo, type RawIo } from './output';
import { version } from '../../package.json';

/**
 * Runs the command line; returns the exit code. Every line goes out through one escaping output (./output), to `raw`
 * (the process's stdout and stderr, or a test's buffers).
 */
export async function main(argv: string[], raw: RawIo): Promise<number> {
  const io = outputTo(raw);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'info':
        return await infoCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'rubric':
        return rubricCommand(rest, io);
      case 'keygen':
        return keygenCommand(rest, io);
      case 'sign':
        return await signCommand(rest, io);
      case 'verify':
        return await verifyCommand(rest, io);
      case '--version':
        io.out(version);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(...USAGE.split('\n'));
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`seb-review: ${e.message}`, '', ...USAGE.split('\n'));
      return EXIT_USAGE;
    }
    if (e instanceof SebError) {
      io.err(`seb-review: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(...`seb-review: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`.split('\n'));
    return EXIT_USAGE;
  }
}
