// The canonical pre-hash string of one EPCIS 2.0 event (CBV 2.0 §8.9, as GS1's reference implementation builds it).
import type { CbvVocabulary } from './cbv.ts';
import {
  canonicalTime, canonicalValue, expandKey, hashFailure, scalarText, type Prefixes,
} from './event-hash-values.ts';

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

/** Code-point order, as the algorithm sorts ("UTF-8/ASCII code values"). */
/** Orders strings by Unicode code point, as the hash algorithm sorts its lists. */
export function byCodePoint(a: string, b: string): number {
  // UTF-16 units compare as code points except where one side is a surrogate (a code point above
  // U+FFFF) and the other a unit from U+E000: the surrogate's code point is then the greater.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    return sx === sy ? x - y : sx ? 1 : -1;
  }
  return a.length - b.length;
}
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The items sorted by code point and joined; `items` is a fresh array the caller gives up. Without
 * surrogates (code points above U+FFFF) UTF-16 order is code-point order, so the built-in comparison
 * serves; `byCodePoint` only when one is there.
 */
function sorted(items: string[]): string {
  if (items.length < 2) return items[0] ?? '';
  let surrogates = false;
  for (const item of items) {
    if (SURROGATE.test(item)) {
      surrogates = true;
      break;
    }
  }
  return (surrogates ? items.sort(byCodePoint) : items.sort()).join('');
}

/**
 * Canonical values already computed, per prefixes (only those `cachedPrefixes` marks: built once and
 * never changed). `canonicalValue` and `canonicalTime` depend on nothing else, and the same values
 * (actions, CBV words, locations, parties, zone offsets) come back in event after event. Failures
 * are not cached: they throw again. Emptied when full, so memory stays bounded.
 */
type ValueCache = Map<string, Map<string, string>>;
const VALUE_CACHES = new WeakMap<Prefixes, ValueCache>();
const VALUE_CACHE_LIMIT = 512;

/** Marks `prefixes` as fixed from now on, so canonical values read with it may be cached. */
export function cachedPrefixes(prefixes: Prefixes): Prefixes {
  if (!VALUE_CACHES.has(prefixes)) VALUE_CACHES.set(prefixes, new Map());
  return prefixes;
}

/** The cache of canonical values of `kind` (a CBV vocabulary, `''` for none, `time` for times); none when `prefixes` may change. */
function valuesOf(prefixes: Prefixes, kind: string): Map<string, string> | undefined {
  const cache = VALUE_CACHES.get(prefixes);
  if (cache === undefined) return undefined;
  let values = cache.get(kind);
  if (values === undefined) cache.set(kind, (values = new Map()));
  return values;
}

function remember(values: Map<string, string> | undefined, text: string, value: string): string {
  if (values !== undefined) {
    if (values.size >= VALUE_CACHE_LIMIT) values.clear();
    values.set(text, value);
  }
  return value;
}

/** `canonicalValue`, cached. */
function canonical(text: string, prefixes: Prefixes, vocab?: CbvVocabulary): string {
  const values = valuesOf(prefixes, vocab ?? '');
  return values?.get(text) ?? remember(values, text, canonicalValue(text, prefixes, vocab));
}

/** `canonicalTime`, cached. */
function time(text: string, prefixes: Prefixes, path: string): string {
  const values = valuesOf(prefixes, 'time');
  return values?.get(text) ?? remember(values, text, canonicalTime(text, path));
}

/** Whether a scalar member holds a time (`…time…` but not `…offset…`, any case), by name. */
const TIME_NAMES = new Map<string, boolean>();
function isTimeName(name: string): boolean {
  let isTime = TIME_NAMES.get(name);
  if (isTime === undefined) {
    isTime = /time/i.test(name) && !/offset/i.test(name);
    if (TIME_NAMES.size < VALUE_CACHE_LIMIT) TIME_NAMES.set(name, isTime);
  }
  return isTime;
}

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
  if (!isTimeName(name)) return `${name}=${canonical(text, prefixes, vocab)}`;
  return `${name}=${time(text, prefixes, path)}`;
}

/** Generic entries of user extensions and ILMD: expanded names, values canonical, arrays as repeated names, each level sorted. */
function entries(name: string, item: unknown, prefixes: Prefixes): string[] {
  if (item === undefined || item === null) return [];
  if (Array.isArray(item)) return item.flatMap((each) => entries(name, each, prefixes));
  return [entry(name, item, prefixes)];
}

/** The entry of one member that is neither absent nor an array. */
function entry(name: string, item: unknown, prefixes: Prefixes): string {
  const key = expandKey(name, prefixes);
  if (isObj(item)) {
    const text = scalarText(item['#text']);
    return `${key}${text ? `=${canonical(text, prefixes)}` : ''}${members(item, prefixes, TEXT)}`;
  }
  const text = scalarText(item) ?? '';
  return text === '' ? key : `${key}=${canonical(text, prefixes)}`;
}

const TEXT: ReadonlySet<string> = new Set(['#text']);
const NO_NAMES: ReadonlySet<string> = new Set();

/** The sorted entries of an object's members, except `known` ones and comments. */
function members(obj: Obj, prefixes: Prefixes, known: ReadonlySet<string> = NO_NAMES): string {
  const found: string[] = [];
  for (const k of Object.keys(obj)) {
    if (known.has(k) || IGNORED_MEMBERS.has(k)) continue;
    const value = obj[k];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) found.push(...entries(k, value, prefixes));
    else found.push(entry(k, value, prefixes));
  }
  return sorted(found);
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

const SET_UNSET: ReadonlySet<string> = new Set(['set', 'unset']);
const persistentDisposition: Inner = (value, path, prefixes) => {
  const obj = object(value, path);
  const words = (name: string): string => {
    const v = obj[name];
    const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    return sorted(values.map((d, i) => scalar(name, d, `${path}/${name}/${i}`, prefixes, 'disposition')));
  };
  return { text: words('set') + words('unset'), extensions: members(obj, prefixes, SET_UNSET) };
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

const SENSOR_PARTS: ReadonlySet<string> = new Set(['sensorMetadata', 'sensorReport']);
/** One sensor element: metadata, reports sorted; its extensions: metadata's, reports', then its own. */
const sensorElement: Inner = (value, path, prefixes) => {
  const obj = object(value, path);
  const meta = obj.sensorMetadata == null ? NONE : named('sensorMetadata', METADATA(obj.sensorMetadata, `${path}/sensorMetadata`, prefixes));
  const reports = obj.sensorReport == null ? NONE : each('sensorReport', REPORT, obj.sensorReport, `${path}/sensorReport`, prefixes);
  const own = members(obj, prefixes, SENSOR_PARTS);
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
export function eventPreHash(event: unknown, prefixes: Prefixes): string {
  const obj = object(event, '(event)');
  const type = obj.type;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) throw hashFailure('type', 'must be one of the five EPCIS event types');
  if (obj.eventTime == null) throw hashFailure('eventTime', 'is required');
  let text = `eventType=${type}`;
  let extensions = '';
  for (const [name, field] of FIELDS) {
    const value = obj[name];
    if (value == null) continue;
    const part = field(name, value, name, prefixes);
    text += part.text;
    extensions += part.extensions;
  }
  const ilmd = obj.ilmd == null ? '' : entries('ilmd', object(obj.ilmd, 'ilmd'), prefixes).join('');
  return text + ilmd + extensions + members(obj, prefixes, STANDARD);
}
