// Determinism and limits inside one evaluation: the clock a mapping sees, its time and depth budget, yielding.
import jsonata from 'jsonata';

/** Budgets of one in-process evaluation. */
export interface MappingLimits {
  /**
   * Milliseconds the evaluation may run (default 1000) → `MAPPING_TIMEOUT`. Time spent yielded to the event
   * loop is not counted, so a busy process does not time out its mappings; checked between JSONata steps,
   * so one long native step (a huge `$sort`, a backtracking regex) overruns it: the worker pool's deadline
   * is the backstop for those.
   */
  readonly timeoutMs: number;
  /** Nesting depth of JSONata evaluation (default 500) → `MAPPING_FAILED` with `detail.limit: 'maxDepth'`. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: MappingLimits = Object.freeze({ timeoutMs: 1000, maxDepth: 500 });

/**
 * After this long without a break the evaluation yields to the event loop (`setImmediate`) before going
 * on, so that a slow mapping delays timers and sockets by about this much, not by its whole run.
 */
export const SLICE_MS = 20;

/** Thrown by the guard when a budget is spent; the engine turns it into a `SuyuanError`. */
export class LimitError extends Error {
  readonly limit: keyof MappingLimits;
  readonly value: number;

  constructor(limit: keyof MappingLimits, value: number) {
    super(`mapping exceeded ${limit} = ${value}`);
    this.name = 'LimitError';
    this.limit = limit;
    this.value = value;
  }
}

/** The per-evaluation state, kept in a binding of the evaluation's own frame. */
interface EvaluationState {
  readonly now: Date;
  readonly limits: MappingLimits;
  started: boolean;
  depth: number;
  /** Milliseconds spent in earlier slices. */
  spent: number;
  sliceStart: number;
  /**
   * The pause under way, if any. JSONata evaluates sibling members concurrently, so several branches
   * reach the guard while one pause is pending: they all wait for that one pause, and its slice is
   * counted once (counting it per branch timed out valid batches far below their budget).
   */
  pause: Promise<void> | undefined;
}

/**
 * The name of the binding holding the state. JSONata variable names cannot contain a space, so no
 * mapping can read, shadow or assign it.
 */
const STATE = 'suyuan evaluation';

/** The parts of a JSONata environment frame the guard uses (`base` is the evaluation's root frame). */
interface Frame {
  lookup(name: string): unknown;
  timestamp: Date;
  readonly base: Frame;
}

function stateOf(frame: Frame): EvaluationState {
  const state = frame.base.lookup(STATE) as EvaluationState | undefined;
  if (state === undefined) throw new Error('a guarded mapping was evaluated without its evaluation state');
  return state;
}

function onEntry(_expr: unknown, _input: unknown, frame: Frame): Promise<void> | undefined {
  const s = stateOf(frame);
  const t = performance.now();
  if (!s.started) {
    // The root frame's timestamp is copied into every frame made after it: jsonata's own date
    // functions (a picture without a date in `$toMillis`) then read the context's clock too.
    s.started = true;
    frame.base.timestamp = s.now;
    s.sliceStart = t;
  }
  if (++s.depth > s.limits.maxDepth) throw new LimitError('maxDepth', s.limits.maxDepth);
  if (s.pause) return s.pause;
  const slice = t - s.sliceStart;
  if (s.spent + slice > s.limits.timeoutMs) throw new LimitError('timeoutMs', s.limits.timeoutMs);
  if (slice < SLICE_MS) return undefined;
  s.spent += slice;
  s.pause = new Promise((resolve) => setImmediate(() => {
    s.sliceStart = performance.now();
    s.pause = undefined;
    resolve();
  }));
  return s.pause;
}

function onExit(_expr: unknown, _input: unknown, frame: Frame): void {
  stateOf(frame).depth--;
}

// jsonata's own `$fromMillis`, taken once, so that `$now(picture, zone)` formats exactly as it would.
const fromMillis = (await jsonata('$fromMillis').evaluate(undefined)) as {
  implementation: (this: jsonata.Focus, millis: number, picture?: string, timezone?: string) => string | undefined;
};

function now(this: jsonata.Focus, picture?: string, timezone?: string): string | undefined {
  return fromMillis.implementation.call(this, stateOf(this.environment as unknown as Frame).now.getTime(), picture, timezone);
}

function millis(this: jsonata.Focus): number {
  return stateOf(this.environment as unknown as Frame).now.getTime();
}

/** Names bound by the guard that bindings may not shadow. */
export const GUARD_FUNCTIONS = ['now', 'millis'] as const;

/**
 * Installs the guard on a compiled expression: evaluation hooks checking time and depth (the technique
 * of jsonata's own `timeboxExpression`), and `$now()` / `$millis()` reading the context's clock.
 * Every evaluation of the expression MUST then pass `guardBindings(...)` among its bindings.
 */
export function installGuard(expression: jsonata.Expression): void {
  // jsonata looks its hooks up by these symbols; its typings only admit string names.
  expression.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, onEntry);
  expression.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, onExit);
  expression.registerFunction('now', now, '<s?s?:s>');
  expression.registerFunction('millis', millis, '<:n>');
}

/** The binding that carries one evaluation's clock and budgets. */
export function guardBindings(now: Date, limits: MappingLimits): Record<string, unknown> {
  const state: EvaluationState = { now, limits, started: false, depth: 0, spent: 0, sliceStart: 0, pause: undefined };
  return { [STATE]: state };
}
