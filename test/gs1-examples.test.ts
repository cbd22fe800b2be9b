// GS1's own EPCIS 2.0 JSON-LD examples (test/fixtures/gs1/) conform to trace.event@1.0.0 as published,
// and to trace.document@1.0.0 once the provincial header is added. Adding a fixture adds its cases.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStandards, type Standards } from '../src/standards/index.ts';

const DIR = join(import.meta.dirname, 'fixtures', 'gs1');
const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const SUYUAN_CONTEXT = { sy: 'https://standards.suyuan.dev/ns/' };
const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'];

type Json = Record<string, unknown>;

/**
 * GS1 examples the standard deliberately refuses, with the problem it reports and why. Keep this
 * list short and explained: every entry is a place where the standard is stricter than GS1.
 */
const EXCEPTIONS: Readonly<Record<string, { event: number; code: string; path: string; why: string }>> = {
  'SensorDataExample17.jsonld': {
    event: 0,
    code: 'EPC_NOT_INSTANCE',
    path: '/epcList/0',
    why: 'its epcList holds https://id.gs1.org/01/09506000134352, a GTIN without serial: a class, which EPCIS 2.0 puts in quantityList',
  },
};

interface Fixture {
  readonly file: string;
  readonly document: Json;
  readonly events: readonly Json[];
}

const fixtures: readonly Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonld'))
  .sort()
  .map((file) => {
    const document = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Json;
    const body = document.epcisBody as { eventList: Json[] };
    return { file, document, events: body.eventList };
  });

const cases = fixtures.flatMap((f) => f.events.map((event, index) => ({ file: f.file, index, type: String(event.type), event, document: f.document })));
const isException = (file: string, index: number): boolean => EXCEPTIONS[file]?.event === index;

let standards: Standards;
beforeAll(async () => {
  standards = await loadStandards();
});

describe('GS1 EPCIS 2.0 examples', () => {
  it('include every event type, each at least twice', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    for (const type of EVENT_TYPES) expect(cases.filter((c) => c.type === type).length, type).toBeGreaterThanOrEqual(2);
  });

  it.each(cases.filter((c) => !isException(c.file, c.index)).map((c) => [`${c.file} #${c.index} (${c.type})`, c] as const))(
    '%s is a valid trace.event as GS1 publishes it',
    (_name, c) => {
      const result = standards.validate('trace.event', '1.0.0', c.event);
      expect(result.problems).toEqual([]);
      expect(result.valid).toBe(true);
    },
  );

  it.each(cases.filter((c) => !isException(c.file, c.index)).map((c) => [`${c.file} #${c.index}`, c] as const))(
    '%s stays valid sent on its own, with its document\'s @context and the sy prefix',
    (_name, c) => {
      const context = c.document['@context'] ?? GS1_CONTEXT;
      const standalone = { '@context': [...(Array.isArray(context) ? context : [context]), SUYUAN_CONTEXT], ...c.event };
      expect(standards.validate('trace.event', '1.0.0', standalone).problems).toEqual([]);
    },
  );

  it.each(Object.entries(EXCEPTIONS))('%s is refused on purpose', (file, exception) => {
    const fixture = fixtures.find((f) => f.file === file);
    expect(fixture, `${file} is listed as an exception but is not a fixture`).toBeDefined();
    const result = standards.validate('trace.event', '1.0.0', fixture?.events[exception.event]);
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => `${p.code}@${p.path}`)).toEqual([`${exception.code}@${exception.path}`]);
  });
});

describe('GS1 EPCIS 2.0 documents as capture documents', () => {
  const documents = fixtures.filter((f) => !Object.hasOwn(EXCEPTIONS, f.file));
  const withHeader = (document: Json): Json => ({
    ...document,
    '@context': [...(Array.isArray(document['@context']) ? document['@context'] : [document['@context'] ?? GS1_CONTEXT]), SUYUAN_CONTEXT],
    'sy:sender': { 'sy:uscc': '91320115MA1R2K3P2E', 'sy:name': '南京江宁某肉类食品有限公司' },
    'sy:standardVersion': '1.0.0',
  });

  it.each(documents.map((f) => [f.file, f] as const))('%s is a valid trace.document once the provincial header is added', (_name, f) => {
    expect(standards.validate('trace.document', '1.0.0', withHeader(f.document)).problems).toEqual([]);
  });

  it.each(documents.map((f) => [f.file, f] as const))('%s without the provincial header lacks exactly that', (_name, f) => {
    const document = { '@context': GS1_CONTEXT, ...f.document };
    const result = standards.validate('trace.document', '1.0.0', document);
    expect(result.problems.map((p) => `${p.code}@${p.path}`)).toEqual(['SCHEMA_REQUIRED@', 'SCHEMA_REQUIRED@']);
  });
});
