import * as z from 'zod';
import '../zod-setup';

/**
 * An authority rule pack (`rubric/authority/*.json`): what counts as an entry point and what counts as a write, for
 * one framework or one task, as data. The analysis tracks values through the program (variables, parameters, return
 * values, imports and re-exports); a pack names
 *
 * - **values**: where objects of interest come from. `from` is an external module and an access path on it:
 *   `"Router()"` = call the module's `Router` export, `"()"` = call the module itself (its default export),
 *   `"Server.configure()"`, `"Doc()"` (a call and `new` are the same). `*` matches any one name. The module `<global>`
 *   stands for names nobody declared (`setInterval`, `process`).
 * - **returns**: methods on a value of a type (or on any value: `"*"`) that give a value of another type
 *   (`doc.getMap('marks')` -> `yjs.map` named "marks"), or the same value (`router.routes()` -> `self`). A result
 *   with a `prefixArg` is a route builder under its receiver (`router.route('/x')`, Hono's `app.basePath('/api')`):
 *   routes registered on it are mounted at the receiver's paths plus that prefix.
 * - **callbacks**: methods on a value of a type that call their function argument with a typed parameter
 *   (`db.transaction(trx => trx('t').insert())`: `trx` is a knex database; `"self"` = the receiver's own type).
 * - **identity**: functions that return (one of) their arguments (`fp(plugin)` of fastify-plugin is the plugin).
 * - **routes**, **mounts**: HTTP route registrations and router mounts on typed receivers.
 * - **events**: `x.on('connection', handler)` style registrations; **calls**: a call whose function argument becomes
 *   an entry point (`setInterval(fn)`, `new Worker('q', fn)`); **hooks**: an options object whose function-valued
 *   properties are entry points (`Server.configure({ onChange() {} })`); **decorators**: classes and methods marked
 *   by decorators (`@Controller('x')` + `@Post(':id')`, `@WebSocketGateway()` + `@SubscribeMessage('e')`).
 * - **writes**: calls that write, with what they write where it can be said (a table, a collection, a Yjs structure,
 *   a file).
 * - **categories**: which category an HTTP route falls in (rest by default), decided from its full path or its
 *   handler's file.
 * - **dispatch**: a method that hands work to the entry points registered on the same object
 *   (`hocuspocus.handleConnection(socket)` runs its hooks).
 */

const Name = z.string().min(1).max(200);
const Pattern = z.string().min(1).max(300)
  .regex(/^(?:[A-Za-z_$*][\w$*-]*|\(\))(?:\.(?:[A-Za-z_$*][\w$*-]*)|\(\))*$|^\(\)$/, 'an access path such as "Router()", "Server.configure()" or "()"');
const ModuleName = z.string().min(1).max(214);
const TypeName = z.string().min(1).max(100).regex(/^[A-Za-z_][\w.-]*$/, 'a type name such as "express.router"');
const Receiver = z.union([z.literal('*'), z.array(TypeName).min(1)]);
const Category = z.string().min(1).max(40).regex(/^[a-z][a-z0-9-]*$/, 'a lower-case category such as "rest" or "mark"');
const Kind = z.string().min(1).max(40).regex(/^[a-z][a-z0-9-]*$/, 'a lower-case kind such as "http-route"');
const ArgIndex = z.number().int().min(0).max(20);
/**
 * Why a regular expression could take exponential time on some input (it is matched against paths and file names
 * from the reviewed tree): a backreference, or a repeated group that itself repeats or has alternatives (`(a+)+`,
 * `(a|a)*`). Undefined when it is linear enough to match untrusted text.
 */
