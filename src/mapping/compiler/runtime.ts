// The runtime of compiled mappings, passed to the generated code as `rt`: paths, predicates, operators, constructors.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
// Ported from jsonata 2.2 (MIT, © IBM Corp.): evaluatePath/Step/Filter, the operators and the group expression are
// kept line for line, without `async`. The module's namespace is what generated code sees: it re-exports the rest.
import { tick, type EvaluationContext } from './calls.ts';
import { append, boolean, deepEqual, fail, isArrayOfNumbers, isFunction, isNumeric, isSequence, lookup, norm, seq0, seq1, type Sequence } from './values.ts';

export * from './values.ts';
export * from './calls.ts';
export * from './hofs.ts';

// ---- names, paths, predicates ------------------------------------------------------------------------------

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

/** `path` whose first step is a variable (not filtered): `value` is the variable's value, `steps` the steps after it. */
export function pathFrom(value: any, steps: readonly Step[], keepSingletonArray: boolean): any {
  // What the variable's step makes of the one-item input: its value, or the items of an array.
  let inputSequence: any = seq0();
  if (value !== undefined) {
    if (!Array.isArray(value) || (value as Sequence).cons) inputSequence.push(value);
    else for (const v of value) inputSequence.push(v);
  }
  let result: any = inputSequence;
  if (inputSequence.length > 0) {
    const last = steps.length - 1;
    for (let i = 0; i <= last; i++) {
      result = evaluateStep(steps[i] as Step, inputSequence, i === last);
      if (result === undefined || result.length === 0) break;
      inputSequence = result;
    }
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

/** `varPath(value, names, false, true)`. */
export function fields(value: any, names: readonly string[]): any {
  if (value !== undefined && !Array.isArray(value)) return walk(value, names, 0);
  return varPath(value, names, false, true);
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
  // Through plain objects whose fields are not arrays, `lookup` and `norm` change nothing: read the fields.
  let obj = item;
  let i = from;
  for (; i < names.length; i++) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj._jsonata_function === true || obj._jsonata_lambda === true) break;
    const name = names[i] as string;
    if (!Object.prototype.hasOwnProperty.call(obj, name)) return undefined;
    const res = obj[name];
    if (res === undefined) return undefined;
    if (Array.isArray(res)) break;
    obj = res;
  }
  return i === names.length ? obj : walkSteps(obj, names, i);
}

/** An own property (what `lookup` reads), never one of a prototype. */
export const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * For the generated field reads only (`Generator.fieldReads`): an object whose prototype is `OBJECT_PROTOTYPE`
 * and a literal name that is not `in` it has the field as its own or not at all, which optimised code knows from
 * the object's shape without the look-up `own` makes. Nothing is read from it.
 */
export const OBJECT_PROTOTYPE = Object.prototype;
export const getPrototypeOf = Object.getPrototypeOf;

/** `walk` from step `from` on, from an item that is not an array (not undefined). */
export function walkSteps(item: any, names: readonly string[], from: number): any {
  let cur = item;
  for (let i = from; i < names.length; i++) {
    const res = norm(lookup(cur, names[i] as string));
    if (res === undefined) return undefined;
    if (Array.isArray(res)) return walkArray(res, names, i);
    cur = res;
  }
  return cur;
}

/**
 * `walk` on from `value`, what step `i` looked up (own, not undefined; in the generated field reads, an array):
 * evaluateStep's result for a single array result is itself at the last step (unless a sequence), else flattened,
 * and the steps after it go on from its items.
 */
export function walkArray(value: any, names: readonly string[], i: number): any {
  const res = norm(value);
  if (!Array.isArray(res)) return res === undefined || i === names.length - 1 ? res : walkSteps(res, names, i + 1);
  const last = names.length - 1;
  if (i === last && !isSequence(res)) return res;
  let input: any = seq0();
  if ((res as Sequence).cons) input.push(res);
  else for (const v of res) input.push(v);
  for (let j = i + 1; j <= last && input.length > 0; j++) input = evaluateStep(names[j] as string, input, j === last);
  return input;
}

/** Pushes the items of `items` onto `out`. */
export function pushAll(out: any[], items: readonly any[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]);
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

/**
 * `filter` for the predicate `$substringAfter($, sep) = r` (`r`: a literal or a variable, read once): a string
 * item's part after the first `sep` (all of it when there is none) is compared with the right side as `=`
 * would; any other item goes through `general`, the predicate as compiled.
 */
export function filterAfter(input: any, sep: string, r: any, general: (item: any) => any, ctx: EvaluationContext): any {
  const results = seq0();
  const items: any[] = Array.isArray(input) ? input : seq1(input);
  for (let i = 0; i < items.length; i++) {
    tick(ctx);
    const item = items[i];
    if (typeof item !== 'string') {
      if (boolean(general(item))) results.push(item);
      continue;
    }
    if (typeof r === 'string' ? afterIs(item, sep, r) : eq(after(item, sep), r)) results.push(item);
  }
  return results;
}

/** `$substringAfter(s, sep)`: the part after the first `sep`, all of `s` when there is none. */
const after = (s: string, sep: string): string => {
  const pos = s.indexOf(sep);
  return pos > -1 ? s.substring(pos + sep.length) : s;
};

/** `after(s, sep) === r`, without making the part: `s` ends with `r`, and the first `sep` ends where `r` begins. */
function afterIs(s: string, sep: string, r: string): boolean {
  const start = s.length - r.length;
  if (start < 0 || !s.endsWith(r)) return false;
  if (sep === '') return start === 0;
  const pos = s.indexOf(sep);
  return start === 0 ? pos === -1 : pos > -1 && pos + sep.length === start;
}

/** `filterAfter` over the keys of a plain object (`isPlainObject`), which `$keys` gives in `Object.keys` order. */
export function keysAfter(obj: any, sep: string, r: any, ctx: EvaluationContext): any {
  const results = seq0();
  for (const key of Object.keys(obj)) {
    tick(ctx);
    if (typeof r === 'string' ? afterIs(key, sep, r) : eq(after(key, sep), r)) results.push(key);
  }
  return results;
}

/** An object `$keys` reads with `Object.keys`: not null, not an array, not a function. */
export const isPlainObject = (v: any): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && !isFunction(v);

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

export const isArray = Array.isArray;

/** An array whose items all have this `typeof` (what a signature's `a<s>`, `a<n>`, `a<b>` accepts unchanged). */
export function isArrayOf(v: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (typeof item !== type) return false;
  return true;
}


/** An array input as jsonata holds it: a sequence of one, marked as the outer wrapper. */
export function wrap(input: unknown[]): Sequence {
  const s = seq1(input);
  s.outerWrapper = true;
  return s;
}
