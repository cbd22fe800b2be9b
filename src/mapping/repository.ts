// Mappings as data: `mappings/<id>/` with mapping.json, mapping.jsonata and `*.cases.json`; loading them and running their cases.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { SuyuanError } from '../errors.ts';
import { REPO_ROOT } from '../standards/paths.ts';
import { jsonDifferences } from './diff.ts';
import type { MappingEvaluator, MappingSource } from './engine.ts';

/** `mapping.json`. */
export interface MappingManifest {
  /** The folder name: lower-case letters, digits and hyphens. */
  readonly id: string;
  /** Semantic version; a changed mapping is a new version. */
  readonly version: string;
  readonly summary: string;
  /** The subject and version range its results conform to, e.g. `trace.event@^1`. */
  readonly produces: string;
}

/** One case of `<name>.cases.json`: an input and either the expected result or the expected error code. */
export interface MappingCase {
  readonly name: string;
  /** The cases file, relative to the repository root. */
  readonly file: string;
  readonly input: unknown;
  readonly bindings?: Readonly<Record<string, unknown>>;
  /** `context.now`, ISO 8601 with offset; `DEFAULT_CASE_NOW` when the case does not say. */
  readonly now: string;
  readonly expected?: unknown;
  /** The hub error code (`MAPPING_FAILED`), domain problem (`USCC_CHECK`) or JSONata code (`D3137`) expected. */
  readonly expectedError?: string;
}

/** A mapping as loaded from its folder. */
export interface MappingDefinition extends MappingSource {
  readonly manifest: MappingManifest;
  readonly dir: string;
  readonly cases: readonly MappingCase[];
}

/** The outcome of one case; `differences` says, one line each, why it failed. */
export interface CaseResult {
  readonly name: string;
  readonly file: string;
  readonly passed: boolean;
  readonly differences: readonly string[];
  readonly actual?: unknown;
  readonly error?: SuyuanError;
}

/** The clock of a case that names none, so that cases stay deterministic. */
export const DEFAULT_CASE_NOW = '2026-01-01T00:00:00.000+08:00';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const PRODUCES = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*@\S+$/;
const OFFSET_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** Throws `MAPPING_COMPILE` naming the file and the field: a mapping folder that cannot be loaded cannot be compiled. */
export function invalid(file: string, field: string, problem: string): never {
  throw new SuyuanError('MAPPING_COMPILE', `${file}: ${field} ${problem}`, { detail: { file, field } });
}

/** A mapping folder's JSON file; `MAPPING_COMPILE` naming the file when it is not JSON. */
export function readJson(path: string, root: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SuyuanError('MAPPING_COMPILE', `${relative(root, path)}: 不是有效 JSON / not valid JSON`, { cause, detail: { file: relative(root, path) } });
  }
}

function readManifest(dir: string, id: string, root: string): MappingManifest {
  const file = relative(root, join(dir, 'mapping.json'));
  const data = readJson(join(dir, 'mapping.json'), root) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) invalid(file, '(root)', 'must be an object');
  if (data.id !== id) invalid(file, 'id', `must be the folder name "${id}"`);
  if (typeof data.version !== 'string' || semver.valid(data.version) !== data.version) invalid(file, 'version', 'must be a semantic version such as 1.0.0');
  if (typeof data.summary !== 'string' || data.summary.trim() === '') invalid(file, 'summary', 'must be a non-empty string');
  if (typeof data.produces !== 'string' || !PRODUCES.test(data.produces) || semver.validRange(data.produces.split('@')[1] ?? '') === null) {
    invalid(file, 'produces', 'must be <subject>@<version range>, such as trace.event@^1');
  }
  return { id, version: data.version, summary: data.summary, produces: data.produces };
}

