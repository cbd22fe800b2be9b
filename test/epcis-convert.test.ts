// EPCIS 2.0 JSON-LD ↔ XML: both round trips over GS1's examples and the standard's own, event hashes on both sides, the
// XSD's element order, GS1's published XML examples against their published JSON-LD, refusals, and the EPCIS format.
//
// What "equal" means here, and what is not preserved (and why):
//
// JSON-LD → XML → JSON-LD gives equal documents after normalising
//   (a) `@context` to its effective prefix map (GS1's context's own prefixes, overlaid by the document's string
//       terms): XML keeps every prefix as an `xmlns` declaration, but not which GS1 context URL was cited (we write
//       the 2.0.0 URL), how the terms were grouped into objects, or context terms that are not plain prefixes;
//   (b) CBV values to bare words: the XML binding writes URNs (`gs1:`/`cbv:Comp-` compact IRIs for sensor
//       vocabularies), which come back as words whatever form the JSON-LD used (URN, web URI, compact IRI);
//   (c) extension members that XML can only carry as attributes (on `bizTransaction`, `source`, `destination`,
//       `sensorMetadata`, `sensorReport`) to strings: an attribute has no type, so `"sy:quantity": 3` comes back "3".
// Not preserved either, and shown below: a one-item array (in an extension, or as `certificationInfo`) comes back as
// its item, since one repeated element is one element; a JSON-LD term definition that is not a plain prefix string.
// Everything else — extension nesting, `null` (xsi:nil), numbers and booleans in extension elements (xsi:type),
// JSON-LD value objects, root `id`/`sender`/`receiver`/`instanceIdentifier` (root attributes) — comes back as it was.
// The event hashes are equal on both sides without any normalisation.
//
// XML → JSON-LD → XML gives equal XML infosets after normalising
//   (a) names to {namespace}local (prefixes and where namespaces were declared are not kept; `xsi:type` QNames are
//       resolved); comments, processing instructions and the XML declaration are not carried;
//   (b) text to its trimmed form (indentation is not content);
//   (c) XSD-typed numbers and booleans (`quantity`, numeric `sensorReport` attributes, `booleanValue`) to their value:
//       JSON holds the number, not its spelling (`26.0` comes back `26`);
//   (d) CBV values to words (a web-URI `bizStep` comes back as its URN);
//   (e) differently named extension siblings interleaved (a, b, a) to grouped (a, a, b): a JSON object groups them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_LAYOUTS, epcisFormat, epcisJsonToXml, epcisXmlToJson, type EpcisParsed } from '../src/formats/epcis/index.ts';
import { documentEventHashes, documentEvents, eventHash } from '../src/standards/event-hash.ts';
import { ROOT, GS1_CONTEXT, SY, readJson, readXml, JSON_DOCUMENTS, normaliseJson, infoset, XSD_ORDER, expectXsdOrder, codeOf, withoutDoctype, QUERY_DOCUMENT, XML_DOCUMENTS, type Json } from './helpers/epcis-documents.ts';

describe('JSON-LD → XML → JSON-LD', () => {
  it('covers GS1 examples, reference vectors and the standard\'s examples of all five event types', () => {
    expect(JSON_DOCUMENTS.length).toBeGreaterThanOrEqual(50);
    const types = new Set(JSON_DOCUMENTS.flatMap(([, d]) => documentEvents(d).map((e) => (e as Json).type)));
    expect(types.size).toBe(5);
  });

  it.each(JSON_DOCUMENTS)('%s comes back equal, with equal event hashes', (_path, doc) => {
    const xml = epcisJsonToXml(doc);
    const back = epcisXmlToJson(xml);
    expect(normaliseJson(back)).toEqual(normaliseJson(doc));
    expect(documentEventHashes(back)).toEqual(documentEventHashes(doc));
  });

  it.each(JSON_DOCUMENTS)('%s is written with the XSD\'s element order and a UTF-8 prolog', (_path, doc) => {
    const xml = epcisJsonToXml(doc);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expectXsdOrder(infoset(xml));
  });
});

describe('the XSD order table', () => {
  it('is the one EPCglobal-epcis-2_0.xsd gives, for every event type', () => {
    expect(EVENT_LAYOUTS).toEqual(XSD_ORDER);
  });
});


