// Paths in compiled mappings: jsonata's evaluatePath/Step without tuple streams, and the walks of field reads.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
// Ported from jsonata 2.2 (MIT, © IBM Corp.), without `async`; re-exported by runtime.ts, which generated code sees.
import { isSequence, lookup, norm, seq0, seq1, type Sequence } from './values.ts';

/** One step of a path: a field name, or a function of the item (the step evaluated, with its own filters). */
export type Step = string | ((item: any) => any) | SortStep;

/** An order-by step (`^(…)`): it takes the whole input sequence. */
export class SortStep {
  constructor(readonly sort: (input: Sequence) => any) {}
}

/** A path's result kept as an array even when it holds one item (`[]` at the end of a path). */
function keptSingleton(result: any): any {
  const kept = Array.isArray(result) && (result as Sequence).cons && !(result as Sequence).sequence ? seq1(result) : result;
  kept.keepSingleton = true;
  return kept;
}

/** What a variable's step makes of the one-item input: its value, or the items of an array. */
function variableSequence(value: any): Sequence {
  const first = seq0();
  if (value !== undefined) {
    if (!Array.isArray(value) || (value as Sequence).cons) first.push(value);
    else for (const v of value) first.push(v);
  }
  return first;
}

/** The steps after a variable, from the sequence its step made (unchanged when that is empty). */
function stepsFrom(first: Sequence, steps: readonly Step[]): any {
  let result: any = first;
  if (first.length === 0) return result;
  let input: any = first;
  const last = steps.length - 1;
  for (let i = 0; i <= last; i++) {
    result = evaluateStep(steps[i] as Step, input, i === last);
    if (result === undefined || result.length === 0) break;
    input = result;
  }
  return result;
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
  return keepSingletonArray ? keptSingleton(result) : result;
}

/** `path` whose first step is a variable (not filtered): `value` is the variable's value, `steps` the steps after it. */
export function pathFrom(value: any, steps: readonly Step[], keepSingletonArray: boolean): any {
  const result = stepsFrom(variableSequence(value), steps);
  return keepSingletonArray ? keptSingleton(result) : result;
}

/**
 * `path` for `$v.a.b…`: `value` is the variable's (evaluated) value, `names` the fields after it. `plain`: only
 * `norm` reads the result, so a walk through plain objects may answer nothing as `undefined` and one item as itself.
 */
export function varPath(value: any, names: readonly string[], keepSingletonArray: boolean, plain: boolean): any {
  if (plain && value !== undefined && !Array.isArray(value)) return walk(value, names, 0);
  const result = stepsFrom(variableSequence(value), names);
  return keepSingletonArray ? keptSingleton(result) : result;
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
