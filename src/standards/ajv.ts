/**
 * The one place ajv is configured: draft 2020-12, every error at once, the standard's identifier
 * formats, and its own keywords (`x-classification`, `x-entitled`, `x-code-list`, `x-rules`).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, SchemaValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SuyuanError } from '../errors.ts';
import { loadCodeList, parseCodeListRef, unknownCodeProblem } from './code-lists.ts';
import { IDENTIFIER_FORMATS } from './identifiers/index.ts';
import { RULES } from './rules.ts';

export type { ErrorObject };
export type Validator = ReturnType<Ajv2020['compile']>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const CLASSIFICATIONS = ['public', 'shared', 'restricted', 'secret'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Keywords that only annotate: kept in the schema, checked for shape, never failing a document. */
const ANNOTATIONS: ReadonlyArray<{ keyword: string; schema: object }> = [
  { keyword: 'x-classification', schema: { enum: CLASSIFICATIONS } },
  { keyword: 'x-entitled', schema: { type: 'array', items: { type: 'string' } } },
  { keyword: 'x-compatibility', schema: { type: 'string' } },
  { keyword: 'x-order', schema: { type: 'integer' } },
];

/** An error raised by one of our keywords; ajv fills in `instancePath` and `schemaPath`. */
function keywordError(keyword: string, params: Record<string, unknown>, message: string): ErrorObject {
  return { keyword, params, message } as Partial<ErrorObject> as ErrorObject;
}

export interface AjvOptions {
  /** The repository root holding `standards/code-lists/`. */
  readonly root?: string;
}

export function createAjv(options: AjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    discriminator: true,
    verbose: false,
  });
  addFormats(ajv);
  for (const [name, check] of Object.entries(IDENTIFIER_FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: (value: string) => check(value) === null });
  }
  for (const { keyword, schema } of ANNOTATIONS) ajv.addKeyword({ keyword, metaSchema: schema });

  ajv.addKeyword({
    keyword: 'x-code-list',
    type: 'string',
    schemaType: 'string',
    errors: true,
    compile(ref: string) {
      const { list: name, version } = parseCodeListRef(ref);
      const list = loadCodeList(name, version, options.root);
      const code = unknownCodeProblem(list.list);
      const validate: SchemaValidateFunction = (data: string) => {
        if (Object.hasOwn(list.codes, data)) return true;
        validate.errors = [keywordError('x-code-list', { code, list: list.list, version: list.version, value: data },
          `"${data}" 不在代码表 ${ref} 中 / "${data}" is not a code of ${ref}`)];
        return false;
      };
      return validate;
    },
  });

  ajv.addKeyword({
    keyword: 'x-rules',
    type: 'object',
    schemaType: 'array',
    errors: true,
    compile(names: string[]) {
      const rules = names.map((name) => {
        const rule = RULES[name];
        if (!rule) throw new SuyuanError('UNKNOWN_RULE', `unknown rule "${name}" in x-rules`, { detail: { rule: name } });
        return rule;
      });
      const validate: SchemaValidateFunction = (data: Record<string, never>) => {
        const errors = rules.flatMap((rule) =>
          rule.check(data).map((f) => keywordError('x-rules', { code: rule.code, rule: rule.name, relativePath: f.path }, f.message)),
        );
        validate.errors = errors;
        return errors.length === 0;
      };
      return validate;
    },
  });
  return ajv;
}
