// The runtime of compiled mappings: JSONata's sequence rules, operators and higher-order functions, synchronous.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
// Ported from jsonata 2.2 (MIT, © IBM Corp.): evaluatePath/Step/Filter, the operators, the group expression and
// the higher-order functions are kept line for line, without `async`, so that a compiled mapping answers as the
// interpreter does. Built-in functions that are synchronous in jsonata are jsonata's own objects (see builtins.ts).
import { LimitError, type MappingLimits } from '../guard.ts';

/** A JSONata sequence: an array with the interpreter's flags. */
export type Sequence = any[] & { sequence?: boolean; keepSingleton?: boolean; cons?: boolean; outerWrapper?: boolean; tupleStream?: boolean };

/** What one evaluation carries: its bindings, clock, budgets, and the focus handed to native functions as `this`. */
export interface EvaluationContext {
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly now: Date;
  readonly limits: MappingLimits;
  readonly focus: Focus;
  /** Lambda nesting, weighted by how deep in its body each call sits (see `call`). */
  depth: number;
  /** Steps left before the clock is read again. */
  budget: number;
  readonly started: number;
  /** Milliseconds after which the run stops with `SliceExceeded` (Infinity: none). */
  readonly sliceMs: number;
}

/** The `this` of a native function, as jsonata builds it. */
export interface Focus {
  environment: { lookup(name: string): unknown; timestamp: Date };
  input: unknown;
  /** The evaluation, for the higher-order functions. */
  readonly ctx: EvaluationContext;
  readonly createSequence: (...items: unknown[]) => Sequence;
}

/** A compiled lambda: jsonata's lambda shape (`_jsonata_lambda`, `arguments` for arity, `signature`) with a JS body. */
export interface Lambda {
  readonly _jsonata_lambda: true;
  readonly arguments: readonly unknown[];
  readonly signature: any;
  readonly body: (args: any[]) => unknown;
  readonly thunk?: boolean;
}

interface Thunk {
  readonly _jsonata_lambda: true;
  readonly thunk: true;
  readonly proc: unknown;
  readonly args: unknown[];
}

/** A jsonata error: a plain object with a code, as the interpreter throws it. */
export function fail(code: string, extra: Record<string, unknown> = {}): never {
  throw { code, stack: new Error().stack, ...extra };
}

// ---- sequences -------------------------------------------------------------------------------------------

export function seq(...items: unknown[]): Sequence {
  const s: Sequence = [];
  s.sequence = true;
  if (items.length === 1) s.push(items[0]);
  return s;
}

export function seq0(): Sequence {
  const s: Sequence = [];
  s.sequence = true;
  return s;
}

export function seq1(item: unknown): Sequence {
  const s: Sequence = [item];
  s.sequence = true;
  return s;
}

export const isSequence = (v: any): boolean => v.sequence === true && Array.isArray(v);

export function isNumeric(n: unknown): boolean {
  if (typeof n !== 'number') return false;
  if (Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) fail('D1001', { value: n });
  return true;
}

export const isFunction = (arg: any): boolean =>
  (arg && (arg._jsonata_function === true || arg._jsonata_lambda === true)) || typeof arg === 'function';

const isLambda = (arg: any): boolean => Boolean(arg && arg._jsonata_lambda === true);

function isArrayOfNumbers(arg: any): boolean {
  return Array.isArray(arg) && arg.filter((item) => !isNumeric(item)).length === 0;
}

function isArrayOfStrings(arg: any): boolean {
  return Array.isArray(arg) && arg.filter((item) => typeof item !== 'string').length === 0;
}

/** What `evaluate` does to every result: a sequence of one is its item, an empty one is nothing. */
export function norm(result: any): any {
  if (result && result.sequence === true && Array.isArray(result) && !(result as Sequence).tupleStream) {
    if (result.length === 0) return undefined;
    if (result.length === 1) return (result as Sequence).keepSingleton ? result : result[0];
  }
  return result;
}

/** `norm` for a node marked `keepArray` (`a[]`). */
export function normKeep(result: any): any {
  if (result && result.sequence === true && Array.isArray(result) && !(result as Sequence).tupleStream) {
    (result as Sequence).keepSingleton = true;
    if (result.length === 0) return undefined;
  }
  return result;
}

export function deepEqual(lhs: any, rhs: any): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    const lkeys = Object.getOwnPropertyNames(lhs).sort();
    const rkeys = Object.getOwnPropertyNames(rhs).sort();
    if (lkeys.length !== rkeys.length) return false;
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
    for (const key of lkeys) if (!deepEqual(lhs[key], rhs[key])) return false;
    return true;
  }
  return false;
}

