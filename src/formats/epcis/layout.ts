/** The EPCIS 2.0 XML binding as data: namespaces, and each event type's fields in the XSD's element order with their kind. */
import type { CbvVocabulary } from '../../standards/cbv.ts';

/** Namespaces of the XML binding (EPCIS 2.0; the 1.x ones are read, never written). */
export const NS = {
  epcis: 'urn:epcglobal:epcis:xsd:2',
  epcisQuery: 'urn:epcglobal:epcis-query:xsd:2',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  sbdh: 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader',
  /** The CBV master data namespace as the XML binding declares it (GS1's JSON-LD context adds a colon). */
  cbvmda: 'urn:epcglobal:cbv:mda',
} as const;

/** Root namespaces accepted when reading (`EPCISDocument`, `EPCISQueryDocument`). */
export const DOCUMENT_NAMESPACES: ReadonlySet<string> = new Set(['urn:epcglobal:epcis:xsd:2', 'urn:epcglobal:epcis:xsd:1']);
export const QUERY_NAMESPACES: ReadonlySet<string> = new Set(['urn:epcglobal:epcis-query:xsd:2', 'urn:epcglobal:epcis-query:xsd:1']);
/** Namespaces of the binding itself: never extension namespaces, never in a JSON-LD `@context`. */
export const BINDING_NAMESPACES: ReadonlySet<string> = new Set([
  ...DOCUMENT_NAMESPACES, ...QUERY_NAMESPACES, 'urn:epcglobal:epcis-masterdata:xsd:2', 'urn:epcglobal:epcis-masterdata:xsd:1',
  'urn:epcglobal:xsd:1', NS.xsi, NS.xsd,
]);

/** GS1's EPCIS 2.0 JSON-LD context, written as the first `@context` entry of every converted document. */
export const GS1_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/**
 * Prefixes GS1's context defines, with the namespace written in XML for a JSON member that uses one
 * without declaring it (`cbvmda` as the XML binding declares it, without the context's trailing colon).
 */
export const GS1_PREFIXES: Readonly<Record<string, string>> = {
  cbvmda: NS.cbvmda,
  gs1: 'https://gs1.org/voc/',
  cbv: 'https://ref.gs1.org/cbv/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcterms: 'http://purl.org/dc/terms/',
  sbdh: NS.sbdh,
};

/** How a field is written: plain text, a CBV word, a list of EPCs, quantities, a typed list, or a structure. */
export type FieldKind =
  | { readonly kind: 'text' }
  | { readonly kind: 'word'; readonly vocab: CbvVocabulary }
  | { readonly kind: 'epcs' }
  | { readonly kind: 'quantities' }
  | { readonly kind: 'point' }
  | { readonly kind: 'typed'; readonly item: string; readonly vocab: CbvVocabulary }
  | { readonly kind: 'sensors' }
  | { readonly kind: 'persistent' }
  | { readonly kind: 'ilmd' }
  | { readonly kind: 'error' }
  | { readonly kind: 'repeated' };

const text = { kind: 'text' } as const;
const epcs = { kind: 'epcs' } as const;
const quantities = { kind: 'quantities' } as const;
const point = { kind: 'point' } as const;

/** Every standard event field by its name, which is the same in both bindings. */
export const FIELDS: Readonly<Record<string, FieldKind>> = {
  eventTime: text, recordTime: text, eventTimeZoneOffset: text, eventID: text,
  errorDeclaration: { kind: 'error' }, certificationInfo: { kind: 'repeated' },
  epcList: epcs, childEPCs: epcs, inputEPCList: epcs, outputEPCList: epcs,
  quantityList: quantities, childQuantityList: quantities, inputQuantityList: quantities, outputQuantityList: quantities,
  parentID: text, action: text, transformationID: text,
  bizStep: { kind: 'word', vocab: 'bizStep' }, disposition: { kind: 'word', vocab: 'disposition' },
  readPoint: point, bizLocation: point,
  bizTransactionList: { kind: 'typed', item: 'bizTransaction', vocab: 'bizTransactionType' },
  sourceList: { kind: 'typed', item: 'source', vocab: 'sourceDestType' },
  destinationList: { kind: 'typed', item: 'destination', vocab: 'sourceDestType' },
  sensorElementList: { kind: 'sensors' }, persistentDisposition: { kind: 'persistent' }, ilmd: { kind: 'ilmd' },
};

/** `EPCISEventType`: the fields every event starts with (`baseExtension`, a 1.x wrapper, is never written). */
const BASE = ['eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID', 'errorDeclaration', 'certificationInfo'];
const WHY = ['bizStep', 'disposition', 'readPoint', 'bizLocation'];
const TAIL = ['sourceList', 'destinationList', 'sensorElementList', 'persistentDisposition'];

/**
 * Each event type's standard child elements in the order of `EPCglobal-epcis-2_0.xsd` (the event's
 * own `extension` element and the `##other` wildcard, where extension elements go, follow them).
 */
export const EVENT_LAYOUTS: Readonly<Record<string, readonly string[]>> = {
  ObjectEvent: [...BASE, 'epcList', 'action', ...WHY, 'bizTransactionList', 'quantityList', ...TAIL, 'ilmd'],
  AggregationEvent: [...BASE, 'parentID', 'childEPCs', 'action', ...WHY, 'bizTransactionList', 'childQuantityList', ...TAIL],
  TransactionEvent: [...BASE, 'bizTransactionList', 'parentID', 'epcList', 'action', ...WHY, 'quantityList', ...TAIL],
  TransformationEvent: [
    ...BASE, 'inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList', 'transformationID', ...WHY,
    'bizTransactionList', ...TAIL, 'ilmd',
  ],
  AssociationEvent: [...BASE, 'parentID', 'childEPCs', 'childQuantityList', 'action', ...WHY, 'bizTransactionList', ...TAIL],
};

/** Attributes of `sensorMetadata` and `sensorReport` (XSD attributes; `bizRules` on reports as the JSON Schema has it). */
export const SENSOR_METADATA_ATTRIBUTES: ReadonlySet<string> = new Set([
  'time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules',
]);
export const SENSOR_REPORT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules', 'time', 'microorganism',
  'chemicalSubstance', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue',
  'meanValue', 'sDev', 'percRank', 'percValue', 'uom', 'coordinateReferenceSystem',
]);
/** Report attributes the JSON Schema types as numbers (`xsd:double` in the XSD), and the boolean one. */
export const NUMERIC_REPORT_ATTRIBUTES: ReadonlySet<string> = new Set(['value', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue']);
/** Report attributes holding words of a vocabulary without URNs, written in XML as compact IRIs (`gs1:Temperature`). */
export const REPORT_VOCABULARIES: Readonly<Record<string, CbvVocabulary>> = {
  type: 'measurementType', exception: 'sensorAlertType', component: 'component',
};
/** Root members of the JSON binding with no XML element, carried as attributes of the root element (its `anyAttribute`). */
export const ROOT_ATTRIBUTES = ['id', 'instanceIdentifier', 'sender', 'receiver'] as const;
