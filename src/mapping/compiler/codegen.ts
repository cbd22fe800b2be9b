// JSONata AST → JavaScript source: one expression per node, variables resolved to locals at compile time.
/* eslint-disable @typescript-eslint/no-explicit-any -- the jsonata AST is untyped */
import {
  BINARY, MAY_BE_SEQUENCE, SCALAR_RESULTS, SIMPLE_TYPES, constantValue, literal, parseSimpleSignature, reads, size, type SimpleParam,
} from './analysis.ts';
import { BUILTINS } from './builtins.ts';
import { Fn, Unsupported, type Generated, type Scope } from './emitter.ts';
import { PathWriter } from './path-writer.ts';

export { Unsupported, type Generated } from './emitter.ts';

/** Lambdas inlined within one another at most, and the largest body (in AST nodes) inlined. */
const MAX_INLINING = 4;
const MAX_INLINED_SIZE = 150;

export function generate(ast: any): Generated {
  return new Generator().program(ast);
}

class Generator extends PathWriter {
  /** Where each lambda bound by `:=` was written: the context (`$`) its body reads, and its frame. */
  readonly lambdaSites = new Map<any, { readonly inp: string; readonly scope: Scope }>();
  /** The lambdas being inlined, innermost last. */
  readonly inlining: any[] = [];
  /** Writing an inlined body: its tail calls are plain calls (there is no caller's loop to return a thunk to). */
  tailless = false;

  program(ast: any): Generated {
    const fn = new Fn(true);
    const scope = this.frame(undefined, [ast], fn, []);
    const body = this.node(ast, 'i0', scope, fn, 1);
    const state = ['ctx', 'r0', 'i0', ...this.rootVars];
    // One evaluation's state lives beside the hoisted functions, which read it; it is let go when the run ends.
    const source = [
      '"use strict";',
      `let ${state.join(', ')};`,
      ...this.used(body),
      'return function compiledMapping(a0, c0) {',
      '  if (ctx !== void 0) rt.reentered();',
      '  ctx = c0;',
      '  r0 = a0;',
      '  i0 = rt.isArray(r0) && r0.sequence !== true ? rt.wrap(r0) : r0;',
      ...this.rootVars.map((v) => `  ${v} = rt.UNSET;`),
      ...fn.decls.map((d) => `  let ${d};`),
      '  try {',
      `    return ${body};`,
      '  } finally {',
      `    ${state.join(' = ')} = void 0;`,
      '  }',
      '};',
    ].join('\n');
    return { source, constants: this.constants, builtinsUsed: this.builtinsUsed };
  }

