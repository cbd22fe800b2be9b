/**
 * The event hash as it was before its speed-ups (pre-hash string built field by field, every value
 * canonicalised afresh, prefixes read per event), kept only as the oracle of
 * `event-hash-oracle.test.ts`: the fast implementation must give the same hash on every event.
 */
import { createHash } from 'node:crypto';
import type { CbvVocabulary } from '../../src/standards/cbv.ts';
import {
  canonicalTime, canonicalValue, expandKey, hashFailure, prefixesOf, scalarText, type Prefixes,
} from '../../src/standards/event-hash-values.ts';
import { byCodePoint } from '../../src/standards/event-prehash.ts';
type Obj = Readonly<Record<string, unknown>>;

/** What one standard field contributes: its canonical text, and its user extensions (CBV 2.0 puts those later). */
interface Part {
  readonly text: string;
  readonly extensions: string;
}

/** A standard field's contribution; `name` is written before non-empty text. */
type Field = (name: string, value: unknown, path: string, prefixes: Prefixes) => Part;
/** The contribution of a structure inside a field, without a name. */
type Inner = (value: unknown, path: string, prefixes: Prefixes) => Part;

const NONE: Part = { text: '', extensions: '' };

const EVENT_TYPES = new Set(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']);

/** Members never hashed: identity and bookkeeping, error declarations (so a correction matches its original), comments. */
const NOT_HASHED = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration', 'certificationInfo', '@context', 'rdfs:comment', 'comment']);
const IGNORED_MEMBERS = new Set(['rdfs:comment', 'comment', '@context']);

const sorted = (items: readonly string[]): string => [...items].sort(byCodePoint).join('');

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Obj {
  if (!isObj(value)) throw hashFailure(path, 'must be an object');
  return value;
}

function list(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw hashFailure(path, 'must be an array');
  return value;
}

/** `name=value` of a scalar, `''` when absent or empty. Times are normalised; CBV words expanded per `vocab`. */
function scalar(name: string, value: unknown, path: string, prefixes: Prefixes, vocab?: CbvVocabulary): string {
  if (value === undefined || value === null) return '';
  const text = scalarText(value);
  if (text === null) throw hashFailure(path, 'must be a string, number or boolean');
  if (text === '') return '';
  const isTime = /time/i.test(name) && !/offset/i.test(name);
  return `${name}=${isTime ? canonicalTime(text, path) : canonicalValue(text, prefixes, vocab)}`;
}

/** Generic entries of user extensions and ILMD: expanded names, values canonical, arrays as repeated names, each level sorted. */
function entries(name: string, value: unknown, prefixes: Prefixes): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => entries(name, item, prefixes));
  const key = expandKey(name, prefixes);
  if (isObj(value)) {
    const text = scalarText(value['#text']);
    return [`${key}${text ? `=${canonicalValue(text, prefixes)}` : ''}${members(value, prefixes, new Set(['#text']))}`];
  }
  const text = scalarText(value) ?? '';
  return [text === '' ? key : `${key}=${canonicalValue(text, prefixes)}`];
}

/** The sorted entries of an object's members, except `known` ones and comments. */
function members(obj: Obj, prefixes: Prefixes, known: ReadonlySet<string> = new Set()): string {
  const names = Object.keys(obj).filter((k) => !known.has(k) && !IGNORED_MEMBERS.has(k));
  return sorted(names.flatMap((k) => entries(k, obj[k], prefixes)));
}

/** A structure of standard members in the canonical order; its other members are user extensions. */
function struct(order: ReadonlyArray<readonly [string, CbvVocabulary?]>): Inner {
  const known = new Set(order.map(([name]) => name));
  return (value, path, prefixes) => {
    const obj = object(value, path);
    const text = order.map(([name, vocab]) => scalar(name, obj[name], `${path}/${name}`, prefixes, vocab)).join('');
    return { text, extensions: members(obj, prefixes, known) };
  };
}

/** `name` before each non-empty half of `part`. */
function named(name: string, part: Part): Part {
  return { text: part.text && name + part.text, extensions: part.extensions && name + part.extensions };
}

/** Each item of an array as `item` + its structure, sorted; extensions likewise. */
function each(item: string, inner: Inner, value: unknown, path: string, prefixes: Prefixes): Part {
  const parts = list(value, path).map((v, i) => named(item, inner(v, `${path}/${i}`, prefixes)));
  return { text: sorted(parts.map((p) => p.text)), extensions: sorted(parts.map((p) => p.extensions)) };
}

const scalarField = (vocab?: CbvVocabulary): Field => (name, v, p, x) => ({ text: scalar(name, v, p, x, vocab), extensions: '' });
const uriList = (item: string): Field => (name, v, p, x) =>
  named(name, { text: sorted(list(v, p).map((u, i) => scalar(item, u, `${p}/${i}`, x))), extensions: '' });
const objects = (item: string, inner: Inner): Field => (name, v, p, x) => named(name, each(item, inner, v, p, x));
const single = (inner: Inner): Field => (name, v, p, x) => named(name, inner(v, p, x));

