/** Builds a throwaway repository root with a standard of its own, for tests of the toolchain. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempRoot {
  readonly root: string;
  write(relativePath: string, value: unknown): string;
  cleanup(): void;
}

export function tempRoot(): TempRoot {
  const root = mkdtempSync(join(tmpdir(), 'suyuan-std-'));
  return {
    root,
    write(relativePath, value) {
      const file = join(root, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
      return file;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

const bilingual = (zh: string, en: string) => ({ title: `${zh} / ${en}`, description: `${zh}。 / ${en}.` });

/** A small subject schema following the conventions, with a code list, a rule and an identifier. */
export function widgetSchema(version = '1.0.0', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://standards.suyuan.dev/test.widget/${version}/schema.json`,
    ...bilingual('部件', 'Widget'),
    'x-classification': 'public',
    'x-rules': ['period-end-after-start'],
    type: 'object',
    required: ['name', 'region'],
    additionalProperties: false,
    properties: {
      name: { ...bilingual('名称', 'Name'), 'x-classification': 'public', type: 'string', minLength: 1 },
      region: { ...bilingual('地区', 'Region'), 'x-classification': 'public', type: 'string', 'x-code-list': 'gbt2260@test' },
      kind: { ...bilingual('种类', 'Kind'), 'x-classification': 'shared', enum: ['a', 'b'] },
      periodStart: { ...bilingual('开始', 'Start'), 'x-classification': 'shared', type: 'string', format: 'date' },
      periodEnd: { ...bilingual('结束', 'End'), 'x-classification': 'shared', type: 'string', format: 'date' },
      ...extra,
    },
  };
}

export const TEST_REGIONS = { list: 'gbt2260', version: 'test', codes: { '320000': '江苏省', '320100': '南京市', '320102': '玄武区' } };
