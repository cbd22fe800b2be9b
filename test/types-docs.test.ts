import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../src/standards/index.ts';
import { fieldRows, renderDocument } from '../src/standards/docs.ts';
import { generateTypes, typeName } from '../src/standards/types.ts';
import { TEST_REGIONS, tempRoot, widgetSchema, type TempRoot } from './helpers/temp-standard.ts';

let repo: TempRoot;
beforeEach(() => {
  repo = tempRoot();
  repo.write('standards/code-lists/gbt2260/test.json', TEST_REGIONS);
  repo.write('standards/test.widget/1.0.0/schema.json', widgetSchema());
  repo.write('standards/test.widget/1.0.0/examples/valid/one.json', { name: '样品部件', region: '320102' });
  repo.write('standards/test.box/1.0.0/schema.json', {
    ...widgetSchema(),
    $id: 'https://standards.suyuan.dev/test.box/1.0.0/schema.json',
    title: '箱 / Box',
    properties: { widgets: { title: '部件 / Widgets', description: '箱内部件。 / Widgets in the box.', 'x-classification': 'public', type: 'array', items: { $ref: 'https://standards.suyuan.dev/test.widget/1.0.0/schema.json' } } },
    required: ['widgets'],
  });
});
afterEach(() => repo.cleanup());

describe('generated TypeScript types', () => {
  it('names the root after subject and version, keeps bilingual titles as JSDoc, and type-checks', async () => {
    const catalog = new Catalog(repo.root);
    const widget = await generateTypes(catalog, catalog.get('test.widget'));
    expect(typeName('trace.event', '1.0.0')).toBe('TraceEventV1_0_0');
    expect(widget).toContain('export interface TestWidgetV1_0_0');
    expect(widget).toMatch(/name: string;/);
    expect(widget).toMatch(/kind\?: "a" \| "b";/);
    expect(widget).toContain('名称 / Name');
    const box = await generateTypes(catalog, catalog.get('test.box'));
    expect(box).toMatch(/widgets: TestWidgetV1_0_0\[\]/);

    const file = join(repo.root, 'use.ts');
    writeFileSync(file, `${box}\nconst ok: TestBoxV1_0_0 = { widgets: [{ name: 'x', region: '320102' }] };\n` +
      `// @ts-expect-error the generated type refuses an unknown property\nconst bad: TestWidgetV1_0_0 = { name: 'x', region: '1', colour: 'red' };\nexport { ok, bad };\n`);
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});

describe('HTML documentation', () => {
  it('has a section per subject with Chinese and English titles, classification and an example', () => {
    const catalog = new Catalog(repo.root);
    const widget = catalog.get('test.widget');
    const rows = fieldRows(widget.schema);
    expect(rows.find((r) => r.path === 'name')).toMatchObject({ titleZh: '名称', titleEn: 'Name', required: true, classification: 'public' });
    expect(rows.find((r) => r.path === 'region')?.constraints).toContain('gbt2260@test');
    const html = renderDocument([widget, catalog.get('test.box')]);
    expect(html).toContain('<section id="test.widget@1.0.0">');
    expect(html).toContain('<section id="test.box@1.0.0">');
    expect(html).toContain('<td>名称</td><td>Name</td>');
    expect(html).toContain('样品部件');
    expect(html).not.toMatch(/<script/i);
  });
});