const quantities = objects('quantityElement', struct([['epcClass'], ['quantity'], ['uom']]));
/** bizTransaction, source, destination: the type first, then the identifier (as the reference implementation writes them). */
const typedList = (name: string, vocab: CbvVocabulary): Field => objects('', struct([['type', vocab], [name]]));

const persistentDisposition: Inner = (value, path, prefixes) => {
  const obj = object(value, path);
  const words = (name: string): string => {
    const v = obj[name];
    const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    return sorted(values.map((d, i) => scalar(name, d, `${path}/${name}/${i}`, prefixes, 'disposition')));
  };
  return { text: words('set') + words('unset'), extensions: members(obj, prefixes, new Set(['set', 'unset'])) };
};

const METADATA = struct(
  ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'].map((n) => [n] as const),
);
const REPORT = struct([
  ['type', 'measurementType'], ['exception', 'sensorAlertType'], ['deviceID'], ['deviceMetadata'], ['rawData'],
  ['dataProcessingMethod'], ['time'], ['microorganism'], ['chemicalSubstance'], ['value'], ['component', 'component'],
  ['stringValue'], ['booleanValue'], ['hexBinaryValue'], ['uriValue'], ['minValue'], ['maxValue'], ['meanValue'],
  ['sDev'], ['percRank'], ['percValue'], ['uom'], ['coordinateReferenceSystem'],
]);

/** One sensor element: metadata, reports sorted; its extensions: metadata's, reports', then its own. */
const sensorElement: Inner = (value, path, prefixes) => {
  const obj = object(value, path);
  const meta = obj.sensorMetadata == null ? NONE : named('sensorMetadata', METADATA(obj.sensorMetadata, `${path}/sensorMetadata`, prefixes));
  const reports = obj.sensorReport == null ? NONE : each('sensorReport', REPORT, obj.sensorReport, `${path}/sensorReport`, prefixes);
  const own = members(obj, prefixes, new Set(['sensorMetadata', 'sensorReport']));
  return { text: meta.text + reports.text, extensions: meta.extensions + reports.extensions + own };
};

/** The standard fields of all five event types in the canonical property order (CBV 2.0 §8.9). */
const FIELDS: ReadonlyArray<readonly [string, Field]> = [
  ['eventTime', scalarField()],
  ['eventTimeZoneOffset', scalarField()],
  ['epcList', uriList('epc')],
  ['parentID', scalarField()],
  ['inputEPCList', uriList('epc')],
  ['childEPCs', uriList('epc')],
  ['quantityList', quantities],
  ['childQuantityList', quantities],
  ['inputQuantityList', quantities],
  ['outputEPCList', uriList('epc')],
  ['outputQuantityList', quantities],
  ['action', scalarField()],
  ['transformationID', scalarField()],
  ['bizStep', scalarField('bizStep')],
  ['disposition', scalarField('disposition')],
  ['persistentDisposition', single(persistentDisposition)],
  ['readPoint', single(struct([['id']]))],
  ['bizLocation', single(struct([['id']]))],
  ['bizTransactionList', typedList('bizTransaction', 'bizTransactionType')],
  ['sourceList', typedList('source', 'sourceDestType')],
  ['destinationList', typedList('destination', 'sourceDestType')],
  // CBV 2.0 writes no `sensorElementList` name, only its elements (CBV 2.1 adds it).
  ['sensorElementList', (_name, v, p, x) => each('sensorElement', sensorElement, v, p, x)],
];

const STANDARD = new Set([...FIELDS.map(([name]) => name), 'ilmd', ...NOT_HASHED]);

/**
 * The pre-hash string of one event: `eventType=…`, the standard fields in canonical order, `ilmd`,
 * the user extensions inside standard fields (in field order), then the event's own user extensions,
 * every list and every level of extensions sorted. `eventID`, `recordTime`, `errorDeclaration`,
 * `certificationInfo` and comments are left out. Throws `EVENT_HASH_FAILED` naming the field when
 * the event is not an EPCIS 2.0 event of one of the five types or a standard field has the wrong shape.
 */
function eventPreHash(event: unknown, prefixes: Prefixes): string {
  const obj = object(event, '(event)');
  const type = obj.type;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) throw hashFailure('type', 'must be one of the five EPCIS event types');
  if (obj.eventTime == null) throw hashFailure('eventTime', 'is required');
  const parts = FIELDS.map(([name, field]) => (obj[name] == null ? NONE : field(name, obj[name], name, prefixes)));
  const ilmd = obj.ilmd == null ? '' : entries('ilmd', object(obj.ilmd, 'ilmd'), prefixes).join('');
  return `eventType=${type}${parts.map((p) => p.text).join('')}${ilmd}${parts.map((p) => p.extensions).join('')}${members(obj, prefixes, STANDARD)}`;
}

/** The event hash ID, as computed before the speed-ups. */
export function oracleEventHash(event: unknown, context?: unknown): string {
  const own = typeof event === 'object' && event !== null ? (event as { '@context'?: unknown })['@context'] : undefined;
  const digest = createHash('sha256').update(eventPreHash(event, prefixesOf(context, own)), 'utf8').digest('hex');
  return `ni:///sha-256;${digest}?ver=CBV2.0`;
}