describe('XML → JSON-LD → XML', () => {
  it.each(XML_DOCUMENTS)('%s comes back as an equal infoset', (_name, xml) => {
    const back = epcisJsonToXml(epcisXmlToJson(xml));
    expect(infoset(back)).toEqual(infoset(xml));
    expectXsdOrder(infoset(back));
  });

  it('converts a second time to the very same text', () => {
    for (const [, xml] of XML_DOCUMENTS) {
      const once = epcisJsonToXml(epcisXmlToJson(xml));
      expect(epcisJsonToXml(epcisXmlToJson(once))).toBe(once);
    }
  });

  it('keeps the event hashes: an XML document hashes the same before and after the trip', () => {
    for (const [, xml] of XML_DOCUMENTS) {
      const json = epcisXmlToJson(xml);
      expect(documentEventHashes(epcisXmlToJson(epcisJsonToXml(json)))).toEqual(documentEventHashes(json));
    }
  });
});

describe('GS1\'s published XML examples against the same examples published in JSON-LD', () => {
  const xmlEvents = (name: string): Json[] => documentEvents(epcisXmlToJson(withoutDoctype(readXml(name)))) as Json[];
  const xmlHashes = (name: string): string[] => documentEventHashes(epcisXmlToJson(withoutDoctype(readXml(name))));
  const jsonHashes = (path: string): string[] => documentEventHashes(readJson(`test/fixtures/gs1/${path}`));

  // [XML file, event index in it, JSON-LD file in test/fixtures/gs1, event index in it]
  const SAME: ReadonlyArray<readonly [string, number, string, number]> = [
    ['Example_9.6.1-ObjectEvent-2020_06_18a.xml', 0, 'Example_9.6.1-ObjectEvent.jsonld', 0],
    ['AssociationEventExamples.xml', 0, 'AssociationEvent-a.jsonld', 0],
    ['AssociationEventExamples.xml', 1, 'AssociationEvent-b.jsonld', 0],
    ['AssociationEventExamples.xml', 3, 'AssociationEvent-d.jsonld', 0],
    ['AssociationEventExamples.xml', 4, 'AssociationEvent-e.jsonld', 0],
    ['AssociationEventExamples.xml', 6, 'AssociationEvent-g.jsonld', 0],
    ['SensorDataExamples.xml', 0, 'SensorDataExample1.jsonld', 0],
  ];
  it.each(SAME)('%s event %i has the hash of %s event %i', (xml, i, json, j) => {
    expect(xmlHashes(xml)[i]).toBe(jsonHashes(json)[j]);
  });

  // Where GS1's two forms of an example differ in content, the hashes differ, and by exactly that difference.
  it('Example 9.6.1, second event: the XML declares http://ns.example.com/epcis, the JSON-LD …/epcis/ (trailing slash)', () => {
    const doc = epcisXmlToJson(readXml('Example_9.6.1-ObjectEvent-2020_06_18a.xml')) as Json;
    expect(doc['@context'][1]).toEqual({ example: 'http://ns.example.com/epcis' });
    expect(xmlHashes('Example_9.6.1-ObjectEvent-2020_06_18a.xml')[1]).not.toBe(jsonHashes('Example_9.6.1-ObjectEvent.jsonld')[1]);
    const withSlash = { ...doc, '@context': [GS1_CONTEXT, { example: 'http://ns.example.com/epcis/' }] };
    expect(documentEventHashes(withSlash)[1]).toBe(jsonHashes('Example_9.6.1-ObjectEvent.jsonld')[1]);
  });

  it('Sensor data case 11: the XML measures gs1:EffectiveDoseRate (not a GS1 measurement type, so it stays as written), the JSON-LD DoseEquivalentRate', () => {
    const event = xmlEvents('SensorDataExamples.xml')[10] as Json;
    expect(event.sensorElementList[0].sensorReport[0].type).toBe('gs1:EffectiveDoseRate');
    expect(eventHash(event)).not.toBe(jsonHashes('SensorDataExample11.jsonld')[0]);
    event.sensorElementList[0].sensorReport[0].type = 'DoseEquivalentRate';
    expect(eventHash(event)).toBe(jsonHashes('SensorDataExample11.jsonld')[0]);
  });

  it('reads GS1\'s typed extension values: xsi:type as JSON-LD typed values, booleans and decimals as JSON', () => {
    const [event] = xmlEvents('object_event_all_possible_fields.xml') as [Json];
    expect(event['ext1:int']).toEqual({ '@value': '10', '@type': 'xsd:integer' });
    expect(event['ext1:float']).toEqual({ '@value': '20', '@type': 'xsd:double' });
    expect(event['ext1:boolean']).toBe(true);
    expect(event['ext1:default']).toBe('stringAsDefaultValue');
    expect(event.ilmd['cbvmda:netWeight']).toEqual({ '#text': '3.5', '@measurementUnitCode': 'KGM' });
    expect(event.sensorElementList[0].sensorReport[0]).toMatchObject({ type: 'Temperature', value: 26, booleanValue: true, percRank: 50, 'ext1:someFurtherReportData': 'someText' });
  });
});

