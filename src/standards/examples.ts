/** The examples every subject version ships: documents that must validate, and ones that must not. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors.ts';
import { readJsonFile, type SchemaSource } from './catalog.ts';
import { isJsonObject } from './json.ts';
import type { Standards } from './validator.ts';

export interface Example {
  readonly file: string;
  readonly document: unknown;
}

export interface InvalidExample extends Example {
  /** Problems that MUST be among those reported (`code`, and `path` when given); `undefined` when the sidecar is missing. */
  readonly expected: ReadonlyArray<{ code: string; path?: string }> | undefined;
}

export interface Examples {
  readonly valid: readonly Example[];
  readonly invalid: readonly InvalidExample[];
}

const SIDECAR = '.expected.json';

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith(SIDECAR)).sort().map((f) => join(dir, f));
}

function readExpected(file: string): InvalidExample['expected'] {
  const sidecar = file.replace(/\.json$/, SIDECAR);
  if (!existsSync(sidecar)) return undefined;
  const data = readJsonFile(sidecar);
  const problems = isJsonObject(data) && Array.isArray(data.problems) ? data.problems : [];
  return problems.filter(isJsonObject).map((p) => ({
    code: String(p.code),
    ...(typeof p.path === 'string' ? { path: p.path } : {}),
  }));
}

/** Reads `<sourceDir>/examples/{valid,invalid}/`. */
export function readExamples(sourceDir: string): Examples {
  return {
    valid: jsonFiles(join(sourceDir, 'examples', 'valid')).map((file) => ({ file, document: readJsonFile(file) })),
    invalid: jsonFiles(join(sourceDir, 'examples', 'invalid')).map((file) => ({
      file,
      document: readJsonFile(file),
      expected: readExpected(file),
    })),
  };
}

/** The expected problems an invalid example's result lacks. */
export function missingExpected(example: InvalidExample, problems: readonly Problem[]): Array<{ code: string; path?: string }> {
  return (example.expected ?? []).filter(
    (e) => !problems.some((p) => p.code === e.code && (e.path === undefined || p.path === e.path)),
  );
}

export interface ExampleFailure {
  readonly file: string;
  readonly message: string;
}

/** Runs one subject version's examples; returns one entry per failure (empty when all behave as labelled). */
export function checkExamples(standards: Standards<SchemaSource>, subject: string, version: string, examples: Examples): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  const fail = (file: string, message: string): void => {
    failures.push({ file, message });
  };
  for (const ex of examples.valid) {
    const result = standards.validate(subject, version, ex.document);
    for (const p of result.problems) fail(ex.file, `valid example has problem ${p.code} at ${p.path || '/'}: ${p.message}`);
  }
  for (const ex of examples.invalid) {
    const result = standards.validate(subject, version, ex.document);
    if (result.valid) fail(ex.file, 'invalid example validates');
    if (!ex.expected) fail(ex.file, `invalid example has no ${SIDECAR} sidecar`);
    for (const m of missingExpected(ex, result.problems)) {
      const got = result.problems.map((p) => `${p.code}@${p.path || '/'}`).join(', ');
      fail(ex.file, `expected ${m.code}${m.path === undefined ? '' : `@${m.path}`}, got ${got || 'nothing'}`);
    }
  }
  return failures;
}
