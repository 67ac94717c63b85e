import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseTestLog, parseTestLogBytes } from '../../../src/analysis/evidence/test-logs/detect';
import { MAX_TESTS, type ParsedLog } from '../../../src/analysis/evidence/test-logs/types';
import { repoRoot } from './test-logs-expectations';

const DIR = path.join(repoRoot(), 'test', 'fixtures', 'test-logs');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

type Parsed = Extract<ParsedLog, { ok: true }>;
function ok(r: ParsedLog): Parsed {
  if (!r.ok) assert.fail(`not parsed: ${r.reason}`);
  return r;
}
function notOk(r: ParsedLog): string {
  if (r.ok) assert.fail(`parsed as ${r.format} with ${r.tests.length} tests`);
  return r.reason;
}
function timed<T>(limitMs: number, f: () => T, what = ''): T {
  const start = performance.now();
  const out = f();
  const ms = performance.now() - start;
  assert.ok(ms < limitMs, `${what} took ${Math.round(ms)} ms (limit ${limitMs} ms)`);
  return out;
}
const brief = (r: Parsed): string[] => r.tests.map(t => `${t.status} ${t.file ?? '-'} | ${t.suite.join(' / ')} | ${t.name}`);

describe('hostile and odd test logs', () => {
  test('ANSI colours, cursor moves and OSC 8 hyperlinks are removed before reading', () => {
    const log = ' \x1b[1m\x1b[46m RUN \x1b[49m\x1b[22m \x1b[36mv2.1.3\x1b[39m\n'
      + ' \x1b[32m✓\x1b[39m \x1b]8;;file:///src/a.test.ts\x07src/a.test.ts\x1b]8;;\x07\x1b[2m > \x1b[22mworks\x1b[2K\x1b[1G 3ms\n'
      + ' \x1b[31m×\x1b[39m src/a.test.ts > \x1b[1mbreaks\x1b[22m 4ms\n';
    const r = ok(parseTestLog(log));
    assert.equal(r.format, 'vitest');
    assert.deepEqual(brief(r), ['passed src/a.test.ts |  | works', 'failed src/a.test.ts |  | breaks']);
  });

  test('CRLF line ends read as LF, with the same line numbers; a log with only CRs is split at them', () => {
    for (const log of ['vitest-verbose.log', 'jest-verbose.log', 'node-tap.log', 'mocha-spec.log', 'vitest-junit.xml']) {
      const lf = ok(parseTestLog(read(log)));
      const crlf = ok(parseTestLog(read(log).replace(/\n/g, '\r\n')));
      assert.deepEqual(crlf.tests, lf.tests, log);
      assert.deepEqual(crlf.totals, lf.totals, log);
    }
    const cr = ok(parseTestLog('TAP version 13\rok 1 - a\rnot ok 2 - b\r1..2\r'));
    assert.deepEqual(brief(cr), ['passed - |  | a', 'failed - |  | b']);
    // a progress line a terminal overwrites: only what follows the last CR is on screen
    const overwritten = ok(parseTestLog(' RUN  v3.2.4 /p\n 10%\r 50%\r ✓ a.test.ts > works 1ms\n'));
    assert.deepEqual(brief(overwritten), ['passed a.test.ts |  | works']);
  });

  test('names that end like a duration keep it; only the reporter\'s own duration is taken off', () => {
    const mocha = ok(parseTestLog('\n  timers\n    ✔ waits 2 s\n    ✔ waits 5 ms (7ms)\n\n  2 passing (9ms)\n'));
    assert.deepEqual(mocha.tests.map(t => [t.name, t.durationMs]), [['waits 2 s', undefined], ['waits 5 ms', 7]]);
    const vitest = ok(parseTestLog(' RUN  v4.1.0 /p\n ✓ a.test.ts > waits 2s 3ms\n ↓ a.test.ts > waits 4ms\n'));
    assert.deepEqual(vitest.tests.map(t => [t.name, t.durationMs]), [['waits 2s', 3], ['waits 4ms', undefined]]);
  });

  test('bytes: UTF-8 with or without a BOM, UTF-16 with a BOM, PowerShell\'s UTF-16LE without one; over 20 MB refused undecoded', () => {
    const text = read('vitest-verbose.log');
    const expected = ok(parseTestLog(text)).tests;
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [what, bytes] of [
      ['UTF-8', Buffer.from(text)], ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le])], ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['UTF-16LE', le],
    ] as const) assert.deepEqual(ok(parseTestLogBytes(bytes)).tests, expected, what);
    const huge = new Uint8Array(21 * 1024 * 1024);
    assert.match(notOk(timed(50, () => parseTestLogBytes(huge))), /larger than 20 MB \(22,020,096 bytes\)/);
    assert.match(notOk(parseTestLogBytes(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0x00, 0x10, 0x00]))), /binary/);
  });

  test('a JUnit file cut short: only testcases that closed are counted, and the notes say so', () => {
    const xml = read('vitest-junit.xml');
    const cut = xml.slice(0, xml.indexOf('math &gt; multiplies') + 5);
    const r = ok(parseTestLog(cut, { name: 'junit.xml' }));
    assert.equal(r.format, 'junit');
    assert.deepEqual(r.tests.map(t => t.name), ['keeps a single copy after reload', 'does not duplicate when writes land in the same tick', 'adds two numbers']);
    assert.equal(r.listsEveryTest, false);
    assert.ok(r.notes.some(n => n.includes('cut short')), r.notes.join('\n'));
    assert.equal(r.totals.failed, 2, 'the root element\'s failures="2"');
    const inTag = ok(parseTestLog('<testsuites><testsuite name="s"><testcase name="a"/><testcase name="b'));
    assert.deepEqual(inTag.tests.map(t => t.name), ['a']);
    assert.ok(inTag.notes.some(n => n.includes('cut short')));
  });

  test('a DOCTYPE is ignored and its entities are never expanded, internal or external', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n  <!ENTITY inner "EXPANDED">\n  <!ENTITY ext SYSTEM "file:///etc/passwd">\n]>\n'
      + '<testsuites><testsuite name="s"><testcase name="a &inner; b"/><testcase name="&ext;"><failure/></testcase></testsuite></testsuites>';
    const r = ok(parseTestLog(xml));
    assert.deepEqual(brief(r), ['passed - | s | a &inner; b', 'failed - | s | &ext;']);
    assert.ok(r.notes.some(n => n.includes('DOCTYPE')));
    assert.ok(r.notes.some(n => n.includes('left as written')));
  });

  test('a billion laughs is read in no time, its entity left as written', () => {
    let dtd = '<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${dtd}]><testsuites><testsuite name="&lol9;"><testcase name="&lol9;"/></testsuite></testsuites>`;
    const r = ok(timed(200, () => parseTestLog(xml)));
    assert.deepEqual(brief(r), ['passed - | &lol9; | &lol9;']);
  });

  test('numeric references that name no character become U+FFFD; the predefined five and valid ones are decoded', () => {
    const xml = '<testsuite name="s"><testcase name="&#0;&#xD800;&#x110000;|&lt;&gt;&amp;&quot;&apos;|&#233;&#x1F389;"/></testsuite>';
    assert.equal(ok(parseTestLog(xml)).tests[0]?.name, '\ufffd\ufffd\ufffd|<>&"\'|é🎉');
  });

  test('XML nested deeper than the cap, and XML that is not JUnit, are said so', () => {
    const deep = '<testsuites>' + '<testsuite name="x">'.repeat(100_000);
    assert.match(notOk(timed(2000, () => parseTestLog(deep))), /deeper than 256/);
    const html = '<html><body><p>testsuite</p><testsuite></body></html>';
    assert.match(notOk(parseTestLog(html)), /^Not TAP/);
  });

  test('binary data, an empty file and unknown text are not read, each with a reason', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    assert.match(notOk(parseTestLog(bytes.toString('latin1'))), /binary/);
    assert.match(notOk(parseTestLog('\x89PNG\r\n\x1a\n\0\0\0\rIHDR')), /binary/);
    assert.match(notOk(parseTestLog('')), /empty/);
    assert.match(notOk(parseTestLog(' \n\r\n\t')), /empty/);
    const reason = notOk(parseTestLog('Compiling 42 files\nwarning: unused variable `x`\x07\nFinished in 3.1s\n'));
    assert.match(reason, /^Not TAP, JUnit XML, a jest\/vitest JSON report, node:test spec output, vitest output, jest output or mocha spec output/);
    assert.ok(reason.includes('"Compiling 42 files", "warning: unused variable `x`", "Finished in 3.1s"'), reason);
  });

  test('a run of zero tests is ok with zero tests and a note, in TAP, JUnit and mocha', () => {
    for (const log of ['TAP version 14\n1..0 # no tests found\n', '<testsuites tests="0" failures="0"></testsuites>', '\n  0 passing (1ms)\n\n']) {
      const r = ok(parseTestLog(log));
      assert.equal(r.tests.length, 0, log);
      assert.ok(r.notes.some(n => n.includes('names no tests')), log);
    }
  });

  test('a JSON report cut short is not read; odd values in one are skipped or noted, never trusted', () => {
    const json = read('jest-json.json');
    assert.match(notOk(parseTestLog(json.slice(0, json.length / 2), { name: 'report.json' })), /not valid JSON/);
    const odd = '{"__proto__":{"polluted":true},"numTotalTests":"many","testResults":[7,{"name":{"x":1},"assertionResults":'
      + '[{"title":"t","status":"exploded","ancestorTitles":[1,"a"],"duration":-5},{"status":"passed"}]}]}';
    const r = ok(parseTestLog(odd));
    assert.deepEqual(brief(r), ['skipped - | a | t']);
    assert.equal(r.tests[0]?.durationMs, undefined);
    assert.ok(r.notes.some(n => n.includes('exploded')));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a log over 20 MB is refused at once', () => {
    const huge = 'ok 1 - a\n'.repeat(5_600_000);
    assert.match(notOk(timed(50, () => parseTestLog(huge))), /larger than 20 MB/);
  });

  test(`at most ${MAX_TESTS.toLocaleString('en-US')} tests are read, and the notes say the log holds more`, () => {
    const lines = ['TAP version 13'];
    for (let i = 1; i <= MAX_TESTS + 5; i++) lines.push(`ok ${i} - t${i}`);
    const r = ok(timed(10_000, () => parseTestLog(lines.join('\n'))));
    assert.equal(r.tests.length, MAX_TESTS);
    assert.ok(r.notes.some(n => n.includes('Only the first 200,000 tests')));
  });

  test('long lines are cut, and large or pathological logs stay fast', () => {
    const long = ok(parseTestLog(` RUN  v3.2.4 /p\n ✓ a.test.ts > ${'x'.repeat(100_000)} 1ms\n`));
    assert.equal(long.tests.length, 1);
    assert.ok(long.notes.some(n => n.includes('cut')));
    for (const [what, text] of [
      ['spaces', `${' '.repeat(4000)}\n`.repeat(4000)],
      ['"ok" lines that never number right', 'TAP version 13\n' + 'ok 7 - x\n'.repeat(1_000_000)],
      ['an unclosed YAML block after every point', 'TAP version 13\n' + 'ok - x\n  ---\n'.repeat(300_000)],
      ['vitest lines', ' RUN  v4.0.0 /p\n' + ' ✓ a.test.ts > s > t 1ms\n'.repeat(150_000)],
      ['"<" everywhere', `<testsuites>${'<'.repeat(10_000_000)}`],
      ['escapes', `${'\x1b['.repeat(2_000_000)}\n`],
    ] as const) timed(8000, () => parseTestLog(text), what);
  });

  test('never throws: random text and damaged fixtures always give a result', () => {
    const samples = ['vitest-verbose.log', 'jest-default.log', 'node-tap.log', 'mocha-xunit.xml', 'vitest-json.json', 'node-spec.log'].map(read);
    const check = (text: string): void => {
      const r = parseTestLog(text);
      if (!r.ok) { assert.equal(typeof r.reason, 'string'); return; }
      for (const n of Object.values(r.totals)) assert.ok(Number.isInteger(n) && n >= 0);
      for (const t of r.tests) assert.ok(['passed', 'failed', 'skipped', 'todo'].includes(t.status));
    };
    fc.assert(fc.property(fc.string({ maxLength: 400 }), check), { numRuns: 300 });
    fc.assert(fc.property(fc.nat(samples.length - 1), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }), (i, a, b, junk) => {
      const s = samples[i] ?? '';
      const [from, to] = [a % (s.length + 1), b % (s.length + 1)].sort((x, y) => x - y);
      check(s.slice(0, from) + junk + s.slice(to ?? 0));
    }), { numRuns: 300 });
  });
});
