// The documents of the EPCIS JSON-LD ↔ XML tests and how they are compared: GS1's and the standard's examples, XML
// infosets read independently of the converter, normalisation, the XSD's element order (see ../epcis-convert.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expect } from 'vitest';
import { SuyuanError } from '../../src/errors.ts';
import { epcisJsonToXml } from '../../src/formats/epcis/index.ts';
import { cbvToWord, type CbvVocabulary } from '../../src/standards/cbv.ts';
import { documentEvents } from '../../src/standards/event-hash.ts';

export type Json = Record<string, any>;

export const ROOT = join(import.meta.dirname, '..', '..');
export const GS1_XML = join(import.meta.dirname, '..', 'fixtures', 'gs1-xml');
export const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
export const SY = { sy: 'https://standards.suyuan.dev/ns/' };
export const readJson = (path: string): Json => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Json;
export const readXml = (name: string): string => readFileSync(join(GS1_XML, name), 'utf8');
export const files = (dir: string, ext: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext)).sort().map((f) => `${dir}/${f}`);

/** A single event of the standard's examples, wrapped in a document that carries its prefixes. */
export function asDocument(value: Json): Json {
  if (value.type === 'EPCISDocument' || value.type === 'EPCISQueryDocument') return value;
  const { '@context': own, ...event } = value;
  const terms = [own ?? []].flat().filter((c: unknown) => typeof c === 'object');
  return { '@context': [GS1_CONTEXT, SY, ...terms], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-03-15T08:00:00+08:00', epcisBody: { eventList: [event] } };
}

export const JSON_DOCUMENTS: ReadonlyArray<readonly [string, Json]> = [
  ...files('test/fixtures/gs1', '.jsonld'),
  ...files('test/fixtures/event-hash', '.jsonld'),
  ...files('standards/trace.event/1.0.0/examples/valid', '.json'),
  ...files('standards/trace.document/1.0.0/examples/valid', '.json'),
].map((path) => [path, asDocument(readJson(path))] as const);

// ---------------------------------------------------------------------------------------------------------------
// JSON-LD normalisation (a)–(c) above

export const GS1_TERMS: Readonly<Record<string, string>> = {
  epcis: 'https://ref.gs1.org/epcis/', cbv: 'https://ref.gs1.org/cbv/', cbvmda: 'urn:epcglobal:cbv:mda:', gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#', owl: 'http://www.w3.org/2002/07/owl#', xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};
export const effectiveContext = (context: unknown): Json => {
  const terms: Json = { ...GS1_TERMS };
  for (const c of [context].flat()) if (typeof c === 'object' && c !== null) for (const [k, v] of Object.entries(c)) if (typeof v === 'string') terms[k] = v;
  return terms;
};
export const word = (vocab: CbvVocabulary, v: unknown): unknown => (typeof v === 'string' ? cbvToWord(vocab, v) : v);
export const isExtension = (key: string): boolean => key.includes(':') && !key.startsWith('@');
export const extensionsAsStrings = (o: Json): Json => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, isExtension(k) && typeof v !== 'object' ? String(v) : v]));
export function normaliseEvent(e: Json): Json {
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
export function normaliseJson(doc: Json): Json {
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
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const NUMERIC = new Set(['quantity', 'value', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue']);
export const WORD_ELEMENTS: Readonly<Record<string, CbvVocabulary>> = { bizStep: 'bizStep', disposition: 'disposition', set: 'disposition', unset: 'disposition', reason: 'errorReason' };
export const TYPE_VOCAB: Readonly<Record<string, CbvVocabulary>> = { bizTransaction: 'bizTransactionType', source: 'sourceDestType', destination: 'sourceDestType' };
export const REPORT_VOCAB: Readonly<Record<string, CbvVocabulary>> = { type: 'measurementType', exception: 'sensorAlertType', component: 'component' };
export const number = (v: string): string => (v.trim() !== '' && Number.isFinite(Number(v)) ? String(Number(v)) : v);

export function infoset(xml: string): Info {
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

export function xsdTable(): Record<string, string[]> {
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
export const XSD_ORDER = xsdTable();

/** Checks every event of an XML infoset: standard children in XSD order, extension elements after them. */
export function expectXsdOrder(doc: Info): void {
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

export const codeOf = (fn: () => unknown): { code: string; detail: Json } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SuyuanError) return { code: error.code, detail: error.detail as Json };
    throw error;
  }
  throw new Error('no error thrown');
};



export const withoutDoctype = (xml: string): string => xml.replace('<!DOCTYPE project>\n', '');
export const GS1_XML_FILES: ReadonlyArray<readonly [string, string]> = [
  'Example_9.6.1-ObjectEvent-2020_06_18a.xml', 'AssociationEventExamples.xml', 'SensorDataExamples.xml', 'object_event_all_possible_fields.xml',
].map((name) => [name, withoutDoctype(readXml(name))] as const);

/** Everything the binding allows, in one document: header, master data, extensions in every place, typed values, odd text. */
export const KITCHEN_SINK = `<?xml version="1.0" encoding="UTF-8"?>
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

export const QUERY_DOCUMENT = `<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" creationDate="2005-07-11T11:30:47.0Z">
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

export const XML_DOCUMENTS: ReadonlyArray<readonly [string, string]> = [
  ...GS1_XML_FILES,
  ['kitchen sink', KITCHEN_SINK],
  ['query document', QUERY_DOCUMENT],
  ...JSON_DOCUMENTS.map(([path, doc]) => [`${path} as XML`, epcisJsonToXml(doc)] as const),
];
