// The mapping engine: JSONata mappings compiled once per (id, version) into an LRU, evaluated deterministically under limits.
import jsonata from 'jsonata';
import { SuyuanError } from '../errors.ts';
import { compileExpression, type NativeMapping } from './compiler/index.ts';
import { DOMAIN_FUNCTIONS } from './functions.ts';
import { DEFAULT_LIMITS, GUARD_FUNCTIONS, LimitError, SLICE_MS, guardBindings, installGuard, type MappingLimits } from './guard.ts';
import { Lru } from './lru.ts';
import { compileError, evaluationError, type MappingRef } from './mapping-error.ts';

/** A mapping to run: its id, its semver version, its JSONata source. */
export type MappingSource = MappingRef;

/** What a mapping may see besides its input. */
export interface MappingContext {
  /** The time `$now()` and `$millis()` answer; a mapping never reads the clock. */
  readonly now: Date;
  /** Adapter-supplied constants, bound as `$name`. They may not shadow a domain function or `$now`/`$millis`. */
  readonly bindings?: Readonly<Record<string, unknown>>;
}

/** A compiled mapping. Its result depends only on `input` and `context`. */
export interface CompiledMapping {
  readonly id: string;
  readonly version: string;
  /**
   * `native`: compiled to JavaScript by `./compiler` (the interpreter still runs it when a binding shadows a
   * built-in function it calls, and re-runs it for any error, so that errors are exactly jsonata's);
   * `interpreter`: run by jsonata, because the compiler refused it (`reason`) or the engine was built with `compiler: false`.
   */
  readonly mode: 'native' | 'interpreter';
  /** Why the compiler refused the mapping (`mode: 'interpreter'`). */
  readonly reason?: string;
  /**
   * Runs the mapping. Resolves to its result as plain JSON data (JSONata sequences become arrays, functions
   * are dropped), or `undefined` when it produces nothing. Rejects with `MAPPING_FAILED`, `MAPPING_TIMEOUT`
   * (see `evaluationError`), or `INTERNAL` for a bug.
   */
  evaluate(input: unknown, context: MappingContext): Promise<unknown>;
}

/** Anything that runs mappings: the in-process engine and the worker pool. */
export interface MappingEvaluator {
  /** Compiles (or finds compiled) and runs `mapping`; rejects with `MAPPING_COMPILE` when it does not compile. */
  evaluate(mapping: MappingSource, input: unknown, context: MappingContext): Promise<unknown>;
}

export interface MappingEngineOptions {
  /** How many compiled mappings to keep (default 256); the least recently used is dropped past it. */
  readonly cacheSize?: number;
  /** Budgets of each evaluation; defaults in `DEFAULT_LIMITS`. */
  readonly limits?: Partial<MappingLimits>;
  /** Compile mappings to JavaScript where the compiler accepts them (default true); false: always the interpreter. */
  readonly compiler?: boolean;
}

export interface MappingEngineStats {
  /** Calls to jsonata's compiler, successful or not. */
  readonly compiles: number;
  /** `compile` calls answered from the cache. */
  readonly hits: number;
  readonly evictions: number;
  readonly size: number;
}

const RESERVED = new Set<string>([...DOMAIN_FUNCTIONS.map((f) => f.name), ...GUARD_FUNCTIONS]);

type CacheEntry = { readonly source: string; readonly compiled: CompiledMapping } | { readonly source: string; readonly error: SuyuanError };

export class MappingEngine implements MappingEvaluator {
  readonly limits: MappingLimits;
  readonly #cache: Lru<string, CacheEntry>;
  readonly #compiler: boolean;
  #compiles = 0;
  #hits = 0;

  constructor(options: MappingEngineOptions = {}) {
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
    this.#cache = new Lru(options.cacheSize ?? 256);
    this.#compiler = options.compiler ?? true;
  }