describe('refusals', () => {
  it('refuses GS1\'s all-possible-fields XML as published: it has a DOCTYPE (XML_FORBIDDEN)', () => {
    const { code, detail } = codeOf(() => epcisXmlToJson(readXml('object_event_all_possible_fields.xml')));
    expect(code).toBe('XML_FORBIDDEN');
    expect(detail).toMatchObject({ construct: 'DOCTYPE', line: 2 });
  });

  it.each([
    ['an entity declaration', '<!DOCTYPE d [<!ENTITY x "y">]><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"/>', 'XML_FORBIDDEN'],
    ['an undeclared entity', '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">&x;</epcis:EPCISDocument>', 'PARSE_XML'],
    ['malformed XML', '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">\n<EPCISBody></EventList>', 'PARSE_XML'],
    ['an unbound prefix', '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody><x:y/></EPCISBody></epcis:EPCISDocument>', 'PARSE_XML'],
  ])('refuses %s with %s', (_what, xml, code) => {
    expect(codeOf(() => epcisXmlToJson(xml)).code).toBe(code);
  });

  it('names the line and column of malformed XML', () => {
    expect(codeOf(() => epcisXmlToJson('<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">\n<EPCISBody></EventList>')).detail).toMatchObject({ line: 2 });
  });

  it('refuses a document that is not EPCIS, naming its root element', () => {
    const { code, detail } = codeOf(() => epcisXmlToJson('<Invoice xmlns="urn:example:invoice"><Line/></Invoice>'));
    expect(code).toBe('EPCIS_INVALID');
    expect(detail).toMatchObject({ element: '/Invoice', namespace: 'urn:example:invoice' });
  });

  it('refuses an unknown event element (EPCIS 1.x QuantityEvent), naming its path', () => {
    const xml = '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2020-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>2020-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>OBSERVE</action></ObjectEvent><QuantityEvent/></EventList></EPCISBody></epcis:EPCISDocument>';
    expect(codeOf(() => epcisXmlToJson(xml))).toEqual({ code: 'EPCIS_INVALID', detail: { element: '/EPCISDocument/EPCISBody/EventList/QuantityEvent' } });
  });

  it('refuses an unknown unqualified element inside an event, naming it', () => {
    const xml = '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody><EventList><ObjectEvent><eventTime>2020-01-01T00:00:00Z</eventTime><colour>red</colour></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>';
    expect(codeOf(() => epcisXmlToJson(xml)).detail).toEqual({ element: '/EPCISDocument/EPCISBody/EventList/ObjectEvent/colour' });
  });

  it('refuses more elements than the limit allows', () => {
    const xml = `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody><EventList>${'<ObjectEvent/>'.repeat(20)}</EventList></EPCISBody></epcis:EPCISDocument>`;
    expect(codeOf(() => epcisXmlToJson(xml, { maxNodes: 10 })).code).toBe('LIMIT_EXCEEDED');
  });

  it.each([
    ['a document type that is not EPCIS', { type: 'Invoice' }, '/type'],
    ['an unknown event type', { type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'QuantityEvent' }] } }, '/epcisBody/eventList/0/type'],
    ['a field the event type does not have', { type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'AggregationEvent', ilmd: {} }] } }, '/epcisBody/eventList/0/ilmd'],
    ['an undeclared prefix', { type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'ObjectEvent', 'zz:x': 1 }] } }, '/epcisBody/eventList/0/zz:x'],
    ['a full IRI as a member name', { '@context': [GS1_CONTEXT], type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'ObjectEvent', 'https://x.example/a': 1 }] } }, '/epcisBody/eventList/0/https:~1~1x.example~1a'],
    ['an object where XML has an attribute', { '@context': [GS1_CONTEXT, SY], type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'ObjectEvent', sensorElementList: [{ sensorReport: [{ type: 'Mass', 'sy:x': {} }] }] }] } }, '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/sy:x'],
  ])('refuses %s (EPCIS_INVALID naming the JSON Pointer)', (_what, doc, path) => {
    expect(codeOf(() => epcisJsonToXml(doc))).toMatchObject({ code: 'EPCIS_INVALID', detail: { path } });
  });

  it('refuses a value holding a character XML 1.0 cannot carry', () => {
    const doc = { type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'ObjectEvent', action: 'ADD\u0001' }] } };
    expect(codeOf(() => epcisJsonToXml(doc)).code).toBe('EPCIS_INVALID');
  });
});

