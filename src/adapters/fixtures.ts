/**
 * Adapter fixtures: golden cases in the department's own shape, run offline through the real pipeline.
 *
 * ```
 * adapters/<id>/fixtures/inbound/<type>/<case>.input.<ext>    the department's message, as it arrives
 *                                       <case>.expected.json  the standard events it becomes, in order
 *                                    or <case>.rejected.json  { "code", "problems": [{ "code", "record"?, "path"? }] }
 *                                       <case>.hints.json     optional: { "fileName", "operation", "root", "now" }
 * adapters/<id>/fixtures/outbound/<type>/<case>.input.json    a standard document
 *                                        <case>.expected.json the department-shaped value it becomes
 *                                     or <case>.rejected.json { "code", "problems"? }
 * ```
 * Adding a pair adds a test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { DEFAULT_CASE_NOW, jsonDifferences, type MappingEvaluator } from '../mapping/index.ts';
import { MemoryEventSink } from '../pipeline/events.ts';
import { MemoryProvenance } from '../pipeline/provenance.ts';
import { failureOf, runMessage, type MessageOutcome } from '../pipeline/run.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import type { Standards } from '../standards/validator.ts';
import { OutboundService } from '../feeds/outbound.ts';
import type { LoadedAdapter } from './manifest.ts';
import { chooseMessage, inboundPlan } from './plans.ts';

export interface Fixture {
  readonly adapter: string;
  readonly direction: 'inbound' | 'outbound';
  readonly type: string;
  readonly name: string;
  readonly input: string;
  readonly expected?: string;
  readonly rejected?: string;
  readonly hints?: string;
}

export interface ExpectedRejection {
  readonly code: string;
  readonly problems?: ReadonlyArray<{ readonly code: string; readonly record?: number; readonly path?: string }>;
}

export interface FixtureResult {
  readonly fixture: Fixture;
  readonly passed: boolean;
  /** Why it failed, one line each (a readable diff of expected versus actual). */
  readonly differences: readonly string[];
  readonly actual?: unknown;
}

/** Every fixture of an adapter folder, in a stable order. */
export function listFixtures(adapter: LoadedAdapter): Fixture[] {
  const out: Fixture[] = [];
  for (const direction of ['inbound', 'outbound'] as const) {
    const base = join(adapter.dir, 'fixtures', direction);
    if (!existsSync(base)) continue;
    for (const type of readdirSync(base).sort()) {
      const dir = join(base, type);
      for (const file of readdirSync(dir).filter((f) => /\.input\.[A-Za-z0-9]+$/.test(f)).sort()) {
        const name = file.replace(/\.input\.[A-Za-z0-9]+$/, '');
        const at = (suffix: string) => (existsSync(join(dir, `${name}${suffix}`)) ? join(dir, `${name}${suffix}`) : undefined);
        const expected = at('.expected.json');
        const rejected = at('.rejected.json');
        const hints = at('.hints.json');
        out.push({ adapter: adapter.manifest.id, direction, type, name, input: join(dir, file),
          ...(expected ? { expected } : {}), ...(rejected ? { rejected } : {}), ...(hints ? { hints } : {}) });
      }
    }
  }
  return out;
}

/** A fixture file's JSON, as the shape its name promises (fixtures are data the test checks). */
const readJson = <T = unknown>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** The problems of an outcome, flattened: `{ code, record, path }`, including mapping problems by their domain code. */
function flatProblems(outcome: MessageOutcome): Array<{ code: string; record: number; path: string }> {
  return outcome.records.flatMap((r) => [
    ...r.problems.map((p) => ({ code: p.code, record: r.index, path: p.path })),
    ...(r.error ? [{ code: r.error.code, record: r.index, path: '' }] : []),
    ...(typeof r.error?.detail.problem === 'string' ? [{ code: r.error.detail.problem, record: r.index, path: '' }] : []),
    ...(typeof r.error?.detail.jsonataCode === 'string' ? [{ code: r.error.detail.jsonataCode, record: r.index, path: '' }] : []),
  ]);
}

