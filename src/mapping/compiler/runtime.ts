// The runtime of compiled mappings, given to generated code as `rt`: predicates, operators, constructors; the rest re-exported.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
// Ported from jsonata 2.2 (MIT, © IBM Corp.): evaluateFilter, the operators and the group expression are
// kept line for line, without `async`. The module's namespace is what generated code sees: it re-exports the rest.
import { tick, type EvaluationContext } from './calls.ts';
import { append, boolean, deepEqual, fail, isArrayOfNumbers, isFunction, isNumeric, seq0, seq1, type Sequence } from './values.ts';

export * from './values.ts';
export * from './calls.ts';
export * from './hofs.ts';
export * from './paths.ts';

// ---- predicates --------------------------------------------------------------------------------------------

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
