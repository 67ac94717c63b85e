import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { alternatesList, hardenArgs, ownConfig, quoteAlternate } from '../../src/git/hardening';
import { scratch } from './helpers';

test('diff-family commands never run external diff or textconv', () => {
  for (const c of ['diff', 'log', 'show']) {
    const a = hardenArgs([c, 'HEAD']);
    assert.deepEqual(a.slice(0, 4), [c, '--no-ext-diff', '--no-textconv', '--ignore-submodules=all']);
    assert.equal(a.at(-1), 'HEAD');
  }
  assert.deepEqual(hardenArgs(['status', '-z']), ['status', '--ignore-submodules=all', '-z']);
  assert.deepEqual(hardenArgs(['rev-parse', 'HEAD']), ['rev-parse', 'HEAD']);
});

test('the owned configuration names no program and allows no transport; git reads it as written', () => {
  const s = scratch('seb-config-');
  try {
    const file = path.join(s.dir, 'config');
    const hooks = path.join(s.dir, 'hooks "quoted" \\ dir');
    mkdirSync(hooks);
    writeFileSync(file, ownConfig({ sha256: false, hooksPath: hooks }));
    const get = (key: string) => execFileSync('git', ['config', '--file', file, '--get', key], {
      encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    }).trim();
    assert.equal(get('core.hooksPath'), hooks);
    assert.equal(get('core.fsmonitor'), 'false');
    assert.equal(get('protocol.allow'), 'never');
    assert.equal(get('core.splitIndex'), 'false');
    assert.equal(get('core.repositoryformatversion'), '0');
    const list = execFileSync('git', ['config', '--file', file, '--list'], { encoding: 'utf8' });
    assert.doesNotMatch(list, /filter\.|textconv|pager|external|sshcommand|editor|askpass|program|uploadpack|url=/i);
    writeFileSync(file, ownConfig({ sha256: true, hooksPath: hooks }));
    assert.equal(get('extensions.objectformat'), 'sha256');
    assert.equal(get('core.repositoryformatversion'), '1');
  } finally {
    s.done();
  }
});

test('alternates are C-quoted so a path holding the list separator, a quote or a newline stays one entry', () => {
  assert.equal(quoteAlternate('/a/b'), '"/a/b"');
  assert.equal(quoteAlternate('/runs/a:b'), '"/runs/a:b"');
  assert.equal(quoteAlternate('/x/"q"\\y'), '"/x/\\"q\\"\\\\y"');
  assert.equal(quoteAlternate('/x/new\nline\t'), '"/x/new\\012line\\011"');
  assert.equal(quoteAlternate('/x/résumé-名前'), '"/x/résumé-名前"');
  assert.equal(alternatesList(['/a:b', '/c'], ':'), '"/a:b":"/c"');
});