function checkRejection(expected: ExpectedRejection, code: string | undefined, problems: Array<{ code: string; record?: number; path?: string }>): string[] {
  const lines: string[] = [];
  if (code !== expected.code) lines.push(`code: expected ${expected.code}, got ${code ?? 'accepted'}`);
  for (const p of expected.problems ?? []) {
    const found = problems.some((q) => q.code === p.code && (p.record === undefined || q.record === p.record) && (p.path === undefined || q.path === p.path));
    if (!found) lines.push(`problem ${p.code}${p.record === undefined ? '' : ` in record ${p.record}`}${p.path === undefined ? '' : ` at ${p.path}`}: not reported (got ${problems.map((q) => `${q.code}@${q.record ?? ''}${q.path ?? ''}`).join(', ') || 'none'})`);
  }
  return lines;
}

/** Runs one fixture offline: inbound through the whole pipeline, outbound through the mapping. */
export async function runFixture(adapter: LoadedAdapter, fixture: Fixture, standards: Standards<SchemaSource>, evaluator: MappingEvaluator): Promise<FixtureResult> {
  const hints = fixture.hints ? readJson<Record<string, string>>(fixture.hints) : {};
  const now = new Date(hints.now ?? DEFAULT_CASE_NOW);
  if (!fixture.expected && !fixture.rejected) {
    return { fixture, passed: false, differences: [`${fixture.name}: needs ${fixture.name}.expected.json or ${fixture.name}.rejected.json`] };
  }
  if (fixture.direction === 'outbound') {
    const outbound = new OutboundService({ standards: () => standards, evaluator, senders: {}, now: () => now });
    try {
      const prepared = await outbound.prepare(adapter, fixture.type, readJson(fixture.input));
      if (fixture.rejected) return { fixture, passed: false, differences: ['expected a rejection, got a mapped value'], actual: prepared.value };
      const differences = jsonDifferences(readJson(fixture.expected ?? ''), prepared.value);
      return { fixture, passed: differences.length === 0, differences, actual: prepared.value };
    } catch (error) {
      const failure = failureOf(error);
      if (!fixture.rejected) return { fixture, passed: false, differences: [`${failure.code}: ${failure.message}`] };
      const problems = error instanceof SuyuanError ? error.problems.map((p) => ({ code: p.code, path: p.path })) : [];
      const differences = checkRejection(readJson<ExpectedRejection>(fixture.rejected), failure.code, [...problems, ...(typeof failure.detail.problem === 'string' ? [{ code: failure.detail.problem }] : [])]);
      return { fixture, passed: differences.length === 0, differences };
    }
  }
  const outcome = await runInbound(adapter, fixture, standards, evaluator, now);
  const events = outcome.records.flatMap((r) => r.events.map((e) => e.event));
  if (fixture.expected) {
    const differences = outcome.status === 'accepted'
      ? jsonDifferences(readJson(fixture.expected), events)
      : [`expected acceptance, got ${outcome.status}: ${outcome.error?.code ?? ''} ${flatProblems(outcome).map((p) => `${p.code}@${p.record}${p.path}`).join(', ')}`];
    return { fixture, passed: differences.length === 0, differences, actual: events };
  }
  const code = outcome.error?.code ?? (outcome.status === 'accepted' ? undefined : 'MESSAGE_REJECTED');
  const differences = checkRejection(readJson<ExpectedRejection>(fixture.rejected ?? ''), code, flatProblems(outcome));
  return { fixture, passed: differences.length === 0, differences, actual: outcome };
}

/** Runs an inbound fixture's input through the whole pipeline, in memory. */
export function runInbound(adapter: LoadedAdapter, fixture: Fixture, standards: Standards<SchemaSource>, evaluator: MappingEvaluator, now: Date): Promise<MessageOutcome> {
  const plan = inboundPlan(adapter, chooseMessage(adapter, { type: fixture.type }));
  return runMessage(new Uint8Array(readFileSync(fixture.input)), plan, {
    standards, evaluator, provenance: new MemoryProvenance(), events: new MemoryEventSink(), now: () => now,
  }, `fixture:${fixture.name}`);
}

/** A fixture's name for reports: `<adapter> inbound/<type>/<case>`. */
export function fixtureName(fixture: Fixture, root: string): string {
  return `${fixture.adapter} ${fixture.direction}/${fixture.type}/${fixture.name} (${relative(root, fixture.input)})`;
}