export function regexRisk(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'a backreference';
  const groups: { quantified: boolean; alternation: boolean }[] = [{ quantified: false, alternation: false }];
  const top = () => groups[groups.length - 1] ?? { quantified: false, alternation: false };
  const repeats = (i: number) => {
    const c = source[i];
    if (c === '*' || c === '+') return true;
    if (c !== '{') return false;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    return m !== null && m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      if (repeats(i + 1) || source[i + 1] === '?') top().quantified = true;
      continue;
    }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      if (repeats(i + 1) || source[i + 1] === '?') top().quantified = true;
      continue;
    }
    if (c === '(') {
      groups.push({ quantified: false, alternation: false });
      continue;
    }
    if (c === '|') top().alternation = true;
    if (c === ')') {
      const g = groups.pop() ?? { quantified: false, alternation: false };
      if (repeats(i + 1)) {
        if (g.quantified) return 'a repeated group that repeats inside';
        if (g.alternation) return 'a repeated group of alternatives';
        top().quantified = true;
      }
      if (g.quantified) top().quantified = true;
      continue;
    }
    if ((repeats(i + 1) || source[i + 1] === '?') && c !== '*' && c !== '+' && c !== '?' && c !== '}') top().quantified = true;
  }
  return undefined;
}

/** A regular expression written as a string; compiled with the "u" flag, and refused when it could backtrack for ever. */
const RegexText = z.string().min(1).max(500).superRefine((s, ctx) => {
  try {
    new RegExp(s, 'u');
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a valid regular expression' });
    return;
  }
  const risk = regexRisk(s);
  if (risk) ctx.addIssue({ code: 'custom', message: `${risk} can take exponential time on a long path: not allowed` });
});

const From = z.strictObject({ module: ModuleName, path: Pattern });

const ValueRule = z.strictObject({
  type: TypeName,
  /** Created by calling (or `new`-ing) a module's export. */
  from: From.optional(),
  /** Declared with a type annotation imported from a module (`repo: Repository<User>`): named by the type argument. */
  annotation: z.strictObject({ module: ModuleName, name: Name }).optional(),
  /** A class that extends a module's export (`class User extends Model`): the class itself has the type. */
  extends: z.strictObject({ module: ModuleName, name: Name }).optional(),
  /** Values of this type are programs' roots (an app, a server): what is mounted on them, transitively, is reachable. */
  root: z.boolean().default(false),
  /** The value's name: the string argument at this index, or an option of an object argument ("prefix" of arg 0). */
  nameArg: ArgIndex.optional(),
  /** A route prefix given at creation (`new Router({ prefix: '/api' })`): argument index and property. */
  prefixOption: z.strictObject({ arg: ArgIndex, key: Name }).optional(),
}).refine(r => [r.from, r.annotation, r.extends].filter(x => x !== undefined).length === 1, 'give exactly one of "from", "annotation" or "extends"');

const ReturnRule = z.strictObject({
  on: Receiver,
  /** Method names ("*" = any; "()" = calling the value itself, or `new` on it). */
  methods: z.array(Name).min(1),
  /** Match a property read (`prisma.user`) instead of a method call; the result is named by the property. */
  property: z.boolean().default(false),
  /** Names that never match (`$transaction` on a Prisma client). */
  except: z.array(Name).default([]),
  /** The type of the result, or "self" for the receiver itself (chaining). */
  type: z.union([TypeName, z.literal('self')]),
  /** Name the result by the argument at this index (a string, or an identifier's name: `getRepository(User)`). */
  nameArg: ArgIndex.optional(),
  prefixOption: z.strictObject({ arg: ArgIndex, key: Name }).optional(),
  /**
   * The result is a route builder under the receiver, at the path given by the string argument at this index
   * (`router.route('/x')`, `app.basePath('/api')`): what is registered on it is mounted on the receiver under that path.
   */
  prefixArg: ArgIndex.optional(),
});

const CallbackRule = z.strictObject({
  on: z.array(TypeName).min(1),
  methods: z.array(Name).min(1),
  /** The function argument: the first function-valued argument at or after this index. */
  fnArg: ArgIndex.default(0),
  /** Which parameter of that function gets the type. */
  param: ArgIndex.default(0),
  /** The parameter's type, or "self" for the receiver itself (a transaction handle that behaves like the database). */
  type: z.union([TypeName, z.literal('self')]),
});

const IdentityRule = z.strictObject({
  /** A function of a module (`"()"` of fastify-plugin: its default export). */
  from: From,
  /** The argument the call returns. */
  arg: ArgIndex.default(0),
});

const HttpMethodMap = z.record(Name, z.string().regex(/^[A-Z]+$|^\*$/, 'an upper-case HTTP method or "*"'));

