/** Reads raw JSON Schema (draft 2020-12, draft-07 tuples tolerated) into the normalised node model. */
import { SuyuanError } from '../../errors.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import {
  EMPTY_META, canonicalJson,
  type ArrayNode, type Meta, type Node, type NumberNode, type ObjectNode, type StringNode,
} from './schema-node.ts';

/** What reading needs from the document a schema sits in. */
export interface BuildEnv {
  /** The lazily resolved target of a `$ref` written in this document. */
  readonly refTarget: (ref: string) => () => Node;
  /** Nodes already read from this document, so a subschema reached twice is one node (cycle guard). */
  readonly cache: WeakMap<object, Node>;
}

const TRUE_NODE: Node = { kind: 'empty', meta: EMPTY_META, raw: true };
const FALSE_NODE: Node = { kind: 'false', meta: EMPTY_META, raw: false };

const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const OBJECT_KEYWORDS = [
  'properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties',
  'dependencies', 'dependentRequired', 'dependentSchemas', 'propertyNames',
];
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'];
type Family = 'string' | 'number' | 'object' | 'array';
const FAMILY_OF_TYPE: Readonly<Record<string, Family>> = {
  string: 'string', number: 'number', integer: 'number', object: 'object', array: 'array',
};

/**
 * Reads one schema. Several kinds of keyword on one object become a synthetic `allOf` of one part
 * per kind (`$ref`, `enum`, each combinator, `not`, `const`, the `type`, keywords of types not
 * named, `if`); a `type` array becomes a synthetic `anyOf`. Annotations sit on the returned node.
 * Throws `SCHEMA_INVALID` when `raw` is neither an object nor a boolean.
 */
export function buildNode(raw: unknown, env: BuildEnv): Node {
  if (raw === true) return TRUE_NODE;
  if (raw === false) return FALSE_NODE;
  if (!isJsonObject(raw)) {
    throw new SuyuanError('SCHEMA_INVALID', 'a schema must be an object or a boolean', { detail: { found: canonicalJson(raw) } });
  }
  const cached = env.cache.get(raw);
  if (cached) return cached;
  const parts = readParts(raw, env);
  const meta = readMeta(raw);
  const first = parts[0];
  const node: Node = first === undefined ? { kind: 'empty', meta, raw }
    : parts.length === 1 ? { ...first, meta, raw }
      : { kind: 'combined', criterion: 'allOf', subschemas: parts, synthetic: true, meta, raw };
  env.cache.set(raw, node);
  return node;
}

function readParts(raw: JsonObject, env: BuildEnv): Node[] {
  const parts: Node[] = [];
  const part = { meta: EMPTY_META, raw: undefined };
  if (typeof raw.$ref === 'string') parts.push({ kind: 'ref', ref: raw.$ref, target: env.refTarget(raw.$ref), ...part });
  if (Array.isArray(raw.enum)) parts.push({ kind: 'enum', values: raw.enum, ...part });
  for (const criterion of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = raw[criterion];
    if (Array.isArray(list)) {
      parts.push({ kind: 'combined', criterion, subschemas: list.map((s) => buildNode(s, env)), synthetic: false, ...part });
    }
  }
  if ('not' in raw) parts.push({ kind: 'not', schema: buildNode(raw.not, env), ...part });
  if ('const' in raw) parts.push({ kind: 'const', value: raw.const, ...part });
  const named = typeof raw.type === 'string' ? [raw.type] : Array.isArray(raw.type) ? [...new Set(raw.type.filter(isString))] : [];
  const typed = named.map((t) => typedPart(t, raw, env));
  const firstTyped = typed[0];
  if (firstTyped !== undefined) {
    parts.push(typed.length === 1 ? firstTyped
      : { kind: 'combined', criterion: 'anyOf', subschemas: typed, synthetic: true, ...part });
  }
  const covered = new Set(named.map((t) => FAMILY_OF_TYPE[t]));
  if (!covered.has('array') && hasAny(raw, ARRAY_KEYWORDS)) parts.push(arrayNode(raw, env));
  if (!covered.has('object') && hasAny(raw, OBJECT_KEYWORDS)) parts.push(objectNode(raw, env));
  if (!covered.has('number') && hasAny(raw, NUMBER_KEYWORDS)) parts.push(numberNode(raw, false));
  if (!covered.has('string') && hasAny(raw, STRING_KEYWORDS)) parts.push(stringNode(raw));
  if (hasAny(raw, ['if', 'then', 'else'])) {
    parts.push({ kind: 'conditional', key: canonicalJson([raw.if, raw.then, raw.else]), ...part });
  }
  return parts;
}

