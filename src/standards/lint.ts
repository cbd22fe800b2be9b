/**
 * `suyuan standards lint`: every schema compiles, names its `$id` by the conventions, has bilingual
 * titles and a classification on every property, and its examples behave as labelled.
 */
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { CLASSIFICATIONS } from './ajv.ts';
import { readJsonFile, type SchemaSource, type SubjectVersion } from './catalog.ts';
import { loadCodeList } from './code-lists.ts';
import { checkExamples, readExamples } from './examples.ts';
import { isJsonObject, pointer, type JsonObject, type JsonValue } from './json.ts';
import { schemaId } from './paths.ts';
import type { Standards } from './validator.ts';

export interface LintFinding {
  readonly subject: string;
  readonly version: string;
  readonly code: string;
  /** Where: a JSON Pointer into the schema, or an example file. */
  readonly where: string;
  readonly message: string;
}

export const MIN_EXAMPLES = 3;
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';
const CJK = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z]/;

/** `中文 / English`: Chinese before the first ` / `, Latin letters after it. */
export function isBilingual(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const at = text.indexOf(' / ');
  return at > 0 && CJK.test(text.slice(0, at)) && LATIN.test(text.slice(at + 3));
}

/** Subschema keywords to walk, by how their value holds schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
// `if` and `not` hold conditions, not declarations: their properties need no titles.
const SCHEMA_SINGLE = ['items', 'additionalProperties', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];

/** Visits every property declaration (an entry of a `properties` map) at any depth. */
export function eachProperty(schema: JsonValue, visit: (name: string, property: JsonObject, path: string) => void, path = ''): void {
  if (!isJsonObject(schema)) return;
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (!isJsonObject(map)) continue;
    for (const [name, sub] of Object.entries(map)) {
      if (key === 'properties' && isJsonObject(sub)) visit(name, sub, `${path}${pointer(key, name)}`);
      eachProperty(sub, visit, `${path}${pointer(key, name)}`);
    }
  }
  for (const key of SCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((sub, i) => eachProperty(sub, visit, `${path}${pointer(key, i)}`));
  }
  for (const key of SCHEMA_SINGLE) if (schema[key] !== undefined) eachProperty(schema[key], visit, `${path}${pointer(key)}`);
}

/** The code list that `x-entitled` values come from. */
export const DEPARTMENTS = 'department@2024';

function lintAnnotations(v: SubjectVersion, add: (code: string, where: string, message: string) => void, root?: string): void {
  let departments: Readonly<Record<string, string>> | undefined;
  try {
    departments = loadCodeList('department', '2024', root).codes;
  } catch {
    departments = undefined; // a repository without the list (a test's) checks nothing here
  }
  const check = (node: JsonObject, where: string, label: string): void => {
    if (!isBilingual(node.title)) add('LINT_TITLE', where, `${label} needs a title "中文 / English"`);
    if (!isBilingual(node.description)) add('LINT_DESCRIPTION', where, `${label} needs a description "中文 / English"`);
    const c = node['x-classification'];
    if (!CLASSIFICATIONS.includes(c as never)) add('LINT_CLASSIFICATION', where, `${label} needs x-classification (${CLASSIFICATIONS.join(' | ')})`);
    const entitled = node['x-entitled'];
    if (c === 'restricted' && !(Array.isArray(entitled) && entitled.length > 0)) {
      add('LINT_ENTITLED', where, `${label} is restricted and needs x-entitled`);
    }
    for (const d of Array.isArray(entitled) ? entitled : []) {
      if (departments && !Object.hasOwn(departments, String(d))) add('LINT_ENTITLED', where, `${label}: "${String(d)}" is not in the department code list ${DEPARTMENTS}`);
    }
  };
  check(v.schema, '', 'the schema');
  eachProperty(v.schema, (name, property, path) => check(property, path, `property "${name}"`));
}

/** Lints one subject version; returns its findings (empty when clean). */
export function lintVersion(standards: Standards<SchemaSource>, v: SubjectVersion): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (code: string, where: string, message: string): void => {
    findings.push({ subject: v.subject, version: v.version, code, where, message });
  };
  if (v.schema.$id !== schemaId(v.subject, v.version)) add('LINT_ID', '/$id', `$id must be ${schemaId(v.subject, v.version)}`);
  if (v.schema.$schema !== DRAFT_2020) add('LINT_DRAFT', '/$schema', `$schema must be ${DRAFT_2020}`);
  lintAnnotations(v, add, standards.root);
  try {
    standards.validator(v.subject, v.version);
  } catch (error) {
    add('LINT_SCHEMA_INVALID', v.file, error instanceof Error ? error.message : String(error));
    return findings;
  }
  if (!v.sourceDir) {
    add('LINT_EXAMPLES_MISSING', '', 'no source folder in standards/ with examples');
    return findings;
  }
  if (v.status !== 'draft') {
    const source = join(v.sourceDir, 'schema.json');
    if (existsSync(source) && !isDeepStrictEqual(readJsonFile(source), v.schema)) {
      add('LINT_RELEASED_CHANGED', source, 'a released version was edited in standards/: start a new version folder instead');
    }
  }
  const examples = readExamples(v.sourceDir);
  if (examples.valid.length < MIN_EXAMPLES) add('LINT_EXAMPLES_MISSING', 'examples/valid', `${examples.valid.length} valid examples, at least ${MIN_EXAMPLES} needed`);
  if (examples.invalid.length < MIN_EXAMPLES) add('LINT_EXAMPLES_MISSING', 'examples/invalid', `${examples.invalid.length} invalid examples, at least ${MIN_EXAMPLES} needed`);
  for (const f of checkExamples(standards, v.subject, v.version, examples)) add('LINT_EXAMPLE', f.file, f.message);
  return findings;
}

/** Lints every version of the given subjects (all subjects when none are given). */
export function lintStandards(standards: Standards<SchemaSource>, subjects?: readonly string[]): LintFinding[] {
  const names = subjects && subjects.length > 0 ? subjects : standards.catalog.subjects();
  for (const s of names) if (!standards.catalog.subjects().includes(s)) throw new SuyuanError('SUBJECT_NOT_FOUND', `no subject "${s}"`);
  return names.flatMap((s) => standards.catalog.versions(s).flatMap((v) => lintVersion(standards, v)));
}
