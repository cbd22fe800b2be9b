import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStandards } from '../src/standards/index.ts';
import { lintStandards } from '../src/standards/lint.ts';
import type { SuyuanError } from '../src/errors.ts';
import { TEST_REGIONS, tempRoot, widgetSchema, type TempRoot } from './helpers/temp-standard.ts';

let repo: TempRoot;
beforeEach(() => {
  repo = tempRoot();
  repo.write('standards/code-lists/gbt2260/test.json', TEST_REGIONS);
});
afterEach(() => repo.cleanup());

describe('validation against a subject', () => {
  it('reports every problem at once with codes, pointers and bilingual messages', async () => {
    repo.write('standards/test.widget/1.0.0/schema.json', widgetSchema());
    const standards = await loadStandards({ root: repo.root });
    const result = standards.validate('test.widget', 'latest', {
      region: '329999', kind: 'c', extra: 1, periodStart: '2026-02-01', periodEnd: '2026-01-01',
    });
    expect(result.valid).toBe(false);
    const found = result.problems.map((p) => `${p.code}@${p.path}`).sort();
    expect(found).toEqual([
      'REGION_UNKNOWN@/region',
      'RULE_PERIOD_END_BEFORE_START@/periodEnd',
      'SCHEMA_ADDITIONAL_PROPERTY@/extra',
      'SCHEMA_ENUM@/kind',
      'SCHEMA_REQUIRED@',
    ]);
    for (const p of result.problems) expect(p.message).toMatch(/[\u4e00-\u9fff].* \/ .*[A-Za-z]/);
  });

  it('names the alternatives once when a document has none of several required properties', async () => {
    repo.write('standards/test.widget/1.0.0/schema.json', { ...widgetSchema(), anyOf: [{ required: ['kind'] }, { required: ['periodStart'] }] });
    const standards = await loadStandards({ root: repo.root });
    const result = standards.validate('test.widget', 'latest', { name: 'x', region: '320000' });
    expect(result.problems).toEqual([{ code: 'SCHEMA_REQUIRED', path: '', message: expect.stringContaining('Needs one of: kind, periodStart') }]);
    expect(standards.validate('test.widget', 'latest', { name: 'x', region: '320000', kind: 'a' }).problems).toEqual([]);
  });

  it('accepts a valid document', async () => {
    repo.write('standards/test.widget/1.0.0/schema.json', widgetSchema());
    const standards = await loadStandards({ root: repo.root });
    const result = standards.validate('test.widget', '^1', { name: '部件一', region: '320102', periodStart: '2026-01-01', periodEnd: '2026-01-31' });
    expect(result).toMatchObject({ valid: true, version: '1.0.0', status: 'draft', problems: [] });
  });

  it('refuses an unknown subject, version, rule or code list with its own code', async () => {
    repo.write('standards/test.widget/1.0.0/schema.json', widgetSchema());
    repo.write('standards/test.rules/1.0.0/schema.json', { ...widgetSchema(), $id: 'https://standards.suyuan.dev/test.rules/1.0.0/schema.json', 'x-rules': ['no-such-rule'] });
    repo.write('standards/test.lists/1.0.0/schema.json', { ...widgetSchema('1.0.0', { other: { type: 'string', 'x-code-list': 'nolist@1' } }), $id: 'https://standards.suyuan.dev/test.lists/1.0.0/schema.json' });
    const standards = await loadStandards({ root: repo.root });
    const codeOf = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as SuyuanError).code; } return 'none'; };
    expect(codeOf(() => standards.validate('test.nothing', 'latest', {}))).toBe('SUBJECT_NOT_FOUND');
    expect(codeOf(() => standards.validate('test.widget', '2.0.0', {}))).toBe('VERSION_NOT_FOUND');
    expect(codeOf(() => standards.validate('test.rules', 'latest', {}))).toBe('UNKNOWN_RULE');
    expect(codeOf(() => standards.validate('test.lists', 'latest', {}))).toBe('CODE_LIST_NOT_FOUND');
    expect(standards.loadFailures).toEqual([]);
  });
});

describe('lint', () => {
  it('names every property without bilingual titles or classification, and misbehaving examples', async () => {
    const schema = widgetSchema('1.0.0', { bad: { title: 'English only', type: 'string' } });
    repo.write('standards/test.widget/1.0.0/schema.json', schema);
    repo.write('standards/test.widget/1.0.0/examples/valid/one.json', { name: 'x', region: '320000' });
    repo.write('standards/test.widget/1.0.0/examples/valid/two.json', { name: 'x', region: '000000' });
    repo.write('standards/test.widget/1.0.0/examples/invalid/one.json', { name: 'x', region: '320000' });
    repo.write('standards/test.widget/1.0.0/examples/invalid/two.json', { region: '320000' });
    repo.write('standards/test.widget/1.0.0/examples/invalid/two.expected.json', { problems: [{ code: 'SCHEMA_ENUM' }] });
    const findings = lintStandards(await loadStandards({ root: repo.root }));
    const codes = findings.map((f) => `${f.code}:${f.where.split('/').slice(-2).join('/')}`);
    expect(codes).toEqual(expect.arrayContaining([
      'LINT_TITLE:properties/bad', 'LINT_DESCRIPTION:properties/bad', 'LINT_CLASSIFICATION:properties/bad',
      'LINT_EXAMPLES_MISSING:examples/valid', 'LINT_EXAMPLES_MISSING:examples/invalid',
      'LINT_EXAMPLE:valid/two.json', 'LINT_EXAMPLE:invalid/one.json', 'LINT_EXAMPLE:invalid/two.json',
    ]));
    expect(findings.filter((f) => f.where.endsWith('/valid/one.json'))).toEqual([]);
  });
});
