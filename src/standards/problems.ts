/**
 * Turns ajv's errors into the standard's problems: `{ code, path, message }`, every one at once,
 * with stable codes (README, "Validation problems") and messages in Chinese and English.
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from '../errors.ts';
import { IDENTIFIER_FORMATS } from './identifiers/index.ts';
import { escapePointerToken, readPointer } from './json.ts';

const BOUNDS = new Set([
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'uniqueItems', 'minContains', 'maxContains',
]);

type Params = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function fromSchemaError(error: ErrorObject, document: unknown): Problem | undefined {
  const p = error.params as Params;
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { code: 'SCHEMA_REQUIRED', path: at, message: `缺少必填字段 "${str(p.missingProperty)}" / Missing required property "${str(p.missingProperty)}"` };
    case 'dependentRequired':
      return { code: 'SCHEMA_REQUIRED', path: at, message: `有 "${str(p.property)}" 时必须有 "${str(p.missingProperty)}" / "${str(p.property)}" needs "${str(p.missingProperty)}"` };
    case 'type':
      return { code: 'SCHEMA_TYPE', path: at, message: `类型应为 ${str(p.type)} / Must be of type ${str(p.type)}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).slice(0, 8).map(str).join(', ');
      return { code: 'SCHEMA_ENUM', path: at, message: `取值不在允许范围内：${allowed} / Must be one of: ${allowed}` };
    }
    case 'const':
      return { code: 'SCHEMA_CONST', path: at, message: `取值应为 ${str(p.allowedValue)} / Must be ${str(p.allowedValue)}` };
    case 'pattern':
      return { code: 'SCHEMA_PATTERN', path: at, message: `格式不符合 ${str(p.pattern)} / Must match ${str(p.pattern)}` };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = str(p.additionalProperty ?? p.unevaluatedProperty);
      return { code: 'SCHEMA_ADDITIONAL_PROPERTY', path: `${at}/${escapePointerToken(name)}`, message: `不允许的字段 "${name}" / Property "${name}" is not allowed here` };
    }
    case 'format': {
      const check = IDENTIFIER_FORMATS[str(p.format)];
      const value = readPointer(document, at);
      const issue = check && typeof value === 'string' ? check(value) : null;
      if (issue) return { code: issue.code, path: at, message: issue.message };
      return { code: 'SCHEMA_FORMAT', path: at, message: `不是有效的 ${str(p.format)} / Is not a valid ${str(p.format)}` };
    }
    case 'oneOf':
    case 'anyOf':
      return { code: 'SCHEMA_ONE_OF', path: at, message: `不符合任何一种允许的形式 / Matches none of the allowed forms` };
    case 'contains':
      return { code: 'SCHEMA_CONTAINS', path: at, message: `没有符合要求的元素 / No item matches what the list must contain` };
    case 'not':
      return { code: 'SCHEMA_NOT', path: at, message: `取值不被允许 / This value is not allowed` };
    case 'discriminator':
      return { code: 'SCHEMA_ENUM', path: `${at}/${escapePointerToken(str(p.tag))}`, message: `"${str(p.tag)}" 取值未知 / Unknown value of "${str(p.tag)}"` };
    case 'x-code-list':
    case 'x-rules':
      return { code: str(p.code), path: `${at}${typeof p.relativePath === 'string' ? p.relativePath : ''}`, message: error.message ?? '' };
    case 'if':
    case 'false schema':
      return undefined;
    default:
      if (BOUNDS.has(error.keyword)) {
        return { code: 'SCHEMA_BOUNDS', path: at, message: `超出范围：${error.keyword} ${str(p.limit)} / Out of bounds: ${error.message ?? error.keyword}` };
      }
      return { code: 'SCHEMA_OTHER', path: at, message: `${error.keyword} / ${error.message ?? error.keyword}` };
  }
}

/**
 * Maps ajv errors to problems. A failed `oneOf`/`anyOf` whose alternatives each only miss a property
 * becomes one problem naming them all ("needs one of"); any other failed `oneOf`/`anyOf` is reported
 * only when nothing more precise was found at or below its path. A failed `contains` is one problem.
 * Duplicates are dropped.
 */
export function toProblems(errors: readonly ErrorObject[] | null | undefined, document: unknown): Problem[] {
  const list = errors ?? [];
  const out: Problem[] = [];
  const seen = new Set<string>();
  const consumed = new Set<ErrorObject>();
  const push = (problem: Problem | undefined): void => {
    if (!problem) return;
    const key = `${problem.code}\u0000${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(problem);
  };
  // A failed `contains` is one problem: the items that did not match are not problems of their own.
  const containers = list.filter((e) => e.keyword === 'contains').map((e) => `${e.schemaPath}/`);
  for (const error of list) if (containers.some((c) => error.schemaPath.startsWith(c))) consumed.add(error);
  for (const error of list) {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    const branches = list.filter((e) => e.schemaPath.startsWith(`${error.schemaPath}/`));
    if (branches.length > 0 && branches.every((e) => e.keyword === 'required' && e.instancePath === error.instancePath)) {
      const names = [...new Set(branches.map((e) => str((e.params as Params).missingProperty)))];
      for (const e of [error, ...branches]) consumed.add(e);
      push({ code: 'SCHEMA_REQUIRED', path: error.instancePath, message: `需要以下字段之一：${names.join('、')} / Needs one of: ${names.join(', ')}` });
    }
  }
  for (const error of list) {
    if (consumed.has(error)) continue;
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      const prefix = error.instancePath;
      const precise = list.some(
        (e) => e !== error && !consumed.has(e) && e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if' &&
          (e.instancePath === prefix || e.instancePath.startsWith(`${prefix}/`)),
      );
      if (precise) continue;
    }
    push(fromSchemaError(error, document));
  }
  return out;
}