/** `fn.boolean`: the effective boolean value; `undefined` for nothing. */
export function boolean(arg: any): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return boolean(arg[0]);
    if (arg.length > 1) return arg.filter((v) => boolean(v)).length > 0;
    return false;
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) return Object.keys(arg).length > 0;
  return typeof arg === 'boolean' && arg;
}

/** `boolize`: `boolean`, with nothing as false (the operands of `and` and `or`). */
export function bool(v: any): boolean {
  if (typeof v === 'boolean') return v;
  return boolean(v) ?? false;
}

// ---- names, paths, predicates ------------------------------------------------------------------------------

/** `fn.lookup`: an own property of an object (never its prototype), mapped over arrays. */
export function lookup(input: any, key: string): any {
  if (Array.isArray(input)) {
    const result = seq0();
    for (let i = 0; i < input.length; i++) {
      const res = lookup(input[i], key);
      if (res !== undefined) {
        if (Array.isArray(res)) for (const v of res) result.push(v);
        else result.push(res);
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key) && !isFunction(input)) return input[key];
  return undefined;
}

/** One step of a path: a field name, or a function of the item (the step evaluated, with its own filters). */
export type Step = string | ((item: any) => any) | SortStep;

/** An order-by step (`^(…)`): it takes the whole input sequence. */
export class SortStep {
  constructor(readonly sort: (input: Sequence) => any) {}
}

/**
 * `evaluatePath` without tuple streams. `firstIsVariable`: the path starts with `$…` (absolute);
 * `consFirst`: it starts with an array constructor, evaluated once on the whole input.
 */
export function path(input: any, steps: readonly Step[], firstIsVariable: boolean, consFirst: boolean, keepSingletonArray: boolean): any {
  let inputSequence: any = Array.isArray(input) && !firstIsVariable ? input : seq1(input);
  let result: any;
  const last = steps.length - 1;
  for (let i = 0; i <= last; i++) {
    const step = steps[i] as Step;
    if (i === 0 && consFirst) result = (step as (item: any) => any)(inputSequence);
    else result = evaluateStep(step, inputSequence, i === last);
    if (result === undefined || result.length === 0) break;
    inputSequence = result;
  }
  if (keepSingletonArray) {
    if (Array.isArray(result) && (result as Sequence).cons && !(result as Sequence).sequence) result = seq1(result);
    result.keepSingleton = true;
  }
  return result;
}

/**
 * `path` for `$v.a.b…`: `value` is the variable's (evaluated) value, `names` the fields after it. `plain`: only
 * `norm` reads the result, so a walk through plain objects may answer nothing as `undefined` and one item as itself.
 */
export function varPath(value: any, names: readonly string[], keepSingletonArray: boolean, plain: boolean): any {
  if (plain && value !== undefined && !Array.isArray(value)) return walk(value, names, 0);
  const first = seq0();
  if (value !== undefined) {
    if (!Array.isArray(value) || (value as Sequence).cons) first.push(value);
    else for (const v of value) first.push(v);
  }
  let result: any = first;
  if (first.length > 0) {
    let input: any = first;
    const last = names.length - 1;
    for (let i = 0; i <= last; i++) {
      result = evaluateStep(names[i] as string, input, i === last);
      if (result === undefined || result.length === 0) break;
      input = result;
    }
  }
  if (keepSingletonArray) {
    if (Array.isArray(result) && (result as Sequence).cons && !(result as Sequence).sequence) result = seq1(result);
    result.keepSingleton = true;
  }
  return result;
}

/** `path` of field names only, read only by `norm` (see `varPath`). */
export function namePath(input: any, names: readonly string[]): any {
  if (input !== undefined && !Array.isArray(input)) return walk(input, names, 0);
  return path(input, names, false, false, false);
}

/**
 * The path from step `from` on, from one item that is not an array: field lookups while they give single
 * values; at the first array, the general steps take over from the state jsonata would be in.
 */
function walk(item: any, names: readonly string[], from: number): any {
  let cur = item;
  const last = names.length - 1;
  for (let i = from; i <= last; i++) {
    const res = norm(lookup(cur, names[i] as string));
    if (res === undefined) return undefined;
    if (Array.isArray(res)) {
      // evaluateStep's result for a single array result: itself at the last step (unless a sequence), else flattened.
      if (i === last && !isSequence(res)) return res;
      let input: any = seq0();
      if ((res as Sequence).cons) input.push(res);
      else for (const v of res) input.push(v);
      for (let j = i + 1; j <= last && input.length > 0; j++) input = evaluateStep(names[j] as string, input, j === last);
      return input;
    }
    cur = res;
  }
  return cur;
}

function evaluateStep(step: Step, input: any[], lastStep: boolean): any {
  if (step instanceof SortStep) return step.sort(input as Sequence);
  // One pass: the results are flattened as they come; a single result that is an array (not a sequence) at the
  // last step is the answer itself, as in jsonata's two-pass version.
  const out = seq0();
  let count = 0;
  let first: any;
  for (let i = 0; i < input.length; i++) {
    const res = typeof step === 'string' ? norm(lookup(input[i], step)) : step(input[i]);
    if (res === undefined) continue;
    if (++count === 1) first = res;
    if (!Array.isArray(res) || (res as Sequence).cons) out.push(res);
    else for (const v of res) out.push(v);
  }
  if (lastStep && count === 1 && Array.isArray(first) && !isSequence(first)) return first;
  return out;
}

/** `evaluateFilter` for a literal number (`a[0]`, `a[-1]`). */
export function index(input: any, value: number): any {
  let results: any = seq0();
  const items: any[] = Array.isArray(input) ? input : seq1(input);
  let i = Math.floor(value);
  if (i < 0) i = items.length + i;
  const item = items[i];
  if (item !== undefined) {
    if (Array.isArray(item)) results = item;
    else results.push(item);
  }
  return results;
}

/** `evaluateFilter` for any other predicate; `predicate(item)` is the predicate evaluated on the item. */
export function filter(input: any, predicate: (item: any) => any, ctx: EvaluationContext): any {
  const results = seq0();
  const items: any[] = Array.isArray(input) ? input : seq1(input);
  for (let i = 0; i < items.length; i++) {
    tick(ctx);
    const item = items[i];
    let res = predicate(item);
    if (isNumeric(res)) res = [res];
    if (isArrayOfNumbers(res)) {
      for (const r of res as number[]) {
        let ii = Math.floor(r);
        if (ii < 0) ii = items.length + ii;
        if (ii === i) results.push(item);
      }
    } else if (boolean(res)) {
      results.push(item);
    }
  }
  return results;
}

/** The context item `$`: the input, unwrapped when it is the outer wrapper of an array input. */
export const context = (input: any): any => (input && input.outerWrapper ? input[0] : input);

export function wildcard(input: any): Sequence {
  let results = seq0();
  if (Array.isArray(input) && (input as Sequence).outerWrapper && input.length > 0) input = input[0];
  if (input !== null && typeof input === 'object' && !isFunction(input)) {
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (Array.isArray(value)) results = append(results, flatten(value));
      else results.push(value);
    }
  }
  return results;
}

