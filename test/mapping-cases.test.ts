/**
 * Every case of every mapping under `mappings/` is a test: adding a case adds a test. Expected results
 * must conform to the subject the mapping `produces`. Also: loading errors and the readable differences.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import {
  DEFAULT_CASE_NOW, jsonDifferences, loadMapping, loadMappings, MappingEngine, runCase, runCases, type MappingDefinition,
} from '../src/mapping/index.ts';
import { REPO_ROOT, loadStandards } from '../src/standards/index.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const mappings = loadMappings();
/** The mappings adapters use outbound (read from the manifests as they are; loading them is adapters.test.ts's work). */
const OUTBOUND_MAPPINGS = new Set(readdirSync(join(REPO_ROOT, 'adapters'), { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => {
  try {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'adapters', d.name, 'adapter.json'), 'utf8')) as { outbound?: { messages?: Array<{ mapping?: unknown }> } };
    return (manifest.outbound?.messages ?? []).map((m) => String(m.mapping));
  } catch {
    return [];
  }
}));
// Generous limits: the limits themselves are tested in mapping-engine.test.ts; here a loaded machine must not fail a case.
const engine = new MappingEngine({ limits: { timeoutMs: 10_000 } });
const standards = await loadStandards();

it('finds the mappings of the repository, the example among them', () => {
  expect(mappings.map((m) => m.id)).toContain('example-slaughter');
});

describe.each(mappings.map((m) => [m.id, m] as const))('mapping %s', (_id, mapping) => {
  const accepted = mapping.cases.filter((c) => c.expectedError === undefined);
  const rejected = mapping.cases.filter((c) => c.expectedError !== undefined);

  it('has accepted and rejected cases', () => {
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
  });

  it.each(mapping.cases.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const result = await runCase(engine, mapping, c);
    expect(result.differences).toEqual([]);
    expect(result.passed).toBe(true);
  });

  // An adapter's outbound mapping turns a standard document into the department's own shape: there the
  // case's input is what must conform to the subject the mapping names.
  const outbound = OUTBOUND_MAPPINGS.has(mapping.id);
  it.each(accepted.map((c) => [c.name, c] as const))(`${outbound ? 'takes an input' : 'expects a result'} that conforms to ${mapping.manifest.produces}: %s`, (_name, c) => {
    const [subject = '', range = ''] = mapping.manifest.produces.split('@');
    expect(standards.validate(subject, range, outbound ? c.input : c.expected).problems).toEqual([]);
  });
});

describe('example-slaughter', () => {
  const example = loadMapping('example-slaughter');

  it('has at least five accepted and three rejected cases: invalid USCC, impossible date, missing field', () => {
    expect(example.cases.filter((c) => c.expectedError === undefined).length).toBeGreaterThanOrEqual(5);
    const errors = example.cases.flatMap((c) => (c.expectedError === undefined ? [] : [c.expectedError]));
    expect(errors).toEqual(expect.arrayContaining(['USCC_CHECK', 'LOCAL_TIME_INVALID', 'D3137']));
  });

  it('produces slaughter events that also satisfy the meat and poultry profile', () => {
    for (const c of example.cases.filter((x) => x.expectedError === undefined)) {
      const event = c.expected as Record<string, unknown>;
      expect(event.bizStep).toBe('urn:suyuan:bizstep:slaughtering');
      expect(standards.validate('profile.meat-poultry', '^1', event).problems, c.name).toEqual([]);
    }
  });

  it('names the line and column of the field that is missing', async () => {
    const [result] = await runCases(engine, { ...example, cases: example.cases.filter((c) => c.expectedError === 'D3137').slice(0, 1) });
    expect(result?.error?.detail).toMatchObject({ jsonataCode: 'D3137', line: expect.any(Number), column: expect.any(Number) });
    expect(result?.error?.message).toContain('检疫证号');
  });
});

describe('a case that fails', () => {
  const mapping: MappingDefinition = {
    id: 'tiny', version: '1.0.0', source: '{ "a": a, "list": [1, 2], "t": $now() }', dir: '',
    manifest: { id: 'tiny', version: '1.0.0', summary: 's', produces: 'trace.event@^1' },
    cases: [],
  };
  const base = { file: 'mappings/tiny/x.cases.json', now: DEFAULT_CASE_NOW };

  it('says, per place, what was expected and what came', async () => {
    const result = await runCase(engine, mapping, { ...base, name: 'n', input: { a: 2 }, expected: { a: 1, list: [1], t: '2025-12-31T16:00:00.000Z', b: true } });
    expect(result.passed).toBe(false);
    expect(result.differences).toEqual(['/a: expected 1, got 2', '/list/1: expected nothing, got 2', '/b: expected true, got nothing']);
  });

  it('says which error was expected and which came', async () => {
    const wrongError = await runCase(engine, { ...mapping, source: '$uscc("x")' }, { ...base, name: 'e', input: {}, expectedError: 'GS1_CHECK_DIGIT' });
    expect(wrongError.passed).toBe(false);
    expect(wrongError.differences[0]).toMatch(/^expected error GS1_CHECK_DIGIT, got MAPPING_FAILED \(USCC_LENGTH\)/);
    const noError = await runCase(engine, mapping, { ...base, name: 'r', input: { a: 1 }, expectedError: 'MAPPING_FAILED' });
    expect(noError.differences[0]).toMatch(/^expected error MAPPING_FAILED, got a result/);
  });

  it('escapes JSON Pointer characters and tells equal values apart from different ones', () => {
    expect(jsonDifferences({ 'a/b': { '~': 1 } }, { 'a/b': { '~': 2 } })).toEqual(['/a~1b/~0: expected 1, got 2']);
    expect(jsonDifferences({ x: [1, { y: null }] }, { x: [1, { y: null }] })).toEqual([]);
    expect(jsonDifferences(1, '1')).toEqual(['(whole value): expected 1, got "1"']);
  });
});

