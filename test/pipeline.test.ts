import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { csvFormat, epcisFormat, epcisJsonToXml, jsonFormat } from '../src/formats/index.ts';
import { MappingEngine, loadMapping } from '../src/mapping/index.ts';
import { FileBlobStore } from '../src/pipeline/blobs.ts';
import { MemoryEventSink } from '../src/pipeline/events.ts';
import { MemoryProvenance } from '../src/pipeline/provenance.ts';
import { runMessage, type PipelineDeps } from '../src/pipeline/run.ts';
import type { InboundPlan } from '../src/pipeline/steps.ts';
import { loadStandards } from '../src/standards/index.ts';
import { SLAUGHTER_HEADER, slaughterRow } from './helpers/slaughter.ts';

const HEADER = SLAUGHTER_HEADER;
const row = slaughterRow;

const mapping = loadMapping('example-slaughter');
const plan: InboundPlan = {
  feed: 'test-slaughterhouse',
  encoding: 'GBK',
  format: csvFormat as never,
  mapping,
  standard: { subject: 'profile.meat-poultry', version: '^1' },
  sources: { '/sy:operator': '屠宰企业统一社会信用代码', '/eventTime': '屠宰时间' },
};

let blobDir: string;
let deps: PipelineDeps & { provenance: MemoryProvenance; events: MemoryEventSink };
beforeAll(async () => {
  blobDir = mkdtempSync(join(tmpdir(), 'suyuan-blobs-'));
  deps = {
    standards: await loadStandards(), evaluator: new MappingEngine({ limits: { timeoutMs: 10_000 } }), provenance: new MemoryProvenance(),
    events: new MemoryEventSink(), blobs: new FileBlobStore(blobDir), now: () => new Date('2026-03-01T00:00:00Z'),
  };
});
afterAll(() => rmSync(blobDir, { recursive: true, force: true }));

