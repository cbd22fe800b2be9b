/**
 * The official JSONata test suite (`../shared/jsonata-test-suite/`, MIT): its cases, and one case run through the
 * mapping compiler. `SUYUAN_JSONATA_SUITE` names another folder. Absent folder: the suite is skipped with a loud
 * notice (the suite is not the project's to vendor; CI runs beside `../shared`, where it is).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { compileExpression } from '../../src/mapping/compiler/index.ts';
import { LimitError } from '../../src/mapping/guard.ts';

export const SUITE_DIR = process.env.SUYUAN_JSONATA_SUITE ?? resolve(import.meta.dirname, '../../../shared/jsonata-test-suite');

export interface SuiteCase {
  readonly group: string;
  readonly name: string;
  readonly expr: string;
  readonly data: unknown;
  readonly bindings: Record<string, unknown>;
  readonly timelimit?: number;
  readonly depth?: number;
  readonly expect: { readonly result: unknown } | { readonly undefinedResult: true } | { readonly code: string };
}

/** Whether the suite is here. */
export function suitePresent(): boolean {
  if (existsSync(join(SUITE_DIR, 'groups'))) return true;
  console.warn(`\n*** JSONata test suite not found at ${SUITE_DIR}: the compiler's differential test is SKIPPED ***\n`);
  return false;
}

export function loadSuite(): SuiteCase[] {
  const datasets = new Map<string, unknown>();
  const dataset = (name: string): unknown => {
    if (!datasets.has(name)) datasets.set(name, JSON.parse(readFileSync(join(SUITE_DIR, 'datasets', `${name}.json`), 'utf8')));
    return datasets.get(name);
  };
  const cases: SuiteCase[] = [];
  for (const group of readdirSync(join(SUITE_DIR, 'groups')).sort()) {
    const dir = join(SUITE_DIR, 'groups', group);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as any;
      const list: any[] = Array.isArray(parsed) ? parsed : [parsed];
      list.forEach((c, i) => {
        const expr = 'expr' in c ? c.expr : readFileSync(join(dir, c['expr-file']), 'utf8');
        const data = 'data' in c ? c.data : typeof c.dataset === 'string' ? dataset(c.dataset) : undefined;
        const expect = 'undefinedResult' in c ? { undefinedResult: true as const } : 'result' in c ? { result: c.result } : { code: String(c.code ?? c.error?.code) };
        cases.push({
          group, name: list.length > 1 ? `${file}[${i}]` : file, expr, data, bindings: c.bindings ?? {}, expect,
          ...(typeof c.timelimit === 'number' ? { timelimit: c.timelimit } : {}),
          ...(typeof c.depth === 'number' ? { depth: c.depth } : {}),
        });
      });
    }
  }
  return cases;
}

export type CaseOutcome =
  | { readonly status: 'parse-error' }
  | { readonly status: 'interpreted'; readonly reason: string }
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly detail: string };

const NOW = new Date('2026-01-01T00:00:00.000Z');

/** The code the suite expects for one of our own limits: the suite's runner reports U1001 for depth and time alike. */
function codeOf(error: unknown): string {
  if (error instanceof LimitError) return 'U1001';
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'U1001';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : `(no code: ${String(error)})`;
}

const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v) ?? 'null'));

/** Runs one case through the compiler, when it compiles; compares with what the suite expects. */
export function runCase(c: SuiteCase): CaseOutcome {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(c.expr);
  } catch {
    return { status: 'parse-error' };
  }
  const outcome = compileExpression(expression);
  if (!outcome.compiled) return { status: 'interpreted', reason: outcome.reason };
  const limits = { timeoutMs: c.timelimit ?? 10_000, maxDepth: c.depth ?? 100_000 };
  let result: unknown;
  try {
    result = outcome.mapping.run(c.data, c.bindings, NOW, limits);
  } catch (error) {
    if ('code' in c.expect && codeOf(error) === c.expect.code) return { status: 'passed' };
    return { status: 'failed', detail: `threw ${codeOf(error)} ${String((error as { message?: unknown })?.message ?? '')}, expected ${JSON.stringify(c.expect)}` };
  }
  if ('code' in c.expect) return { status: 'failed', detail: `gave ${JSON.stringify(result)}, expected error ${c.expect.code}` };
  if ('undefinedResult' in c.expect) {
    return result === undefined ? { status: 'passed' } : { status: 'failed', detail: `gave ${JSON.stringify(result)}, expected nothing` };
  }
  return isDeepStrictEqual(plain(result), plain(c.expect.result))
    ? { status: 'passed' }
    : { status: 'failed', detail: `gave ${JSON.stringify(result)}, expected ${JSON.stringify(c.expect.result)}` };
}
