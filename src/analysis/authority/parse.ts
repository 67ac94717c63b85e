import ts from 'typescript';
import { FACTS_VERSION, must, type ClassFact, type DecoratorFact, type Expr, type FileFacts, type FnFact, type Guard } from './facts';

/**
 * Extracts the facts of one file (./facts.ts) with TypeScript's parser alone: no program, no type checker, no
 * module loading, nothing of the reviewed tree is executed. Identifiers are resolved lexically here (function scopes,
 * hoisting), so the linker only has to join files.
 */

const UNKNOWN: Expr = { k: 'unknown' };

/** Records keyed by names from the reviewed code have no prototype: a method named "constructor" or "__proto__" is just a name. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Why a file is not worth parsing (minified or generated), or undefined. */
export function skipReason(text: string): string | undefined {
  if (text.length < 2000) return undefined;
  let newlines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) newlines++;
  const average = text.length / (newlines + 1);
  if (average > 300) return `minified (${Math.round(average)} characters per line on average)`;
  return undefined;
}

type Binding =
  | { k: 'var' }
  | { k: 'param'; i: number; p?: string[] }
  | { k: 'import'; spec: string; n: string };

interface Scope {
  fn: number;
  names: Map<string, Binding>;
}


function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)
    || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

function propName(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && (ts.isStringLiteral(name.expression) || ts.isNoSubstitutionTemplateLiteral(name.expression))) return name.expression.text;
  return undefined;
}

class Extractor {
  readonly facts: FileFacts;
  private scopes: Scope[] = [];
  private fnStack: number[] = [0];
  private classStack: (number | undefined)[] = [undefined];
  private guards: Guard[] = [];
  private inInit = false;

  constructor(private readonly sf: ts.SourceFile) {
    this.facts = {
      v: FACTS_VERSION, lines: sf.getLineAndCharacterOfPosition(sf.end).line + 1,
      fns: [{ name: '<module>', line: 1, endLine: 1, kind: 'module', parent: -1, params: [] }],
      calls: [], classes: [], assigns: [], returns: [], exports: dict(), starExports: [], imports: [],
    };
    must(this.facts.fns[0]).endLine = this.facts.lines;
  }

  private line(n: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(n.getStart(this.sf)).line + 1;
  }

  private get fn(): number {
    return this.fnStack[this.fnStack.length - 1] ?? 0;
  }

  private get cls(): number | undefined {
    return this.classStack[this.classStack.length - 1];
  }

  run(): FileFacts {
    const scope: Scope = { fn: 0, names: new Map() };
    this.scopes.push(scope);
    this.collectDecls(this.sf.statements, scope);
    for (const st of this.sf.statements) this.stmt(st);
    return this.facts;
  }

  // ---- scopes -------------------------------------------------------------------------------------------------

