import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs, { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allowedSignersLine, parseStrictJson, privateKeyPem, serializeEnvelope, signEnvelope } from '../../src/core/attestation';
import { scratch } from './helpers';
import { MINI_FILE, miniWorksheet, party, signedBy } from './attestation-fixtures';
import { cli } from './cli-run';
import { readLimited } from '../../src/extension/signing/read-limited';

const MiB = 1024 * 1024;
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** No "unexpected error", no stack frame: a clear message. */
function assertNoCrash(text: string): void {
  assert.doesNotMatch(text, /unexpected error|RangeError|^\s+at /m, text);
}

/** Records every file the code opens or reads by name while `fn` runs. */
async function filesTouched<T>(fn: () => Promise<T>): Promise<{ result: T; touched: string[] }> {
  const touched: string[] = [];
  const originals = { openSync: fs.openSync, readFileSync: fs.readFileSync };
  const record = (p: unknown) => {
    if (typeof p === 'string') touched.push(path.resolve(p));
  };
  fs.openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
    record(p);
    return (originals.openSync as (...a: unknown[]) => number)(p, ...rest);
  }) as typeof fs.openSync;
  fs.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    record(p);
    return (originals.readFileSync as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync;
  try {
    return { result: await fn(), touched };
  } finally {
    Object.assign(fs, originals);
  }
}

describe('JSON depth in the strict parser', () => {
  test('64 levels parse; 65 and 100,000 are refused with a message, never a stack overflow', () => {
    assert.equal(parseStrictJson(deepArray(64)).ok, true);
    assert.equal(parseStrictJson(deepObject(64)).ok, true);
    for (const text of [deepArray(65), deepObject(65), deepArray(100_000), deepObject(100_000), '['.repeat(100_000)]) {
      const r = parseStrictJson(text);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /nests deeper than 64 levels/);
    }
    // brackets inside strings are text, not nesting
    assert.equal(parseStrictJson(JSON.stringify({ a: '['.repeat(1000) + '{'.repeat(1000) })).ok, true);
  });

  test('a raw newline cannot hide nesting inside a "string": a lenient parser ends the string there, so it is refused', () => {
    for (const text of ['["x\n' + '['.repeat(200_000), '{"a": "x\t' + '{"b":'.repeat(200_000)]) {
      const r = parseStrictJson(text);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /control character inside a string \(line 1, column \d+\)/);
    }
  });
});

