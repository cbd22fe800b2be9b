// The generator's bookkeeping: constants, fresh names, JSONata frames and how a variable read resolves.
/* eslint-disable @typescript-eslint/no-explicit-any -- the jsonata AST is untyped */
import { collectBinds } from './analysis.ts';
import { BUILTINS, UNSUPPORTED_FUNCTIONS, isBuiltin } from './builtins.ts';

/** Thrown by the generator for a construct it does not compile; the mapping then runs on the interpreter. */
export class Unsupported extends Error {
  constructor(readonly construct: string, readonly position: number | undefined) {
    super(`not compiled: ${construct}${position === undefined ? '' : ` (at ${position})`}`);
    this.name = 'Unsupported';
  }
}

/** The generated source, the constants it reads as `k[i]`, and the names it takes from outside. */
export interface Generated {
  /** The body of `function (rt, k) { … }`, returning `function (input, ctx)`. */
  readonly source: string;
  readonly constants: readonly unknown[];
  /** Built-in functions named directly: a binding with one of these names must not be shadowed by the compiled code. */
  readonly builtinsUsed: ReadonlySet<string>;
}

/**
 * The JS function being generated: its locals, declared at its top. The root (the body of `compiledMapping`, run
 * once per evaluation) keeps the variables of its frames at the factory level instead (`Emitter.rootVars`).
 */
export class Fn {
  readonly decls: string[] = [];
  constructor(readonly root = false) {}
}

/** Words of the generated code that are not names. */
const KEYWORDS = new Set(['in', 'if', 'else', 'for', 'continue', 'let', 'const', 'return', 'void', 'typeof', 'true', 'false', 'null', 'new', 'function']);

/** A JSONata frame: a block, a lambda, or the root. Its variables live in the JS function `fn`. */
export interface Scope {
  readonly parent: Scope | undefined;
  readonly vars: Map<string, string>;
  /** Variables certainly assigned at the point being generated (reads need no fallback to the enclosing frame). */
  readonly assigned: Set<string>;
  /** Lambda parameters: they may hold a sequence as a caller made it; every other variable holds an evaluated value. */
  readonly params: ReadonlySet<string>;
  /** Variables of this frame bound once, and only, to a lambda without a signature: name → the lambda's AST. */
  readonly lambdas: ReadonlyMap<string, any>;
}

/** Names a mapping may not assign: domain functions read them from the environment (`$companyPrefixLength`). */
const ENVIRONMENT_NAMES = new Set(['companyPrefixLength']);

/** What every part of code generation shares: the constants table, fresh names and scopes. */
export class Emitter {
  readonly constants: unknown[] = [];
  readonly constantIndex = new Map<unknown, number>();
  readonly builtinsUsed = new Set<string>();
  /** The root frames' variables, declared once beside the hoisted functions and reset by every evaluation. */
  readonly rootVars: string[] = [];
  /** `const cN = …;`: functions and lambdas made once, when the mapping is compiled (see `hoist`). */
  readonly hoisted: string[] = [];
  /** Names visible at the factory level: what a hoisted function may refer to. */
  readonly #factory = new Set(['rt', 'k', 'ctx', 'r0', 'i0']);
  #ids = 0;

  id(prefix: string): string {
    return `${prefix}${++this.#ids}`;
  }

  k(value: unknown): string {
    let i = this.constantIndex.get(value);
    if (i === undefined) {
      i = this.constants.length;
      this.constants.push(value);
      if (value !== null && (typeof value === 'object' || typeof value === 'function')) this.constantIndex.set(value, i);
    }
    return `k[${i}]`;
  }

  /** A new frame whose variables are those assigned by `exprs` outside nested blocks and lambdas. */
  frame(parent: Scope | undefined, exprs: any[], fn: Fn, params: string[]): Scope {
    const lambdas = new Map<string, any>();
    const scope: Scope = { parent, vars: new Map(), assigned: new Set(params), params: new Set(params), lambdas };
    for (const p of params) {
      const ident = this.id('p');
      scope.vars.set(p, ident);
    }
    const names = new Set<string>();
    const binds: any[] = [];
    for (const e of exprs) collectBinds(e, names, binds);
    for (const name of names) {
      const mine = binds.filter((b) => b.lhs.value === name);
      const rhs = mine[0]?.rhs;
      if (mine.length === 1 && !params.includes(name) && rhs.type === 'lambda' && rhs.thunk !== true && rhs.signature === undefined
        && rhs.predicate === undefined && rhs.group === undefined && !rhs.keepArray) lambdas.set(name, rhs);
    }
    for (const name of names) {
      if (scope.vars.has(name)) continue;
      if (ENVIRONMENT_NAMES.has(name)) throw new Unsupported(`assignment of $${name}, which domain functions read`, undefined);
      const ident = this.id('v');
      scope.vars.set(name, ident);
      if (fn.root) {
        this.rootVars.push(ident);
        this.#factory.add(ident);
      } else {
        fn.decls.push(`${ident} = rt.UNSET`);
      }
    }
    return scope;
  }