function flatten(arg: any, flattened: any[] = []): any[] {
  if (Array.isArray(arg)) for (const item of arg) flatten(item, flattened);
  else flattened.push(arg);
  return flattened;
}

export function descendants(input: any): any {
  if (input === undefined) return undefined;
  const results = seq0();
  recurseDescendants(input, results);
  return results.length === 1 ? results[0] : results;
}

function recurseDescendants(input: any, results: any[]): void {
  if (!Array.isArray(input)) results.push(input);
  if (Array.isArray(input)) for (const member of input) recurseDescendants(member, results);
  else if (input !== null && typeof input === 'object' && !isFunction(input)) for (const key of Object.keys(input)) recurseDescendants(input[key], results);
}

// ---- operators ---------------------------------------------------------------------------------------------

function numeric(lhs: any, rhs: any): boolean {
  if (lhs !== undefined && !isNumeric(lhs)) fail('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) fail('T2002', { value: rhs });
  return lhs !== undefined && rhs !== undefined;
}

export const add = (l: any, r: any): any => (numeric(l, r) ? l + r : undefined);
export const sub = (l: any, r: any): any => (numeric(l, r) ? l - r : undefined);
export const mul = (l: any, r: any): any => (numeric(l, r) ? l * r : undefined);
export const div = (l: any, r: any): any => (numeric(l, r) ? l / r : undefined);
export const mod = (l: any, r: any): any => (numeric(l, r) ? l % r : undefined);

export const eq = (l: any, r: any): boolean => (l === undefined || r === undefined ? false : deepEqual(l, r));
export const ne = (l: any, r: any): boolean => (l === undefined || r === undefined ? false : !deepEqual(l, r));

function comparable(lhs: any, rhs: any): boolean {
  const lt = typeof lhs;
  const rt = typeof rhs;
  const lc = lt === 'undefined' || lt === 'string' || lt === 'number';
  const rc = rt === 'undefined' || rt === 'string' || rt === 'number';
  if (!lc || !rc) fail('T2010', { value: !(lt === 'string' || lt === 'number') ? lhs : rhs });
  if (lt === 'undefined' || rt === 'undefined') return false;
  if (lt !== rt) fail('T2009', { value: lhs, value2: rhs });
  return true;
}

export const lt = (l: any, r: any): any => (comparable(l, r) ? l < r : undefined);
export const le = (l: any, r: any): any => (comparable(l, r) ? l <= r : undefined);
export const gt = (l: any, r: any): any => (comparable(l, r) ? l > r : undefined);
export const ge = (l: any, r: any): any => (comparable(l, r) ? l >= r : undefined);

export function includes(lhs: any, rhs: any): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  const list = Array.isArray(rhs) ? rhs : [rhs];
  for (const item of list) if (item === lhs) return true;
  return false;
}