describe('an inbound message through decode, parse, split, map, validate, identify and store', () => {
  it('turns a GBK slaughterhouse batch into standard events, records every step, keeps the original', async () => {
    const bytes = iconv.encode([HEADER, row('KS240315'), row('KS240316')].join('\r\n'), 'gbk');
    const outcome = await runMessage(bytes, plan, deps, 'm-1');
    expect(outcome.status).toBe('accepted');
    expect(outcome.records.map((r) => [r.status, r.position.line])).toEqual([['stored', 2], ['stored', 3]]);
    const event = outcome.records[0]?.events[0];
    expect(event?.hash).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(event?.event).toMatchObject({ type: 'TransformationEvent', 'sy:category': 'meat-poultry', ilmd: { 'sy:productName': '白条猪肉（二分体）' } });

    const steps = deps.provenance.records.filter((r) => r.messageId === 'm-1');
    expect(steps.map((s) => `${s.step}${s.recordIndex === null ? '' : `#${s.recordIndex}`}`)).toEqual([
      'receive', 'decode', 'parse', 'split', 'map#0', 'validate#0', 'identify#0', 'store#0', 'map#1', 'validate#1', 'identify#1', 'store#1',
    ]);
    expect(steps.find((s) => s.step === 'decode')?.detail).toEqual({ encoding: 'gbk', bom: false });
    expect(steps.find((s) => s.step === 'map')).toMatchObject({ mapping: 'example-slaughter@1.0.0', outcome: 'ok' });
    expect(steps.find((s) => s.step === 'validate')).toMatchObject({ schema: 'profile.meat-poultry@1.0.0', outcome: 'ok' });
    expect(Buffer.from((await deps.blobs?.get(outcome.original)) ?? [])).toEqual(Buffer.from(bytes));
  });

  it('recognises the same events arriving again as duplicates, not stored twice', async () => {
    const before = deps.events.events.size;
    const again = await runMessage(iconv.encode([HEADER, row('KS240315')].join('\n'), 'gbk'), plan, deps, 'm-2');
    expect(again.records[0]?.status).toBe('duplicate');
    expect(deps.events.events.size).toBe(before);
    expect(deps.provenance.records.find((r) => r.messageId === 'm-2' && r.step === 'store')?.outcome).toBe('duplicate');
  });

  it('keeps a bad record with its reason while the others go on', async () => {
    const bytes = iconv.encode([HEADER, row('KS240401'), row('KS240402', '91320583MA1MX8T21X'), row('KS240403', undefined, '2024-02-30 05:00:00')].join('\n'), 'gbk');
    const outcome = await runMessage(bytes, plan, deps, 'm-3');
    expect(outcome.status).toBe('partial');
    expect(outcome.records.map((r) => r.status)).toEqual(['stored', 'invalid', 'invalid']);
    expect(outcome.records[1]?.error).toMatchObject({ code: 'MAPPING_FAILED', kind: 'user', detail: { problem: 'USCC_CHECK' } });
    expect(outcome.records[1]?.position).toMatchObject({ line: 3 });
    expect(outcome.records[2]?.error?.code).toBe('MAPPING_FAILED');
  });

  it('names the original field of a validation problem where the plan traces it', async () => {
    const json: InboundPlan = {
      feed: 'test-json', format: jsonFormat as never, standard: { subject: 'trace.event', version: '1.0.0' },
      sources: { '/eventTimeZoneOffset': 'offset' },
    };
    const outcome = await runMessage(Buffer.from(JSON.stringify({ type: 'ObjectEvent', action: 'OBSERVE', eventTime: '2026-01-01T00:00:00Z', eventTimeZoneOffset: '+25:00', epcList: [] })), json, deps, 'm-4');
    expect(outcome.status).toBe('rejected');
    const problem = outcome.records[0]?.problems.find((p) => p.path === '/eventTimeZoneOffset');
    expect(problem).toMatchObject({ code: 'TZ_OFFSET_RANGE', source: '/offset' });
  });

  it('rejects a message that cannot be read, with the byte offset, and keeps its bytes for replay', async () => {
    const bytes = iconv.encode([HEADER, row('KS240501')].join('\n'), 'gbk');
    const outcome = await runMessage(bytes, { ...plan, encoding: 'UTF-8' }, deps, 'm-5');
    expect(outcome.status).toBe('rejected');
    expect(outcome.error).toMatchObject({ code: 'DECODE_INVALID', kind: 'user', detail: { encoding: 'utf-8', offset: 0 } });
    expect(deps.provenance.records.filter((r) => r.messageId === 'm-5').map((r) => `${r.step}:${r.outcome}`)).toEqual(['receive:ok', 'decode:invalid']);
    expect(await deps.blobs?.get(outcome.original)).toBeDefined();
  });

  it('takes records that already are standard events without a mapping', async () => {
    const epcis: InboundPlan = { feed: 'test-epcis', format: jsonFormat as never, formatOptions: { recordPath: '/epcisBody/eventList' }, standard: { subject: 'trace.event', version: '^1' } };
    const document = { epcisBody: { eventList: [{ type: 'ObjectEvent', action: 'OBSERVE', eventTime: '2026-01-01T08:00:00+08:00', eventTimeZoneOffset: '+08:00', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'], bizStep: 'receiving' }] } };
    const outcome = await runMessage(Buffer.from(JSON.stringify(document)), epcis, deps, 'm-6');
    expect(outcome.records[0]).toMatchObject({ status: 'stored', position: { path: '/epcisBody/eventList/0' } });
  });

  it('reads an EPCIS 2.0 document in JSON-LD or XML to the same events with the same hashes', async () => {
    const epcis: InboundPlan = { feed: 'test-epcis-docs', format: epcisFormat as never, standard: { subject: 'trace.event', version: '^1' } };
    const jsonld = readFileSync('test/fixtures/gs1/Example_9.6.1-ObjectEvent.jsonld', 'utf8');
    const fromJson = await runMessage(Buffer.from(jsonld), epcis, { ...deps, events: new MemoryEventSink() }, 'm-7');
    const fromXml = await runMessage(Buffer.from(epcisJsonToXml(JSON.parse(jsonld))), epcis, { ...deps, events: new MemoryEventSink() }, 'm-8');
    expect(fromJson.status).toBe('accepted');
    expect(fromXml.status).toBe('accepted');
    const hashes = (o: typeof fromJson) => o.records.flatMap((r) => r.events.map((e) => e.hash));
    expect(hashes(fromJson).length).toBeGreaterThan(1);
    expect(hashes(fromXml)).toEqual(hashes(fromJson));
    expect(fromXml.records[1]?.position.path).toMatch(/ObjectEvent\[2\]$/);
  });
});