describe('extension values across the bindings', () => {
  const roundTrip = (extensions: Json): Json => {
    const doc = { '@context': [GS1_CONTEXT, SY], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-01-01T00:00:00Z', epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: '2024-01-01T00:00:00Z', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', ...extensions }] } };
    return documentEvents(epcisXmlToJson(epcisJsonToXml(doc)))[0] as Json;
  };

  it('keeps strings exactly, numbers, booleans, null, nesting, value objects, attributes and text', () => {
    const extensions = {
      'sy:text': '  a & b < c > d " e \' f \t g \r\n h  ',
      'sy:int': 3, 'sy:decimal': -12.8, 'sy:big': 1e21, 'sy:tiny': 1e-7, 'sy:yes': true, 'sy:no': false, 'sy:nothing': null, 'sy:empty': '',
      'sy:typed': { '@value': '007', '@type': 'xsd:integer' },
      'sy:nested': { 'sy:a': ['1', '2'], 'sy:b': { 'sy:c': 'deep' }, '@sy:unit': 'kg', '@plain': 'x "quoted"\n' },
      'sy:mixed': { '#text': '12', 'sy:note': 'net' },
      'sy:chinese': '溯源 / trace',
    };
    expect(roundTrip(extensions)).toMatchObject(extensions);
  });

  it('writes numbers and booleans with xsi:type, and null as xsi:nil', () => {
    const doc = { '@context': [GS1_CONTEXT, SY], type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'ObjectEvent', 'sy:n': 3, 'sy:b': true, 'sy:z': null }] } };
    const xml = epcisJsonToXml(doc);
    expect(xml).toContain('<sy:n xsi:type="xsd:decimal">3</sy:n>');
    expect(xml).toContain('<sy:b xsi:type="xsd:boolean">true</sy:b>');
    expect(xml).toContain('<sy:z xsi:nil="true"/>');
  });

  it('gives a one-item array back as its item (one repeated element is one element)', () => {
    expect(roundTrip({ 'sy:list': ['only'], certificationInfo: ['https://cert.example/1'] })).toMatchObject({ 'sy:list': 'only', certificationInfo: 'https://cert.example/1' });
    expect(roundTrip({ certificationInfo: ['https://cert.example/1', 'https://cert.example/2'] }).certificationInfo).toEqual(['https://cert.example/1', 'https://cert.example/2']);
  });

  it('gives extensions carried in attributes back as strings (an attribute has no type)', () => {
    const event = roundTrip({ bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:epcglobal:cbv:bt:6945678000010:1', 'sy:quantity': 3, 'sy:amount': 38.4 }] });
    expect(event.bizTransactionList[0]).toEqual({ type: 'inv', bizTransaction: 'urn:epcglobal:cbv:bt:6945678000010:1', 'sy:quantity': '3', 'sy:amount': '38.4' });
  });

  it('declares the @context prefixes as xmlns, and GS1-context prefixes the document uses without declaring', () => {
    const doc = { '@context': [GS1_CONTEXT, { sy: 'https://standards.suyuan.dev/ns/', unused: 'urn:x:' }], type: 'EPCISDocument', epcisBody: { eventList: [{ type: 'ObjectEvent', ilmd: { 'cbvmda:lotNumber': 'L1' }, 'rdfs:comment': 'c' }] } };
    const xml = epcisJsonToXml(doc);
    for (const d of ['xmlns:sy="https://standards.suyuan.dev/ns/"', 'xmlns:unused="urn:x:"', 'xmlns:cbvmda="urn:epcglobal:cbv:mda"', 'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"']) expect(xml).toContain(d);
    expect(epcisXmlToJson(xml)['@context']).toEqual([GS1_CONTEXT, { sy: 'https://standards.suyuan.dev/ns/', unused: 'urn:x:', rdfs: 'http://www.w3.org/2000/01/rdf-schema#' }]);
  });
});

