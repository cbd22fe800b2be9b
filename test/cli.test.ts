import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

describe('the suyuan binary', () => {
  it('lists every command in --help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['standards', 'validate', 'events', 'mapping', 'serve']) expect(top.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const standards = await runCli(['standards', '--help']);
    for (const command of ['lint', 'draft', 'diff', 'check', 'publish', 'types', 'docs']) expect(standards.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('validates a GS1 EPCIS 2.0 JSON-LD document event by event against trace.event', async () => {
    const ok = await runCli(['validate', 'trace.event', 'test/fixtures/gs1/Example_9.6.1-ObjectEvent.jsonld']);
    expect(ok.stdout).toMatch(/valid against trace\.event@1\.0\.0/);
    expect(ok.code).toBe(0);
  });

  it('answers an unknown subject or unreadable file with its code and exit status 2', async () => {
    const unknown = await runCli(['validate', 'no.such', 'package.json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('SUBJECT_NOT_FOUND');
    const unreadable = await runCli(['validate', 'trace.event', 'README.md']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('DOCUMENT_UNREADABLE');
  });
});

describe('suyuan mapping', () => {
  it('runs a GBK CSV batch through a mapping: each event, each problem, exit status 1 when a record fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-cli-'));
    const header = '屠宰企业统一社会信用代码,屠宰企业名称,屠宰线编号,屠宰时间,检疫证号,检疫结果,养殖场编码,来源批次号,头数,产品名称,产品条码,批次号,胴体重量(千克),产地行政区划代码,保质期(天)';
    const good = '91320583MA1MX8T21K,昆山市示例肉类加工有限公司,line-01,2024-03-15 05:40:00,3205832240315000113,合格,320585-ZC001,LH240301,86,白条猪肉,06937528100018,KS240315,7482.5,320585,4';
    const file = join(dir, 'batch.csv');
    try {
      writeFileSync(file, iconv.encode([header, good, good.replace('8T21K', '8T21X')].join('\r\n'), 'gbk'));
      const result = await runCli(['mapping', 'run', 'example-slaughter', file, '--format', 'csv', '--encoding', 'GBK', '--now', '2026-03-01T00:00:00Z', '--json']);
      expect(result.code).toBe(1);
      const outcome = JSON.parse(result.stdout);
      expect(outcome.status).toBe('partial');
      expect(outcome.records.map((r: { status: string }) => r.status)).toEqual(['stored', 'invalid']);
      expect(outcome.records[0].events[0].event['sy:quarantineCertificate']).toBe('3205832240315000113');
      expect(outcome.records[1].error).toMatchObject({ code: 'MAPPING_FAILED', detail: { problem: 'USCC_CHECK' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs every mapping\'s cases', async () => {
    const result = await runCli(['mapping', 'test']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });
});
