import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnhandledRejections, rejectionReport } from '../harness/unhandled-rejections';

// Samples in the shape VS Code 1.139's extension host reports a rejection nobody handled within a second
// (console.warn of `rejected promise not handled within 1 second: ${reason}`, then `stack trace: ${reason.stack}`),
// with its own stack format (a tab before each "at").
const VSCODE = 'file:///opt/code-server/lib/vscode/out/vs/workbench/api/node/extensionHostProcess.js';
const INSTALLED = '/tmp/seb-cs-Ab12/extensions/seb-review.seb-review-0.1.0';
const DEV = '/home/ada/src/seb review'; // the integration tier loads the extension from the repository (a space in it)

/** As the integration tier sees it: the log service's lines, one per console call, through codeAutomationLog. */
const integrationLog = [
  '[AccountPolicyGate] apply: state=inactive, reason=undefined, isRestricted=false',
  '    ✔ edits are evaluated at once and saved (302ms)',
  'rejected promise not handled within 1 second: Error: ENOENT: no such file or directory, rename \'/tmp/x.draft.json.tmp\'',
  'stack trace: Error: ENOENT: no such file or directory, rename \'/tmp/x.draft.json.tmp\'',
  `\tat async DraftFile.write (${DEV}/dist/extension.js:2:81234)`,
  `\tat async DraftController.save (${DEV}/dist/extension.js:2:90011)`,
  '    ✔ evidence from a baseline document is marked as baseline (455ms)',
  // another extension's rejection
  'rejected promise not handled within 1 second: TypeError: Cannot read properties of undefined (reading \'uri\')',
  'stack trace: TypeError: Cannot read properties of undefined (reading \'uri\')',
  '\tat Object.provide (/tmp/seb-cs-Ab12/extensions/someone.other-extension-1.2.3/out/main.js:10:5)',
  `\tat ${VSCODE}:168:18738`,
  // VS Code's own
  'rejected promise not handled within 1 second: Canceled: Canceled',
  'stack trace: Canceled: Canceled',
  `\tat pv.cancel (${VSCODE}:12:3456)`,
  `\tat async zb._activate (${VSCODE}:164:16021)`,
  // a reason that is not an Error: no stack, nothing to tell whose it is
  'rejected promise not handled within 1 second: a plain string reason',
  '31 passed, 0 failed',
].join('\n');

test('the integration log: the rejection from our bundle is found and named; other extensions\' and VS Code\'s are not ours', () => {
  const all = findUnhandledRejections(integrationLog, [`${DEV}/dist/`]);
  assert.deepEqual(all.map(r => r.reason), [
    'Error: ENOENT: no such file or directory, rename \'/tmp/x.draft.json.tmp\'',
    'TypeError: Cannot read properties of undefined (reading \'uri\')',
    'Canceled: Canceled',
    'a plain string reason',
  ]);
  assert.deepEqual(all.map(r => r.frames.length), [2, 2, 2, 0]);
  assert.deepEqual(all.map(r => r.ours !== undefined), [true, false, false, false]);
  assert.equal(all[0]?.ours, `at async DraftFile.write (${DEV}/dist/extension.js:2:81234)`);
  const { failures, notes } = rejectionReport(integrationLog, [`${DEV}/dist/`]);
  assert.equal(failures.length, 1);
  assert.match(failures[0] ?? '', /^ {2}✘ unhandled promise rejection in SEB Review's code .*: Error: ENOENT/);
  assert.ok(failures[0]?.includes('DraftController.save'), 'the line shows where');
  assert.equal(notes.length, 3, 'the others are noted, not counted');
});

test('the UI tier\'s page console: styling removed, the installed folder recognised, file:// URLs with escaped spaces too', () => {
  const consoleLog = [
    '%c[Extension Host] %crejected promise not handled within 1 second: Error: git exited with 128 color: blue color: ',
    '%c[Extension Host] %cstack trace: Error: git exited with 128',
    `\tat ChildProcess.<anonymous> (${INSTALLED}/dist/extension.js:1:52001)`,
    `\tat ${VSCODE}:168:18738 color: blue color: `,
    '[seb-review.seb-review]git exited with 128',
    '%c[Extension Host] %crejected promise not handled within 1 second: Error: from a URL color: blue color: ',
    '%c[Extension Host] %cstack trace: Error: from a URL',
    `\tat x (${encodeURI(`file://${DEV}/dist/extension.js`)}:1:2) color: blue color: `,
  ].join('\n');
  const found = findUnhandledRejections(consoleLog, [`${INSTALLED}/`, `${DEV}/dist/`]);
  assert.deepEqual(found.map(r => [r.reason, r.ours !== undefined]), [['Error: git exited with 128', true], ['Error: from a URL', true]]);
  assert.equal(found[0]?.frames.at(-1), `at ${VSCODE}:168:18738`);
  assert.deepEqual(findUnhandledRejections(consoleLog, ['/tmp/seb-cs-Ab12/extensions/someone.other-extension-']).filter(r => r.ours), []);
});

test('a message over several lines keeps its frames; frames after the report has ended are not taken for it', () => {
  const log = [
    'rejected promise not handled within 1 second: Error: git failed:',
    'fatal: bad object',
    'stack trace: Error: git failed:',
    'fatal: bad object',
    `    at run (${INSTALLED}/dist/extension.js:1:1)`,
    'rejected promise not handled within 1 second: Error: unrelated',
    'stack trace: Error: unrelated',
    `    at f (${VSCODE}:1:1)`,
    'some other line',
    `    at g (${INSTALLED}/dist/extension.js:9:9)`,
  ].join('\n');
  const found = findUnhandledRejections(log, [`${INSTALLED}/`]);
  assert.deepEqual(found.map(r => [r.reason, r.frames.length, r.ours !== undefined]), [['Error: git failed:', 1, true], ['Error: unrelated', 1, false]]);
});

test('a rejected VS Code API call comes back with the workbench\'s stack: noted, not counted (nothing says whose it was)', () => {
  const workbench = 'http://127.0.0.1:41234/stable-0123abcd/static/out/vs/code/browser/workbench/workbench.js';
  const log = [
    'rejected promise not handled within 1 second: Error: DialogService: refused to show dialog in tests. Contents: Not complete (2 to do):',
    'stack trace: Error: DialogService: refused to show dialog in tests. Contents: Not complete (2 to do):',
    `    at Tmt.prompt (${workbench}:1578:4463)`,
    `    at pye.$showMessage (${workbench}:763:2119)`,
    'DialogService: refused to show dialog in tests. Contents: Not complete (2 to do):',
  ].join('\n');
  const { failures, notes } = rejectionReport(log, [`${DEV}/dist/`, `${INSTALLED}/`]);
  assert.deepEqual(failures, []);
  assert.equal(notes.length, 1);
  assert.match(notes[0] ?? '', /not counted: Error: DialogService: refused .* at Tmt\.prompt/);
});

test('a log with no reports finds nothing', () => {
  assert.deepEqual(findUnhandledRejections('31 passed, 0 failed\n[Extension Host] activated in 2 ms', ['/x/']), []);
  assert.deepEqual(rejectionReport('', ['/x/']), { failures: [], notes: [] });
});
