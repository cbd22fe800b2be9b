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
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import { EVENT_LAYOUTS, epcisFormat, epcisJsonToXml, epcisXmlToJson, type EpcisParsed } from '../src/formats/epcis/index.ts';
import { cbvToWord, type CbvVocabulary } from '../src/standards/cbv.ts';
import { documentEventHashes, documentEvents, eventHash } from '../src/standards/event-hash.ts';

type Json = Record<string, any>;

const ROOT = join(import.meta.dirname, '..');
const GS1_XML = join(import.meta.dirname, 'fixtures', 'gs1-xml');
const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const SY = { sy: 'https://standards.suyuan.dev/ns/' };
const readJson = (path: string): Json => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Json;
const readXml = (name: string): string => readFileSync(join(GS1_XML, name), 'utf8');
const files = (dir: string, ext: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext)).sort().map((f) => `${dir}/${f}`);

/** A single event of the standard's examples, wrapped in a document that carries its prefixes. */
function asDocument(value: Json): Json {
  if (value.type === 'EPCISDocument' || value.type === 'EPCISQueryDocument') return value;
  const { '@context': own, ...event } = value;
  const terms = [own ?? []].flat().filter((c: unknown) => typeof c === 'object');
  return { '@context': [GS1_CONTEXT, SY, ...terms], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-03-15T08:00:00+08:00', epcisBody: { eventList: [event] } };
}

const JSON_DOCUMENTS: ReadonlyArray<readonly [string, Json]> = [
  ...files('test/fixtures/gs1', '.jsonld'),
  ...files('test/fixtures/event-hash', '.jsonld'),
  ...files('standards/trace.event/1.0.0/examples/valid', '.json'),
  ...files('standards/trace.document/1.0.0/examples/valid', '.json'),
].map((path) => [path, asDocument(readJson(path))] as const);

// ---------------------------------------------------------------------------------------------------------------
// JSON-LD normalisation (a)–(c) above

const GS1_TERMS: Readonly<Record<string, string>> = {
  epcis: 'https://ref.gs1.org/epcis/', cbv: 'https://ref.gs1.org/cbv/', cbvmda: 'urn:epcglobal:cbv:mda:', gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#', owl: 'http://www.w3.org/2002/07/owl#', xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};
const effectiveContext = (context: unknown): Json => {
  const terms: Json = { ...GS1_TERMS };
  for (const c of [context].flat()) if (typeof c === 'object' && c !== null) for (const [k, v] of Object.entries(c)) if (typeof v === 'string') terms[k] = v;
  return terms;
};
const word = (vocab: CbvVocabulary, v: unknown): unknown => (typeof v === 'string' ? cbvToWord(vocab, v) : v);
const isExtension = (key: string): boolean => key.includes(':') && !key.startsWith('@');
const extensionsAsStrings = (o: Json): Json => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, isExtension(k) && typeof v !== 'object' ? String(v) : v]));
function normaliseEvent(e: Json): Json {
  const out: Json = { ...e };
  if (out.bizStep !== undefined) out.bizStep = word('bizStep', out.bizStep);
  if (out.disposition !== undefined) out.disposition = word('disposition', out.disposition);
  if (out.errorDeclaration?.reason !== undefined) out.errorDeclaration = { ...out.errorDeclaration, reason: word('errorReason', out.errorDeclaration.reason) };
  if (out.persistentDisposition) {
    out.persistentDisposition = Object.fromEntries(Object.entries(out.persistentDisposition as Json).map(([k, v]) => [k, (v as unknown[]).map((d) => word('disposition', d))]));
  }
  for (const [list, vocab] of [['bizTransactionList', 'bizTransactionType'], ['sourceList', 'sourceDestType'], ['destinationList', 'sourceDestType']] as const) {
    if (out[list]) out[list] = (out[list] as Json[]).map((x) => extensionsAsStrings({ ...x, ...(x.type === undefined ? {} : { type: word(vocab, x.type) }) }));
  }
  if (out.sensorElementList) {
    out.sensorElementList = (out.sensorElementList as Json[]).map((s) => ({
      ...s,
      ...(s.sensorMetadata ? { sensorMetadata: extensionsAsStrings(s.sensorMetadata) } : {}),
      sensorReport: (s.sensorReport as Json[]).map((r) => extensionsAsStrings({
        ...r,
        ...(r.type === undefined ? {} : { type: word('measurementType', r.type) }),
        ...(r.exception === undefined ? {} : { exception: word('sensorAlertType', r.exception) }),
        ...(r.component === undefined ? {} : { component: word('component', r.component) }),
      })),
    }));
  }
  return out;
}
function normaliseJson(doc: Json): Json {
  const events = documentEvents(doc).map((e) => normaliseEvent(e as Json));
  const body = doc.epcisBody.eventList ? { ...doc.epcisBody, eventList: events }
    : { ...doc.epcisBody, queryResults: { ...doc.epcisBody.queryResults, resultsBody: { ...doc.epcisBody.queryResults.resultsBody, eventList: events } } };
  return { ...doc, '@context': effectiveContext(doc['@context']), epcisBody: body };
}