describe('loading mapping folders', () => {
  let temp: TempRoot | undefined;
  afterEach(() => temp?.cleanup());

  const manifest = { id: 'demo', version: '1.0.0', summary: '示例 / demo', produces: 'trace.event@^1' };
  function folder(files: Record<string, unknown>): string {
    temp = tempRoot();
    for (const [name, value] of Object.entries(files)) temp.write(`mappings/demo/${name}`, value);
    return temp.root;
  }
  function loadError(root: string): SuyuanError {
    try {
      loadMapping('demo', root);
    } catch (error) {
      expect(error).toBeInstanceOf(SuyuanError);
      return error as SuyuanError;
    }
    throw new Error('expected loading to fail');
  }

  it('loads the manifest, the source and every cases file, with the default clock', () => {
    const root = folder({
      'mapping.json': manifest, 'mapping.jsonata': '$', 'a.cases.json': [{ name: 'one', input: 1, expected: 1 }],
      'b.cases.json': [{ name: 'two', input: 2, now: '2026-03-01T08:00:00+08:00', bindings: { k: 1 }, expectedError: 'D3137' }],
    });
    const [loaded] = loadMappings(root);
    expect(loaded).toMatchObject({ id: 'demo', version: '1.0.0', source: '$', manifest });
    expect(loaded?.cases.map((c) => [c.name, c.file, c.now])).toEqual([
      ['one', 'mappings/demo/a.cases.json', DEFAULT_CASE_NOW],
      ['two', 'mappings/demo/b.cases.json', '2026-03-01T08:00:00+08:00'],
    ]);
  });

  it('answers MAPPING_NOT_FOUND for a mapping that is not there', () => {
    temp = tempRoot();
    expect(() => loadMapping('nothing-here', temp?.root)).toThrow(expect.objectContaining({ code: 'MAPPING_NOT_FOUND' }));
    expect(() => loadMapping('../escape', temp?.root)).toThrow(expect.objectContaining({ code: 'MAPPING_NOT_FOUND' }));
  });

  it.each([
    ['an id that is not the folder', { ...manifest, id: 'other' }, 'id'],
    ['a version that is not semver', { ...manifest, version: '1.0' }, 'version'],
    ['no summary', { ...manifest, summary: '' }, 'summary'],
    ['a produces without a range', { ...manifest, produces: 'trace.event' }, 'produces'],
  ])('refuses a manifest with %s, naming the file and field', (_what, bad, field) => {
    const error = loadError(folder({ 'mapping.json': bad, 'mapping.jsonata': '$' }));
    expect(error.code).toBe('MAPPING_COMPILE');
    expect(error.detail).toEqual({ file: 'mappings/demo/mapping.json', field });
  });

  it.each([
    ['not an array', { name: 'x' }, '(root)'],
    ['a case without input', [{ name: 'x', expected: 1 }], '[0].input'],
    ['a case with both expectations', [{ name: 'x', input: 1, expected: 1, expectedError: 'X' }], '[0]'],
    ['a case whose now has no offset', [{ name: 'x', input: 1, expected: 1, now: '2026-03-01T08:00:00' }], '[0].now'],
  ])('refuses a cases file that is %s', (_what, cases, field) => {
    const error = loadError(folder({ 'mapping.json': manifest, 'mapping.jsonata': '$', 'x.cases.json': cases }));
    expect(error.detail).toEqual({ file: 'mappings/demo/x.cases.json', field });
  });

  it('refuses two cases with one name', () => {
    const error = loadError(folder({
      'mapping.json': manifest, 'mapping.jsonata': '$',
      'a.cases.json': [{ name: 'same', input: 1, expected: 1 }], 'b.cases.json': [{ name: 'same', input: 2, expected: 2 }],
    }));
    expect(error.detail).toEqual({ file: 'mappings/demo/b.cases.json', field: 'name' });
  });
});
