// Compatibility with Confluent's semantics: every case of test/compat-cases, the levels, the messages, the words.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import {
  COMPATIBLE_CHANGES, DIFFERENCE_TYPES, checkCompatibility, describeDifferences, diffSchemas, formatDifference,
  type CompatOptions, type CompatibilityLevel,
} from '../src/standards/compat/index.ts';

interface CompatCase {
  readonly description: string;
  readonly original: unknown;
  readonly update: unknown;
  readonly changes: readonly string[];
  readonly backward: boolean;
  readonly forward: boolean;
  /** Other subjects' documents by `$id`, for `resolve`. */
  readonly documents?: Readonly<Record<string, unknown>>;
  /** Code list versions by `<list>@<version>`, for `resolveCodeList`. */
  readonly codeLists?: Readonly<Record<string, readonly string[]>>;
  readonly dialect?: 'suyuan' | 'confluent';
}

const CASES_DIR = join(import.meta.dirname, 'compat-cases');
const cases: Array<[string, CompatCase]> = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()
  .flatMap((file) => (JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as CompatCase[])
    .map((c): [string, CompatCase] => [`${file.replace(/\.json$/, '')}: ${c.description}`, c]));

function optionsOf(c: CompatCase): CompatOptions {
  const { documents, codeLists, dialect } = c;
  return {
    ...(documents ? { resolve: (uri: string) => documents[uri] } : {}),
    ...(codeLists ? { resolveCodeList: (ref: string) => codeLists[ref] } : {}),
    ...(dialect ? { dialect } : {}),
  };
}

describe('compatibility cases', () => {
  it('has at least 120 cases, each naming only Confluent difference types', () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    const known = new Set<string>(DIFFERENCE_TYPES);
    for (const [, c] of cases) for (const type of c.changes) expect(known.has(type), type).toBe(true);
  });

  it.each(cases)('%s', (_name, c) => {
    const options = optionsOf(c);
    const ahead = diffSchemas(c.original, c.update, options);
    expect(ahead.map((d) => d.type).sort()).toEqual([...c.changes].sort());
    for (const d of ahead) expect(d.compatible).toBe(COMPATIBLE_CHANGES.has(d.type));
    expect(ahead.every((d) => d.compatible)).toBe(c.backward);
    const behind = diffSchemas(c.update, c.original, options);
    expect(behind.every((d) => d.compatible)).toBe(c.forward);
    const words = describeDifferences(c.original, c.update, options);
    expect([words.backward, words.forward]).toEqual([c.backward, c.forward]);
    expect(checkCompatibility('FULL', c.update, [c.original], options).compatible).toBe(c.backward && c.forward);
  });
});

describe('paths', () => {
  const paths = (original: unknown, update: unknown): string[] => diffSchemas(original, update).map((d) => `${d.type} ${d.path} ${d.pointer}`);

  it('are Confluent jsonPaths, with a JSON Pointer into the schema as written beside them', () => {
    expect(paths({ allOf: [{ type: 'string' }, { enum: ['red'] }] }, { allOf: [{ enum: ['red', 'blue'] }, { type: 'string' }] }))
      .toEqual(['ENUM_ARRAY_EXTENDED #/allOf/1/enum /allOf/1/enum']);
    expect(paths({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'string' } },
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: { type: 'string' } }))
      .toEqual(['TYPE_CHANGED #/items/1 /prefixItems/1', 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1 /prefixItems/1']);
    expect(paths({ items: true }, { items: false })).toEqual(['ADDITIONAL_ITEMS_REMOVED #/additionalItems /items']);
    expect(paths({ properties: { foo: { type: 'string' } } }, { properties: { foo: { type: 'string' } }, required: ['foo'] }))
      .toEqual(['REQUIRED_ATTRIBUTE_ADDED #/required/foo /properties/foo']);
    expect(paths({ dependentRequired: { a: ['b'] } }, { dependentRequired: {} })).toEqual(['DEPENDENCY_ARRAY_REMOVED #/dependencies/a /dependentRequired/a']);
    expect(paths({ type: 'string' }, { type: 'number' })).toEqual(['TYPE_CHANGED #/ ']);
  });

  it('leave the parts of a synthetic allOf out of the pointer', () => {
    expect(paths({ type: 'object', properties: { s: { type: 'string', enum: ['a'] } } }, { type: 'object', properties: { s: { type: 'string', enum: ['a', 'b'] } } }))
      .toEqual(['ENUM_ARRAY_EXTENDED #/properties/s/allOf/0/enum /properties/s/enum']);
  });

  it('escape pointer tokens but not Confluent segments', () => {
    expect(paths({ properties: {} }, { properties: { 'a/b': { type: 'string' } } }))
      .toEqual(['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a/b /properties/a~1b']);
  });
});