// ---------------------------------------------------------------------------------------------------------------
// XML infosets, read with fast-xml-parser directly (independently of the converter's reader); normalisation (a)–(e)

interface Info {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly Info[];
}
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const NUMERIC = new Set(['quantity', 'value', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue']);
const WORD_ELEMENTS: Readonly<Record<string, CbvVocabulary>> = { bizStep: 'bizStep', disposition: 'disposition', set: 'disposition', unset: 'disposition', reason: 'errorReason' };
const TYPE_VOCAB: Readonly<Record<string, CbvVocabulary>> = { bizTransaction: 'bizTransactionType', source: 'sourceDestType', destination: 'sourceDestType' };
const REPORT_VOCAB: Readonly<Record<string, CbvVocabulary>> = { type: 'measurementType', exception: 'sensorAlertType', component: 'component' };
const number = (v: string): string => (v.trim() !== '' && Number.isFinite(Number(v)) ? String(Number(v)) : v);

function infoset(xml: string): Info {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: false, htmlEntities: true });
  const nodes = parser.parse(xml) as Json[];
  const build = (node: Json, outer: ReadonlyMap<string, string>): Info => {
    const qname = Object.keys(node).find((k) => k !== ':@') as string;
    const raw = (node[':@'] ?? {}) as Record<string, string>;
    const scope = new Map(outer);
    for (const [k, v] of Object.entries(raw)) if (k === 'xmlns' || k.startsWith('xmlns:')) scope.set(k === 'xmlns' ? '' : k.slice(6), v);
    const expand = (q: string, attribute: boolean): string => {
      const i = q.indexOf(':');
      if (i === -1) return attribute ? q : `{${scope.get('') ?? ''}}${q}`;
      return `{${scope.get(q.slice(0, i)) ?? '?'}}${q.slice(i + 1)}`;
    };
    const name = expand(qname, false);
    const local = qname.slice(qname.indexOf(':') + 1);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      const key = expand(k, true);
      let value = key === `{${XSI}}type` ? expand(v, false) : v;
      if (local === 'sensorReport' && NUMERIC.has(k)) value = number(v);
      if (local === 'sensorReport' && k === 'booleanValue') value = v === '1' ? 'true' : v === '0' ? 'false' : v;
      if (local === 'sensorReport' && REPORT_VOCAB[k]) value = cbvToWord(REPORT_VOCAB[k], v);
      if (k === 'type' && TYPE_VOCAB[local]) value = cbvToWord(TYPE_VOCAB[local], v);
      attrs[key] = value;
    }
    const content = (node[qname] ?? []) as Json[];
    let text = content.filter((c) => '#text' in c).map((c) => String(c['#text'])).join('').trim();
    if (local === 'quantity') text = number(text);
    if (WORD_ELEMENTS[local] && !name.startsWith('{http')) text = cbvToWord(WORD_ELEMENTS[local], text);
    const children = content.filter((c) => !('#text' in c)).map((c) => build(c, scope));
    const groups = new Map<string, Info[]>();
    for (const c of children) groups.set(c.name, [...(groups.get(c.name) ?? []), c]);
    return { name, attrs, text, children: [...groups.values()].flat() };
  };
  return build(nodes.find((n) => !('#text' in n) && !('?xml' in n)) as Json, new Map());
}