const RouteRule = z.strictObject({
  on: z.array(TypeName).min(1),
  /** receiver method -> HTTP method ("*" for all). */
  methods: HttpMethodMap,
  /** The path argument; when it is not a string the route is registered at the receiver's own path. */
  pathArg: ArgIndex.default(0),
  /** Handlers: every argument from this index on (middleware and the handler). Default: the argument after the path. */
  handlersFrom: ArgIndex.optional(),
  /** A route given as one options object (`fastify.route({ method, url, handler })`). */
  object: z.strictObject({ arg: ArgIndex, method: Name, path: Name, handler: Name }).optional(),
  /**
   * koa-router's named routes: when the path argument is a string that does not start with "/" and the next argument
   * is one that does (`router.get('user', '/users/:id', h)`), the first is the route's name and the second its path.
   */
  namedRoutes: z.boolean().default(false),
  kind: Kind.default('http-route'),
});

const MountRule = z.strictObject({
  on: z.array(TypeName).min(1),
  method: Name,
  /** When the argument at this index is a string, it is the prefix; the children follow it. */
  prefixArg: ArgIndex.default(0),
  /** `fastify.register(plugin, { prefix })`: the prefix as an option of an object argument. */
  prefixOption: z.strictObject({ arg: ArgIndex, key: Name }).optional(),
  /**
   * A child that is a function (a Fastify plugin, a setup function) is called with a value of this type as its first
   * argument, mounted under the prefix.
   */
  pluginParamType: TypeName.optional(),
});

const EventRule = z.strictObject({
  on: z.array(TypeName).min(1),
  methods: z.array(Name).min(1),
  /** Only these event names (the string first argument); every event when omitted. */
  events: z.array(Name).optional(),
  handlerArg: ArgIndex.default(1),
  kind: Kind,
  category: Category,
  /** Types of the handler's parameters (the socket of a connection handler). */
  paramTypes: z.array(TypeName.nullable()).optional(),
});

/**
 * In events, calls and hooks, the handler is the first function-valued argument at or after handlerArg (so both
 * `queue.process(fn)` and `queue.process('name', fn)` work with handlerArg 0).
 */
const CallRule = z.strictObject({
  /** A function of a module (`setInterval` of <global>, `Worker()` of bullmq), or a method on a typed receiver. */
  from: From.optional(),
  on: z.array(TypeName).min(1).optional(),
  methods: z.array(Name).min(1).optional(),
  handlerArg: ArgIndex,
  /** The entry point's name: the string argument at this index (a queue's name). */
  nameArg: ArgIndex.optional(),
  kind: Kind,
  category: Category,
  paramTypes: z.array(TypeName.nullable()).optional(),
}).refine(r => (r.from !== undefined) !== (r.on !== undefined && r.methods !== undefined), 'give either "from" or both "on" and "methods"');

const HookRule = z.strictObject({
  from: From.optional(),
  on: z.array(TypeName).min(1).optional(),
  methods: z.array(Name).min(1).optional(),
  objectArg: ArgIndex.default(0),
  /** Only these properties are hooks; every function-valued property when omitted. */
  keys: z.array(Name).optional(),
  kind: Kind,
  category: Category,
  /** Types of each hook's parameters (y-websocket's `bindState(docName, ydoc)`: `[null, "yjs.doc"]`). */
  paramTypes: z.array(TypeName.nullable()).optional(),
}).refine(r => (r.from !== undefined) !== (r.on !== undefined && r.methods !== undefined), 'give either "from" or both "on" and "methods"');

const DecoratorRule = z.strictObject({
  module: ModuleName,
  /** The class decorator (`Controller`); its first string argument (or `path` option) is the prefix. */
  classDecorator: Name,
  /** Method decorator -> HTTP method, or the event kind for message decorators. */
  methodDecorators: z.record(Name, z.string().min(1).max(40)),
  kind: Kind,
  category: Category,
  /** The method decorators name events, not HTTP methods (WebSocket gateways). */
  events: z.boolean().default(false),
  /** Methods that are entry points by their name alone in such a class (`handleConnection`, `handleDisconnect`). */
  lifecycleMethods: z.array(Name).default([]),
});