  /** `evaluate(expr)`: the node, its predicates and group, and the sequence rules. */
  node(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string {
    const fused = this.keysWhere(expr, inp, scope, fn, depth);
    if (fused !== undefined) return fused;
    let code = this.core(expr, inp, scope, fn, depth);
    let mayBeSequence = !this.normalised.has(code) && (MAY_BE_SEQUENCE.has(expr.type) || (expr.type === 'binary' && expr.value === '..'));
    if (expr.type === 'variable' && expr.value !== '' && this.isEvaluated(expr.value, scope)) mayBeSequence = false;
    if (expr.type === 'function' && expr.procedure.type === 'variable' && SCALAR_RESULTS.has(expr.procedure.value) && this.isFreeBuiltin(expr.procedure.value, scope)) mayBeSequence = false;
    if (Array.isArray(expr.predicate)) {
      for (const p of expr.predicate) code = this.filter(p.expr, code, scope, depth);
      mayBeSequence = true;
    }
    if (expr.type !== 'path' && expr.group !== undefined) code = this.group(expr.group, code, scope, depth);
    if (expr.keepArray) return `rt.normKeep(${code})`;
    return mayBeSequence ? `rt.norm(${code})` : code;
  }

  filter(pred: any, code: string, scope: Scope, depth: number): string {
    if (pred.type === 'number') return `rt.index(${code}, ${JSON.stringify(pred.value)})`;
    const local = this.localNamePredicate(pred, scope);
    if (local !== undefined) {
      // `[$substringAfter($, ':') = $name]`: string items are compared in place, anything else as jsonata would.
      const rhs = this.node(pred.rhs, 'x', scope, new Fn(), depth + 2);
      const general = this.closure((fn, x) => this.node(pred, x, scope, fn, depth + 1));
      return `rt.filterAfter(${code}, ${JSON.stringify(local)}, ${rhs}, ${general}, ctx)`;
    }
    return `rt.filter(${code}, ${this.closure((fn, x) => this.node(pred, x, scope, fn, depth + 1))}, ctx)`;
  }

  /**
   * `$keys(o)[$substringAfter($, 'sep') = $name]`: for a plain object `o`, its keys are compared as
   * `filterAfter` would compare them, without the sequence of keys; anything else as it is compiled.
   */
  keysWhere(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string | undefined {
    if (expr.type !== 'function' || expr.procedure.type !== 'variable' || expr.procedure.value !== 'keys' || !this.isFreeBuiltin('keys', scope)) return undefined;
    if (expr.arguments.length !== 1 || !Array.isArray(expr.predicate) || expr.predicate.length !== 1 || expr.group !== undefined || expr.keepArray || expr.stages !== undefined) return undefined;
    const pred = expr.predicate[0].expr;
    const local = this.localNamePredicate(pred, scope);
    if (local === undefined) return undefined;
    const t = this.temp(fn);
    const arg = this.node(expr.arguments[0], inp, scope, fn, depth + 1);
    const rhs = this.node(pred.rhs, 'x', scope, new Fn(), depth + 2);
    const general = this.closure((f, x) => this.node(pred, x, scope, f, depth + 1));
    const keys = this.builtinCall('keys', [t], inp, fn, depth);
    return `rt.norm((${t} = ${arg}, rt.isPlainObject(${t}) ? rt.keysAfter(${t}, ${JSON.stringify(local)}, ${rhs}, ctx) : rt.filterAfter(${keys}, ${JSON.stringify(local)}, ${rhs}, ${general}, ctx)))`;
  }

  /**
   * The separator of a predicate `$substringAfter($, 'sep') = rhs` where `rhs` is a literal or a variable (it
   * does not read the item, has no effect and cannot fail, so it is read once); else undefined.
   */
  localNamePredicate(pred: any, scope: Scope): string | undefined {
    const bare = (e: any): boolean => e.predicate === undefined && e.group === undefined && e.stages === undefined && !e.keepArray;
    if (pred.type !== 'binary' || pred.value !== '=' || !bare(pred)) return undefined;
    const l = pred.lhs;
    const r = pred.rhs;
    if (l.type !== 'function' || !bare(l) || l.procedure.type !== 'variable' || l.procedure.value !== 'substringAfter') return undefined;
    if (!this.isFreeBuiltin('substringAfter', scope) || l.arguments.length !== 2) return undefined;
    const [a0, a1] = l.arguments as any[];
    if (a0.type !== 'variable' || a0.value !== '' || !bare(a0) || a1.type !== 'string' || !bare(a1)) return undefined;
    if (!bare(r) || !((r.type === 'variable' && r.value !== '') || r.type === 'string')) return undefined;
    return String(a1.value);
  }

  core(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string {
    switch (expr.type) {
      case 'string':
      case 'number':
        return literal(expr.value);
      case 'value':
        return expr.value === null ? 'null' : expr.value === true ? 'true' : 'false';
      case 'regex':
        return `rt.regex(${this.k(expr.value)})`;
      case 'name':
        return `rt.lookup(${inp}, ${JSON.stringify(String(expr.value))})`;
      case 'variable':
        return expr.value === '' ? `rt.context(${inp})` : this.variable(expr.value, scope);
      case 'wildcard':
        return `rt.wildcard(${inp})`;
      case 'descendant':
        return `rt.descendants(${inp})`;
      case 'path':
        return this.path(expr, inp, scope, fn, depth);
      case 'binary':
        return this.binary(expr, inp, scope, fn, depth);
      case 'unary':
        return this.unary(expr, inp, scope, fn, depth);
      case 'condition': {
        const c = this.node(expr.condition, inp, scope, fn, depth + 1);
        const t = this.node(expr.then, inp, scope, fn, depth + 1);
        const e = expr.else === undefined ? 'void 0' : this.node(expr.else, inp, scope, fn, depth + 1);
        return `(rt.boolean(${c}) ? ${t} : ${e})`;
      }
      case 'block':
        return this.block(expr, inp, scope, fn, depth);
      case 'bind': {
        const name = expr.lhs.value as string;
        if (expr.rhs.type === 'lambda') this.lambdaSites.set(expr.rhs, { inp, scope });
        const value = this.node(expr.rhs, inp, scope, fn, depth + 1);
        const ident = scope.vars.get(name);
        if (ident === undefined) throw new Error(`internal: $${name} was not collected`);
        return `(${ident} = ${value})`;
      }
      case 'lambda':
        return expr.thunk === true ? this.call(expr.body, inp, scope, fn, depth, undefined, !this.tailless) : this.lambda(expr, inp, scope);
      case 'function':
        return this.call(expr, inp, scope, fn, depth, undefined, false);
      case 'apply':
        return this.apply(expr, inp, scope, fn, depth);
      case 'parent':
        throw new Unsupported('the parent operator %', expr.position);
      case 'partial':
        throw new Unsupported('partial application', expr.position);
      case 'transform':
        throw new Unsupported('the transform operator |…|', expr.position);
      case 'sort':
        throw new Unsupported('an order-by outside a path', expr.position);
      default:
        throw new Unsupported(`node type ${String(expr.type)}`, expr.position);
    }
  }

  binary(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string {
    const l = this.node(expr.lhs, inp, scope, fn, depth + 1);
    const r = this.node(expr.rhs, inp, scope, fn, depth + 1);
    const op = BINARY[expr.value as string];
    if (expr.value === 'and') return `(rt.bool(${l}) && rt.bool(${r}))`;
    if (expr.value === 'or') return `(rt.bool(${l}) || rt.bool(${r}))`;
    if (op === undefined) throw new Unsupported(`the operator ${String(expr.value)}`, expr.position);
    return `rt.${op}(${l}, ${r})`;
  }

  unary(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string {
    if (expr.value === '-') return `rt.negate(${this.node(expr.expression, inp, scope, fn, depth + 1)})`;
    if (expr.value === '[') {
      let code = '[]';
      for (const item of expr.expressions as any[]) {
        code = `rt.arrayItem(${code}, ${this.node(item, inp, scope, fn, depth + 1)}, ${item.value === '['})`;
      }
      return expr.consarray ? `rt.consArray(${code})` : code;
    }
    if (expr.value === '{') return this.group(expr, inp, scope, depth, fn);
    throw new Unsupported(`the unary operator ${String(expr.value)}`, expr.position);
  }

  /**
   * An object constructor over `input`. When every key is a distinct string literal (not `__proto__`), the object
   * is built in place (its keys come out in jsonata's order: JS orders index-like keys first in both); else
   * `rt.group` groups.
   */
  group(expr: any, input: string, scope: Scope, depth: number, fn?: Fn): string {
    const pairs: any[][] = expr.lhs;
    const general = (inputCode: string): string => {
      const list = pairs.map(([key, value]) =>
        `[${this.closure((f, x) => this.node(key, x, scope, f, depth + 1))}, ${this.closure((f, x) => this.node(value, x, scope, f, depth + 1))}]`);
      return `rt.group(${inputCode}, [${list.join(', ')}])`;
    };
    const keys = pairs.map(([key]) => (key.type === 'string' ? String(key.value) : undefined));
    const literalKeys = keys.every((k) => k !== undefined && k !== '__proto__' && k !== '_jsonata_lambda' && k !== '_jsonata_function')
      && new Set(keys).size === keys.length;
    if (!literalKeys || fn === undefined) return general(input);
    const constant = constantValue(expr);
    if (constant !== undefined) return this.k(constant);
    // Every item gives every (literal, distinct) key, so each value sees the same context: all the items appended.
    const c = this.temp(fn);
    const o = this.temp(fn);
    const u = this.temp(fn);
    const sets = pairs.map(([, value], i) => `(${u} = ${this.node(value, c, scope, fn, depth + 1)}) !== void 0 && (${o}[${JSON.stringify(keys[i])}] = ${u})`);
    return `(${c} = rt.groupContext(${input}), ${o} = {}, ${sets.length > 0 ? `${sets.join(', ')}, ` : ''}${o})`;
  }

  block(expr: any, inp: string, parent: Scope, fn: Fn, depth: number): string {
    const exprs: any[] = expr.expressions;
    if (exprs.length === 0) return 'void 0';
    const scope = this.frame(parent, exprs, fn, []);
    const resets = [...scope.vars.values()].map((ident) => `${ident} = rt.UNSET`);
    const codes = exprs.map((e) => {
      const code = this.node(e, inp, scope, fn, depth + 1);
      for (let b = e; b?.type === 'bind'; b = b.rhs) scope.assigned.add(b.lhs.value);
      return code;
    });
    return `(${[...resets, ...codes].join(', ')})`;
  }

  lambda(expr: any, inp: string, parent: Scope): string {
    const tailless = this.tailless;
    this.tailless = false;
    try {
      return this.lambdaFunction(expr, inp, parent);
    } finally {
      this.tailless = tailless;
    }
  }

  lambdaFunction(expr: any, inp: string, parent: Scope): string {
    const start = this.mark();
    const params = (expr.arguments as any[]).map((a) => String(a.value));
    const fn = new Fn();
    const a = this.id('a');
    const scope = this.frame(parent, [expr.body], fn, params);
    const body = this.node(expr.body, inp, scope, fn, 1);
    const args = params.map((p, i) => `${scope.vars.get(p) as string} = ${a}[${i}]`);
    const decls = [...args, ...fn.decls];
    const signature = expr.signature === undefined ? 'void 0' : this.k(expr.signature);
    return this.hoist(`rt.lambda(${signature}, ${this.k(Object.freeze(params))}, (${a}) => {${decls.length > 0 ? ` let ${decls.join(', ')};` : ''} return ${body}; })`, start);
  }

  /** A function call; `prefix` is the left side of `~>`; `tail`: in tail position of a lambda (a thunk). */
  call(expr: any, inp: string, scope: Scope, fn: Fn, depth: number, prefix: string | undefined, tail: boolean): string {
    const procedure = expr.procedure;
    const args = (expr.arguments as any[]).map((a) => this.node(a, inp, scope, fn, depth + 1));
    const all = prefix === undefined ? args : [prefix, ...args];
    if (procedure.type === 'variable' && this.isFreeBuiltin(procedure.value, scope)) {
      const second = (prefix === undefined ? expr.arguments[1] : expr.arguments[0]) as any;
      const regexArg = second?.type === 'regex' && second.predicate === undefined && second.group === undefined ? second.value as RegExp : undefined;
      return this.builtinCall(procedure.value as string, all, inp, fn, depth, regexArg);
    }
    // A call in tail position stays a call: the thunk it returns keeps mutual recursion flat, as in jsonata.
    const inlined = tail ? undefined : this.inline(procedure, all, scope, fn, depth);
    if (inlined !== undefined) return inlined;
    let proc = this.node(procedure, inp, scope, fn, depth + 1);
    if (procedure.type === 'path') {
      const name = String(procedure.steps[0].value);
      proc = `rt.notAFunction(${proc}, ${JSON.stringify(name)}, ${this.variable(name, scope)})`;
    }
    if (tail) return `rt.tail(ctx, ${proc}, [${all.join(', ')}], ${inp})`;
    return `rt.call(ctx, ${proc}, [${all.join(', ')}], ${inp}, ${depth})`;
  }

  /**
   * A call of `$f` where `$f` is certainly the lambda its frame binds it to once (`$f := function($a, …) {…}`, no
   * signature, before this point), when the lambda is small and does not name itself and the call is not in tail
   * position: its body written here, as
   * jsonata would evaluate it — each parameter bound to its argument (missing ones to nothing, extra ones evaluated
   * and dropped), in a frame of its own whose parent is the lambda's frame, with the context (`$`) of where the
   * lambda was written. No call, no arguments array, no thunk; undefined when the call is not of such a lambda.
   */
  inline(procedure: any, args: string[], scope: Scope, fn: Fn, depth: number): string | undefined {
    if (procedure.type !== 'variable' || procedure.value === '' || procedure.predicate !== undefined || procedure.group !== undefined
      || procedure.stages !== undefined || procedure.keepArray) return undefined;
    const name = procedure.value as string;
    let s: Scope | undefined = scope;
    while (s !== undefined && !s.vars.has(name)) s = s.parent;
    const lambda = s?.lambdas.get(name);
    if (s === undefined || lambda === undefined || !s.assigned.has(name)) return undefined;
    const site = this.lambdaSites.get(lambda);
    if (site === undefined || site.scope !== s || this.inlining.includes(lambda) || this.inlining.length >= MAX_INLINING) return undefined;
    if (size(lambda.body) > MAX_INLINED_SIZE || reads(lambda.body, name)) return undefined;
    const params = (lambda.arguments as any[]).map((a) => String(a.value));
    const frame = this.frame(site.scope, [lambda.body], fn, params);
    const binds = params.map((p, i) => {
      const ident = frame.vars.get(p) as string;
      fn.decls.push(ident);
      return `${ident} = ${args[i] ?? 'void 0'}`;
    });
    const extra = args.slice(params.length);
    const resets = [...frame.vars].filter(([n]) => !frame.params.has(n)).map(([, ident]) => `${ident} = rt.UNSET`);
    this.inlining.push(lambda);
    const tailless = this.tailless;
    this.tailless = true;
    try {
      const body = this.node(lambda.body, site.inp, frame, fn, depth + 1);
      return `(${[...binds, ...extra, ...resets, body].join(', ')})`;
    } finally {
      this.tailless = tailless;
      this.inlining.pop();
    }
  }

  /**
   * A call of a built-in by name. When its signature has only `SIMPLE_TYPES` parameters and the arguments are of
   * exactly those kinds, the signature check would pass them unchanged: the implementation is called directly.
   * Anything else goes through `rt.call` and jsonata's signature check.
   */
  builtinCall(name: string, args: string[], inp: string, fn: Fn, depth: number, regexArg?: RegExp): string {
    const f = BUILTINS[name] as { signature?: { definition?: string } };
    const ref = this.variable(name, undefined);
    const generic = (list: string[]): string => `rt.call(ctx, ${ref}, [${list.join(', ')}], ${inp}, ${depth})`;
    const params = parseSimpleSignature(f.signature?.definition);
    if (name === 'exists' && args.length === 1) return `(${args[0]} !== void 0)`;
    // `<x-b?:s>` with one argument: validation passes it as it is.
    if (name === 'string' && args.length === 1) return `rt.string(${args[0]})`;
    if (name === 'contains' && args.length === 2 && regexArg !== undefined) {
      const t = this.temp(fn);
      return `(${t} = ${args[0]}, typeof ${t} === 'string' ? rt.containsRe(${t}, ${this.k(new RegExp(regexArg))}) : ${generic([t, args[1] as string])})`;
    }
    if (name === 'match' && args.length === 2 && regexArg !== undefined) {
      // Within the depth budget, a call the matcher would make (`rt.call`) cannot fail: the matches are made here.
      const t = this.temp(fn);
      return `(${t} = ${args[0]}, typeof ${t} === 'string' && ctx.depth + 1 < ctx.limits.maxDepth ? rt.matchRe(${t}, ${this.k(new RegExp(regexArg))}) : ${generic([t, args[1] as string])})`;
    }
    if (params === undefined || args.length > params.length || args.length < params.filter((p) => !p.optional).length) return generic(args);
    const temps = args.map(() => this.temp(fn));
    const checks = args.map((_, i) => (SIMPLE_TYPES[(params[i] as SimpleParam).type] as (t: string) => string)(temps[i] as string));
    const assigns = args.map((a, i) => `${temps[i]} = ${a}`);
    // `$lookup(o, key)`: jsonata's `fn.lookup`, which `rt.lookup` is, line for line.
    const direct = name === 'lookup' && args.length === 2 ? `rt.lookup(${temps.join(', ')})` : `${ref}.implementation.call(ctx.focus, ${temps.join(', ')})`;
    if (args.length === 0) return generic([]);
    return `(${assigns.join(', ')}, ${checks.join(' && ')} ? ${direct} : ${generic(temps)})`;
  }

  apply(expr: any, inp: string, scope: Scope, fn: Fn, depth: number): string {
    const lhs = this.node(expr.lhs, inp, scope, fn, depth + 1);
    if (expr.rhs.type === 'function') {
      const t = this.temp(fn);
      return `(${t} = ${lhs}, ${this.call(expr.rhs, inp, scope, fn, depth + 1, t, false)})`;
    }
    const func = this.node(expr.rhs, inp, scope, fn, depth + 1);
    return `rt.chain(ctx, ${lhs}, ${func}, ${inp})`;
  }
}
