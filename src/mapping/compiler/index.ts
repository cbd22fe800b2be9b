/**
 * The mapping compiler: a JSONata expression (jsonata's parsed AST) → a synchronous JavaScript function giving
 * the same result as `jsonata(expr).evaluate()`, or refused, with the reason, when it uses what is not compiled.
 */
import type jsonata from 'jsonata';
import type { MappingLimits } from '../guard.ts';
import { generate, Unsupported } from './codegen.ts';
import * as runtime from './runtime.ts';

export { Unsupported } from './codegen.ts';
export { SliceExceeded } from './runtime.ts';

/** A compiled expression: `run(input, bindings, now, limits)` answers what jsonata's `evaluate` would. */
export interface NativeMapping {
  /**
   * Throws what jsonata throws (a plain `{ code, … }` object), a `LimitError`, a `MappingFunctionError`, or
   * `SliceExceeded` when it runs longer than `sliceMs` (default: no slice).
   */
  run(input: unknown, bindings: Readonly<Record<string, unknown>>, now: Date, limits: MappingLimits, sliceMs?: number): unknown;
  /** Built-in function names the code calls directly: a binding of one of these names must run on the interpreter. */
  readonly builtinsUsed: ReadonlySet<string>;
  /** The generated source (for `mapping compile --report --source` and for review). */
  readonly source: string;
}

export type CompileOutcome =
  | { readonly compiled: true; readonly mapping: NativeMapping }
  | { readonly compiled: false; readonly reason: string };

/**
 * Compiles the AST of a parsed expression. The generated function is built by `new Function('rt', 'k', …)`
 * from text the generator writes itself: user data (strings, numbers, keys, names, regexes, signatures) is
 * never spliced into it except as `JSON.stringify`ed literals or as entries of the constants table `k`; the
 * body refers only to its parameters (`rt`, the frozen runtime module; `k`; `ctx`, the evaluation) and its
 * own locals, so it reaches no global, prototype or process object of its own accord (`rt.OBJECT_PROTOTYPE`
 * serves only the generator's own `"name" in …` tests; nothing is read from it).
 *
 * One evaluation's state (`ctx`, the input, the root frames' variables) lives beside the code, so that the
 * functions and lambdas that read nothing else are made once here, not per record; `compiledMapping` therefore
 * runs one evaluation at a time (re-entered, it throws, and the engine asks the interpreter).
 */
export function compileAst(ast: unknown): CompileOutcome {
  let generated;
  try {
    generated = generate(ast);
  } catch (error) {
    if (error instanceof Unsupported) return { compiled: false, reason: error.message };
    throw error;
  }
  const factory = new Function('rt', 'k', generated.source) as (rt: unknown, k: readonly unknown[]) => (input: unknown, ctx: runtime.EvaluationContext) => unknown;
  const fn = factory(runtime, Object.freeze([...generated.constants]));
  // The context of the last evaluation, made new for the next (none while one runs: a re-entered run gets its own).
  let spare: runtime.EvaluationContext | undefined;
  const run = (input: unknown, bindings: Readonly<Record<string, unknown>>, now: Date, limits: MappingLimits, sliceMs?: number): unknown => {
    const ctx = runtime.context0(bindings, now, limits, sliceMs, spare);
    spare = undefined;
    try {
      return fn(input, ctx);
    } finally {
      spare = ctx;
    }
  };
  return {
    compiled: true,
    mapping: Object.freeze({
      run,
      builtinsUsed: generated.builtinsUsed,
      source: generated.source,
    }),
  };
}

/** Compiles a parsed jsonata expression (`jsonata(source)`). */
export function compileExpression(expression: jsonata.Expression): CompileOutcome {
  return compileAst(expression.ast());
}