  /**
   * The compiled mapping `id@version`, compiled on first use and then taken from the cache. A source that
   * differs from the cached one under the same (id, version) — an edit without a version bump — is
   * compiled again and replaces it. Throws `MAPPING_COMPILE` (also remembered, so a broken mapping is
   * not recompiled per message) with `detail: { position, token, line, column, jsonataCode }`.
   */
  compile(id: string, version: string, source: string): CompiledMapping {
    const key = `${id}@${version}`;
    const cached = this.#cache.get(key);
    if (cached?.source === source) {
      this.#hits++;
      if ('error' in cached) throw cached.error;
      return cached.compiled;
    }
    this.#compiles++;
    const ref: MappingRef = { id, version, source };
    let expression: jsonata.Expression;
    try {
      expression = jsonata(source);
    } catch (cause) {
      const error = compileError(ref, cause);
      this.#cache.set(key, { source, error });
      throw error;
    }
    installGuard(expression);
    for (const f of DOMAIN_FUNCTIONS) {
      expression.registerFunction(f.name, f.implementation as (this: jsonata.Focus, ...args: unknown[]) => unknown, f.signature);
    }
    const compiled = guarded(ref, expression, this.limits, this.#compiler ? compileNative(expression) : { reason: 'the compiler is switched off' });
    this.#cache.set(key, { source, compiled });
    return compiled;
  }

  async evaluate(mapping: MappingSource, input: unknown, context: MappingContext): Promise<unknown> {
    return this.compile(mapping.id, mapping.version, mapping.source).evaluate(input, context);
  }

  get stats(): MappingEngineStats {
    return { compiles: this.#compiles, hits: this.#hits, evictions: this.#cache.evictions, size: this.#cache.size };
  }
}

/**
 * How long compiled code, which cannot yield, may hold the event loop before the mapping is handed to the
 * interpreter, which yields every `SLICE_MS`. Compiled code is 20–50× faster: 100 ms of it is seconds of
 * interpreting, past the default budget, so a mapping that runs this long would time out on the interpreter
 * too. Shorter (one slice) sent a 100-line receipt on a loaded machine to the interpreter, at twice the time.
 */
const NATIVE_SLICE_MS = 5 * SLICE_MS;

/** The compiler's answer; a bug in the compiler itself is a refusal, never a failed mapping. */
function compileNative(expression: jsonata.Expression): NativeMapping | { readonly reason: string } {
  try {
    const outcome = compileExpression(expression);
    return outcome.compiled ? outcome.mapping : { reason: outcome.reason };
  } catch (error) {
    return { reason: `the compiler failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function guarded(ref: MappingRef, expression: jsonata.Expression, limits: MappingLimits, native: NativeMapping | { readonly reason: string }): CompiledMapping {
  const compiled = 'run' in native ? native : undefined;
  const interpret = async (input: unknown, bindings: Readonly<Record<string, unknown>>, now: Date): Promise<unknown> => {
    try {
      return toPlain(await expression.evaluate(input, { ...bindings, ...guardBindings(now, limits) }));
    } catch (cause) {
      throw evaluationError(ref, cause);
    }
  };
  return Object.freeze({
    id: ref.id,
    version: ref.version,
    mode: compiled ? 'native' as const : 'interpreter' as const,
    ...('reason' in native ? { reason: native.reason } : {}),
    async evaluate(input: unknown, context: MappingContext): Promise<unknown> {
      const bindings = context.bindings ?? {};
      const clash = Object.keys(bindings).find((name) => RESERVED.has(name));
      if (clash !== undefined) {
        throw new SuyuanError('MAPPING_FAILED', `绑定 $${clash} 与内置函数同名 / Binding $${clash} would hide a built-in function`, {
          detail: { mapping: `${ref.id}@${ref.version}`, binding: clash },
        });
      }
      if (!(context.now instanceof Date) || Number.isNaN(context.now.getTime())) {
        throw new SuyuanError('INTERNAL', `映射 ${ref.id}@${ref.version} 的 context.now 不是有效时间 / context.now is not a valid Date`);
      }
      if (compiled === undefined || Object.keys(bindings).some((name) => compiled.builtinsUsed.has(name))) return interpret(input, bindings, context.now);
      try {
        return toPlain(compiled.run(input, bindings, context.now, limits, NATIVE_SLICE_MS));
      } catch (cause) {
        // Budgets are the compiled code's own; a run past one slice goes to the interpreter, which yields to the
        // event loop; any other error is derived again by the interpreter, so that its code, message and
        // position are exactly jsonata's (and a compiler bug can never turn an error into a wrong answer).
        if (cause instanceof LimitError || (cause instanceof RangeError && /call stack/i.test(cause.message))) throw evaluationError(ref, cause);
        return interpret(input, bindings, context.now);
      }
    },
  });
}

/** A JSONata result as plain JSON data: sequences become arrays, functions and lambdas are dropped. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toPlain(item) ?? null);
  const record = value as Record<string, unknown>;
  if (record._jsonata_lambda === true || record._jsonata_function === true) return undefined;
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    const copy = toPlain(item);
    // A key "__proto__" (JSONata objects have no prototype) stays a key: assigned, it would set the copy's prototype.
    if (copy !== undefined) Object.defineProperty(plain, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return plain;
}
