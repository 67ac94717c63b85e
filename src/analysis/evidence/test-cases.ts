import ts from 'typescript';
import { createHash } from 'node:crypto';

/**
 * The test cases of one file, found by parsing (TypeScript's parser alone; nothing is run): calls of describe / it /
 * test / suite / context / specify (node:test, vitest, jest, mocha) with their modifiers (.skip, .only, .todo, .each,
 * .skipIf, .runIf, .concurrent, .fails, x- and f- prefixes), node:test's `{ skip, todo }` options, conditional skips
 * (`(cond ? it : it.skip)(…)`, `it.skipIf(cond)`, a `t.skip()` / `this.skip()` / `ctx.skip()` inside the body). Names
 * built from template literals are kept as written (`handles ${kind}`).
 */

export type SkipHow = '.skip' | 'x-prefix' | '.todo' | 'skip option' | 'todo option' | 'skipIf' | 'runIf' | 'conditional' | 'skips at run time' | 'suite skipped';

export interface TestCase {
  file: string;
  /** The enclosing describe/suite names, outermost first. */
  suite: string[];
  name: string;
  /** "suite > … > name". */
  fullName: string;
  line: number;
  endLine: number;
  /** How it is skipped (or a todo), when it is. */
  skipped?: { how: SkipHow; line: number };
  /** sha256 of the body with whitespace and comments normalised; two tests with the same hash have the same body. */
  bodyHash: string;
  /** The body's identifier and literal tokens, for similarity. */
  tokens: string[];
  /** Whether the name is not a literal (an identifier or a call): kept as written. */
  dynamicName?: boolean;
  /** A test file without test functions: the whole file is one test (./scriptTestCase). */
  script?: boolean;
}

const SUITES = new Set(['describe', 'suite', 'context', 'xdescribe', 'fdescribe', 'xcontext', 'xsuite']);
const TESTS = new Set(['it', 'test', 'specify', 'xit', 'xtest', 'xspecify', 'fit', 'ftest']);

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

interface Callee {
  kind: 'suite' | 'test';
  skip?: SkipHow;
}

/** What a callee expression is: `it`, `it.skip`, `describe.each(t)`, `test.skipIf(c)`, `(c ? it : it.skip)`. */
function calleeOf(e: ts.Expression): Callee | undefined {
  if (ts.isParenthesizedExpression(e)) return calleeOf(e.expression);
  if (ts.isIdentifier(e)) {
    const n = e.text;
    const kind = SUITES.has(n) ? 'suite' : TESTS.has(n) ? 'test' : undefined;
    if (kind === undefined) return undefined;
    return n.startsWith('x') ? { kind, skip: 'x-prefix' } : { kind };
  }
  if (ts.isPropertyAccessExpression(e)) {
    const base = calleeOf(e.expression);
    if (base === undefined) return undefined;
    const m = e.name.text;
    if (m === 'skip') return { ...base, skip: base.skip ?? '.skip' };
    if (m === 'todo') return { ...base, skip: base.skip ?? '.todo' };
    if (['only', 'concurrent', 'sequential', 'fails', 'shuffle', 'each', 'for', 'failing'].includes(m)) return base;
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    // it.each(table)(…), it.skipIf(cond)(…), it.runIf(cond)(…)
    const target = e.expression;
    if (ts.isPropertyAccessExpression(target)) {
      const base = calleeOf(target.expression);
      if (base === undefined) return undefined;
      const m = target.name.text;
      if (m === 'skipIf') return { ...base, skip: base.skip ?? 'skipIf' };
      if (m === 'runIf') return { ...base, skip: base.skip ?? 'runIf' };
      if (m === 'each' || m === 'for') return base;
    }
    return undefined;
  }
  if (ts.isConditionalExpression(e)) {
    const a = calleeOf(e.whenTrue);
    const b = calleeOf(e.whenFalse);
    if (a === undefined || b === undefined || a.kind !== b.kind) return undefined;
    return a.skip !== undefined || b.skip !== undefined ? { kind: a.kind, skip: 'conditional' } : { kind: a.kind };
  }
  return undefined;
}

function nameOf(arg: ts.Expression | undefined, sf: ts.SourceFile): { name: string; dynamic: boolean } {
  if (arg === undefined) return { name: '(no name)', dynamic: true };
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return { name: arg.text, dynamic: false };
  if (ts.isTemplateExpression(arg)) {
    const raw = arg.getText(sf);
    return { name: raw.slice(1, -1), dynamic: false };
  }
  // a function or class as the name (mocha/jest allow describe(SomeClass, …)): its source text
  return { name: arg.getText(sf).slice(0, 200), dynamic: true };
}

/** Whether an options object says skip/todo (node:test: `{ skip: true }`, `{ skip: 'why' }`, `{ todo: … }`). */
function optionSkip(arg: ts.Expression | undefined): SkipHow | undefined {
  if (arg === undefined || !ts.isObjectLiteralExpression(arg)) return undefined;
  for (const p of arg.properties) {
    if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) continue;
    const v = p.initializer;
    const falsy = v.kind === ts.SyntaxKind.FalseKeyword || (ts.isStringLiteral(v) && v.text === '');
    if (falsy) continue;
    const literal = v.kind === ts.SyntaxKind.TrueKeyword || ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v);
    if (p.name.text === 'skip') return literal ? 'skip option' : 'conditional';
    if (p.name.text === 'todo') return literal ? 'todo option' : 'conditional';
  }
  return undefined;
}