  /** A closure `(xN) => …` with its own locals; `body` writes its code given its locals and its parameter's name. */
  closure(body: (fn: Fn, param: string) => string, prefix = 'x'): string {
    const start = this.#ids;
    const param = this.id(prefix);
    const fn = new Fn();
    const code = body(fn, param);
    return this.hoist(fn.decls.length === 0 ? `((${param}) => ${code})` : `((${param}) => { let ${fn.decls.join(', ')}; return ${code}; })`, start);
  }

  /** The id counter, before writing a function whose own names are then all numbered above it (see `hoist`). */
  mark(): number {
    return this.#ids;
  }

  /**
   * A function (or lambda) expression written after `mark()` gave `start`, made once when the mapping is compiled
   * (`cN`) when it refers to nothing of one evaluation but the factory-level names: `ctx`, the input and the root
   * frames' variables (each evaluation sets them, and one evaluation runs at a time: `compiledMapping` refuses to be
   * re-entered). Else the expression itself, made where it is evaluated. Every name is unique, and those the
   * function declares are numbered above `start`: the rest are what it refers to from outside.
   */
  hoist(code: string, start: number): string {
    const bare = code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    for (const name of bare.match(/(?<![.\w$])[A-Za-z_$][\w$]*/g) ?? []) {
      if (KEYWORDS.has(name) || this.#factory.has(name)) continue;
      const numbered = /^[a-z]+(\d+)$/.exec(name);
      if (numbered === null || Number(numbered[1]) <= start) return code;
    }
    const name = this.id('c');
    this.hoisted.push(`const ${name} = ${code};`);
    this.#factory.add(name);
    return name;
  }

  temp(fn: Fn): string {
    const t = this.id('t');
    fn.decls.push(t);
    return t;
  }

  /** The hoisted definitions `code` needs, in their order: those the path steps of other routes made are left out. */
  used(code: string): string[] {
    const names = (text: string): string[] => text.match(/(?<![.\w$])c\d+(?![\w$])/g) ?? [];
    const needed = new Set(names(code));
    for (let i = this.hoisted.length - 1; i >= 0; i--) {
      const def = this.hoisted[i] as string;
      const name = /^const (c\d+) = /.exec(def)?.[1] as string;
      if (needed.has(name)) for (const n of names(def.slice(name.length + 9))) needed.add(n);
    }
    return this.hoisted.filter((def) => needed.has(/^const (c\d+) = /.exec(def)?.[1] as string));
  }

  /** A variable read: the nearest frame assigning it, else a built-in function, else a binding. */
  variable(name: string, scope: Scope | undefined): string {
    for (let s = scope; s; s = s.parent) {
      const ident = s.vars.get(name);
      if (ident === undefined) continue;
      if (s.assigned.has(name)) return ident;
      return `(${ident} !== rt.UNSET ? ${ident} : ${this.variable(name, s.parent)})`;
    }
    if (name === '$') return 'r0';
    if (isBuiltin(name)) {
      if (UNSUPPORTED_FUNCTIONS.has(name)) throw new Unsupported(`$${name}`, undefined);
      this.builtinsUsed.add(name);
      return this.k(BUILTINS[name]);
    }
    return `rt.bound(ctx, ${JSON.stringify(name)})`;
  }

  /**
   * Does reading `name` give an evaluated value (one `rt.norm` leaves as it is)? Variables assigned by `:=` hold
   * evaluated values, bindings are plain data, built-ins are functions; a lambda's parameters hold what it was called with.
   */
  isEvaluated(name: string, scope: Scope | undefined): boolean {
    for (let s = scope; s; s = s.parent) {
      if (!s.vars.has(name)) continue;
      if (s.params.has(name)) return false;
      if (s.assigned.has(name)) return true;
    }
    return true;
  }

  /** Is `name` a built-in function at this point (no frame assigns it)? */
  isFreeBuiltin(name: string, scope: Scope | undefined): boolean {
    for (let s = scope; s; s = s.parent) if (s.vars.has(name)) return false;
    return isBuiltin(name) && !UNSUPPORTED_FUNCTIONS.has(name);
  }
}
