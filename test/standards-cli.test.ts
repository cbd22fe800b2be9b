import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRegistry } from '../src/standards/registry-files.ts';
import { standardsPaths } from '../src/standards/index.ts';
import { runCli } from './helpers/cli.ts';
import { TEST_REGIONS, tempRoot, widgetSchema, type TempRoot } from './helpers/temp-standard.ts';

let repo: TempRoot;
let env: Record<string, string>;
const V1 = 'standards/test.widget/1.0.0';

beforeAll(() => {
  repo = tempRoot();
  env = { SUYUAN_ROOT: repo.root };
  repo.write('standards/code-lists/gbt2260/test.json', TEST_REGIONS);
  repo.write(`${V1}/schema.json`, widgetSchema());
  for (const [i, region] of ['320000', '320100', '320102'].entries()) repo.write(`${V1}/examples/valid/v${i}.json`, { name: `部件${i}`, region });
  const invalid: Array<[unknown, string, string]> = [
    [{ name: '', region: '320000' }, 'SCHEMA_BOUNDS', '/name'],
    [{ name: 'x', region: '999999' }, 'REGION_UNKNOWN', '/region'],
    [{ name: 'x', region: '320000', kind: 'z' }, 'SCHEMA_ENUM', '/kind'],
  ];
  invalid.forEach(([doc, code, path], i) => {
    repo.write(`${V1}/examples/invalid/i${i}.json`, doc);
    repo.write(`${V1}/examples/invalid/i${i}.expected.json`, { problems: [{ code, path }] });
  });
});
afterAll(() => repo.cleanup());

describe('publishing a standard version in four steps, through the real binary', () => {
  it('lints, publishes 1.0.0, drafts 1.1.0, diffs, refuses an incompatible change, publishes a compatible one', async () => {
    const lint = await runCli(['standards', 'lint'], env);
    expect(lint.stdout).toContain('0 finding(s)');
    expect(lint.code).toBe(0);

    const published = await runCli(['standards', 'publish', 'test.widget'], env);
    expect(published.stderr).toBe('');
    expect(published.stdout).toMatch(/published test\.widget@1\.0\.0 \(BACKWARD\) sha256 [0-9a-f]{64}/);
    expect(verifyRegistry(standardsPaths(repo.root))).toEqual([]);
    const again = await runCli(['standards', 'publish', 'test.widget'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('VERSION_NOT_FOUND');

    const draft = await runCli(['standards', 'draft', 'test.widget', '1.1.0'], env);
    expect(draft.code).toBe(0);
    const file = join(repo.root, 'standards/test.widget/1.1.0/schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof widgetSchema>;
    expect(schema.$id).toBe('https://standards.suyuan.dev/test.widget/1.1.0/schema.json');

    // A new length limit: new readers refuse some old data. The examples still pass, so only compatibility fails.
    const narrowed = widgetSchema('1.1.0') as { properties: { name: Record<string, unknown> } };
    narrowed.properties.name.maxLength = 10;
    repo.write('standards/test.widget/1.1.0/schema.json', narrowed);
    const check = await runCli(['standards', 'check', 'test.widget'], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('INCOMPATIBLE');
    expect(check.stdout).toContain('MAX_LENGTH_ADDED');
    const refused = await runCli(['standards', 'publish', 'test.widget'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('SCHEMA_INCOMPATIBLE');

    // An optional property with a bilingual title: compatible backward.
    const extra = { colour: { title: '颜色 / Colour', description: '部件颜色。 / The colour.', 'x-classification': 'public', type: 'string' } };
    repo.write('standards/test.widget/1.1.0/schema.json', widgetSchema('1.1.0', extra));
    const diff = await runCli(['standards', 'diff', 'test.widget', '1.0.0', '1.1.0'], env);
    expect(diff.stdout).toContain('colour');
    expect(diff.stdout).toMatch(/backward.*: compatible/);
    const ok = await runCli(['standards', 'publish', 'test.widget'], env);
    expect(ok.stdout).toContain('published test.widget@1.1.0');
    const index = JSON.parse(readFileSync(join(repo.root, 'registry/index.json'), 'utf8')) as { versions: Array<{ version: string }> };
    expect(index.versions.map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect(verifyRegistry(standardsPaths(repo.root))).toEqual([]);

    const docs = await runCli(['standards', 'docs', '--out', join(repo.root, 'out/standard.html')], env);
    expect(docs.code).toBe(0);
    expect(readFileSync(join(repo.root, 'out/standard.html'), 'utf8')).toContain('<td>颜色</td><td>Colour</td>');
    const types = await runCli(['standards', 'types', '--out', join(repo.root, 'out/types')], env);
    expect(types.stdout).toContain('2 type file(s) written');
    expect(readFileSync(join(repo.root, 'out/types/test.widget/1.1.0.d.ts'), 'utf8')).toContain('colour?: string');
  }, 240_000); // eleven runs of the real binary, each starting tsx: slow on a loaded machine

  it('validates a document with every problem and exit status 1, or 0 when valid', async () => {
    const bad = repo.write('bad.json', { region: '999999', kind: 'z' });
    const result = await runCli(['validate', 'test.widget@1.0.0', bad, '--json'], env);
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout) as { valid: boolean; problems: Array<{ code: string; path: string }> };
    expect(body.valid).toBe(false);
    expect(body.problems.map((p) => p.code).sort()).toEqual(['REGION_UNKNOWN', 'SCHEMA_ENUM', 'SCHEMA_REQUIRED']);
    const good = repo.write('good.json', { name: '部件', region: '320102' });
    const ok = await runCli(['validate', 'test.widget', good], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid against test\.widget@1\.\d\.0/);
  });
});
