import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_CONFIG, UnsafeConfigError, hardenArgs, overridesFor, parseConfigList } from '../../src/git/hardening';

test('config listings are parsed from git config --list -z', () => {
  const out = 'core.bare\nfalse\0filter.Evil.clean\nsh x.sh\0include.path\n../x\0core.flag\0';
  assert.deepEqual(parseConfigList(out), [
    { key: 'core.bare', value: 'false' },
    { key: 'filter.evil.clean', value: 'sh x.sh' },
    { key: 'include.path', value: '../x' },
    { key: 'core.flag', value: '' },
  ]);
});

test('every filter driver the repository defines is switched off; the base set is always there', () => {
  const o = overridesFor([{ key: 'filter.lfs.process' }, { key: 'filter.evil.clean' }, { key: 'filter.evil.smudge' }, { key: 'diff.evil.textconv' }]);
  for (const c of BASE_CONFIG) assert.ok(o.includes(c));
  for (const name of ['evil', 'lfs']) {
    for (const k of ['clean=', 'smudge=', 'process=', 'required=false']) assert.ok(o.includes(`filter.${name}.${k}`), `${name}.${k}`);
  }
  assert.ok(o.includes('core.fsmonitor=false') && o.includes('core.hooksPath=/dev/null') && o.includes('protocol.allow=never'));
  assert.deepEqual(overridesFor([]), [...BASE_CONFIG]);
});

test('a filter driver name that cannot be overridden makes the repository unsafe to read', () => {
  assert.throws(() => overridesFor([{ key: 'filter.a=b.clean' }]), UnsafeConfigError);
});

test('diff-family commands never run external diff or textconv', () => {
  for (const c of ['diff', 'log', 'show']) {
    const a = hardenArgs([c, 'HEAD']);
    assert.deepEqual(a.slice(0, 4), [c, '--no-ext-diff', '--no-textconv', '--ignore-submodules=all']);
    assert.equal(a.at(-1), 'HEAD');
  }
  assert.deepEqual(hardenArgs(['status', '-z']), ['status', '--ignore-submodules=all', '-z']);
  assert.deepEqual(hardenArgs(['rev-parse', 'HEAD']), ['rev-parse', 'HEAD']);
});