describe('input limits on the command line: depth and size, a clear message naming the file, exit 2', () => {
  const s = scratch('seb-limits-');
  after(() => s.done());
  const f = (name: string) => path.join(s.dir, name);
  const alice = party('alice');
  writeFileSync(f('alice.key'), privateKeyPem(alice.key));
  writeFileSync(f('signers'), `${allowedSignersLine('alice', alice.key.publicKey)}\n`);
  writeFileSync(f('good.json'), serializeEnvelope(signedBy(alice)));

  test('verify: an envelope nested 8,000 deep and a 200 MB one are reported by name; the other file is still verified', async () => {
    writeFileSync(f('deep.json'), deepArray(8000));
    writeFileSync(f('deep-object.json'), deepObject(8000));
    writeFileSync(f('huge.json'), '');
    truncateSync(f('huge.json'), 200 * MiB);
    const { result: r, touched } = await filesTouched(() =>
      cli('verify', f('deep.json'), f('good.json'), f('huge.json'), f('deep-object.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE));
    assert.equal(r.code, 2);
    assertNoCrash(r.err);
    assert.match(r.out, /good\.json\n(?: {2}✔.*\n)+ {2}graded by alice .*\n {2}VERIFIED by alice/);
    assert.match(r.err, /deep\.json: nests deeper than 64 levels/);
    assert.match(r.err, /deep-object\.json: nests deeper than 64 levels/);
    assert.match(r.err, /huge\.json: is 200 MiB; the limit for a JSON file is 16 MiB/);
    assert.ok(!touched.includes(f('huge.json')), 'the size is checked before the file is opened');
    assert.ok(touched.includes(f('good.json')), 'the spy sees what the command reads');
  });

  test('verify: an envelope whose nesting hides behind a raw newline in a string is refused by name; the other file is still verified', async () => {
    writeFileSync(f('newline.json'), '["x\n' + '['.repeat(200_000));
    const r = await cli('verify', f('newline.json'), f('good.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE);
    assert.equal(r.code, 2);
    assertNoCrash(r.err);
    assert.match(r.err, /newline\.json: is not valid JSON: a control character inside a string/);
    assert.match(r.out, /VERIFIED by alice/);
  });

  test('verify --json: the bad file has an error entry, the good one a verdict', async () => {
    const r = await cli('verify', f('good.json'), f('deep.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE, '--json');
    assert.equal(r.code, 2);
    const results = JSON.parse(r.out) as Array<{ file: string; ok: boolean; error?: string }>;
    assert.deepEqual(results.map(x => [path.basename(x.file), x.ok]), [['good.json', true], ['deep.json', false]]);
    assert.match(results[1]?.error ?? '', /nests deeper than 64 levels/);
  });

  test('a payload nested deep inside a well-formed envelope fails the json check (exit 1), no crash', async () => {
    writeFileSync(f('deep-payload.json'), serializeEnvelope(signEnvelope(Buffer.from(deepObject(8000)), alice.key)));
    const r = await cli('verify', f('deep-payload.json'), '--allowed-signers', f('signers'), '--rubric', MINI_FILE);
    assert.equal(r.code, 1, r.err);
    assertNoCrash(r.out + r.err);
    assert.match(r.out, /✘ json payload: nests deeper than 64 levels/);
  });

  test('sign and sign --cosign: a deep or huge worksheet or envelope', async () => {
    writeFileSync(f('deep-ws.json'), deepObject(8000));
    const deep = await cli('sign', f('deep-ws.json'), '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('x.json'));
    assert.equal(deep.code, 2);
    assertNoCrash(deep.err);
    assert.match(deep.err, /deep-ws\.json: nests deeper than 64 levels/);
    writeFileSync(f('big-ws.json'), JSON.stringify(miniWorksheet()));
    truncateSync(f('big-ws.json'), 17 * MiB);
    const big = await cli('sign', f('big-ws.json'), '--key', f('alice.key'), '--rubric', MINI_FILE, '--out', f('x.json'));
    assert.equal(big.code, 2);
    assert.match(big.err, /big-ws\.json: is 17 MiB; the limit for a JSON file is 16 MiB/);
    const co = await cli('sign', '--cosign', f('deep.json'), '--key', f('alice.key'), '--rubric', MINI_FILE, '--allowed-signers', f('signers'));
    assert.equal(co.code, 2);
    assertNoCrash(co.err);
    assert.match(co.err, /deep\.json: nests deeper than 64 levels/);
  });

  test('a rubric (verify --rubric, sign --rubric, rubric check), an allowed-signers file and a key file', async () => {
    writeFileSync(f('deep.rubric.json'), deepObject(8000));
    const v = await cli('verify', f('good.json'), '--allowed-signers', f('signers'), '--rubric', f('deep.rubric.json'));
    assert.equal(v.code, 2);
    assertNoCrash(v.err);
    assert.match(v.err, /deep\.rubric\.json: nests deeper than 64 levels/);
    const c = await cli('rubric', 'check', f('deep.rubric.json'), MINI_FILE);
    assert.equal(c.code, 2);
    assertNoCrash(c.err);
    assert.match(c.err, /deep\.rubric\.json: nests deeper than 64 levels/);
    assert.match(c.out, /^ok .*mini-v1\.rubric\.json/m, 'the other file is still checked');
    writeFileSync(f('big-signers'), '');
    truncateSync(f('big-signers'), 2 * MiB);
    const sg = await cli('verify', f('good.json'), '--allowed-signers', f('big-signers'), '--rubric', MINI_FILE);
    assert.equal(sg.code, 2);
    assert.match(sg.err, /big-signers: is 2 MiB; the limit for an allowed-signers file is 1 MiB/);
    writeFileSync(f('big.key'), '');
    truncateSync(f('big.key'), MiB);
    const k = await cli('sign', f('good.json'), '--key', f('big.key'), '--rubric', MINI_FILE);
    assert.equal(k.code, 2);
    assert.match(k.err, /big\.key: is 1 MiB; the limit for a key file is 64 KiB/);
  });
});

describe('input limits in the editor\'s reader', () => {
  const s = scratch('seb-limits-ext-');
  after(() => s.done());

  test('a 200 MB signed worksheet is refused from its size, before it is opened; a normal one is read', async () => {
    const huge = path.join(s.dir, 'huge.worksheet.json');
    writeFileSync(huge, '');
    truncateSync(huge, 200 * MiB);
    const promises = fs.promises;
    const opened: string[] = [];
    const open = promises.open;
    promises.open = ((p: fs.PathLike, ...rest: unknown[]) => {
      opened.push(String(p));
      return (open as (...a: unknown[]) => Promise<fs.promises.FileHandle>)(p, ...rest);
    }) as typeof promises.open;
    try {
      await assert.rejects(readLimited(huge, 'json'), /huge\.worksheet\.json: is 200 MiB; the limit for a JSON file is 16 MiB/);
      assert.deepEqual(opened, []);
      const small = path.join(s.dir, 'signers');
      writeFileSync(small, 'alice ssh-ed25519 AAAA\n');
      assert.equal(await readLimited(small, 'allowed-signers'), 'alice ssh-ed25519 AAAA\n');
      assert.deepEqual(opened, [small], 'the spy sees the files the reader opens');
      await assert.rejects(readLimited(path.join(s.dir, 'none'), 'key'), /none: no such file/);
    } finally {
      promises.open = open;
    }
  });
});
