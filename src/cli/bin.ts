// The `seb-review` executable.
import { main } from './main';

void main(process.argv.slice(2), {
  out: t => process.stdout.write(t + '\n'),
  err: t => process.stderr.write(t + '\n'),
}).then(code => {
  process.exitCode = code;
});