// ---------------------------------------------------------------------------------------------------------------
// The XSD's element order, derived from GS1's `EPCglobal-epcis-2_0.xsd` (a copy sits beside the XML examples)

function xsdTable(): Record<string, string[]> {
  const xsd = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (_n: string, _p: unknown, _l: boolean, isAttribute: boolean) => !isAttribute }).parse(readXml('EPCglobal-epcis-2_0.xsd')) as Json;
  const types = xsd['xsd:schema'][0]['xsd:complexType'] as Json[];
  const named = (name: string): Json => types.find((t) => t.name === name) as Json;
  const elements = (sequence: Json): string[] => (sequence['xsd:element'] as Json[]).map((e) => e.name as string).filter((n) => n !== 'extension' && n !== 'baseExtension');
  const base = elements(named('EPCISEventType')['xsd:sequence'][0]);
  return Object.fromEntries(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'].map((type) => {
    const sequence = named(`${type}Type`)['xsd:complexContent'][0]['xsd:extension'][0]['xsd:sequence'][0];
    return [type, [...base, ...elements(sequence)]];
  }));
}
const XSD_ORDER = xsdTable();

/** Checks every event of an XML infoset: standard children in XSD order, extension elements after them. */
function expectXsdOrder(doc: Info): void {
  const events = (i: Info): Info[] => (i.name.endsWith('}EventList') ? [...i.children] : i.children.flatMap(events));
  for (const event of events(doc)) {
    const type = event.name.slice(event.name.indexOf('}') + 1);
    const order = XSD_ORDER[type] as string[];
    const standard = event.children.filter((c) => c.name.startsWith('{}')).map((c) => order.indexOf(c.name.slice(2)));
    expect(standard, `${type} children ${JSON.stringify(event.children.map((c) => c.name))}`).not.toContain(-1);
    expect(standard).toEqual([...standard].sort((a, b) => a - b));
    const lastStandard = event.children.map((c) => c.name.startsWith('{}')).lastIndexOf(true);
    expect(event.children.slice(0, lastStandard + 1).every((c) => c.name.startsWith('{}')), `${type}: extensions after the standard fields`).toBe(true);
  }
}

const codeOf = (fn: () => unknown): { code: string; detail: Json } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SuyuanError) return { code: error.code, detail: error.detail as Json };
    throw error;
  }
  throw new Error('no error thrown');
};

// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------

const withoutDoctype = (xml: string): string => xml.replace('<!DOCTYPE project>\n', '');
const GS1_XML_FILES: ReadonlyArray<readonly [string, string]> = [
  'Example_9.6.1-ObjectEvent-2020_06_18a.xml', 'AssociationEventExamples.xml', 'SensorDataExamples.xml', 'object_event_all_possible_fields.xml',
].map((name) => [name, withoutDoctype(readXml(name))] as const);

