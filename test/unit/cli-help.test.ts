import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './cli-run';

/** The commands DESIGN.md lists that the command line has today, each with how its usage line starts. */
const COMMANDS: Record<string, string> = {
  info: 'seb-review info <run>',
  diff: 'seb-review diff <run>',
  analyze: 'seb-review analyze <run>',
  rubric: 'seb-review rubric check FILE...',
  keygen: 'seb-review keygen --identity NAME --out FILE',
  sign: 'seb-review sign WORKSHEET.json --key KEY',
  verify: 'seb-review verify FILE...',
};

describe('seb-review <command> --help', () => {
  for (const [command, usage] of Object.entries(COMMANDS)) {
    for (const flag of ['--help', '-h']) {
      test(`${command} ${flag}: that command's own usage, exit 0`, async () => {
        const r = await cli(command, flag);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err, '');
        assert.ok(r.out.includes(usage), r.out);
        for (const [other, otherUsage] of Object.entries(COMMANDS)) {
          if (other !== command) assert.ok(!r.out.includes(otherUsage), `${command} ${flag} shows ${other}'s usage too`);
        }
      });
    }
  }

  test('--help wins wherever it is, even with other arguments; "rubric check --help" and "help <command>" too', async () => {
    const late = await cli('verify', 'a.json', '--threshold', '2', '--help');
    assert.equal(late.code, 0, late.err);
    assert.ok(late.out.includes(COMMANDS.verify ?? ''), late.out);
    const sub = await cli('rubric', 'check', '-h');
    assert.equal(sub.code, 0, sub.err);
    assert.ok(sub.out.includes(COMMANDS.rubric ?? ''), sub.out);
    const help = await cli('help', 'sign');
    assert.equal(help.code, 0, help.err);
    assert.ok(help.out.includes(COMMANDS.sign ?? ''));
    assert.ok(!help.out.includes(COMMANDS.verify ?? ''));
  });

  test('a value that looks like -h after "--" is an argument, not a request for help', async () => {
    const r = await cli('verify', '--', '-h');
    assert.equal(r.code, 2);
    assert.match(r.err, /verify needs --allowed-signers FILE/);
  });

  test('a usage error shows the usage of the command that was misused', async () => {
    const r = await cli('keygen', '--identity', 'x');
    assert.equal(r.code, 2);
    assert.match(r.err, /keygen needs --out FILE/);
    assert.ok(r.err.includes(COMMANDS.keygen ?? ''), r.err);
    assert.ok(!r.err.includes(COMMANDS.verify ?? ''), r.err);
    const whole = await cli('--help');
    assert.equal(whole.code, 0);
    for (const usage of Object.values(COMMANDS)) assert.ok(whole.out.includes(usage), `seb-review --help lists ${usage}`);
  });
});
