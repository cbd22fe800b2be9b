/** `suyuan adapter new`: a working adapter to start from — manifest, README, mapping with a case, a fixture. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SuyuanError } from '../errors.ts';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** A department record the sample mapping reads, in Chinese field names as departments write them. */
export const SAMPLE_RECORD = {
  企业统一社会信用代码: '91320583MA1MX8T21K',
  追溯码: 'urn:epc:id:sgtin:6901234.056789.1001',
  业务时间: '2026-01-01 08:00:00',
  业务类型: 'receiving',
  行政区划代码: '320583',
};

const SAMPLE_MAPPING = `/* 示例映射：部门的一条记录 → 一个 ObjectEvent。 / Sample mapping: one department record → one ObjectEvent. */
(
  $time := $localTime(业务时间);
  {
    "type": "ObjectEvent",
    "action": "OBSERVE",
    "eventTime": $time.eventTime,
    "eventTimeZoneOffset": $time.eventTimeZoneOffset,
    "epcList": [追溯码],
    "bizStep": 业务类型,
    "sy:operator": $uscc(企业统一社会信用代码),
    "sy:region": 行政区划代码
  }
)
`;

/** Writes the adapter and its mapping; refuses to overwrite. Returns the files written. */
export function scaffoldAdapter(root: string, id: string, department: string): string[] {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new SuyuanError('BAD_REQUEST', `"${id}" is not an adapter id (lower-case letters, digits, hyphens)`);
  const dir = join(root, 'adapters', id);
  const mappingDir = join(root, 'mappings', id);
  if (existsSync(dir) || existsSync(mappingDir)) throw new SuyuanError('BAD_REQUEST', `adapters/${id} or mappings/${id} already exists`);
  const files: Record<string, string> = {
    [join(dir, 'adapter.json')]: json({
      id, version: '0.1.0', status: 'experimental', department, direction: 'inbound',
      summary: `${id}：待填写 / ${id}: to be described`,
      inbound: { transport: { kind: 'http-push' }, format: { kind: 'json', encoding: 'UTF-8', recordPath: '/records' }, messages: [{ type: 'record', mapping: id, standard: 'trace.event@^1' }] },
    }),
    [join(dir, 'README.md')]: `# ${id}\n\nWhat the department system is, which messages it sends, and which fields map where.\n\n| department field | standard field |\n|---|---|\n| 企业统一社会信用代码 | \`sy:operator\` |\n| 追溯码 | \`epcList\` |\n| 业务时间 | \`eventTime\` (+08:00) |\n| 业务类型 | \`bizStep\` |\n| 行政区划代码 | \`sy:region\` |\n`,
    [join(dir, 'fixtures', 'inbound', 'record', 'sample.input.json')]: json({ records: [SAMPLE_RECORD] }),
    [join(mappingDir, 'mapping.json')]: json({ id, version: '0.1.0', summary: `${id} 记录 → 标准事件 / ${id} records → standard events`, produces: 'trace.event@^1' }),
    [join(mappingDir, 'mapping.jsonata')]: SAMPLE_MAPPING,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
  }
  return Object.keys(files);
}