describe('checkCompatibility', () => {
  const code = (maxLength: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    type: 'object', additionalProperties: false, properties: { code: { type: 'string', maxLength }, ...extra },
  });
  const note = { note: { type: 'string' } };

  it('answers in Confluent words', () => {
    const result = checkCompatibility('BACKWARD', { properties: { foo: { type: 'integer' } } }, [{ properties: { foo: { type: 'number' } } }]);
    expect(result.compatible).toBe(false);
    expect(result.messages).toEqual(["Found incompatible change: Difference{jsonPath='#/properties/foo', type=TYPE_NARROWED}"]);
    expect(formatDifference({ path: '#/', type: 'TYPE_CHANGED' })).toBe("Difference{jsonPath='#/', type=TYPE_CHANGED}");
  });

  it('NONE and an empty history check nothing', () => {
    expect(checkCompatibility('NONE', { type: 'string' }, [{ type: 'number' }])).toEqual({ compatible: true, messages: [], differences: [] });
    for (const level of ['BACKWARD', 'FORWARD_TRANSITIVE', 'FULL'] as const) {
      expect(checkCompatibility(level, { type: 'string' }, []).compatible).toBe(true);
    }
  });

  it('BACKWARD checks the latest version, BACKWARD_TRANSITIVE every one, newest first', () => {
    // v1 → v2 narrowed `code`: a breaking release, made under NONE.
    const history = [code(10), code(5)];
    const candidate = code(5, note);
    expect(checkCompatibility('BACKWARD', candidate, history)).toMatchObject({ compatible: true, messages: [] });
    const transitive = checkCompatibility('BACKWARD_TRANSITIVE', candidate, history);
    expect(transitive.compatible).toBe(false);
    expect(transitive.messages).toEqual(["Found incompatible change: Difference{jsonPath='#/properties/code/maxLength', type=MAX_LENGTH_DECREASED}"]);
    expect(transitive.differences.map((d) => [d.previous, d.direction, d.compatible])).toEqual([[1, 'backward', true], [0, 'backward', false]]);
  });

  it('FORWARD asks the old version to read the candidate; FORWARD_TRANSITIVE asks every one', () => {
    const history = [code(5), code(10)];
    expect(checkCompatibility('FORWARD', code(10), history).compatible).toBe(true);
    expect(checkCompatibility('BACKWARD', code(10, note), history).compatible).toBe(true);
    expect(checkCompatibility('FORWARD', code(10, note), history).messages)
      .toEqual(["Found incompatible change: Difference{jsonPath='#/properties/note', type=PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL}"]);
    const transitive = checkCompatibility('FORWARD_TRANSITIVE', code(10), history);
    expect(transitive.messages).toEqual(["Found incompatible change: Difference{jsonPath='#/properties/code/maxLength', type=MAX_LENGTH_DECREASED}"]);
    expect(transitive.differences.map((d) => [d.previous, d.direction])).toEqual([[1, 'forward'], [0, 'forward']]);
  });

  it('FULL is both directions; FULL_TRANSITIVE both directions against every version', () => {
    const history = [code(5), code(10)];
    expect(checkCompatibility('FULL', code(10), history).compatible).toBe(true);
    const transitive = checkCompatibility('FULL_TRANSITIVE', code(10), history);
    expect(transitive.differences.map((d) => [d.previous, d.direction, d.compatible]))
      .toEqual([[1, 'backward', true], [1, 'forward', true], [0, 'backward', true], [0, 'forward', false]]);
    const both = checkCompatibility('FULL', { type: 'object', properties: { code: { type: 'number' } } }, [{ type: 'object', properties: { code: { type: 'string' } } }]);
    expect(both.messages).toEqual([
      "Found incompatible change: Difference{jsonPath='#/properties/code', type=TYPE_CHANGED}",
      "Found incompatible change: Difference{jsonPath='#/properties/code', type=TYPE_CHANGED}",
    ]);
  });

  it('each level over three versions', () => {
    const history = [code(5), code(10)];
    const expected: Record<CompatibilityLevel, boolean> = {
      NONE: true, BACKWARD: true, BACKWARD_TRANSITIVE: true, FORWARD: true, FORWARD_TRANSITIVE: false, FULL: true, FULL_TRANSITIVE: false,
    };
    for (const [level, compatible] of Object.entries(expected) as Array<[CompatibilityLevel, boolean]>) {
      expect(checkCompatibility(level, code(10), history).compatible, level).toBe(compatible);
    }
  });

  it('resolves other subjects through options.resolve, and refuses a reference it cannot resolve', () => {
    const id = 'https://standards.suyuan.dev/trace.party/1.0.0/schema.json';
    const doc = { $id: id, type: 'object', properties: { name: { type: 'string' } } };
    const schema = { type: 'object', properties: { party: { $ref: id } } };
    expect(checkCompatibility('FULL', schema, [schema], { resolve: (uri) => (uri === id ? doc : undefined) }).compatible).toBe(true);
    let caught: unknown;
    try {
      checkCompatibility('BACKWARD', schema, [schema]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SuyuanError);
    expect((caught as SuyuanError).code).toBe('SCHEMA_INVALID');
  });
});

