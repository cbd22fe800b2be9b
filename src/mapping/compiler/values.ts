// JSONata values in compiled mappings: sequences and their rules, truth, equality, field look-up, strings.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
// Ported from jsonata 2.2 (MIT, © IBM Corp.), without `async`, so that a compiled mapping answers as the interpreter does.

/** A JSONata sequence: an array with the interpreter's flags. */
export type Sequence = any[] & { sequence?: boolean; keepSingleton?: boolean; cons?: boolean; outerWrapper?: boolean; tupleStream?: boolean };

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

export const isLambda = (arg: any): boolean => Boolean(arg && arg._jsonata_lambda === true);

export function isArrayOfNumbers(arg: any): boolean {
  return Array.isArray(arg) && arg.filter((item) => !isNumeric(item)).length === 0;
}

export function isArrayOfStrings(arg: any): boolean {
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