export function range(lhs: any, rhs: any): any {
  if (lhs !== undefined && !Number.isInteger(lhs)) fail('T2003', { value: lhs });
  if (rhs !== undefined && !Number.isInteger(rhs)) fail('T2004', { value: rhs });
  if (lhs === undefined || rhs === undefined || lhs > rhs) return undefined;
  const size = rhs - lhs + 1;
  if (size > 1e7) fail('D2014', { value: size });
  const result: Sequence = new Array(size);
  for (let item = lhs, i = 0; item <= rhs; item++, i++) result[i] = item;
  result.sequence = true;
  return result;
}

export function negate(value: any): any {
  if (value === undefined) return undefined;
  if (isNumeric(value)) return -value;
  return fail('D1002', { value });
}

/** The string of a value, as `&` and `$string` write it; set by builtins.ts to jsonata's own `fn.string`. */
export const strings: { string: (arg: any) => string | undefined } = { string: (arg) => String(arg) };

export function concat(lhs: any, rhs: any): string {
  const l = lhs === undefined ? '' : typeof lhs === 'string' ? lhs : string(lhs);
  const r = rhs === undefined ? '' : typeof rhs === 'string' ? rhs : string(rhs);
  return (l as string) + (r as string);
}

/** `$string(v)`: jsonata's `fn.string`, with its answers for strings, finite numbers, booleans and null computed here. */
export function string(v: any): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  return strings.string(v);
}

/** `fn.append`. */
export function append(arg1: any, arg2: any): any {
  if (arg1 === undefined) return arg2;
  if (arg2 === undefined) return arg1;
  if (!Array.isArray(arg1)) arg1 = seq1(arg1);
  if (!Array.isArray(arg2)) arg2 = [arg2];
  return arg1.concat(arg2);
}

/** One item of an array constructor: an array constructor inside is kept as one item, anything else appended. */
export function arrayItem(result: any[], value: any, nested: boolean): any[] {
  if (value === undefined) return result;
  if (nested || !Array.isArray(value)) result.push(value);
  else for (const v of value) result.push(v);
  return result;
}

export function consArray(result: any[]): any[] {
  Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
  return result;
}

// ---- object constructors -----------------------------------------------------------------------------------

