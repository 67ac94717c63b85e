import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryLine, evidenceOpening, exportName, findEntry, pngBytes, type OpenRun } from '../../../src/extension/calibration/calibration-actions';
import { PNG_DATA_URL_PREFIX } from '../../../src/protocol/webview/calibration';
import { type CalibrationReport, type CalibrationStats, type GraderEntry } from '../../../src/core/calibration/types';

const TREES = { baseline: '1'.repeat(40), run: '2'.repeat(40) };
const none = { value: null, lower: null, upper: null, reason: 'no runs' };
const stats = (id: string): CalibrationStats => ({
  id, title: id, ceiling: 10, n: 0, candidateMean: null, referenceMean: null, bias: none, sd: { value: null }, mae: { value: null }, rmse: { value: null },
  maeShare: { value: null }, rmseShare: { value: null }, loa: { lower: none, upper: none }, ccc: { value: null }, icc: none,
});

function entry(grader: string, file: string, evidence: GraderEntry['evidence']): GraderEntry {
  return { grader, file, points: 5, rationale: 'why', evidence, trees: TREES };
}

function report(): CalibrationReport {
  return {
    format: 'seb-review/calibration@1', rubric: { id: 'seb', version: '1.0', sha256: 'a'.repeat(64) },
    candidate: { name: 'Casey Lin', signed: true, worksheets: 1 },
    reference: { graders: [{ name: 'Ada', signed: true, worksheets: 1 }], combined: 'single', description: 'Ada' },
    sources: [], excluded: [], points: {}, dimensions: [stats('wiring')], total: stats('total'), warnings: [],
    disagreements: [{
      runId: 'rw-1', dimension: 'wiring', title: 'End-to-end wiring', ceiling: 10, difference: 3, reference: 2,
      candidate: entry('Casey Lin', '/c/rw-1.worksheet.json', [{ side: 'run', path: 'src/a.ts', startLine: 3, endLine: 9 }, { side: 'baseline', path: 'src/b.ts', startLine: 4, endLine: 4 }]),
      references: [entry('Ada', '/r/rw-1.worksheet.json', [])],
    }],
  };
}

const open = (over: Partial<OpenRun> = {}): OpenRun => ({ runId: 'rw-1', trees: { ...TREES }, ...over });

test('evidence opens its lines when the open run is the worksheet\'s run and the side\'s tree is the one scored', () => {
  assert.deepEqual(evidenceOpening(report(), { file: '/c/rw-1.worksheet.json', dimension: 'wiring', index: 0 }, open()),
    { kind: 'lines', side: 'run', path: 'src/a.ts', startLine: 3, endLine: 9 });
  assert.deepEqual(evidenceOpening(report(), { file: '/c/rw-1.worksheet.json', dimension: 'wiring', index: 1 }, open({ trees: { baseline: TREES.baseline, run: '3'.repeat(40) } })),
    { kind: 'lines', side: 'baseline', path: 'src/b.ts', startLine: 4, endLine: 4 }, 'only the evidence\'s side must match');
});

test('otherwise the worksheet at its entry, saying why', () => {
  const target = { file: '/c/rw-1.worksheet.json', dimension: 'wiring', index: 0 };
  assert.deepEqual(evidenceOpening(report(), target, undefined), { kind: 'worksheet', file: '/c/rw-1.worksheet.json', dimension: 'wiring',
    why: 'No run is open, so run src/a.ts:3-9 (run rw-1) cannot be shown: open that run to follow its evidence. Opening Casey Lin\'s worksheet at its End-to-end wiring entry instead.' });
  assert.deepEqual(evidenceOpening(report(), target, open({ runId: 'rw-2' })), { kind: 'worksheet', file: '/c/rw-1.worksheet.json', dimension: 'wiring',
    why: 'The open run is rw-2, not rw-1: run src/a.ts:3-9 is evidence in rw-1. Opening Casey Lin\'s worksheet at its End-to-end wiring entry instead.' });
  assert.deepEqual(evidenceOpening(report(), target, open({ trees: { baseline: TREES.baseline, run: '3'.repeat(40) } })), {
    kind: 'worksheet', file: '/c/rw-1.worksheet.json', dimension: 'wiring',
    why: 'The open run\'s run tree (333333333333) is not the one Casey Lin scored (222222222222), so run src/a.ts:3-9 may not be the lines they meant. ' +
      'Opening Casey Lin\'s worksheet at its End-to-end wiring entry instead.' });
  assert.deepEqual(evidenceOpening(report(), { file: '/r/rw-1.worksheet.json', dimension: 'wiring' }, open()),
    { kind: 'worksheet', file: '/r/rw-1.worksheet.json', dimension: 'wiring' }, 'no index: the worksheet, nothing to explain');
});