/** A `t.skip()` / `this.skip()` / `ctx.skip()` / `context.skip()` anywhere in the body: it may skip itself when run. */
function skipsAtRunTime(body: ts.Node): number | undefined {
  let at: number | undefined;
  const visit = (n: ts.Node): void => {
    if (at !== undefined) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'skip') {
      const target = n.expression.expression;
      if (target.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(target) && /^(t|ctx|context|test)$/.test(target.text))) at = n.getStart();
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return at;
}

function normalised(body: ts.Node, sf: ts.SourceFile): { hash: string; tokens: string[] } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, sf.languageVariant, body.getText(sf));
  const parts: string[] = [];
  const tokens: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    const t = scanner.getTokenText();
    parts.push(t);
    if (k === ts.SyntaxKind.Identifier || k === ts.SyntaxKind.StringLiteral || k === ts.SyntaxKind.NumericLiteral || k === ts.SyntaxKind.NoSubstitutionTemplateLiteral) tokens.push(t);
  }
  return { hash: createHash('sha256').update(parts.join(' ')).digest('hex'), tokens };
}

/** A cheap look before parsing: does the text call any test function at all? */
export function mayHoldTests(text: string): boolean {
  return /\b(describe|it|test|suite|context|specify|xit|xtest|fit)\s*(\.\s*\w+\s*)*(\(|\.each|`)/.test(text);
}

/** Every test case of a file (suites are not listed; their names and skips carry to their tests). */
export function findTestCases(file: string, text: string): TestCase[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const out: TestCase[] = [];
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const walk = (node: ts.Node, suite: string[], suiteSkip: { how: SkipHow; line: number } | undefined): void => {
    if (ts.isCallExpression(node)) {
      const callee = calleeOf(node.expression);
      if (callee !== undefined) {
        const args = node.arguments;
        const { name, dynamic } = nameOf(args[0], sf);
        const fn = [...args].reverse().find(a => ts.isFunctionExpression(a) || ts.isArrowFunction(a));
        const how = callee.skip ?? optionSkip(args[1]) ?? (args.length > 2 ? optionSkip(args[2]) : undefined);
        const own = how !== undefined ? { how, line: lineOf(node.getStart()) } : undefined;
        if (callee.kind === 'suite') {
          const inherited = suiteSkip ?? (own ? { how: own.how === '.todo' ? own.how : 'suite skipped' as SkipHow, line: own.line } : undefined);
          if (fn !== undefined) ts.forEachChild(fn, c => walk(c, [...suite, name], inherited));
          return;
        }
        const body = fn ?? node;
        const runtime = fn !== undefined ? skipsAtRunTime(fn) : undefined;
        const skipped = own ?? suiteSkip ?? (runtime !== undefined ? { how: 'skips at run time' as SkipHow, line: lineOf(runtime) } : undefined);
        const { hash, tokens } = normalised(body, sf);
        out.push({
          file, suite, name, fullName: [...suite, name].join(' > '), line: lineOf(node.getStart()), endLine: lineOf(node.getEnd()),
          ...(skipped ? { skipped } : {}), bodyHash: hash, tokens, ...(dynamic ? { dynamicName: true } : {}),
        });
        return;
      }
    }
    ts.forEachChild(node, c => walk(c, suite, suiteSkip));
  };
  walk(sf, [], undefined);
  return out;
}

/**
 * A test file that calls no test function (a script run on its own: `tsx src/tests/x.test.ts`, exiting non-zero on
 * failure) is one test: named by its file, its body the whole file.
 */
export function scriptTestCase(file: string, text: string): TestCase {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const { hash, tokens } = normalised(sf, sf);
  const name = `${file.slice(file.lastIndexOf('/') + 1)} (a script: the file is the test)`;
  return { file, suite: [], name, fullName: name, line: 1, endLine: sf.getLineAndCharacterOfPosition(sf.getEnd()).line + 1, bodyHash: hash, tokens, script: true };
}

/** Test files by name: *.test.*, *.spec.*, or a script under a test/, tests/, __tests__/ or spec/ folder. */
export function isTestPath(p: string): boolean {
  if (!/\.(?:[cm]?[jt]s|[jt]sx)$/.test(p) || /\.d\.[cm]?ts$/.test(p)) return false;
  if (/(^|\/)node_modules\//.test(p)) return false;
  return /\.(test|spec)\.[^/]+$/.test(p) || /(^|\/)(test|tests|__tests__|spec|specs|e2e)\//.test(p);
}

/** Why a test looks like an incident regression test (its file or its name), or undefined. */
export function incidentReason(t: Pick<TestCase, 'file' | 'fullName'>): string | undefined {
  const hay = `${t.file} ${t.fullName}`;
  const word = /\b(incident|regression|regressions|post-?mortem|hotfix|outage|sev-?\d)\b/i.exec(hay);
  if (word) return `mentions "${word[0]}"`;
  const date = /\b(19|20)\d{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?\b/.exec(hay);
  if (date) return `names a date-like id (${date[0]})`;
  const id = /(#\d{2,}\b|\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b)/.exec(hay);
  if (id) return `names an issue id (${id[0]})`;
  return undefined;
}
