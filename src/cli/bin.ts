// The `seb-review` executable.
import { main } from './main';

// A reader that stops early (`seb-review diff … | head`) closes the pipe: stop quietly, through 'exit', so scratch
// folders are removed, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

void main(process.argv.slice(2), {
  out: t => process.stdout.write(t + '\n'),
  err: t => process.stderr.write(t + '\n'),
}).then(code => {
  process.exitCode = code;
});
