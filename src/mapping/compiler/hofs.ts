// jsonata's higher-order and matcher functions, synchronous, and the regex matchers and sorts they use.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
// Ported from jsonata 2.2 (MIT, © IBM Corp.) without `async`.
import { call, type EvaluationContext } from './calls.ts';
import { boolean, fail, isArrayOfNumbers, isArrayOfStrings, isFunction, seq0 } from './values.ts';

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

/**
 * `$match(str, /re/)` with a literal (global) pattern and a string: `HOF.match`'s loop over `matchAt`/`nextMatch`
 * without the matcher calls — each match from where the last one ended, none once that is the end of the string,
 * D1004 for an empty match after the first.
 */
export function matchRe(str: string, re: RegExp): any {
  const result = seq0();
  re.lastIndex = 0;
  let m = re.exec(str);
  while (m !== null) {
    result.push({ match: m[0], index: m.index, groups: m.slice(1) });
    const last = re.lastIndex;
    if (last >= str.length) break;
    re.lastIndex = last;
    m = re.exec(str);
    if (m !== null && m[0] === '') fail('D1004', { value: re.source });
  }
  return result;
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
