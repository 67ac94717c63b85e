import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewReady, parseHostMessage, parsePageMessage } from '../../src/protocol/webview/messages';
import { Overview, OverviewScope } from '../../src/protocol/webview/overview';
import { RubricForm, RubricFormScope } from '../../src/protocol/webview/rubric';
import { RunDetails, RunDetailsScope } from '../../src/protocol/webview/run-details';
import { Calibration, CalibrationScope, MAX_IMAGE_DATA_URL, PNG_DATA_URL_PREFIX } from '../../src/protocol/webview/calibration';

const protocols = { [OverviewScope]: Overview, [RubricFormScope]: RubricForm, [RunDetailsScope]: RunDetails, [CalibrationScope]: Calibration };

test('each webview\'s messages are scoped by its prefix, with unique methods, and every page -> host message has a guard', () => {
  const methods = new Set<string>([WebviewReady.method]);
  for (const [scope, protocol] of Object.entries(protocols)) {
    for (const type of Object.values(protocol)) {
      assert.equal(type.scope, scope, type.method);
      assert.match(type.method, new RegExp(`^${scope}/[A-Za-z]+$`));
      assert.ok(!methods.has(type.method), `${type.method} is declared once`);
      methods.add(type.method);
      if (type.kind !== 'notification') assert.equal(typeof type.validate, 'function', type.method);
    }
  }
  assert.deepEqual(Object.entries(Overview).map(([k, t]) => `${k}:${t.kind}`),
    ['init:notification', 'files:request', 'patch:request', 'setLayout:command', 'openDiff:command', 'firstContent:command']);
  assert.deepEqual(Object.entries(RubricForm).map(([k, t]) => `${k}:${t.kind}`),
    ['state:notification', 'edit:command', 'openEvidence:command', 'removeEvidence:command', 'found:notification', 'openFact:command',
      'addFact:command', 'retryFound:command', 'command:command']);
  assert.deepEqual(Object.entries(RunDetails).map(([k, t]) => `${k}:${t.kind}`), ['show:notification', 'openFile:command']);
  assert.deepEqual(Object.entries(Calibration).map(([k, t]) => `${k}:${t.kind}`),
    ['show:notification', 'openEvidence:command', 'exportCsv:command', 'exportImage:command']);
});