/** `evaluateGroupExpression` without tuple streams: `pairs[i]` is `[key(item), value(context)]`. */
export function group(input: any, pairs: ReadonlyArray<readonly [(item: any) => any, (context: any) => any]>): any {
  const result = Object.create(null);
  const groups: Record<string, { data: any; exprIndex: number }> = Object.create(null);
  const items: any[] = Array.isArray(input) ? input : seq1(input);
  if (items.length === 0) items.push(undefined);
  for (const item of items) {
    for (let p = 0; p < pairs.length; p++) {
      const key = (pairs[p] as readonly [(item: any) => any, unknown])[0](item);
      if (typeof key !== 'string' && key !== undefined) fail('T1003', { value: key });
      if (key === undefined) continue;
      if (key === '_jsonata_lambda' || key === '_jsonata_function') fail('D1013', { value: key });
      const entry = groups[key];
      if (entry !== undefined) {
        if (entry.exprIndex !== p) fail('D1009', { value: key });
        entry.data = append(entry.data, item);
      } else {
        groups[key] = { data: item, exprIndex: p };
      }
    }
  }
  for (const key of Object.keys(groups)) {
    const entry = groups[key] as { data: any; exprIndex: number };
    const value = (pairs[entry.exprIndex] as readonly [unknown, (context: any) => any])[1](entry.data);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * The context of every value of an object constructor whose keys are distinct literals: the input's items
 * appended (as `evaluateGroupExpression` groups them, each key collecting every item).
 */
export function groupContext(input: any): any {
  if (!Array.isArray(input)) return input;
  if (input.length === 0) return undefined;
  let data = input[0];
  for (let i = 1; i < input.length; i++) data = append(data, input[i]);
  return data;
}

// ---- functions ---------------------------------------------------------------------------------------------

/** Reads the clock every so many steps; past the budget → `LimitError('timeoutMs')`. */
export function tick(ctx: EvaluationContext): void {
  if (--ctx.budget > 0) return;
  ctx.budget = 256;
  const elapsed = performance.now() - ctx.started;
  if (elapsed > ctx.sliceMs) throw new SliceExceeded(ctx.sliceMs);
  if (elapsed > ctx.limits.timeoutMs) throw new LimitError('timeoutMs', ctx.limits.timeoutMs);
}

/**
 * Compiled code cannot yield to the event loop. Past its slice it stops with this, and the engine runs the
 * mapping on the interpreter instead, which yields every `SLICE_MS` and keeps the time budget.
 */
export class SliceExceeded extends Error {
  constructor(readonly sliceMs: number) {
    super(`compiled mapping ran past its ${sliceMs} ms slice`);
    this.name = 'SliceExceeded';
  }
}

export function lambda(signature: unknown, params: readonly unknown[], body: (args: any[]) => unknown): Lambda {
  return { _jsonata_lambda: true, arguments: params, signature, body };
}

/**
 * A call: `apply` with the trampoline for tail calls. `weight` is how deep in the calling lambda's body the call
 * sits, so that the depth budget counts nesting as the interpreter's `maxDepth` does (approximately: the
 * interpreter counts every node it enters).
 */
export function call(ctx: EvaluationContext, proc: any, args: any[], input: any, weight: number): any {
  ctx.depth += weight;
  // The body is entered one level below the call: the interpreter counts it too.
  if (ctx.depth >= ctx.limits.maxDepth) {
    ctx.depth -= weight;
    throw new LimitError('maxDepth', ctx.limits.maxDepth);
  }
  // No try/finally: an error ends the whole evaluation (JSONata has no catch), and its context with it.
  let result = proc !== null && typeof proc === 'object' && proc._jsonata_lambda === true && proc.signature === undefined && typeof proc.body === 'function'
    ? (tick(ctx), proc.body(args))
    : applyInner(ctx, proc, args, input);
  while (result !== null && typeof result === 'object' && (result as Thunk).thunk === true && (result as Thunk)._jsonata_lambda === true) {
    result = applyInner(ctx, (result as Thunk).proc, (result as Thunk).args, input);
  }
  ctx.depth -= weight;
  return result;
}

/** A call in tail position of a lambda: a lambda is returned as a thunk for `call`'s loop, anything else applied now. */
export function tail(ctx: EvaluationContext, proc: any, args: any[], input: any): any {
  if (isLambda(proc)) return { _jsonata_lambda: true, thunk: true, proc, args } satisfies Thunk;
  return call(ctx, proc, args, input, 1);
}

function applyInner(ctx: EvaluationContext, proc: any, args: any[], input: any): any {
  const validated = proc && proc.signature !== undefined ? proc.signature.validate(args, input) : args;
  if (isLambda(proc)) {
    tick(ctx);
    return (proc as Lambda).body(validated);
  }
  if (proc && proc._jsonata_function === true) {
    const focus = ctx.focus;
    focus.input = input;
    let result = proc.implementation.apply(focus, validated);
    if (result !== null && typeof result === 'object' && typeof result.next === 'function' && Symbol.iterator in result) result = result.next().value;
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      throw new Error('an asynchronous function was called from a compiled mapping');
    }
    return result;
  }
  if (typeof proc === 'function') return proc.apply(input, validated);
  return fail('T1006');
}

/** The error of calling nothing: T1005 when a name without `$` was meant as a function. */
export function notAFunction(proc: any, name: string | undefined, bound: unknown): any {
  if (proc === undefined && name !== undefined && bound) fail('T1005', { token: name });
  return proc;
}

/** `~>` with a right side that is not a call: apply it, or compose two functions. */
export function chain(ctx: EvaluationContext, lhs: any, func: any, input: any): any {
  if (!isFunction(func)) fail('T2006', { value: func });
  if (isFunction(lhs)) {
    return lambda(undefined, [null], (args) => call(ctx, func, [call(ctx, lhs, [args[0]], undefined, 1)], undefined, 1));
  }
  return call(ctx, func, [lhs], input, 1);
}

const arity = (func: any): number =>
  typeof func.arity === 'number' ? func.arity
    : typeof func.implementation === 'function' ? func.implementation.length
      : typeof func.length === 'number' && typeof func === 'function' ? func.length : func.arguments.length;

function hofArgs(func: any, arg1: any, arg2: any, arg3: any): any[] {
  const args = [arg1];
  const n = arity(func);
  if (n >= 2) args.push(arg2);
  if (n >= 3) args.push(arg3);
  return args;
}

const apply = (ctx: EvaluationContext, func: any, args: any[]): any => call(ctx, func, args, undefined, 1);

function matcher(ctx: EvaluationContext, m: any, str?: string): any {
  const result = apply(ctx, m, str === undefined ? [] : [str]);
  if (result && !(typeof result.start === 'number' || result.end === 'number' || Array.isArray(result.groups) || isFunction(result.next))) fail('T1010');
  return result;
}

/** The higher-order and matcher functions of jsonata, synchronous, each taking the evaluation context first. */
export const HOF: Record<string, (ctx: EvaluationContext, ...args: any[]) => any> = {
  map(ctx: EvaluationContext, arr: any, func: any) {
    if (arr === undefined) return undefined;
    const result = seq0();
    for (let i = 0; i < arr.length; i++) {
      const res = apply(ctx, func, hofArgs(func, arr[i], i, arr));
      if (res !== undefined) result.push(res);
    }
    return result;
  },
  filter(ctx: EvaluationContext, arr: any, func: any) {
    if (arr === undefined) return undefined;
    const result = seq0();
    for (let i = 0; i < arr.length; i++) if (boolean(apply(ctx, func, hofArgs(func, arr[i], i, arr)))) result.push(arr[i]);
    return result;
  },
  single(ctx: EvaluationContext, arr: any, func: any) {
    if (arr === undefined) return undefined;
    let found = false;
    let result;
    for (let i = 0; i < arr.length; i++) {
      const positive = func === undefined ? true : boolean(apply(ctx, func, hofArgs(func, arr[i], i, arr)));
      if (positive) {
        if (found) fail('D3138', { index: i });
        result = arr[i];
        found = true;
      }
    }
    if (!found) fail('D3139');
    return result;
  },
  reduce(ctx: EvaluationContext, sequence: any, func: any, init: any) {
    if (sequence === undefined) return undefined;
    const n = arity(func);
    if (n < 2) fail('D3050', { index: 1 });
    let result;
    let i;
    if (init === undefined && sequence.length > 0) {
      result = sequence[0];
      i = 1;
    } else {
      result = init;
      i = 0;
    }
    for (; i < sequence.length; i++) {
      const args = [result, sequence[i]];
      if (n >= 3) args.push(i);
      if (n >= 4) args.push(sequence);
      result = apply(ctx, func, args);
    }
    return result;
  },
  each(ctx: EvaluationContext, obj: any, func: any) {
    const result = seq0();
    for (const key of typeof obj === 'object' && obj !== null ? Object.keys(obj) : []) {
      const val = apply(ctx, func, hofArgs(func, obj[key], key, obj));
      if (val !== undefined) result.push(val);
    }
    return result;
  },
  sift(ctx: EvaluationContext, arg: any, func: any) {
    const result = Object.create(null);
    for (const key of typeof arg === 'object' && arg !== null ? Object.keys(arg) : []) {
      if (boolean(apply(ctx, func, hofArgs(func, arg[key], key, arg)))) result[key] = arg[key];
    }
    return Object.keys(result).length === 0 ? undefined : result;
  },
  sort(ctx: EvaluationContext, arr: any, comparator: any) {
    if (arr === undefined) return undefined;
    if (arr.length <= 1) return arr;
    let comp: (a: any, b: any) => boolean;
    if (comparator === undefined) {
      if (!isArrayOfNumbers(arr) && !isArrayOfStrings(arr)) fail('D3070', { index: 1 });
      comp = (a, b) => a > b;
    } else {
      comp = (a, b) => Boolean(apply(ctx, comparator, [a, b]));
    }
    return mergeSort(arr, comp);
  },
  contains(ctx: EvaluationContext, str: any, token: any) {
    if (str === undefined || token === undefined) return undefined;
    if (typeof token === 'string') return str.indexOf(token) !== -1;
    return matcher(ctx, token, str) !== undefined;
  },
  match(ctx: EvaluationContext, str: any, regex: any, limit: any) {
    if (str === undefined) return undefined;
    if (limit < 0) fail('D3040', { value: limit, index: 3 });
    const result = seq0();
    if (limit === undefined || limit > 0) {
      let count = 0;
      let m = matcher(ctx, regex, str);
      while (m !== undefined && (limit === undefined || count < limit)) {
        result.push({ match: m.match, index: m.start, groups: m.groups });
        m = matcher(ctx, m.next);
        count++;
      }
    }
    return result;
  },
  replace(ctx: EvaluationContext, str: any, pattern: any, replacement: any, limit: any) {
    if (str === undefined) return undefined;
    if (pattern === '') fail('D3010', { value: pattern, index: 2 });
    if (limit < 0) fail('D3011', { value: limit, index: 4 });
    const replacer = typeof replacement === 'string' ? substituter(replacement) : (m: any) => apply(ctx, replacement, [m]);
    let result = '';
    let position = 0;
    if (limit === undefined || limit > 0) {
      let count = 0;
      if (typeof pattern === 'string') {
        let i = str.indexOf(pattern, position);
        while (i !== -1 && (limit === undefined || count < limit)) {
          result += str.substring(position, i);
          result += replacement;
          position = i + pattern.length;
          count++;
          i = str.indexOf(pattern, position);
        }
        result += str.substring(position);
      } else {
        let m = matcher(ctx, pattern, str);
        if (m !== undefined) {
          while (m !== undefined && (limit === undefined || count < limit)) {
            result += str.substring(position, m.start);
            const replacedWith = replacer(m);
            if (typeof replacedWith === 'string') result += replacedWith;
            else fail('D3012', { value: replacedWith });
            position = m.start + m.match.length;
            count++;
            m = matcher(ctx, m.next);
          }
          result += str.substring(position);
        } else {
          result = str;
        }
      }
    } else {
      result = str;
    }
    return result;
  },
  split(ctx: EvaluationContext, str: any, separator: any, limit: any) {
    if (str === undefined) return undefined;
    if (limit < 0) fail('D3020', { value: limit, index: 3 });
    let result: any[] = [];
    if (limit === undefined || limit > 0) {
      if (typeof separator === 'string') {
        result = str.split(separator, limit);
      } else {
        let count = 0;
        let m = matcher(ctx, separator, str);
        if (m !== undefined) {
          let start = 0;
          while (m !== undefined && (limit === undefined || count < limit)) {
            result.push(str.substring(start, m.start));
            start = m.end;
            m = matcher(ctx, m.next);
            count++;
          }
          if (limit === undefined || count < limit) result.push(str.substring(start));
        } else {
          result.push(str);
        }
      }
    }
    return result;
  },
};

function mergeSort(array: any[], comp: (a: any, b: any) => boolean): any[] {
  if (array.length <= 1) return array;
  const middle = Math.floor(array.length / 2);
  const left = mergeSort(array.slice(0, middle), comp);
  const right = mergeSort(array.slice(middle), comp);
  const merged: any[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) {
    if (comp(left[l], right[r])) merged.push(right[r++]);
    else merged.push(left[l++]);
  }
  while (l < left.length) merged.push(left[l++]);
  while (r < right.length) merged.push(right[r++]);
  return merged;
}

/** The `$0`, `$1`… substitution of a string replacement in `$replace`. */
function substituter(replacement: string): (m: any) => string {
  return (regexMatch) => {
    let substitute = '';
    let position = 0;
    let index = replacement.indexOf('$', position);
    while (index !== -1 && position < replacement.length) {
      substitute += replacement.substring(position, index);
      position = index + 1;
      const dollarVal = replacement.charAt(position);
      if (dollarVal === '$') {
        substitute += '$';
        position++;
      } else if (dollarVal === '0') {
        substitute += regexMatch.match;
        position++;
      } else {
        const maxDigits = regexMatch.groups.length === 0 ? 1 : Math.floor(Math.log(regexMatch.groups.length) * Math.LOG10E) + 1;
        index = parseInt(replacement.substring(position, position + maxDigits), 10);
        if (maxDigits > 1 && index > regexMatch.groups.length) index = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
        if (!Number.isNaN(index)) {
          if (regexMatch.groups.length > 0) {
            const submatch = regexMatch.groups[index - 1];
            if (submatch !== undefined) substitute += submatch;
          }
          position += index.toString().length;
        } else {
          substitute += '$';
        }
      }
      index = replacement.indexOf('$', position);
    }
    return substitute + replacement.substring(position);
  };
}

/**
 * A regex literal as jsonata evaluates it: a matcher function of arity 2. jsonata makes one per evaluation over a
 * copy of the pattern, and a match's `next` reads the pattern's `lastIndex`; here one matcher per literal is made
 * once, and each match keeps the index it ended at, which is what `lastIndex` holds unless two matches of the
 * same literal interleave.
 */
export function regex(pattern: RegExp): (str: string, fromIndex?: number) => any {
  let matcher = MATCHERS.get(pattern);
  if (matcher === undefined) {
    const state = { re: new RegExp(pattern), source: pattern.source, matcher: undefined as unknown as (str: string, fromIndex?: number) => any };
    state.matcher = matchAt.bind(undefined, state);
    matcher = state.matcher;
    MATCHERS.set(pattern, matcher);
  }
  return matcher;
}

const MATCHERS = new WeakMap<RegExp, (str: string, fromIndex?: number) => any>();

interface RegexState {
  readonly re: RegExp;
  readonly source: string;
  matcher: (str: string, fromIndex?: number) => any;
}

// Bound functions rather than closures: no per-match function objects to name (the dev loader names every closure).
function matchAt(state: RegexState, str: string, fromIndex?: number): any {
  state.re.lastIndex = fromIndex || 0;
  const match = state.re.exec(str);
  if (match === null) return undefined;
  const result: any = { match: match[0], start: match.index, end: match.index + match[0].length, groups: match.slice(1) };
  result.next = nextMatch.bind(undefined, state, str, state.re.lastIndex);
  return result;
}

function nextMatch(state: RegexState, str: string, lastIndex: number): any {
  if (lastIndex >= str.length) return undefined;
  const next = state.matcher(str, lastIndex);
  if (next && next.match === '') fail('D1004', { value: state.source });
  return next;
}

/** `$contains(str, /re/)` with a literal pattern: the same answer without building a matcher. */
export function containsRe(str: any, re: RegExp): any {
  if (typeof str !== 'string') return undefined;
  re.lastIndex = 0;
  return re.exec(str) !== null;
}

/** Sorting by the terms of `^(…)`: `terms[i]` is `[value(item), descending]`. */
export function orderBy(input: any[], terms: ReadonlyArray<readonly [(item: any) => any, boolean]>): any {
  if (input.length <= 1) return input;
  return mergeSort(input, (a, b) => {
    let comp = 0;
    for (let i = 0; comp === 0 && i < terms.length; i++) {
      const [term, descending] = terms[i] as readonly [(item: any) => any, boolean];
      const aa = term(a);
      const bb = term(b);
      const at = typeof aa;
      const bt = typeof bb;
      if (at === 'undefined') {
        comp = bt === 'undefined' ? 0 : 1;
        continue;
      }
      if (bt === 'undefined') {
        comp = -1;
        continue;
      }
      if (!(at === 'string' || at === 'number') || !(bt === 'string' || bt === 'number')) fail('T2008', { value: !(at === 'string' || at === 'number') ? aa : bb });
      if (at !== bt) fail('T2007', { value: aa, value2: bb });
      if (aa === bb) continue;
      comp = aa < bb ? -1 : 1;
      if (descending) comp = -comp;
    }
    return comp === 1;
  });
}

/** A binding of the evaluation (`$name` not assigned in the mapping), never from a prototype. */
export function bound(ctx: EvaluationContext, name: string): unknown {
  return Object.hasOwn(ctx.bindings, name) ? ctx.bindings[name] : undefined;
}

/** The value of a variable of a frame before its first assignment: reads then go to the enclosing frame. */
export const UNSET: unique symbol = Symbol('unset');

/** The focus and context of one evaluation. */
export function context0(bindings: Readonly<Record<string, unknown>>, now: Date, limits: MappingLimits, sliceMs = Infinity): EvaluationContext {
  const ctx = { bindings, now, limits, depth: 0, budget: 256, started: performance.now(), sliceMs } as EvaluationContext & { focus: Focus };
  ctx.focus = { environment: new Environment(bindings, now), input: undefined, ctx, createSequence: seq };
  return ctx;
}

/** What native functions see as `this.environment`: the bindings (never the mapping's own variables) and the clock. */
class Environment {
  constructor(readonly bindings: Readonly<Record<string, unknown>>, readonly timestamp: Date) {}

  lookup(name: string): unknown {
    return Object.hasOwn(this.bindings, name) ? this.bindings[name] : undefined;
  }
}

export const isArray = Array.isArray;


/** An array input as jsonata holds it: a sequence of one, marked as the outer wrapper. */
export function wrap(input: unknown[]): Sequence {
  const s = seq1(input);
  s.outerWrapper = true;
  return s;
}
