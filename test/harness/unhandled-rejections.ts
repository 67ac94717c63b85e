/**
 * Finds the unhandled promise rejections VS Code's extension host reported, and which of them came from our code.
 *
 * The extension host (vs/workbench/api/node/extensionHostProcess) tracks `unhandledRejection`s and, when one is still
 * not handled a second later, reports it through its console in two calls:
 *
 *     rejected promise not handled within 1 second: Error: boom
 *     stack trace: Error: boom
 *     	at DraftController.save (/…/extensions/seb-review.seb-review-0.1.0/dist/extension.js:2:3456)
 *     	at …
 *
 * Its console reaches the workbench: with extension tests (the integration tier) through the log service, which the
 * smoke-test driver hands to window.codeAutomationLog; otherwise (the UI tier) as the page's console messages
 * "%c[Extension Host] %crejected promise not handled within 1 second: …". Both keep the two lines in order, so this
 * reads plain text, whatever prefixes a line carries. Whose a rejection is can only be told from its stack: a reason
 * that is not an Error has none, and a rejected VS Code API call (a modal dialog refused in tests, say) comes back
 * with the workbench's stack. Those are listed, but never counted as ours. A rejection in the last second before the
 * extension host stops is never reported at all.
 */

export interface UnhandledRejection {
  /** The reason as the extension host printed it ("Error: boom"). */
  reason: string;
  /** The stack frames ("at f (/path/file.js:1:2)"), empty when the reason had no stack. */
  frames: string[];
  /** The first frame in our code, if any. */
  ours?: string;
}

const REPORT = 'rejected promise not handled within 1 second: ';
const STACK = 'stack trace: ';
const FRAME = /^\s*at\s/;
const MAX_MESSAGE_LINES = 50;
/** What the workbench's console styling leaves at the end of a message ("… color: blue color: "). */
const STYLING = /(\s+color: [^\s]*)+\s*$/;

/**
 * Every rejection reported in `log`, each with `ours` set when one of its frames is in one of the `ourCode` folders
 * (path prefixes such as the extension's install folder or its dist/; matched as paths and as file:// URLs).
 */
export function findUnhandledRejections(log: string, ourCode: readonly string[]): UnhandledRejection[] {
  const prefixes = ourCode.flatMap(p => [p, encodeURI(p)]);
  const found: UnhandledRejection[] = [];
  let current: UnhandledRejection | undefined;
  let inStack = false;
  /** Lines read since the report (or since "stack trace:") that were neither: a reason or message may span lines. */
  let between = 0;
  for (const line of log.split(/\r?\n/)) {
    const report = line.indexOf(REPORT);
    if (report >= 0) {
      current = { reason: line.slice(report + REPORT.length).replace(STYLING, '').trim(), frames: [] };
      found.push(current);
      inStack = false;
      between = 0;
    } else if (!current) {
      continue;
    } else if (!inStack && line.includes(STACK)) {
      inStack = true;
      between = 0;
    } else if (inStack && FRAME.test(line)) {
      const frame = line.replace(STYLING, '').trim();
      current.frames.push(frame);
      if (!current.ours && prefixes.some(p => frame.includes(p))) current.ours = frame;
    } else if (current.frames.length > 0 || ++between > MAX_MESSAGE_LINES) {
      current = undefined; // the first line after the frames ends the report (or no stack trace came)
    }
  }
  return found;
}

/**
 * The rejections from our code, as the lines a test runner prints for a failed test; the others as notes (not
 * failures: another extension's, VS Code's own, or one whose stack shows none of our frames, such as a rejected
 * promise from a VS Code API call that comes back with the workbench's stack).
 */
export function rejectionReport(log: string, ourCode: readonly string[]): { failures: string[]; notes: string[] } {
  const all = findUnhandledRejections(log, ourCode);
  return {
    failures: all.filter(r => r.ours).map(r =>
      `  ✘ unhandled promise rejection in SEB Review's code (the extension host reported it): ${r.reason}\n      ${r.frames.join('\n      ')}`),
    notes: all.filter(r => !r.ours).map(r =>
      `  (an unhandled promise rejection with no frame in SEB Review's code, not counted: ${r.reason}${r.frames[0] ? ` ${r.frames[0]}` : ''})`),
  };
}
