import ts from 'typescript';

/**
 * Stubs and shims in one file's code, found by parsing (nothing is run): functions whose body is empty, only throws
 * "not implemented" / TODO, or only returns a placeholder constant while ignoring its parameters; TODO / FIXME / XXX
 * comments; branches that keep an old path alive behind a flag (`if (legacy…)`, `process.env.USE_OLD_…`). Which of them
 * the run added is decided by the caller (./evidence.ts), against the baseline's file.
 */

export type StubKind = 'empty-body' | 'throws-not-implemented' | 'placeholder-return' | 'todo-comment' | 'legacy-branch' | 'shim-file';

export interface StubFinding {
  kind: StubKind;
  file: string;
  line: number;
  endLine: number;
  /** What it is, in words: "function save() has an empty body". */
  message: string;
  /** A key that stays the same when the code moves within the file (kind, name, normalised text). */
  key: string;
}

const NOT_IMPLEMENTED = /not\s+(yet\s+)?implemented|unimplemented|\btodo\b|\bstub\b|\bfixme\b/i;
/** Names that keep an old path switchable: legacyMode, isLegacy, useOldWriter, COMPAT_V1, FEATURE_FLAG_X, killSwitch. */
const FLAG = /\b(?:\w*?(?:legacy|compat|deprecated)\w*|use_?old\w*|kill_?switch\w*|feature_?flags?\w*|[A-Z0-9_]*(?:LEGACY|COMPAT|USE_OLD|FEATURE_FLAG)[A-Z0-9_]*)\b/i;
const MARKER = /\b(TODO|FIXME|XXX|HACK)\b[:(\s]?(.{0,120})/;

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** A function's name as a reader would say it, or undefined for an anonymous callback (not reported). */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name !== undefined && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
  if (ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return p.left.getText().slice(0, 80);
  return undefined;
}

function isPlaceholder(e: ts.Expression | undefined): boolean {
  if (e === undefined) return true;
  if (ts.isParenthesizedExpression(e)) return isPlaceholder(e.expression);
  if (ts.isAsExpression(e)) return isPlaceholder(e.expression);
  return e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword
    || (ts.isIdentifier(e) && e.text === 'undefined') || (ts.isNumericLiteral(e) && e.text === '0')
    || ((ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && (e.text === '' || NOT_IMPLEMENTED.test(e.text)))
    || (ts.isArrayLiteralExpression(e) && e.elements.length === 0) || (ts.isObjectLiteralExpression(e) && e.properties.length === 0)
    || (ts.isAwaitExpression(e) && isPlaceholder(e.expression))
    || (ts.isCallExpression(e) && /^Promise\.resolve$/.test(e.expression.getText()) && isPlaceholder(e.arguments[0]));
}

/** Whether any parameter name is used in the body. */
function usesParameters(fn: ts.FunctionLikeDeclaration): boolean {
  const names = new Set(fn.parameters.flatMap(p => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  if (names.size === 0) return false;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && names.has(n.text) && !ts.isParameter(n.parent)) used = true;
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return used;
}

export function findStubs(file: string, text: string): StubFinding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const out: StubFinding[] = [];
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (kind: StubKind, node: ts.Node, message: string, key: string) =>
    out.push({ kind, file, line: lineOf(node.getStart(sf)), endLine: lineOf(node.getEnd()), message, key: `${kind}\u0000${key}` });

  const visit = (n: ts.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isConstructorDeclaration(n))
      && n.body !== undefined && !(ts.isFunctionDeclaration(n) && n.modifiers?.some(m => m.kind === ts.SyntaxKind.DeclareKeyword))) {
      const name = functionName(n);
      const body = n.body;
      if (name !== undefined && ts.isBlock(body)) {
        const stmts = body.statements;
        const hasComment = /\/[/*]/.test(body.getText(sf));
        if (stmts.length === 0 && !ts.isConstructorDeclaration(n)) {
          add('empty-body', n, `${name}() has an empty body${hasComment ? ' (only a comment)' : ''}`, name);
        } else if (stmts.length === 1) {
          const s = stmts[0] as ts.Statement;
          if (ts.isThrowStatement(s) && NOT_IMPLEMENTED.test(s.expression.getText(sf))) {
            add('throws-not-implemented', n, `${name}() only throws ${s.expression.getText(sf).slice(0, 100)}`, name);
          } else if (ts.isReturnStatement(s) && isPlaceholder(s.expression) && n.parameters.length > 0 && !usesParameters(n)) {
            add('placeholder-return', n, `${name}() ignores its parameters and only returns ${s.expression?.getText(sf).slice(0, 60) ?? 'nothing'}`, name);
          }
        }
      } else if (name !== undefined && !ts.isBlock(body) && n.parameters.length > 0 && !usesParameters(n) && isPlaceholder(body) && ts.isArrowFunction(n)
        && ts.isVariableDeclaration(n.parent)) {
        add('placeholder-return', n, `${name}() ignores its parameters and only returns ${body.getText(sf).slice(0, 60)}`, name);
      }
    }
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n)) {
      const cond = ts.isIfStatement(n) ? n.expression : n.condition;
      const t = cond.getText(sf);
      const m = FLAG.exec(t);
      if (m !== null) add('legacy-branch', n, `a branch on ${t.replace(/\s+/g, ' ').slice(0, 100)} keeps a path alive behind "${m[0]}"`, t.replace(/\s+/g, ' '));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);

  // comments: every TODO/FIXME/XXX/HACK, wherever it is
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sf.languageVariant, text);
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k !== ts.SyntaxKind.SingleLineCommentTrivia && k !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const c = scanner.getTokenText();
    const m = MARKER.exec(c);
    if (m === null) continue;
    const start = scanner.getTokenStart() + (m.index ?? 0);
    const note = `${m[1] ?? ''}${m[2] ? ` ${m[2].replace(/\*\/$/, '').trim()}` : ''}`.trim();
    out.push({ kind: 'todo-comment', file, line: lineOf(start), endLine: lineOf(start), message: `comment: ${note}`, key: `todo-comment\u0000${note}` });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** A file whose name says it keeps an old path alive: *legacy*, *compat*, *shim*, *polyfill*, *deprecated*. */
export function shimFileReason(p: string): string | undefined {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const m = /(legacy|compat|shim|polyfill|deprecated)/i.exec(base);
  return m ? `its name says "${m[1] ?? ''}"` : undefined;
}
