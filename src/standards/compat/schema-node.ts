/** The normalised schema model that compatibility is computed on, shaped after Confluent's (everit's). */

/**
 * What every node carries besides its constraints: the annotations Confluent compares (`$id`,
 * `title`, `description`, `default`) and our two compatibility-relevant extensions.
 */
export interface Meta {
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  /** `x-rules`: names of cross-field rules on this object, in schema order. */
  readonly rules: readonly string[];
  /** `x-code-list`: `<list>@<version>`. */
  readonly codeList: string | undefined;
}

export const EMPTY_META: Meta = {
  id: undefined, title: undefined, description: undefined, hasDefault: false, defaultValue: undefined,
  rules: [], codeList: undefined,
};

interface Base {
  readonly meta: Meta;
  /**
   * The JSON this node was read from; two subschemas of a combinator with equal `raw` count once.
   * A part of a synthetic combinator has `raw === undefined` and never equals another.
   */
  readonly raw: unknown;
}

/** `true`, `{}` or a schema of annotations only: accepts every value. */
export interface EmptyNode extends Base { readonly kind: 'empty' }
/** `false`: accepts nothing. */
export interface FalseNode extends Base { readonly kind: 'false' }
export interface BooleanNode extends Base { readonly kind: 'boolean' }
export interface NullNode extends Base { readonly kind: 'null' }

export interface StringNode extends Base {
  readonly kind: 'string';
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: string | undefined;
  readonly format: string | undefined;
}

export interface NumberNode extends Base {
  readonly kind: 'number';
  /** `type: integer`. */
  readonly integer: boolean;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly exclusiveMinimum: number | undefined;
  readonly exclusiveMaximum: number | undefined;
  readonly multipleOf: number | undefined;
}

export interface ObjectNode extends Base {
  readonly kind: 'object';
  readonly properties: ReadonlyMap<string, Node>;
  readonly required: ReadonlySet<string>;
  /** `false` only for `additionalProperties: false`. */
  readonly permitsAdditional: boolean;
  /** `additionalProperties` when it is a schema object (`{}` included, as everit reads it). */
  readonly additionalSchema: Node | undefined;
  readonly patternProperties: ReadonlyArray<readonly [string, Node]>;
  readonly minProperties: number | undefined;
  readonly maxProperties: number | undefined;
  /** `dependentRequired` (and the array form of draft-07 `dependencies`). */
  readonly dependentRequired: ReadonlyMap<string, readonly string[]>;
  /** `dependentSchemas` (and the schema form of draft-07 `dependencies`). */
  readonly dependentSchemas: ReadonlyMap<string, Node>;
}

export interface ArrayNode extends Base {
  readonly kind: 'array';
  /** `items` as one schema for every item (no `prefixItems`). */
  readonly allItems: Node | undefined;
  /** `prefixItems` (or draft-07 tuple `items`). */
  readonly prefix: readonly Node[];
  /** `false` when items past the prefix (or all items) are forbidden by a `false` schema. */
  readonly permitsAdditional: boolean;
  /** The schema of items past the prefix: `items` beside `prefixItems`, or `additionalItems`. */
  readonly additionalSchema: Node | undefined;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly uniqueItems: boolean;
  /** Keyword names as written, for JSON Pointers into the schema. */
  readonly tupleKeyword: 'prefixItems' | 'items';
  readonly additionalKeyword: 'items' | 'additionalItems';
}

export interface EnumNode extends Base { readonly kind: 'enum'; readonly values: readonly unknown[] }
export interface ConstNode extends Base { readonly kind: 'const'; readonly value: unknown }
export interface NotNode extends Base { readonly kind: 'not'; readonly schema: Node }
/** `if`/`then`/`else`, compared as a whole by its canonical JSON. */
export interface ConditionalNode extends Base { readonly kind: 'conditional'; readonly key: string }

export type Criterion = 'allOf' | 'anyOf' | 'oneOf';

export interface CombinedNode extends Base {
  readonly kind: 'combined';
  readonly criterion: Criterion;
  readonly subschemas: readonly Node[];
  /**
   * Made by reading, not written: several kinds of keyword on one object (`type` and `enum`) are
   * an `allOf` of their parts, a `type` array is an `anyOf` of one schema per type (everit's model).
   */
  readonly synthetic: boolean;
}

/** `$ref`; `target()` resolves it (and throws `SCHEMA_INVALID` when it cannot). */
export interface RefNode extends Base { readonly kind: 'ref'; readonly ref: string; readonly target: () => Node }

export type Node =
  | EmptyNode | FalseNode | BooleanNode | NullNode | StringNode | NumberNode | ObjectNode | ArrayNode
  | EnumNode | ConstNode | NotNode | ConditionalNode | CombinedNode | RefNode;

/** JSON text with object keys sorted, so that equal JSON values have equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Deep equality of two JSON values. */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}