describe('the EPCIS format', () => {
  const jsonText = readFileSync(join(ROOT, 'test/fixtures/gs1/Example_9.6.1-ObjectEvent.jsonld'), 'utf8');
  const xmlText = readXml('Example_9.6.1-ObjectEvent-2020_06_18a.xml');

  it('reads JSON-LD and splits it into events at JSON Pointers, each carrying the document\'s @context', () => {
    const parsed = epcisFormat.parse(`  \n${jsonText}`) as EpcisParsed;
    expect(parsed.syntax).toBe('json-ld');
    const records = epcisFormat.split(parsed);
    expect(records.map((r) => r.position)).toEqual([{ index: 0, path: '/epcisBody/eventList/0' }, { index: 1, path: '/epcisBody/eventList/1' }]);
    expect(records.map((r) => eventHash(r.value))).toEqual(documentEventHashes(JSON.parse(jsonText)));
    expect((records[1]?.value as Json)['@context']).toEqual(JSON.parse(jsonText)['@context']);
  });

  it('reads XML (first non-space character <) and splits it with XPath-like paths and lines', () => {
    const parsed = epcisFormat.parse(xmlText) as EpcisParsed;
    expect(parsed.syntax).toBe('xml');
    const records = epcisFormat.split(parsed);
    expect(records.map((r) => r.position)).toEqual([
      { index: 0, path: '/EPCISDocument/EPCISBody/EventList/ObjectEvent[1]', line: 10 },
      { index: 1, path: '/EPCISDocument/EPCISBody/EventList/ObjectEvent[2]', line: 27 },
    ]);
    expect(records.map((r) => eventHash(r.value))).toEqual(documentEventHashes(epcisXmlToJson(xmlText)));
  });

  it('splits query documents and numbers each event type on its own', () => {
    const records = epcisFormat.split(epcisFormat.parse(`\n  ${QUERY_DOCUMENT}`));
    expect(records.map((r) => r.position.path)).toEqual([
      '/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList/AggregationEvent[1]',
      '/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList/TransactionEvent[1]',
      '/EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList/AssociationEvent[1]',
    ]);
    const json = epcisFormat.split(epcisFormat.parse(JSON.stringify(epcisXmlToJson(QUERY_DOCUMENT))));
    expect(json.map((r) => r.position.path)).toEqual([0, 1, 2].map((i) => `/epcisBody/queryResults/resultsBody/eventList/${i}`));
  });

  it.each([
    ['JSON that does not parse', '{"type": ', 'PARSE_JSON'],
    ['JSON-LD that is not an EPCIS document', '{"type": "ObjectEvent"}', 'EPCIS_INVALID'],
    ['XML that is not an EPCIS document', '<a/>', 'EPCIS_INVALID'],
    ['a DOCTYPE', readXml('object_event_all_possible_fields.xml'), 'XML_FORBIDDEN'],
    ['space before the XML declaration (not well-formed)', `\n${xmlText}`, 'PARSE_XML'],
  ])('refuses %s with %s', (_what, text, code) => {
    expect(codeOf(() => epcisFormat.parse(text)).code).toBe(code);
  });

  it('enforces the limits in both syntaxes', () => {
    expect(codeOf(() => epcisFormat.parse(jsonText, { limits: { maxLength: 100 } })).code).toBe('LIMIT_EXCEEDED');
    expect(codeOf(() => epcisFormat.parse(jsonText, { limits: { maxDepth: 3 } })).detail).toMatchObject({ limit: 'maxDepth' });
    expect(codeOf(() => epcisFormat.parse(xmlText, { limits: { maxDepth: 3 } })).detail).toMatchObject({ limit: 'maxDepth' });
  });
});