/** Everything the binding allows, in one document: header, master data, extensions in every place, typed values, odd text. */
const KITCHEN_SINK = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment the converter drops -->
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:sy="https://standards.suyuan.dev/ns/"
    xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="2.0" creationDate="2024-03-15T08:00:12+08:00" sender="urn:epc:id:sgln:6945678.00001.0"
    instanceIdentifier="JN-1" xsi:schemaLocation="urn:epcglobal:epcis:xsd:2 EPCglobal-epcis-2_0.xsd">
  <EPCISHeader>
    <sbdh:StandardBusinessDocumentHeader>
      <sbdh:HeaderVersion>1.0</sbdh:HeaderVersion>
      <sbdh:Sender><sbdh:Identifier Authority="GS1">6945678000016</sbdh:Identifier></sbdh:Sender>
      <sbdh:Receiver><sbdh:Identifier Authority="GS1">6930120000015</sbdh:Identifier></sbdh:Receiver>
    </sbdh:StandardBusinessDocumentHeader>
    <extension>
      <EPCISMasterData>
        <VocabularyList>
          <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation">
            <VocabularyElementList>
              <VocabularyElement id="urn:epc:id:sgln:6945678.00001.0">
                <attribute id="urn:epcglobal:cbv:mda#name">泰州某制药有限公司 &amp; 车间</attribute>
                <attribute id="urn:epcglobal:cbv:mda#address"><sy:street>海陵路 1 号</sy:street><sy:city>泰州</sy:city></attribute>
                <children><id>urn:epc:id:sgln:6945678.00001.1</id></children>
              </VocabularyElement>
            </VocabularyElementList>
          </Vocabulary>
        </VocabularyList>
      </EPCISMasterData>
    </extension>
  </EPCISHeader>
  <EPCISBody>
    <EventList>
      <ObjectEvent sy:source="scanner-7">
        <eventTime>2024-03-15T09:15:27.530+08:00</eventTime>
        <recordTime>2024-03-15T09:20:00Z</recordTime>
        <eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
        <eventID>urn:uuid:6c7ba6b6-5ba7-4b9e-8f43-2a8c3e0d1f10</eventID>
        <certificationInfo>https://cert.example.cn/c/1</certificationInfo>
        <epcList><epc>https://id.gs1.org/01/06945678123450/21/100001</epc><epc>urn:suyuan:id:drug:81234560000012345678</epc></epcList>
        <action>ADD</action>
        <bizStep>https://ref.gs1.org/cbv/BizStep-commissioning</bizStep>
        <disposition>urn:suyuan:disp:quarantine_passed</disposition>
        <readPoint><id>urn:suyuan:loc:91321200MA20B3KD2G:line-1</id><sy:gate>北门</sy:gate></readPoint>
        <bizTransactionList>
          <bizTransaction type="urn:epcglobal:cbv:btt:inv" sy:amount="38.4">urn:epcglobal:cbv:bt:6945678000010:2432</bizTransaction>
          <bizTransaction>urn:epcglobal:cbv:bt:6945678000010:0001</bizTransaction>
        </bizTransactionList>
        <quantityList>
          <quantityElement><epcClass>urn:epc:class:lgtin:6945678.012345.B240301</epcClass><quantity>2.50</quantity><uom>KGM</uom></quantityElement>
          <quantityElement><epcClass>urn:epc:class:lgtin:6945678.012345.B240302</epcClass><quantity xsi:nil="true"/></quantityElement>
        </quantityList>
        <sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:6945678.00000</source></sourceList>
        <destinationList><destination type="urn:suyuan:sdt:market">urn:epc:id:pgln:6930120.00000</destination></destinationList>
        <sensorElementList>
          <sensorElement>
            <sensorMetadata time="2024-03-15T09:00:00+08:00" sy:probe="P-1"/>
            <sensorReport type="gs1:Temperature" value="4.10" uom="CEL" booleanValue="1" component="cbv:Comp-x" exception="gs1:ALARM_CONDITION"/>
            <sensorReport type="https://ref.gs1.org/voc/RelativeHumidity" meanValue="88" uom="P1"/>
            <sy:note>冷链 &lt;正常&gt;</sy:note>
          </sensorElement>
        </sensorElementList>
        <persistentDisposition><unset>urn:epcglobal:cbv:disp:completeness_inferred</unset><set>urn:epcglobal:cbv:disp:completeness_verified</set><set>urn:suyuan:disp:in_service</set></persistentDisposition>
        <ilmd>
          <cbvmda:lotNumber>B240301</cbvmda:lotNumber>
          <cbvmda:netWeight measurementUnitCode="KGM">3.5</cbvmda:netWeight>
          <sy:productionDate>2024-03-01</sy:productionDate>
        </ilmd>
        <sy:region>321200</sy:region>
        <sy:flags><sy:flag>a</sy:flag><sy:other>b</sy:other><sy:flag>c</sy:flag></sy:flags>
        <sy:count xsi:type="xs:integer">007</sy:count>
        <sy:ratio xsi:type="xs:decimal">0.5</sy:ratio>
        <sy:ok xsi:type="xs:boolean">true</sy:ok>
        <sy:missing xsi:nil="true"/>
        <sy:empty/>
        <sy:mixed unit="kg">12<sy:note>net</sy:note></sy:mixed>
        <sy:spaced>  两端有空格  </sy:spaced>
        <sy:cdata><![CDATA[<b>bold</b> & more]]></sy:cdata>
        <ext:thing xmlns:ext="https://ext.example.com/a/" xmlns="https://ext.example.com/default/"><inner>x</inner></ext:thing>
        <ext:thing xmlns:ext="https://ext.example.com/b/">same prefix, other namespace</ext:thing>
      </ObjectEvent>
      <TransformationEvent>
        <eventTime>2024-03-15T06:40:00+08:00</eventTime>
        <eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
        <errorDeclaration>
          <declarationTime>2024-03-16T00:00:00+08:00</declarationTime>
          <reason>urn:epcglobal:cbv:er:incorrect_data</reason>
          <correctiveEventIDs><correctiveEventID>urn:uuid:1</correctiveEventID><correctiveEventID>urn:uuid:2</correctiveEventID></correctiveEventIDs>
          <sy:by>QA</sy:by>
        </errorDeclaration>
        <inputQuantityList><quantityElement><epcClass>urn:epc:class:lgtin:6923456.010001.ZC1</epcClass><quantity>2</quantity><uom>H87</uom></quantityElement></inputQuantityList>
        <outputEPCList><epc>https://id.gs1.org/01/06901234567892/21/JN1A</epc></outputEPCList>
        <transformationID>urn:suyuan:xform:1</transformationID>
        <bizStep>urn:suyuan:bizstep:slaughtering</bizStep>
        <readPoint><id>urn:epc:id:sgln:6923456.00001.0</id></readPoint>
        <ilmd><sy:lotNumber>L1</sy:lotNumber></ilmd>
      </TransformationEvent>
    </EventList>
  </EPCISBody>
  <sy:standardVersion>1.0.0</sy:standardVersion>
