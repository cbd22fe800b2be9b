// The CBV 2.0 event hash: GS1's reference vectors, invariance under equivalent writings, sensitivity to changes, errors.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import { cbvToUrn, cbvToWebUri, type CbvVocabulary } from '../src/standards/cbv.ts';
import { documentEventHashes, documentEvents, eventHash, preHashString } from '../src/standards/event-hash.ts';
import { epcUrnToDigitalLink } from '../src/standards/identifiers/epc-digital-link.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'event-hash');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
const VECTORS = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonld')).sort().map((f) => f.replace(/\.jsonld$/, ''));

describe('reference vectors of GS1 reference implementation (epcis-event-hash-generator)', () => {
  it('has at least 10 documents covering the five event types', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(10);
    const types = new Set(VECTORS.flatMap((v) => documentEvents(readJson(`${v}.jsonld`)).map((e) => (e as { type: string }).type)));
    expect([...types].sort()).toEqual(['AggregationEvent', 'AssociationEvent', 'ObjectEvent', 'TransactionEvent', 'TransformationEvent']);
  });

  it.each(VECTORS)('%s: every event hash equals the expected one', (name) => {
    const expected = readFileSync(join(FIXTURES, `${name}.hashes`), 'utf8').trim().split('\n');
    expect(documentEventHashes(readJson(`${name}.jsonld`))).toEqual(expected);
  });

  it('builds the reference pre-hash string, character for character', () => {
    const doc = readJson('ReferenceEventHashAlgorithm3.jsonld') as { '@context': unknown };
    expect(preHashString(documentEvents(doc)[0], { context: doc['@context'] })).toBe(
      'eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00' +
      'epcListepc=https://id.gs1.org/01/00614141111114/21/987action=OBSERVE' +
      'bizStep=https://ref.gs1.org/cbv/BizStep-departingdisposition=https://ref.gs1.org/cbv/Disp-in_transit' +
      'readPointid=https://id.gs1.org/414/4012345000115' +
      'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=https://id.gs1.org/253/4012345111118123' +
      'sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/4012345000009' +
      'destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://id.gs1.org/417/0614141000005' +
      'readPoint{https://ns.example.com/epcis/}myField1=AB-12{https://ns.example.com/epcis/}userExt=CD-34',
    );
  });

  it('hashes a query document, and a single event or an event with its own @context', () => {
    const query = readJson('epcisQueryDocument.jsonld') as { '@context': unknown };
    const [first, second] = documentEvents(query);
    const hashes = documentEventHashes(query);
    expect(eventHash(first)).toBe(hashes[0]);
    expect(eventHash(second)).not.toBe(hashes[1]); // its extension's prefix is declared in the document only
    expect(eventHash({ ...(second as object), '@context': query['@context'] })).toBe(hashes[1]);
  });
});

/** An event as the JSON binding writes it: bare CBV words, EPC URNs, a local time, extensions. */
const BASE = {
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { sy: 'https://standards.suyuan.dev/ns/' }],
  type: 'ObjectEvent',
  eventTime: '2024-05-01T10:30:00+08:00',
  eventTimeZoneOffset: '+08:00',
  epcList: ['urn:epc:id:sgtin:6901234.000567.1001', 'urn:epc:id:sgtin:6901234.000567.1002'],
  quantityList: [{ epcClass: 'urn:epc:class:lgtin:6901234.000567.L2405', quantity: 12.5, uom: 'KGM' }],
  action: 'OBSERVE',
  bizStep: 'receiving',
  disposition: 'in_progress',
  persistentDisposition: { set: ['conformant'], unset: ['non_conformant'] },
  readPoint: { id: 'urn:epc:id:sgln:6901234.00001.0' },
  bizLocation: { id: 'urn:epc:id:sgln:6901234.00001.7', 'sy:dock': 'B3' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epc:id:gdti:6901234.00002.PO-88' }, { type: 'inv', bizTransaction: 'urn:suyuan:inv:3201-0001' }],
  sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:6901234.00000' }],
  destinationList: [{ type: 'location', destination: 'urn:epc:id:sgln:6901234.00003.0' }],
  sensorElementList: [{
    sensorMetadata: { time: '2024-05-01T10:29:00+08:00', deviceID: 'urn:epc:id:giai:6901234.T-1' },
    sensorReport: [
      { type: 'Temperature', value: 4.5, uom: 'CEL', time: '2024-05-01T10:29:00.000+08:00' },
      { type: 'RelativeHumidity', value: 61, uom: 'P1', component: 'x', exception: 'ALARM_CONDITION' },
    ],
  }],
  ilmd: { 'sy:origin': '320100', 'sy:grades': ['A', 'B'] },
  'sy:inspector': { 'sy:name': '王芳', 'sy:licence': 'JS-2024-17' },
};