/** Each guard against what the page sends and against what it must refuse. */
const cases: Array<[{ method: string; validate(v: unknown): boolean }, unknown[], unknown[]]> = [
  [WebviewReady, [undefined], [null, {}, 'ready']],
  [Overview.files, [{ listId: 0, start: 0, count: 1 }, { listId: 3, start: 5600, count: 500 }],
    [{ listId: 1, start: -1, count: 200 }, { listId: 1, start: 0.5, count: 200 }, { listId: 1, start: 0, count: 0 },
      { listId: 1, start: 0, count: 501 }, { start: 0, count: 200 }, { listId: '1', start: 0, count: 200 }, { listId: 1, start: 0, count: 200, x: 1 }]],
  [Overview.patch, [{ id: '0' }, { id: '1999' }], [{ id: 0 }, { id: '0', extra: 1 }, {}, { ID: '0' }, '0']],
  [Overview.setLayout, [{ layout: 'side-by-side' }, { layout: 'line-by-line' }], [{ layout: 'split' }, { layout: 'Side-by-side' }, { layout: null }]],
  [Overview.openDiff, [{ id: '2' }], [{ id: ['2'] }, { path: '2' }]],
  [Overview.firstContent, [{ ms: 0 }, { ms: 123.4 }], [{ ms: NaN }, { ms: Infinity }, { ms: '12' }, {}]],
  [RubricForm.edit, [
    { kind: 'points', dimension: 'wiring', value: '7.5' }, { kind: 'points', dimension: 'wiring', value: '' },
    { kind: 'rationale', dimension: 'wiring', value: 'All routes.' }, { kind: 'gaps', value: '' },
    { kind: 'graderName', value: 'Ada' }, { kind: 'graderKind', value: 'human' }, { kind: 'graderKind', value: 'model' },
  ], [
    { kind: 'points', dimension: 'wiring', value: 7.5 }, { kind: 'points', value: '1' }, { kind: 'gaps', dimension: 'wiring', value: '' },
    { kind: 'graderKind', value: 'robot' }, { kind: 'total', value: '100' }, { kind: 'graderName', value: 'Ada', extra: true }, null,
  ]],
  [RubricForm.openEvidence, [{ dimension: 'wiring', index: 0 }, { dimension: 'wiring', index: 3 }],
    [{ dimension: 'wiring', index: -1 }, { dimension: 'wiring', index: 0.5 }, { dimension: 'wiring', index: '0' }, { dimension: 1, index: 0 }]],
  [RubricForm.removeEvidence, [{ dimension: 'plan', index: 1 }], [{ dimension: 'plan' }, { index: 1 }]],
  [RubricForm.openFact, [{ id: 'incident-tests:0' }], [{ id: 0 }, {}, { id: 'x', location: { path: '/etc/passwd' } }, 'incident-tests:0']],
  [RubricForm.addFact, [{ id: 'stubs:3', dimension: 'no-parallel-authority' }, { id: 'stubs:3' }],
    [{ id: 'stubs:3', dimension: 4 }, { dimension: 'wiring' }, { id: 'stubs:3', note: 'mine' }, { id: 'stubs:3', dimension: null }]],
  [RubricForm.retryFound, [undefined], [{}, null, 'retry']],
  [RubricForm.command, [{ command: 'openRun' }, { command: 'chooseRubric' }, { command: 'reloadDraft' }, { command: 'keepMine' }],
    [{ command: 'sebReview.openRun' }, { command: 'workbench.action.terminal.new' }, { command: undefined }]],
  [RunDetails.openFile, [{ path: 'PLAN.md' }, { path: '../outside' }], [{ path: 1 }, { file: 'PLAN.md' }, {}]],
  [Calibration.openEvidence, [{ file: '/w/a.worksheet.json', dimension: 'wiring', index: 0 }, { file: '/w/a.worksheet.json', dimension: 'wiring' }],
    [{ file: '/w/a.worksheet.json', dimension: 'wiring', index: -1 }, { file: '/w/a.worksheet.json', dimension: 'wiring', index: '0' },
      { file: 1, dimension: 'wiring' }, { dimension: 'wiring', index: 0 }, { file: 'a', dimension: 'wiring', index: 0, line: 3 }]],
  [Calibration.exportCsv, [undefined], [{}, null, 'csv']],
  [Calibration.exportImage, [{ dataUrl: `${PNG_DATA_URL_PREFIX}iVBORw0KGgo=` }, { dataUrl: `${PNG_DATA_URL_PREFIX}${'A'.repeat(MAX_IMAGE_DATA_URL - PNG_DATA_URL_PREFIX.length)}` }],
    [{ dataUrl: PNG_DATA_URL_PREFIX }, { dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' }, { dataUrl: `${PNG_DATA_URL_PREFIX}iVBOR w0KGgo=` },
      { dataUrl: `data:text/html,<script>alert(1)</script>` }, { dataUrl: `${PNG_DATA_URL_PREFIX}${'A'.repeat(MAX_IMAGE_DATA_URL)}` }, { url: `${PNG_DATA_URL_PREFIX}AAAA` }, {}]],
];

test('the guard of each page -> host message takes what the page sends and refuses anything else', () => {
  for (const [type, good, bad] of cases) {
    for (const v of good) assert.equal(type.validate(v), true, `${type.method} takes ${JSON.stringify(v)}`);
    for (const v of bad) assert.equal(type.validate(v), false, `${type.method} refuses ${JSON.stringify(v)}`);
  }
});

test('envelopes: the page sends commands and requests with a positive integer id; the host sends notifications and responses', () => {
  assert.deepEqual(parsePageMessage({ kind: 'command', method: 'a/b', params: 1 }), { kind: 'command', method: 'a/b', params: 1 });
  assert.deepEqual(parsePageMessage({ kind: 'request', id: 3, method: 'a/b' }), { kind: 'request', id: 3, method: 'a/b', params: undefined });
  for (const bad of [null, 'a/b', [], { method: 'a/b' }, { kind: 'notification', method: 'a/b' }, { kind: 'command' }, { kind: 'command', method: 1 },
    { kind: 'request', method: 'a/b' }, { kind: 'request', id: 0, method: 'a/b' }, { kind: 'request', id: 1.5, method: 'a/b' },
    { kind: 'request', id: '1', method: 'a/b' }, { kind: 'response', id: 1, method: 'a/b', ok: true }]) {
    assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad));
  }
  assert.deepEqual(parseHostMessage({ kind: 'notification', method: 'a/b', params: 2 }), { kind: 'notification', method: 'a/b', params: 2 });
  assert.deepEqual(parseHostMessage({ kind: 'response', id: 1, method: 'a/b', ok: true, result: 3 }), { kind: 'response', id: 1, method: 'a/b', ok: true, result: 3 });
  assert.deepEqual(parseHostMessage({ kind: 'response', id: 1, method: 'a/b', ok: false, error: 'no' }), { kind: 'response', id: 1, method: 'a/b', ok: false, error: 'no' });
  for (const bad of [null, { kind: 'command', method: 'a/b' }, { kind: 'response', method: 'a/b', ok: true }, { kind: 'response', id: 1, method: 'a/b' },
    { kind: 'response', id: 1, method: 'a/b', ok: false }, { kind: 'response', id: 1, method: 'a/b', ok: 'yes', result: 1 }]) {
    assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
  }
});
