/**
 * Mapping benchmark: on each department mapping in mappings/ (its first accepted case as the record), interleaved
 * in one process, `jsonata(expr).evaluate()` (our domain functions registered, no guard), the compiled function
 * (`compileExpression(…).run`, no toPlain), and a hand-written JavaScript function producing the same output
 * (`bench/mapping-handwritten.ts`). Checks once, before timing, that the three agree. Prints ops/s and ratios,
 * medians over rounds; the last line is one JSON object with the figures and the goals (compiled ≥ 20× the
 * interpreter, ≥ 0.25× hand-written, on every mapping).
 */
import jsonata from 'jsonata';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { compileExpression, type NativeMapping } from '../src/mapping/compiler/index.ts';
import { DEFAULT_LIMITS, DOMAIN_FUNCTIONS, loadMappings, toPlain } from '../src/mapping/index.ts';
import { HANDWRITTEN, type HandWritten } from './mapping-handwritten.ts';

const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ROUNDS = num('BENCH_ROUNDS', 9);
const ROUND_MS = num('BENCH_ROUND_MS', 300);
const ONLY = process.env.BENCH_ONLY?.split(',');

interface Subject {
  readonly id: string;
  readonly input: unknown;
  readonly bindings: Record<string, unknown>;
  readonly now: Date;
  readonly interpreter: jsonata.Expression;
  readonly compiled: NativeMapping;
  readonly handwritten: HandWritten;
}

const subjects: Subject[] = loadMappings().filter((m) => Object.hasOwn(HANDWRITTEN, m.id) && (ONLY === undefined || ONLY.includes(m.id))).map((m) => {
  const c = m.cases.find((x) => x.expected !== undefined);
  if (c === undefined) throw new Error(`${m.id} has no accepted case`);
  const interpreter = jsonata(m.source);
  for (const f of DOMAIN_FUNCTIONS) interpreter.registerFunction(f.name, f.implementation as (this: jsonata.Focus, ...args: unknown[]) => unknown, f.signature);
  const outcome = compileExpression(interpreter);
  if (!outcome.compiled) throw new Error(`${m.id} does not compile: ${outcome.reason}`);
  return { id: m.id, input: c.input, bindings: { ...c.bindings }, now: new Date(c.now), interpreter, compiled: outcome.mapping, handwritten: HANDWRITTEN[m.id] as HandWritten };
});
const missing = Object.keys(HANDWRITTEN).filter((id) => !subjects.some((s) => s.id === id));
if (ONLY === undefined && missing.length > 0) throw new Error(`no mapping for hand-written ${missing.join(', ')}`);

// ── The three must agree ───────────────────────────────────────────────────────────────────────────
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');
for (const s of subjects) {
  const a = json(toPlain(await s.interpreter.evaluate(s.input, s.bindings)));
  const b = json(toPlain(s.compiled.run(s.input, s.bindings, s.now, DEFAULT_LIMITS)));
  const c = json(s.handwritten(s.input, s.bindings));
  if (!isDeepStrictEqual(a, b)) throw new Error(`${s.id}: compiled ≠ interpreter\n${JSON.stringify(b)}\n${JSON.stringify(a)}`);
  if (!isDeepStrictEqual(a, c)) throw new Error(`${s.id}: hand-written ≠ interpreter\n${JSON.stringify(c)}\n${JSON.stringify(a)}`);
}
console.log(`${subjects.length} mappings: interpreter, compiled and hand-written agree on every record\n`);

// ── Timing ─────────────────────────────────────────────────────────────────────────────────────────
type Contender = 'interpreter' | 'compiled' | 'handwritten';
const CONTENDERS: readonly Contender[] = ['interpreter', 'compiled', 'handwritten'];

/** Calls of `f` per second over about `ms` milliseconds (in batches, so the clock is read rarely). */
async function rate(f: () => unknown, ms: number, isAsync: boolean): Promise<number> {
  let calls = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    if (isAsync) for (let i = 0; i < batch; i++) await f();
    else for (let i = 0; i < batch; i++) f();
    calls += batch;
    elapsed = performance.now() - start;
    if (elapsed < ms / 20) batch *= 2;
  }
  return (calls * 1000) / elapsed;
}

const samples = new Map(subjects.map((s) => [s.id, { interpreter: [] as number[], compiled: [] as number[], handwritten: [] as number[] }]));
const slice = ROUND_MS / CONTENDERS.length;
for (let round = 0; round < ROUNDS; round++) {
  for (const s of subjects) {
    const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
    for (const who of order) {
      const f = who === 'interpreter' ? () => s.interpreter.evaluate(s.input, s.bindings)
        : who === 'compiled' ? () => s.compiled.run(s.input, s.bindings, s.now, DEFAULT_LIMITS)
          : () => s.handwritten(s.input, s.bindings);
      samples.get(s.id)?.[who].push(await rate(f, slice, who === 'interpreter'));
    }
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS}\r`);
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const results: Record<string, { interpreter: number; compiled: number; handwritten: number; compiledVsInterpreter: number; compiledVsHandwritten: number }> = {};
console.log(`${'mapping'.padEnd(32)} ${'interpreter'.padStart(12)} ${'compiled'.padStart(12)} ${'hand-written'.padStart(13)}  compiled/interp  compiled/hand`);
for (const s of subjects) {
  const m = samples.get(s.id) as Record<Contender, number[]>;
  const r = { interpreter: median(m.interpreter), compiled: median(m.compiled), handwritten: median(m.handwritten) };
  const row = { ...r, compiledVsInterpreter: r.compiled / r.interpreter, compiledVsHandwritten: r.compiled / r.handwritten };
  results[s.id] = {
    interpreter: Math.round(row.interpreter), compiled: Math.round(row.compiled), handwritten: Math.round(row.handwritten),
    compiledVsInterpreter: Math.round(row.compiledVsInterpreter * 10) / 10, compiledVsHandwritten: Math.round(row.compiledVsHandwritten * 100) / 100,
  };
  console.log(`${s.id.padEnd(32)} ${fmt(r.interpreter).padStart(12)} ${fmt(r.compiled).padStart(12)} ${fmt(r.handwritten).padStart(13)}  ${row.compiledVsInterpreter.toFixed(1).padStart(14)}×  ${row.compiledVsHandwritten.toFixed(2).padStart(12)}×`);
}
const all = Object.values(results);
const minVsInterpreter = Math.min(...all.map((r) => r.compiledVsInterpreter));
const minVsHandwritten = Math.min(...all.map((r) => r.compiledVsHandwritten));
console.log(`\nops/s, medians of ${ROUNDS} rounds; worst compiled/interpreter ${minVsInterpreter}× (goal ≥ 20), worst compiled/hand-written ${minVsHandwritten}× (goal ≥ 0.25)`);
console.log(JSON.stringify({
  bench: 'mapping', rounds: ROUNDS, results, minCompiledVsInterpreter: minVsInterpreter, minCompiledVsHandwritten: minVsHandwritten,
  goals: { compiledVsInterpreter: minVsInterpreter >= 20, compiledVsHandwritten: minVsHandwritten >= 0.25 },
}));