function typedPart(type: string, raw: JsonObject, env: BuildEnv): Node {
  switch (type) {
    case 'string': return stringNode(raw);
    case 'number': return numberNode(raw, false);
    case 'integer': return numberNode(raw, true);
    case 'object': return objectNode(raw, env);
    case 'array': return arrayNode(raw, env);
    case 'boolean': return { kind: 'boolean', meta: EMPTY_META, raw: undefined };
    case 'null': return { kind: 'null', meta: EMPTY_META, raw: undefined };
    default: throw new SuyuanError('SCHEMA_INVALID', `unknown type "${type}"`, { detail: { type } });
  }
}

function stringNode(raw: JsonObject): StringNode {
  return {
    kind: 'string', meta: EMPTY_META, raw: undefined,
    minLength: num(raw.minLength), maxLength: num(raw.maxLength), pattern: str(raw.pattern), format: str(raw.format),
  };
}

function numberNode(raw: JsonObject, integer: boolean): NumberNode {
  return {
    kind: 'number', meta: EMPTY_META, raw: undefined, integer,
    minimum: num(raw.minimum), maximum: num(raw.maximum), multipleOf: num(raw.multipleOf),
    exclusiveMinimum: num(raw.exclusiveMinimum), exclusiveMaximum: num(raw.exclusiveMaximum),
  };
}

function objectNode(raw: JsonObject, env: BuildEnv): ObjectNode {
  const dependentRequired = new Map<string, readonly string[]>();
  const dependentSchemas = new Map<string, Node>();
  for (const source of [raw.dependencies, raw.dependentRequired, raw.dependentSchemas]) {
    for (const [key, value] of Object.entries(isJsonObject(source) ? source : {})) {
      if (Array.isArray(value)) dependentRequired.set(key, value.filter(isString));
      else dependentSchemas.set(key, buildNode(value, env));
    }
  }
  const additional = raw.additionalProperties;
  return {
    kind: 'object', meta: EMPTY_META, raw: undefined,
    properties: new Map(Object.entries(objectOr(raw.properties)).map(([k, v]) => [k, buildNode(v, env)])),
    required: new Set(Array.isArray(raw.required) ? raw.required.filter(isString) : []),
    permitsAdditional: additional !== false,
    additionalSchema: isJsonObject(additional) ? buildNode(additional, env) : undefined,
    patternProperties: Object.entries(objectOr(raw.patternProperties)).map(([p, s]) => [p, buildNode(s, env)] as const),
    minProperties: num(raw.minProperties), maxProperties: num(raw.maxProperties),
    dependentRequired, dependentSchemas,
  };
}

/**
 * Arrays after everit's model: `prefixItems` are the item schemas; `items` beside them (or
 * `additionalItems`) governs further items, `false` forbidding them; a lone boolean `items` does
 * the same for all items, and a lone schema `items` applies to every item.
 */
function arrayNode(raw: JsonObject, env: BuildEnv): ArrayNode {
  const tuple = Array.isArray(raw.prefixItems) ? raw.prefixItems : Array.isArray(raw.items) ? raw.items : undefined;
  const tupleKeyword = Array.isArray(raw.prefixItems) ? 'prefixItems' : 'items';
  const governing = Array.isArray(raw.prefixItems) ? raw.items
    : Array.isArray(raw.items) ? raw.additionalItems
      : typeof raw.items === 'boolean' ? raw.items : raw.additionalItems;
  const additionalKeyword = Array.isArray(raw.prefixItems) || typeof raw.items === 'boolean' ? 'items' : 'additionalItems';
  return {
    kind: 'array', meta: EMPTY_META, raw: undefined,
    allItems: tuple === undefined && isJsonObject(raw.items) ? buildNode(raw.items, env) : undefined,
    prefix: (tuple ?? []).map((s) => buildNode(s, env)),
    permitsAdditional: governing !== false,
    additionalSchema: isJsonObject(governing) ? buildNode(governing, env) : undefined,
    minItems: num(raw.minItems), maxItems: num(raw.maxItems), uniqueItems: raw.uniqueItems === true,
    tupleKeyword, additionalKeyword,
  };
}

function readMeta(raw: JsonObject): Meta {
  const rules = raw['x-rules'];
  return {
    id: str(raw.$id) ?? str(raw.id),
    title: str(raw.title),
    description: str(raw.description),
    hasDefault: 'default' in raw,
    defaultValue: raw.default,
    rules: Array.isArray(rules) ? rules.filter(isString) : [],
    codeList: str(raw['x-code-list']),
  };
}

function hasAny(raw: JsonObject, keywords: readonly string[]): boolean {
  return keywords.some((k) => k in raw);
}

function objectOr(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