const WriteRule = z.strictObject({
  kind: z.string().min(1).max(40).regex(/^[a-z][a-z0-9-]*$/),
  /** A function of a module (`writeFileSync` of fs), or methods on typed receivers, or on any receiver ("*"). */
  from: From.optional(),
  on: Receiver.optional(),
  methods: z.array(Name).min(1).optional(),
  /**
   * What is written: the receiver's name (a Yjs structure, a model), the argument at an index (a string, a class or
   * identifier's name, or a named value such as a Yjs structure), or a fixed name. `callback`: what the function
   * argument at that index writes with writes of the same kind, directly or through the functions it calls (a few
   * calls deep; a structure handed to a helper as an argument is named by the argument), and `fixed` when it cannot
   * be told (`doc.transact(() => text.insert(…))` writes the text).
   */
  target: z.union([
    z.strictObject({ receiver: z.literal(true) }),
    z.strictObject({ arg: ArgIndex }),
    z.strictObject({ fixed: Name }),
    z.strictObject({ callback: ArgIndex, fixed: Name }),
  ]).optional(),
  /** The argument at this index must be SQL text that writes (INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP, ALTER...); its table is the target. */
  sqlArg: ArgIndex.optional(),
  /** The receiver is a statement prepared from SQL text (`db.prepare(sql)`, named by it): the write is where it runs. */
  sqlReceiver: z.boolean().optional(),
}).refine(r => r.from !== undefined || (r.on !== undefined && r.methods !== undefined), 'give "from", or "on" and "methods"');

const CategoryRule = z.strictObject({
  category: Category,
  /** Matches any of the route's full mounted paths. */
  path: RegexText.optional(),
  /** Matches the handler's or the registration's file (relative, "/" separators). */
  file: RegexText.optional(),
}).refine(r => r.path !== undefined || r.file !== undefined, 'give "path" or "file"');

const DispatchRule = z.strictObject({
  on: z.array(TypeName).min(1),
  methods: z.array(Name).min(1),
});

export const RulePackSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().min(1).max(80).regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lower-case id such as "express"'),
  version: z.number().int().min(1),
  description: z.string().max(2000).optional(),
  /** Modules this pack is about: shown in reports, and the pack's value rules only apply to them. */
  modules: z.array(ModuleName).default([]),
  values: z.array(ValueRule).default([]),
  returns: z.array(ReturnRule).default([]),
  callbacks: z.array(CallbackRule).default([]),
  identity: z.array(IdentityRule).default([]),
  routes: z.array(RouteRule).default([]),
  mounts: z.array(MountRule).default([]),
  events: z.array(EventRule).default([]),
  calls: z.array(CallRule).default([]),
  hooks: z.array(HookRule).default([]),
  decorators: z.array(DecoratorRule).default([]),
  writes: z.array(WriteRule).default([]),
  categories: z.array(CategoryRule).default([]),
  dispatch: z.array(DispatchRule).default([]),
});

export type RulePack = z.infer<typeof RulePackSchema>;
export type RulePackInput = z.input<typeof RulePackSchema>;
export type ValueRuleT = z.infer<typeof ValueRule>;
export type ReturnRuleT = z.infer<typeof ReturnRule>;
export type CallbackRuleT = z.infer<typeof CallbackRule>;
export type IdentityRuleT = z.infer<typeof IdentityRule>;
export type RouteRuleT = z.infer<typeof RouteRule>;
export type MountRuleT = z.infer<typeof MountRule>;
export type EventRuleT = z.infer<typeof EventRule>;
export type CallRuleT = z.infer<typeof CallRule>;
export type HookRuleT = z.infer<typeof HookRule>;
export type DecoratorRuleT = z.infer<typeof DecoratorRule>;
export type WriteRuleT = z.infer<typeof WriteRule>;
export type CategoryRuleT = z.infer<typeof CategoryRule>;

/** "Router()" -> ["Router", "()"]; "()" -> ["()"]; "Server.configure()" -> ["Server", "configure", "()"]. */
export function patternSteps(pattern: string): string[] {
  const steps: string[] = [];
  for (const m of pattern.matchAll(/\(\)|[^.()]+/g)) steps.push(m[0]);
  return steps;
}