type Json = unknown;
const clone = <T>(value: T): T => structuredClone(value);

/** Every object's keys in an order chosen by `rng`, and every array permuted too (all lists are unordered for the hash). */
function shuffle(value: Json, rng: () => number): Json {
  const permute = <T>(items: T[]): T[] => items.map((v) => [rng(), v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  if (Array.isArray(value)) return permute(value.map((v) => shuffle(v, rng)));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(permute(Object.entries(value)).map(([k, v]) => [k, shuffle(v, rng)]));
  }
  return value;
}

const seeded = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
};

/** BASE with CBV words in another form (`urn`, `web`), as the XML binding or the web vocabulary writes them. */
function cbvForms(form: (vocab: CbvVocabulary, word: string) => string): Json {
  const e = clone(BASE) as typeof BASE & Record<string, unknown>;
  e.bizStep = form('bizStep', e.bizStep);
  e.disposition = form('disposition', e.disposition);
  e.persistentDisposition = { set: e.persistentDisposition.set.map((d) => form('disposition', d)), unset: e.persistentDisposition.unset.map((d) => form('disposition', d)) };
  e.bizTransactionList = e.bizTransactionList.map((b) => ({ ...b, type: form('bizTransactionType', b.type) }));
  e.sourceList = e.sourceList.map((s) => ({ ...s, type: form('sourceDestType', s.type) }));
  e.destinationList = e.destinationList.map((d) => ({ ...d, type: form('sourceDestType', d.type) }));
  return e;
}

/** BASE with every EPC URN replaced by its Digital Link (on `host`, when given). */
function digitalLinks(host = 'https://id.gs1.org'): Json {
  const swap = (v: Json): Json => {
    if (typeof v === 'string') return (epcUrnToDigitalLink(v) ?? v).replace('https://id.gs1.org', host);
    if (Array.isArray(v)) return v.map(swap);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(clone(BASE));
}

describe('invariance: the same event written differently has the same hash', () => {
  const base = eventHash(BASE);

  it('whatever the order of keys and of list items (property)', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      expect(eventHash(shuffle(BASE, seeded(seed)))).toBe(base);
    }), { numRuns: 200 });
  });

  it('with CBV bare words, URNs or web URIs', () => {
    expect(eventHash(cbvForms((v, w) => cbvToUrn(v, w)))).toBe(base);
    expect(eventHash(cbvForms((v, w) => cbvToWebUri(v, w)))).toBe(base);
    const curies = clone(BASE);
    curies.bizStep = 'cbv:BizStep-receiving';
    curies.sensorElementList[0]!.sensorReport[0]!.type = 'gs1:Temperature';
    curies.sensorElementList[0]!.sensorReport[1]!.component = 'cbv:Comp-x';
    expect(eventHash(curies)).toBe(base);
  });

  it('with the same instants in other time-zone offsets, with or without milliseconds', () => {
    const utc = clone(BASE);
    utc.eventTime = '2024-05-01T02:30:00.000Z';
    utc.sensorElementList[0]!.sensorMetadata.time = '2024-05-01T02:29:00Z';
    utc.sensorElementList[0]!.sensorReport[0]!.time = '2024-05-01T03:29:00.0004+01:00';
    expect(eventHash(utc)).toBe(base);
  });

  it('with Digital Links instead of EPC URNs, on any host', () => {
    expect(eventHash(digitalLinks())).toBe(base);
    expect(eventHash(digitalLinks('https://brand.example.cn/p'))).toBe(base);
  });

  it('with another prefix name for the same namespace, numbers with trailing zeros, and surrounding spaces', () => {
    const e = JSON.parse(JSON.stringify(BASE).replaceAll('"sy:', '"suyuan:').replace('"sy":', '"suyuan":')) as typeof BASE;
    expect(eventHash(e)).toBe(base);
    const f = clone(BASE);
    (f.quantityList[0] as Record<string, unknown>).quantity = '12.50';
    f.bizStep = '  receiving ';
    expect(eventHash(f)).toBe(base);
  });

  it('with eventID, recordTime, certificationInfo, comments, or an error declaration added', () => {
    const declared = {
      ...clone(BASE),
      eventID: 'ni:///sha-256;00?ver=CBV2.0',
      recordTime: '2024-05-02T00:00:00Z',
      certificationInfo: 'https://cert.example.cn/1',
      'rdfs:comment': 'received at dock B3',
      errorDeclaration: { declarationTime: '2024-05-03T00:00:00Z', reason: 'incorrect_data', correctiveEventIDs: ['ni:///sha-256;11?ver=CBV2.0'] },
    };
    expect(eventHash(declared)).toBe(base);
  });
});