function readCases(path: string, root: string): MappingCase[] {
  const file = relative(root, path);
  const data = readJson(path, root);
  if (!Array.isArray(data)) invalid(file, '(root)', 'must be an array of cases');
  return data.map((c: unknown, i): MappingCase => {
    const at = `[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) invalid(file, at, 'must be an object');
    const r = c as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.name === '') invalid(file, `${at}.name`, 'must be a non-empty string');
    if (!('input' in r)) invalid(file, `${at}.input`, 'is required');
    if (('expected' in r) === ('expectedError' in r)) invalid(file, at, 'must have exactly one of expected and expectedError');
    if ('expectedError' in r && typeof r.expectedError !== 'string') invalid(file, `${at}.expectedError`, 'must be an error code');
    if (r.bindings !== undefined && (typeof r.bindings !== 'object' || r.bindings === null || Array.isArray(r.bindings))) invalid(file, `${at}.bindings`, 'must be an object');
    if (r.now !== undefined && (typeof r.now !== 'string' || !OFFSET_TIME.test(r.now) || Number.isNaN(Date.parse(r.now)))) {
      invalid(file, `${at}.now`, 'must be an ISO 8601 time with an offset');
    }
    return {
      name: r.name, file, input: r.input, now: (r.now as string | undefined) ?? DEFAULT_CASE_NOW,
      ...(r.bindings === undefined ? {} : { bindings: r.bindings as Record<string, unknown> }),
      ...('expected' in r ? { expected: r.expected } : { expectedError: r.expectedError as string }),
    };
  });
}

/**
 * Loads mapping `id` from `<root>/mappings/<id>/` (root: this repository). Throws `MAPPING_NOT_FOUND`
 * when there is no such folder or it has no `mapping.jsonata`, and `MAPPING_COMPILE` with
 * `detail: { file, field }` for an invalid `mapping.json` or cases file. The JSONata is not compiled here.
 */
export function loadMapping(id: string, root: string = REPO_ROOT): MappingDefinition {
  const dir = join(root, 'mappings', id);
  if (!ID.test(id) || !existsSync(join(dir, 'mapping.jsonata'))) {
    throw new SuyuanError('MAPPING_NOT_FOUND', `没有映射 ${id} / No mapping ${id} (mappings/${id}/mapping.jsonata)`, { detail: { id } });
  }
  const manifest = readManifest(dir, id, root);
  const names = readdirSync(dir).filter((f) => f.endsWith('.cases.json')).sort();
  const cases = names.flatMap((f) => readCases(join(dir, f), root));
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) invalid(c.file, 'name', `"${c.name}" names two cases of mapping ${id}`);
    seen.add(c.name);
  }
  return { id, version: manifest.version, source: readFileSync(join(dir, 'mapping.jsonata'), 'utf8'), manifest, dir, cases };
}

/** Every mapping under `<root>/mappings/`, ordered by id; folders without `mapping.jsonata` are skipped. */
export function loadMappings(root: string = REPO_ROOT): MappingDefinition[] {
  const base = join(root, 'mappings');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((id) => statSync(join(base, id)).isDirectory() && existsSync(join(base, id, 'mapping.jsonata')))
    .sort()
    .map((id) => loadMapping(id, root));
}

/** Whether `error` is the one a case expects: its code, its domain problem or its JSONata code. */
function matches(error: SuyuanError, expected: string): boolean {
  return [error.code, error.detail.problem, error.detail.jsonataCode].includes(expected);
}

const describeError = (e: SuyuanError): string => {
  const specific = e.detail.problem ?? e.detail.jsonataCode;
  return `${e.code}${specific === undefined ? '' : ` (${String(specific)})`}: ${e.message}`;
};

/** Runs one case through `evaluator` (the engine or the worker pool). Never throws for a failing mapping. */
export async function runCase(evaluator: MappingEvaluator, mapping: MappingSource, c: MappingCase): Promise<CaseResult> {
  const base = { name: c.name, file: c.file };
  const context = { now: new Date(c.now), ...(c.bindings === undefined ? {} : { bindings: c.bindings }) };
  let actual: unknown;
  try {
    actual = await evaluator.evaluate(mapping, c.input, context);
  } catch (error) {
    if (!(error instanceof SuyuanError)) throw error;
    if (c.expectedError !== undefined && matches(error, c.expectedError)) return { ...base, passed: true, differences: [], error };
    const wanted = c.expectedError === undefined ? 'a result' : `error ${c.expectedError}`;
    return { ...base, passed: false, differences: [`expected ${wanted}, got ${describeError(error)}`], error };
  }
  if (c.expectedError !== undefined) {
    return { ...base, passed: false, differences: [`expected error ${c.expectedError}, got a result: ${JSON.stringify(actual)}`], actual };
  }
  const differences = jsonDifferences(c.expected, actual);
  return { ...base, passed: differences.length === 0, differences, actual };
}

/** Runs every case of `mapping`, in file and then array order. */
export async function runCases(evaluator: MappingEvaluator, mapping: MappingDefinition): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of mapping.cases) results.push(await runCase(evaluator, mapping, c));
  return results;
}