  private declarePattern(name: ts.BindingName, scope: Scope): void {
    if (ts.isIdentifier(name)) scope.names.set(name.text, { k: 'var' });
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) this.declarePattern(el.name, scope);
  }

  /** Hoisting: every name declared in a function body (not in nested functions), before the body is walked. */
  private collectDecls(nodes: readonly ts.Node[], scope: Scope): void {
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n)) this.declarePattern(n.name, scope);
      else if (ts.isFunctionDeclaration(n)) {
        if (n.name) scope.names.set(n.name.text, { k: 'var' });
        return;
      } else if (ts.isClassDeclaration(n)) {
        if (n.name) scope.names.set(n.name.text, { k: 'var' });
        return;
      } else if (ts.isImportDeclaration(n)) {
        this.declareImport(n, scope);
        return;
      } else if (ts.isImportEqualsDeclaration(n)) {
        const ref = n.moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
          scope.names.set(n.name.text, { k: 'import', spec: ref.expression.text, n: '*' });
          this.facts.imports.push(ref.expression.text);
        }
        return;
      } else if (ts.isCatchClause(n) && n.variableDeclaration) this.declarePattern(n.variableDeclaration.name, scope);
      if (isFunctionLike(n) || ts.isClassLike(n) || ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
      ts.forEachChild(n, visit);
    };
    for (const n of nodes) visit(n);
  }

  private declareImport(n: ts.ImportDeclaration, scope: Scope): void {
    if (!ts.isStringLiteral(n.moduleSpecifier)) return;
    const spec = n.moduleSpecifier.text;
    this.facts.imports.push(spec);
    const clause = n.importClause;
    if (!clause) return;
    if (clause.name) scope.names.set(clause.name.text, { k: 'import', spec, n: 'default' });
    const b = clause.namedBindings;
    if (b && ts.isNamespaceImport(b)) scope.names.set(b.name.text, { k: 'import', spec, n: '*' });
    else if (b) for (const el of b.elements) scope.names.set(el.name.text, { k: 'import', spec, n: (el.propertyName ?? el.name).text });
  }

  private resolve(name: string): Expr {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = must(this.scopes[i]);
      const b = s.names.get(name);
      if (!b) continue;
      if (b.k === 'var') return { k: 'var', s: s.fn, n: name };
      if (b.k === 'param') return b.p ? { k: 'param', f: s.fn, i: b.i, p: b.p } : { k: 'param', f: s.fn, i: b.i };
      return { k: 'import', spec: b.spec, n: b.n };
    }
    if (name === 'undefined') return UNKNOWN;
    return { k: 'global', n: name };
  }

  /** Binds a declaration's pattern to a value: [scope, name, value] for each name, through destructuring. */
  private bind(name: ts.BindingName, value: Expr, scopeFn: number): void {
    if (ts.isIdentifier(name)) {
      this.facts.assigns.push([scopeFn, name.text, value]);
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key = el.propertyName ? propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
        const v: Expr = el.dotDotDotToken ? value : { k: 'member', o: value, n: key ?? '*' };
        this.bind(el.name, el.initializer ? { k: 'union', of: [v, this.expr(el.initializer)] } : v, scopeFn);
      }
    } else {
      for (const el of name.elements) if (!ts.isOmittedExpression(el)) this.bind(el.name, { k: 'member', o: value, n: '*' }, scopeFn);
    }
  }

  /** Which scope declares `name` (for assignments): its function index. */
  private scopeOf(name: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = must(this.scopes[i]);
      const b = scope.names.get(name);
      if (b) return b.k === 'var' ? scope.fn : undefined;
    }
    return undefined;
  }

  // ---- functions and classes ----------------------------------------------------------------------------------

  private annotation(t: ts.TypeNode | undefined): Expr | undefined {
    if (!t || !ts.isTypeReferenceNode(t)) return undefined;
    const tn = t.typeName;
    let type: Expr;
    if (ts.isIdentifier(tn)) type = this.resolve(tn.text);
    else if (ts.isIdentifier(tn.left)) type = { k: 'member', o: this.resolve(tn.left.text), n: tn.right.text };
    else return undefined;
    if (type.k === 'global' || type.k === 'unknown') return undefined;
    const a = t.typeArguments?.[0];
    const arg = a && ts.isTypeReferenceNode(a) && ts.isIdentifier(a.typeName) ? a.typeName.text : undefined;
    return arg ? { k: 'annot', t: type, arg } : { k: 'annot', t: type };
  }

  private decorators(n: ts.Node): DecoratorFact[] {
    const ds = ts.canHaveDecorators(n) ? ts.getDecorators(n) : undefined;
    if (!ds) return [];
    return ds.map(d => {
      const e = d.expression;
      if (ts.isCallExpression(e)) return { callee: this.expr(e.expression), args: e.arguments.map(a => this.expr(a)), line: this.line(d) };
      return { callee: this.expr(e), args: [], line: this.line(d) };
    });
  }

  private func(node: ts.FunctionLikeDeclaration, name: string, cls?: number): number {
    const index = this.facts.fns.length;
    const kind: FnFact['kind'] = ts.isArrowFunction(node) ? 'arrow' : ts.isConstructorDeclaration(node) ? 'constructor'
      : ts.isMethodDeclaration(node) ? 'method' : ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) ? 'getter' : 'function';
    const fact: FnFact = {
      name, line: this.line(node.name && !ts.isComputedPropertyName(node.name) ? node.name : node), endLine: this.sf.getLineAndCharacterOfPosition(node.end).line + 1, kind, parent: this.fn,
      params: node.parameters.map((p, i) => (ts.isIdentifier(p.name) ? p.name.text : `arg${i}`)),
    };
    if (cls !== undefined) fact.cls = cls;
    this.facts.fns.push(fact);
    const scope: Scope = { fn: index, names: new Map() };
    node.parameters.forEach((p, i) => {
      if (ts.isIdentifier(p.name)) scope.names.set(p.name.text, { k: 'param', i });
      else this.declareParamPattern(p.name, scope, i, []);
    });
    if (node.name && ts.isIdentifier(node.name) && (ts.isFunctionExpression(node)) && !scope.names.has(node.name.text)) {
      scope.names.set(node.name.text, { k: 'var' });
      this.facts.assigns.push([index, node.name.text, { k: 'fn', f: index }]);
    }
    const ds = this.decorators(node);
    if (ds.length > 0) fact.decorators = ds;
    // parameter annotations, defaults and parameter properties are read in the enclosing scope, as the language does
    node.parameters.forEach((p, i) => {
      const a = this.annotation(p.type);
      if (a) (fact.pann ??= dict())[i] = a;
      if (cls !== undefined && ts.isConstructorDeclaration(node) && ts.isIdentifier(p.name)
        && p.modifiers?.some(m => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.PublicKeyword
          || m.kind === ts.SyntaxKind.ProtectedKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword)) {
        const c = must(this.facts.classes[cls]);
        (c.fields[p.name.text] ??= []).push({ k: 'param', f: index, i }, ...(a ? [a] : []));
      }
      const pd = ts.canHaveDecorators(p) ? ts.getDecorators(p) : undefined;
      if (pd) for (const d of pd) this.expr(d.expression);
    });
    if (node.body) {
      fact.span = [node.getStart(this.sf), node.end];
      this.scopes.push(scope);
      this.fnStack.push(index);
      const savedGuards = this.guards;
      const savedInit = this.inInit;
      this.guards = [];
      this.inInit = false;
      if (ts.isBlock(node.body)) {
        this.collectDecls(node.body.statements, scope);
        for (const p of node.parameters) if (p.initializer) this.expr(p.initializer);
        const statements = node.body.statements;
        statements.forEach((st, i) => {
          this.stmt(st);
          // `if (ready) return; …; ready = true;`: what follows runs once
          if (!this.inInit && ts.isIfStatement(st) && !st.elseStatement && this.returnsOnly(st.thenStatement)
            && this.initOnceVar(st.expression, statements.slice(i + 1))) this.inInit = true;
        });
      } else {
        for (const p of node.parameters) if (p.initializer) this.expr(p.initializer);
        this.facts.returns.push([index, this.expr(node.body)]);
      }
      this.guards = savedGuards;
      this.inInit = savedInit;
      this.fnStack.pop();
      this.scopes.pop();
    }
    fact.endLine = this.sf.getLineAndCharacterOfPosition(node.end).line + 1;
    return index;
  }

  private declareParamPattern(name: ts.BindingName, scope: Scope, i: number, path: string[]): void {
    if (ts.isIdentifier(name)) {
      scope.names.set(name.text, { k: 'param', i, p: path });
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key = el.propertyName ? propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
        this.declareParamPattern(el.name, scope, i, el.dotDotDotToken ? path : [...path, key ?? '*']);
      }
    } else {
      for (const el of name.elements) if (!ts.isOmittedExpression(el)) this.declareParamPattern(el.name, scope, i, [...path, '*']);
    }
  }

  private classNode(node: ts.ClassLikeDeclaration, name: string): number {
    const index = this.facts.classes.length;
    const c: ClassFact = { name, line: this.line(node), methods: dict(), statics: dict(), fields: dict(), decorators: [] };
    this.facts.classes.push(c);
    c.decorators = this.decorators(node);
    const ext = node.heritageClauses?.find(h => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (ext) c.ext = this.expr(ext.expression);
    this.classStack.push(index);
    for (const m of node.members) {
      const isStatic = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some(x => x.kind === ts.SyntaxKind.StaticKeyword);
      if (ts.isConstructorDeclaration(m)) {
        const ctor: string = 'constructor';
        c.methods[ctor] = this.func(m, `${name}.constructor`, index);
      } else if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
        const n = propName(m.name) ?? '*';
        const f = this.func(m, `${name}.${n}`, index);
        (isStatic ? c.statics : c.methods)[n] = f;
      } else if (ts.isPropertyDeclaration(m)) {
        const n = propName(m.name) ?? '*';
        const values: Expr[] = [];
        const a = this.annotation(m.type);
        if (a) values.push(a);
        if (m.initializer) {
          if (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer)) {
            const f = this.func(m.initializer, `${name}.${n}`, index);
            (isStatic ? c.statics : c.methods)[n] = f;
          } else values.push(this.expr(m.initializer));
        }
        for (const d of this.decorators(m)) void d;
        if (values.length > 0) (c.fields[n] ??= []).push(...values);
      } else if (ts.isClassStaticBlockDeclaration(m)) {
        for (const st of m.body.statements) this.stmt(st);
      }
    }
    this.classStack.pop();
    return index;
  }

  // ---- statements ---------------------------------------------------------------------------------------------

  private exported(n: ts.Node): boolean {
    return ts.canHaveModifiers(n) && (ts.getModifiers(n)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
  }

  private isDefault(n: ts.Node): boolean {
    return ts.canHaveModifiers(n) && (ts.getModifiers(n)?.some(m => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false);
  }

  private stmt(n: ts.Node): void {
    if (ts.isVariableStatement(n)) {
      const exp = this.exported(n);
      for (const d of n.declarationList.declarations) this.varDecl(d, exp);
      return;
    }
    if (ts.isFunctionDeclaration(n)) {
      const name = n.name?.text ?? 'default';
      const f = this.func(n, name);
      if (n.name) this.facts.assigns.push([this.fn, n.name.text, { k: 'fn', f }]);
      if (this.exported(n)) this.facts.exports[this.isDefault(n) ? 'default' : name] = { k: 'fn', f };
      return;
    }
    if (ts.isClassDeclaration(n)) {
      const name = n.name?.text ?? 'default';
      const c = this.classNode(n, name);
      if (n.name) this.facts.assigns.push([this.fn, n.name.text, { k: 'class', c }]);
      if (this.exported(n)) this.facts.exports[this.isDefault(n) ? 'default' : name] = { k: 'class', c };
      return;
    }
    if (ts.isImportDeclaration(n) || ts.isImportEqualsDeclaration(n)) return; // bound while collecting declarations
    if (ts.isExportDeclaration(n)) {
      if (n.isTypeOnly) return;
      const spec = n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
      if (spec) this.facts.imports.push(spec);
      if (!n.exportClause) {
        if (spec) this.facts.starExports.push(spec);
      } else if (ts.isNamespaceExport(n.exportClause)) {
        if (spec) this.facts.exports[n.exportClause.name.text] = { k: 'module', spec };
      } else {
        for (const el of n.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          this.facts.exports[el.name.text] = spec ? { k: 'import', spec, n: local } : this.resolve(local);
        }
      }
      return;
    }
    if (ts.isExportAssignment(n)) {
      this.facts.exports.default = this.expr(n.expression);
      return;
    }
    if (ts.isReturnStatement(n)) {
      if (n.expression) this.facts.returns.push([this.fn, this.expr(n.expression)]);
      return;
    }
    if (ts.isIfStatement(n)) {
      const g = this.guardOf(n.expression);
      this.expr(n.expression);
      const saved = this.guards;
      if (g.length > 0) this.guards = [...saved, ...g];
      const once = this.initOnce(n.expression, n.thenStatement);
      const savedInit = this.inInit;
      if (once) this.inInit = true;
      this.stmt(n.thenStatement);
      this.inInit = savedInit;
      this.guards = saved;
      if (n.elseStatement) this.stmt(n.elseStatement);
      return;
    }
    if (ts.isSwitchStatement(n)) {
      this.expr(n.expression);
      const p = this.paramIndex(n.expression);
      let pending: string[] = [];
      for (const clause of n.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) {
          this.expr(clause.expression);
          const lit = ts.isStringLiteral(clause.expression) || ts.isNoSubstitutionTemplateLiteral(clause.expression) ? clause.expression.text : undefined;
          if (lit === undefined) pending = [];
          else pending.push(lit);
        } else pending = [];
        const saved = this.guards;
        if (p !== undefined && pending.length > 0) this.guards = [...saved, { p, v: [...pending] }];
        for (const st of clause.statements) this.stmt(st);
        this.guards = saved;
        if (clause.statements.length > 0) pending = [];
      }
      return;
    }
    if (ts.isExpressionStatement(n)) {
      this.expr(n.expression);
      return;
    }
    if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer)) {
      // for (const m of ['put', 'patch']): m is any element
      const each: Expr = { k: 'member', o: this.expr(n.expression), n: '*' };
      for (const d of n.initializer.declarations) this.bind(d.name, each, this.scopeOf(ts.isIdentifier(d.name) ? d.name.text : '') ?? this.fn);
      this.stmt(n.statement);
      return;
    }
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isModuleDeclaration(n) && !n.body) return;
    if (ts.isEnumDeclaration(n)) return;
    ts.forEachChild(n, c => {
      if (ts.isExpression(c)) this.expr(c);
      else this.stmt(c);
    });
  }

  private varDecl(d: ts.VariableDeclaration, exported: boolean): void {
    const scopeFn = this.scopeOf(ts.isIdentifier(d.name) ? d.name.text : '') ?? this.fn;
    let value: Expr | undefined;
    if (d.initializer) {
      const init = d.initializer;
      const name = ts.isIdentifier(d.name) ? d.name.text : 'anonymous';
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) value = { k: 'fn', f: this.func(init, name) };
      else if (ts.isClassExpression(init)) value = { k: 'class', c: this.classNode(init, name) };
      else value = this.expr(init);
    }
    const a = this.annotation(d.type);
    if (a) value = value ? { k: 'union', of: [value, a] } : a;
    if (value) this.bind(d.name, value, scopeFn);
    if (exported) {
      const names: string[] = [];
      const collect = (b: ts.BindingName): void => {
        if (ts.isIdentifier(b)) names.push(b.text);
        else for (const el of b.elements) if (!ts.isOmittedExpression(el)) collect(el.name);
      };
      collect(d.name);
      for (const nm of names) this.facts.exports[nm] = { k: 'var', s: this.fn, n: nm };
    }
  }

  /**
   * `if (!db) { db = open(); init(db); }` (or `db == null`, `db === undefined`): a module variable set once, on first
   * use. What runs there is initialisation, not the caller's work: the linker gives it an entry point of its own.
   */
  private initOnce(cond: ts.Expression, then: ts.Statement): boolean {
    while (ts.isParenthesizedExpression(cond)) cond = cond.expression;
    let v: ts.Expression | undefined;
    if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) v = cond.operand;
    else if (ts.isBinaryExpression(cond) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(cond.operatorToken.kind)
      && (cond.right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(cond.right) && cond.right.text === 'undefined'))) v = cond.left;
    while (v && (ts.isParenthesizedExpression(v) || ts.isNonNullExpression(v))) v = v.expression;
    if (!v || !ts.isIdentifier(v)) return false;
    const r = this.resolve(v.text);
    if (r.k !== 'var' || r.s !== 0) return false;
    const name = v.text;
    let assigned = false;
    const visit = (x: ts.Node): void => {
      if (assigned) return;
      if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(x.left) && x.left.text === name) assigned = true;
      else ts.forEachChild(x, visit);
    };
    visit(then);
    return assigned;
  }

  private returnsOnly(st: ts.Statement): boolean {
    if (ts.isReturnStatement(st)) return true;
    return ts.isBlock(st) && st.statements.length === 1 && st.statements[0] !== undefined && ts.isReturnStatement(st.statements[0]);
  }

  /** `if (ready)` / `if (db)` / `if (x !== null)` on a module variable that the given statements assign. */
  private initOnceVar(cond: ts.Expression, rest: readonly ts.Statement[]): boolean {
    while (ts.isParenthesizedExpression(cond)) cond = cond.expression;
    let v: ts.Expression = cond;
    if (ts.isBinaryExpression(cond) && [ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(cond.operatorToken.kind)) v = cond.left;
    if (!ts.isIdentifier(v)) return false;
    const r = this.resolve(v.text);
    if (r.k !== 'var' || r.s !== 0) return false;
    const name = v.text;
    let assigned = false;
    const visit = (x: ts.Node): void => {
      if (assigned || isFunctionLike(x)) return;
      if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(x.left) && x.left.text === name) assigned = true;
      else ts.forEachChild(x, visit);
    };
    for (const st of rest) visit(st);
    return assigned;
  }

  private paramIndex(e: ts.Expression): number | undefined {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (!ts.isIdentifier(e)) return undefined;
    const r = this.resolve(e.text);
    return r.k === 'param' && r.f === this.fn && !r.p ? r.i : undefined;
  }

  /** `a === 'x' && (b === 'y' || b === 'z')` -> guards on the parameters a and b. */
  private guardOf(e: ts.Expression): Guard[] {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return [...this.guardOf(e.left), ...this.guardOf(e.right)];
      if (op === ts.SyntaxKind.BarBarToken) {
        const l = this.guardOf(e.left);
        const r = this.guardOf(e.right);
        const [lg] = l;
        const [rg] = r;
        if (l.length === 1 && r.length === 1 && lg && rg && lg.p === rg.p) return [{ p: lg.p, v: [...lg.v, ...rg.v] }];
        return [];
      }
      if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) {
        const lit = (x: ts.Expression) => (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x) ? x.text : undefined);
        const lv = lit(e.left);
        const rv = lit(e.right);
        const p = rv !== undefined ? this.paramIndex(e.left) : lv !== undefined ? this.paramIndex(e.right) : undefined;
        const v = rv ?? lv;
        if (p !== undefined && v !== undefined) return [{ p, v: [v] }];
      }
    }
    return [];
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  private call(callee: Expr, args: Expr[], at: ts.Node, isNew: boolean): Expr {
    const c = this.facts.calls.length;
    this.facts.calls.push({ f: this.fn, callee, args, line: this.line(at), ...(isNew ? { isNew: true as const } : {}),
      ...(this.guards.length > 0 ? { guards: this.guards } : {}), ...(this.inInit ? { init: true as const } : {}) });
    return { k: 'call', c };
  }

  private args(list: readonly ts.Expression[] | undefined): Expr[] {
    return (list ?? []).map(a => this.expr(a));
  }

  expr(n: ts.Expression): Expr {
    switch (n.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.AwaitExpression:
        return this.expr((n as ts.ParenthesizedExpression).expression);
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { k: 'str', v: (n as ts.StringLiteral).text };
      case ts.SyntaxKind.TemplateExpression: {
        const t = n as ts.TemplateExpression;
        const parts = [t.head.text];
        const subs: Expr[] = [];
        for (const span of t.templateSpans) {
          subs.push(this.expr(span.expression));
          parts.push(span.literal.text);
        }
        return { k: 'tpl', parts, subs };
      }
      case ts.SyntaxKind.Identifier:
        return this.resolve((n as ts.Identifier).text);
      case ts.SyntaxKind.ThisKeyword: {
        const c = this.cls;
        return c !== undefined ? { k: 'this', c, f: this.fn } : { k: 'this', f: this.fn };
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const p = n as ts.PropertyAccessExpression;
        return { k: 'member', o: this.expr(p.expression), n: p.name.text };
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const p = n as ts.ElementAccessExpression;
        const a = p.argumentExpression;
        const key = ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a) ? a.text : undefined;
        if (key !== undefined) return { k: 'member', o: this.expr(p.expression), n: key };
        // router[method](…): the name is what the key evaluates to, when the linker can tell
        const computed = this.expr(a);
        return { k: 'member', o: this.expr(p.expression), n: '*', key: computed };
      }
      case ts.SyntaxKind.CallExpression: {
        const c = n as ts.CallExpression;
        if (c.expression.kind === ts.SyntaxKind.ImportKeyword) {
          const a = c.arguments[0];
          if (a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))) {
            this.facts.imports.push(a.text);
            return { k: 'module', spec: a.text };
          }
          this.args(c.arguments);
          return UNKNOWN;
        }
        if (ts.isIdentifier(c.expression) && c.expression.text === 'require' && this.resolve('require').k === 'global') {
          const a = c.arguments[0];
          if (a && ts.isStringLiteral(a)) {
            this.facts.imports.push(a.text);
            return { k: 'module', spec: a.text };
          }
        }
        const callee = this.expr(c.expression);
        return this.call(callee, this.args(c.arguments), c, false);
      }
      case ts.SyntaxKind.NewExpression: {
        const c = n as ts.NewExpression;
        const callee = this.expr(c.expression);
        return this.call(callee, this.args(c.arguments), c, true);
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const t = n as ts.TaggedTemplateExpression;
        const callee = this.expr(t.tag);
        return this.call(callee, [this.expr(t.template)], t, false);
      }
      case ts.SyntaxKind.ObjectLiteralExpression: {
        const o = n as ts.ObjectLiteralExpression;
        const props: Record<string, Expr> = dict();
        const spread: Expr[] = [];
        for (const p of o.properties) {
          if (ts.isPropertyAssignment(p)) {
            const key = propName(p.name);
            const init = p.initializer;
            const v = ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? { k: 'fn' as const, f: this.func(init, key ?? 'anonymous') } : this.expr(init);
            if (key !== undefined) props[key] = v;
          } else if (ts.isShorthandPropertyAssignment(p)) {
            props[p.name.text] = this.resolve(p.name.text);
          } else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
            const key = propName(p.name);
            const f = this.func(p, key ?? 'anonymous');
            if (key !== undefined) props[key] = { k: 'fn', f };
          } else if (ts.isSpreadAssignment(p)) {
            spread.push(this.expr(p.expression));
          }
        }
        return spread.length > 0 ? { k: 'obj', props, spread } : { k: 'obj', props };
      }
      case ts.SyntaxKind.ArrayLiteralExpression:
        return { k: 'arr', items: (n as ts.ArrayLiteralExpression).elements.map(e => this.expr(e)) };
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression: {
        const f = n as ts.ArrowFunction | ts.FunctionExpression;
        const own = ts.isFunctionExpression(f) && f.name ? f.name.text : undefined;
        return { k: 'fn', f: this.func(f, own ?? this.anonymousName(f)) };
      }
      case ts.SyntaxKind.ClassExpression: {
        const c = n as ts.ClassExpression;
        return { k: 'class', c: this.classNode(c, c.name?.text ?? 'anonymous') };
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = n as ts.ConditionalExpression;
        this.expr(c.condition);
        return { k: 'union', of: [this.expr(c.whenTrue), this.expr(c.whenFalse)] };
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(n as ts.BinaryExpression);
      case ts.SyntaxKind.SpreadElement:
        return this.expr((n as ts.SpreadElement).expression);
      default:
        ts.forEachChild(n, c => {
          if (ts.isExpression(c)) this.expr(c);
          else if (!ts.isTypeNode(c)) this.stmt(c);
        });
        return UNKNOWN;
    }
  }

  /** "handler of router.post('/x')": the name of an anonymous function from where it is passed. */
  private anonymousName(f: ts.Node): string {
    const parent = f.parent;
    if (parent && ts.isCallExpression(parent)) {
      const callee = parent.expression;
      const text = ts.isPropertyAccessExpression(callee) ? `${ts.isIdentifier(callee.expression) ? callee.expression.text : '…'}.${callee.name.text}`
        : ts.isIdentifier(callee) ? callee.text : 'call';
      const first = parent.arguments[0];
      const label = first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? `'${first.text}'` : '';
      // inside a named function, the callback is known by it too ("scheduleFlush > setTimeout() callback"): how a
      // timer or a listener keeps its identity across trees when lines move
      const owner = this.fn > 0 ? this.facts.fns[this.fn]?.name : undefined;
      const prefix = owner && owner !== 'anonymous' && !owner.endsWith(' callback') ? `${owner} > ` : '';
      return `${prefix}${text}(${label}) callback`;
    }
    if (parent && ts.isPropertyAssignment(parent)) return propName(parent.name) ?? 'anonymous';
    return 'anonymous';
  }

  private binary(b: ts.BinaryExpression): Expr {
    const op = b.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) {
      const value = this.expr(b.right);
      this.assign(b.left, value);
      return value;
    }
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken
      || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) {
      const l = this.expr(b.left);
      const r = this.expr(b.right);
      if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) this.assign(b.left, r);
      return op === ts.SyntaxKind.AmpersandAmpersandToken ? r : { k: 'union', of: [l, r] };
    }
    if (op === ts.SyntaxKind.CommaToken) {
      this.expr(b.left);
      return this.expr(b.right);
    }
    this.expr(b.left);
    this.expr(b.right);
    return UNKNOWN;
  }

  private assign(left: ts.Expression, value: Expr): void {
    while (ts.isParenthesizedExpression(left) || ts.isAsExpression(left) || ts.isNonNullExpression(left)) left = left.expression;
    if (ts.isIdentifier(left)) {
      const s = this.scopeOf(left.text);
      if (s !== undefined) this.facts.assigns.push([s, left.text, value]);
      return;
    }
    if (ts.isPropertyAccessExpression(left)) {
      const o = left.expression;
      if (o.kind === ts.SyntaxKind.ThisKeyword && this.cls !== undefined) {
        (must(this.facts.classes[this.cls]).fields[left.name.text] ??= []).push(value);
        return;
      }
      if (ts.isIdentifier(o) && o.text === 'exports' && this.resolve('exports').k === 'global') {
        this.facts.exports[left.name.text] = value;
        return;
      }
      if (ts.isPropertyAccessExpression(o) && ts.isIdentifier(o.expression) && o.expression.text === 'module' && o.name.text === 'exports') {
        this.facts.exports[left.name.text] = value;
        return;
      }
      if (ts.isIdentifier(o) && o.text === 'module' && left.name.text === 'exports' && this.resolve('module').k === 'global') {
        this.facts.exports.default = value;
        if (value.k === 'obj') Object.assign(this.facts.exports, value.props);
        return;
      }
      this.expr(o);
      return;
    }
    if (ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) {
      this.expr(left);
      return;
    }
    this.expr(left);
  }
}