describe('sensitivity: a changed field changes the hash', () => {
  const mutations: Record<string, (e: typeof BASE & Record<string, unknown>) => void> = {
    'event type': (e) => { e.type = 'TransactionEvent'; },
    'event time': (e) => { e.eventTime = '2024-05-01T10:30:00.001+08:00'; },
    'zone offset': (e) => { e.eventTimeZoneOffset = '+09:00'; },
    'an EPC': (e) => { e.epcList[1] = 'urn:epc:id:sgtin:6901234.000567.1003'; },
    'an EPC removed': (e) => { e.epcList.pop(); },
    'a quantity': (e) => { e.quantityList[0]!.quantity = 12.4; },
    'a unit': (e) => { e.quantityList[0]!.uom = 'GRM'; },
    'the action': (e) => { e.action = 'ADD'; },
    'the business step': (e) => { e.bizStep = 'urn:suyuan:bizstep:quarantining'; },
    'the disposition': (e) => { e.disposition = 'in_transit'; },
    'a persistent disposition': (e) => { e.persistentDisposition.set = ['non_conformant']; },
    'the read point': (e) => { e.readPoint.id = 'urn:epc:id:sgln:6901234.00001.1'; },
    'a location extension': (e) => { e.bizLocation['sy:dock'] = 'B4'; },
    'a transaction type': (e) => { e.bizTransactionList[1]!.type = 'desadv'; },
    'a source type': (e) => { e.sourceList[0]!.type = 'possessing_party'; },
    'a sensor value': (e) => { e.sensorElementList[0]!.sensorReport[0]!.value = 4.6; },
    'a sensor type': (e) => { e.sensorElementList[0]!.sensorReport[0]!.type = 'Mass'; },
    'sensor metadata': (e) => { e.sensorElementList[0]!.sensorMetadata.deviceID = 'urn:epc:id:giai:6901234.T-2'; },
    'an ILMD value': (e) => { e.ilmd['sy:origin'] = '320200'; },
    'an ILMD list item': (e) => { e.ilmd['sy:grades'] = ['A']; },
    'an extension value': (e) => { e['sy:inspector']['sy:name'] = '李雷'; },
    'an extension added': (e) => { e['sy:batchNote'] = 'late'; },
    'an extension namespace': (e) => { e['@context'] = [BASE['@context'][0] as string, { sy: 'https://example.org/other/' }]; },
  };

  it.each(Object.keys(mutations))('%s', (name) => {
    const e = clone(BASE) as typeof BASE & Record<string, unknown>;
    mutations[name]?.(e);
    expect(eventHash(e)).not.toBe(eventHash(BASE));
  });

  it('gives every mutation a hash of its own', () => {
    const hashes = Object.values(mutations).map((m) => { const e = clone(BASE) as typeof BASE & Record<string, unknown>; m(e); return eventHash(e); });
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(eventHash(BASE)).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });
});

describe('errors name the field', () => {
  const failure = (f: () => unknown): SuyuanError => {
    try { f(); } catch (e) { if (e instanceof SuyuanError) return e; throw e; }
    throw new Error('did not throw');
  };
  const withField = (patch: Record<string, unknown>) => ({ ...clone(BASE), ...patch });

  it.each([
    ['type', () => eventHash({ eventTime: '2024-05-01T00:00:00Z' })],
    ['type', () => eventHash(withField({ type: 'FooEvent' }))],
    ['eventTime', () => eventHash({ type: 'ObjectEvent' })],
    ['eventTime', () => eventHash(withField({ eventTime: '2024-05-01 10:30' }))],
    ['eventTime', () => eventHash(withField({ eventTime: '2024-05-01T10:30:00' }))],
    ['epcList', () => eventHash(withField({ epcList: 'urn:epc:id:sgtin:6901234.000567.1001' }))],
    ['readPoint', () => eventHash(withField({ readPoint: 'urn:epc:id:sgln:6901234.00001.0' }))],
    ['bizStep', () => eventHash(withField({ bizStep: { word: 'receiving' } }))],
    ['sensorElementList/0/sensorReport/0/time', () => eventHash(withField({ sensorElementList: [{ sensorReport: [{ type: 'Mass', time: 'noon' }] }] }))],
    ['(event)', () => eventHash('not an event')],
    ['epcisBody', () => documentEventHashes({ type: 'EPCISDocument' })],
  ])('EVENT_HASH_FAILED at %s', (field, f) => {
    const error = failure(f);
    expect(error.code).toBe('EVENT_HASH_FAILED');
    expect(error.detail.field).toBe(field);
  });
});