</epcis:EPCISDocument>
`;

const QUERY_DOCUMENT = `<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" creationDate="2005-07-11T11:30:47.0Z">
  <EPCISBody>
    <epcisq:QueryResults>
      <queryName>SimpleEventQuery</queryName>
      <subscriptionID>s-1</subscriptionID>
      <resultsBody>
        <EventList>
          <AggregationEvent><eventTime>2013-06-08T14:58:56.591Z</eventTime><eventTimeZoneOffset>+02:00</eventTimeZoneOffset><parentID>urn:epc:id:sscc:0614141.1234567890</parentID><childEPCs><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></childEPCs><action>OBSERVE</action></AggregationEvent>
          <TransactionEvent><eventTime>2013-06-08T14:58:56.591Z</eventTime><eventTimeZoneOffset>+02:00</eventTimeZoneOffset><bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:0614141073467:PO1</bizTransaction></bizTransactionList><action>ADD</action></TransactionEvent>
          <AssociationEvent><eventTime>2019-11-01T14:00:00.000+01:00</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset><parentID>urn:epc:id:grai:4012345.55555.987</parentID><childQuantityList><quantityElement><epcClass>urn:epc:class:lgtin:4023333.002000.123</epcClass><quantity>600</quantity></quantityElement></childQuantityList><action>ADD</action></AssociationEvent>
        </EventList>
      </resultsBody>
    </epcisq:QueryResults>
  </EPCISBody>
</epcisq:EPCISQueryDocument>`;

const XML_DOCUMENTS: ReadonlyArray<readonly [string, string]> = [
  ...GS1_XML_FILES,
  ['kitchen sink', KITCHEN_SINK],
  ['query document', QUERY_DOCUMENT],
  ...JSON_DOCUMENTS.map(([path, doc]) => [`${path} as XML`, epcisJsonToXml(doc)] as const),
];

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