test('the host opens only what the report has: an unknown file, dimension or evidence index opens nothing', () => {
  assert.equal(evidenceOpening(report(), { file: '/etc/passwd', dimension: 'wiring', index: 0 }, open()), undefined);
  assert.equal(evidenceOpening(report(), { file: '/c/rw-1.worksheet.json', dimension: 'plan', index: 0 }, open()), undefined);
  assert.equal(evidenceOpening(report(), { file: '/c/rw-1.worksheet.json', dimension: 'wiring', index: 2 }, open()), undefined);
  assert.equal(evidenceOpening(report(), { file: '/r/rw-1.worksheet.json', dimension: 'wiring', index: 0 }, open()), undefined);
  assert.equal(findEntry(report(), '/r/rw-1.worksheet.json', 'wiring')?.entry.grader, 'Ada');
});

test('entryLine: the line of a dimension\'s entry in a plain worksheet; 0 when it is not in the text (a signed envelope)', () => {
  const ws = { format: 'seb-review/worksheet@1', entries: [{ dimension: 'plan', points: 1, rationale: 'r', evidence: [] }, { dimension: 'wi"ring', points: 2, rationale: 'r', evidence: [] }] };
  const text = JSON.stringify(ws, null, 2);
  const lines = text.split('\n');
  assert.equal(entryLine(text, 'plan'), lines.findIndex(l => l.includes('"dimension": "plan"')));
  assert.equal(entryLine(text, 'wi"ring'), lines.findIndex(l => l.includes('"dimension": "wi\\"ring"')));
  assert.ok(entryLine(text, 'wi"ring') > entryLine(text, 'plan'));
  assert.equal(entryLine(text.replace(/\n/g, '\r\n'), 'plan'), entryLine(text, 'plan'));
  assert.equal(entryLine('{"payloadType":"application/vnd.in-toto+json","payload":"eyJ9"}', 'plan'), 0);
  assert.equal(entryLine(text, 'missing'), 0);
});

test('pngBytes: a PNG data URL\'s bytes; anything else is refused', () => {
  const header = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR', 'latin1'), Buffer.alloc(17)]);
  const good = pngBytes(`${PNG_DATA_URL_PREFIX}${header.toString('base64')}`);
  assert.ok(good.ok);
  assert.deepEqual(good.bytes, header);
  assert.deepEqual(pngBytes('data:image/svg+xml;base64,PHN2Zz4='), { ok: false, why: 'not a PNG data URL' });
  assert.deepEqual(pngBytes(`${PNG_DATA_URL_PREFIX}not base64!`), { ok: false, why: 'not base64' });
  assert.deepEqual(pngBytes(`${PNG_DATA_URL_PREFIX}${Buffer.from('<svg onload=alert(1)>...........................').toString('base64')}`), { ok: false, why: 'not a PNG image' });
  assert.deepEqual(pngBytes(`${PNG_DATA_URL_PREFIX}${header.subarray(0, 20).toString('base64')}`), { ok: false, why: 'not a PNG image' });
});

test('exportName: the candidate and the rubric, in safe characters', () => {
  assert.equal(exportName(report(), 'csv'), 'calibration-casey-lin-seb-1.0.csv');
  const r = report();
  r.candidate.name = '../../<evil> name';
  assert.equal(exportName(r, 'png'), 'calibration-evil-name-seb-1.0.png');
  r.candidate.name = '***';
  assert.equal(exportName(r, 'png'), 'calibration-grader-seb-1.0.png');
});
