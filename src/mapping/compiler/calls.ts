// Calls in compiled mappings: the evaluation context and its budgets, lambdas, tail calls, `~>`.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSONata values are untyped: JSON, sequences, functions */
import { LimitError, type MappingLimits } from '../guard.ts';
import { fail, isFunction, isLambda, seq, type Sequence } from './values.ts';

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
  /** When the clock was first read, after the first `TICK_STEPS` steps (-1 before): a short run never reads it. */
  started: number;
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

/** Steps between two readings of the clock. */
const TICK_STEPS = 256;

/**
 * Reads the clock every `TICK_STEPS` steps; past the budget → `LimitError('timeoutMs')`. The budget counts from the
 * first reading (the first steps, microseconds, are not counted), so that most records never read the clock.
 */
export function tick(ctx: EvaluationContext): void {
  if (--ctx.budget > 0) return;
  ctx.budget = TICK_STEPS;
  const t = performance.now();
  if (ctx.started < 0) {
    ctx.started = t;
    return;
  }
  const elapsed = t - ctx.started;
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

/** A binding of the evaluation (`$name` not assigned in the mapping), never from a prototype. */
export function bound(ctx: EvaluationContext, name: string): unknown {
  return Object.hasOwn(ctx.bindings, name) ? ctx.bindings[name] : undefined;
}

/** The value of a variable of a frame before its first assignment: reads then go to the enclosing frame. */
export const UNSET: unique symbol = Symbol('unset');

/**
 * The focus and context of one evaluation; `spare`: the context of an evaluation that has ended, to be used again
 * (nothing keeps a context, its focus or its environment past the evaluation it was made for).
 */
export function context0(bindings: Readonly<Record<string, unknown>>, now: Date, limits: MappingLimits, sliceMs = Infinity, spare?: EvaluationContext): EvaluationContext {
  if (spare !== undefined) {
    // The context of an evaluation that has ended, made new: every field set as below.
    const c = spare as { -readonly [K in keyof EvaluationContext]: EvaluationContext[K] };
    c.bindings = bindings;
    c.now = now;
    c.limits = limits;
    c.depth = 0;
    c.budget = TICK_STEPS;
    c.started = -1;
    c.sliceMs = sliceMs;
    c.focus.input = undefined;
    const environment = c.focus.environment as Environment;
    environment.bindings = bindings;
    environment.timestamp = now;
    return c;
  }
  // Every field in the literal (the focus too), so that contexts share one shape.
  const ctx = { bindings, now, limits, focus: undefined, depth: 0, budget: TICK_STEPS, started: -1, sliceMs } as unknown as EvaluationContext & { focus: Focus };
  ctx.focus = { environment: new Environment(bindings, now), input: undefined, ctx, createSequence: seq };
  return ctx;
}

/** What native functions see as `this.environment`: the bindings (never the mapping's own variables) and the clock. */
class Environment {
  constructor(public bindings: Readonly<Record<string, unknown>>, public timestamp: Date) {}

  lookup(name: string): unknown {
    return Object.hasOwn(this.bindings, name) ? this.bindings[name] : undefined;
  }
}

/** A compiled mapping keeps one evaluation's state beside its code: it runs one evaluation at a time. */
export function reentered(): never {
  throw new Error('a compiled mapping was entered again while running');
}
