/**
 * Per-file facts: what one source file says, extracted by ./parse.ts without looking at any other file, as plain
 * JSON-able data so it can be cached by the file's content address and reused across trees and edits. The linker
 * (./linker.ts) joins the facts of all files into a project model.
 *
 * Values are symbolic expressions (`Expr`): a variable of a scope, a parameter of a function, an import, a property
 * of another value, the result of a call. The linker evaluates them to abstract values (functions, routers, Yjs
 * structures...) with the rule packs.
 */

export type Expr =
  | { k: 'str'; v: string; approx?: true } // a string literal
  | { k: 'tpl'; parts: string[]; subs: Expr[] } // a template literal: parts around the substitutions
  | { k: 'var'; s: number; n: string } // a variable of scope s (a function index) named n
  | { k: 'param'; f: number; i: number; p?: string[] } // parameter i of function f, through a destructuring path
  | { k: 'import'; spec: string; n: string } // an imported binding: n = export name, "default" or "*"
  | { k: 'global'; n: string }
  | { k: 'fn'; f: number }
  | { k: 'class'; c: number }
  | { k: 'obj'; props: Record<string, Expr>; spread?: Expr[] }
  | { k: 'arr'; items: Expr[] }
  | { k: 'member'; o: Expr; n: string; key?: Expr } // n = "*" for a computed property (key: what computes it)
  | { k: 'call'; c: number } // the result of call c of this file
  | { k: 'module'; spec: string } // import('x'), require('x')
  | { k: 'this'; c?: number; f: number }
  | { k: 'annot'; t: Expr; arg?: string } // a value declared with a type annotation (T<arg>)
  | { k: 'union'; of: Expr[] }
  | { k: 'unknown' };

/** `param === 'literal'` (or a switch case) guarding a call: the call runs only when parameter p is one of v. */
export interface Guard {
  p: number;
  v: string[];
}

export interface FnFact {
  name: string;
  line: number;
  endLine: number;
  /** 'module' for the top level (function 0). */
  kind: 'module' | 'function' | 'arrow' | 'method' | 'getter' | 'constructor';
  parent: number;
  params: string[];
  cls?: number;
  /** Where the function's text is in the file ([start, end) offsets): an entry point's handler is signed from it. */
  span?: [number, number];
  /** Decorators on a method. */
  decorators?: DecoratorFact[];
  /** Type annotations of parameters (`repo: Repository<User>`), by index. */
  pann?: Record<number, Expr>;
}

export interface CallFact {
  /** The enclosing function. */
  f: number;
  callee: Expr;
  args: Expr[];
  line: number;
  isNew?: true;
  guards?: Guard[];
  /** Made while a module variable is set up on first use (`if (!db) { db = …; init(); }`). */
  init?: true;
}

export interface DecoratorFact {
  callee: Expr;
  args: Expr[];
  line: number;
}

export interface ClassFact {
  name: string;
  line: number;
  ext?: Expr;
  methods: Record<string, number>;
  statics: Record<string, number>;
  /** this.x = value, constructor parameter properties, field initialisers. */
  fields: Record<string, Expr[]>;
  decorators: DecoratorFact[];
}

export interface FileFacts {
  /** Format version of this structure: a cache with another version is ignored. */
  v: number;
  lines: number;
  fns: FnFact[];
  calls: CallFact[];
  classes: ClassFact[];
  /** Every assignment to a variable: [scope, name, value]. */
  assigns: [number, string, Expr][];
  /** What the function returns (arrow bodies included): [function, value]. */
  returns: [number, Expr][];
  /** Exported name -> value. "default" for the default export. */
  exports: Record<string, Expr>;
  /** `export * from 'x'`. */
  starExports: string[];
  /** Module specifiers imported (statically or dynamically), for the module graph. */
  imports: string[];
  /** The file looks generated or minified: facts are empty. */
  skipped?: string;
}

export const FACTS_VERSION = 7;

/** A value the analysis built itself and knows is there (an index it just took, a key it just set). */
export function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('internal error in the authority analysis: a value it built is missing');
  return value;
}