/**
 * The last syntax trees of files parsed after edits (the most recent few), so that the next edit of the same file is
 * parsed incrementally from the range that changed: TypeScript reuses the nodes around it, as in an editor.
 */
export class Reparser {
  private readonly last = new Map<string, ts.SourceFile>();

  constructor(private readonly keep = 2) {}

  parse(file: string, text: string): ts.SourceFile {
    const prev = this.last.get(file);
    this.last.delete(file);
    let sf: ts.SourceFile;
    if (prev === undefined) sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    else if (prev.text === text) sf = prev;
    else sf = ts.updateSourceFile(prev, text, changedRange(prev.text, text));
    this.last.set(file, sf);
    if (this.last.size > this.keep) this.last.delete(this.last.keys().next().value as string);
    return sf;
  }

  forget(file: string): void {
    this.last.delete(file);
  }
}

/** The range of `before` that `after` replaces: what lies between their common start and their common end. */
function changedRange(before: string, after: string): ts.TextChangeRange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - start - end), after.length - start - end);
}

/**
 * The facts of one file. Never throws on odd code: the parser recovers, and what it cannot read is left out. With a
 * Reparser, a file it parsed before is parsed again incrementally.
 */
export function extractFacts(file: string, text: string, reparser?: Reparser): FileFacts {
  const skipped = skipReason(text);
  if (skipped) return skippedFacts(text, skipped);
  try {
    const sf = reparser ? reparser.parse(file, text) : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    return new Extractor(sf).run();
  } catch (e) {
    reparser?.forget(file);
    // code nested deeper than the stack allows (generated code can be): the file is reported, the rest goes on
    if (e instanceof RangeError) return skippedFacts(text, 'nested too deeply to analyse');
    throw e;
  }
}

function skippedFacts(text: string, skipped: string): FileFacts {
  return { v: FACTS_VERSION, lines: text.split('\n').length, fns: [{ name: '<module>', line: 1, endLine: 1, kind: 'module', parent: -1, params: [] }],
    calls: [], classes: [], assigns: [], returns: [], exports: dict(), starExports: [], imports: [], skipped };
}