describe('describeDifferences', () => {
  it('words each change with its verdict per direction, in English and Chinese', () => {
    const v1 = { type: 'object', properties: { eventTime: { type: 'string' } } };
    const v2 = { type: 'object', properties: { eventTime: { type: 'string' }, 'sy:slaughterHouse': { type: 'string' } } };
    const words = describeDifferences(v1, v2);
    expect(words.lines).toEqual([
      '+ optional property "sy:slaughterHouse" added to /properties (open content model: backward-incompatible, forward-compatible)',
      'backward (the new version reads data written with the old): incompatible',
      'forward (the old version reads data written with the new): compatible',
    ]);
    expect(words.linesZh[0]).toBe('+ /properties 新增选填属性 "sy:slaughterHouse"（开放内容模型：向后不兼容，向前兼容）');
  });

  it('a change only the reverse comparison sees is still listed', () => {
    const words = describeDifferences({ type: 'string' }, {});
    expect(words.changes.map((c) => c.line)).toEqual(['~ type changed at / ("string" → "any") (backward-compatible, forward-incompatible)']);
    expect([words.backward, words.forward]).toEqual([true, false]);
  });

  it('bounds read from the old value to the new', () => {
    const words = describeDifferences({ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 8 });
    expect(words.changes.map((c) => c.line)).toEqual(['~ maxLength increased (5 → 8) (backward-compatible, forward-incompatible)']);
  });

  it('names the likely cause when subschemas lose their match, which Confluent does not', () => {
    const event = (time: unknown) => ({
      type: 'object', required: ['type'], oneOf: [{ $ref: '#/$defs/ObjectEvent' }],
      $defs: { ObjectEvent: { type: 'object', properties: { type: { const: 'ObjectEvent' }, eventTime: time } } },
    });
    const before = event({ type: 'string', format: 'date-time' });
    const after = event({ type: 'integer' });
    const [difference] = diffSchemas(before, after);
    expect(difference?.type).toBe('COMBINED_TYPE_SUBSCHEMAS_CHANGED');
    expect(difference?.causes?.map((c) => `${c.type} ${c.path}`)).toEqual(['TYPE_CHANGED #/allOf/0/oneOf/0/properties/eventTime']);
    expect(describeDifferences(before, after).lines.slice(0, 2)).toEqual([
      '~ subschemas at / changed with no compatible match (backward-incompatible, forward-incompatible)',
      '    because: type changed at /oneOf/0/properties/eventTime ("string" → "integer")',
    ]);
    expect(checkCompatibility('BACKWARD', after, [before]).messages)
      .toEqual(["Found incompatible change: Difference{jsonPath='#/', type=COMBINED_TYPE_SUBSCHEMAS_CHANGED}"]);
  });

  it('says so when nothing changed', () => {
    expect(describeDifferences({ type: 'string' }, { type: 'string' }).lines[0]).toBe('no differences');
  });
});
