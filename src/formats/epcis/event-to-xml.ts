/** One EPCIS 2.0 JSON-LD event → its XML form: the XSD's element order, CBV URNs, attributes where the XSD has them. */
import { cbvToUrn, cbvToWord, isCbvWord, type CbvVocabulary } from '../../standards/cbv.ts';
import { canonicalNumber } from '../../standards/event-hash-values.ts';
import { attributeText, extensionContent, extensionElements } from './extension.ts';
import {
  EVENT_LAYOUTS, FIELDS, NUMERIC_REPORT_ATTRIBUTES, REPORT_VOCABULARIES, SENSOR_METADATA_ATTRIBUTES, SENSOR_REPORT_ATTRIBUTES,
  type FieldKind,
} from './layout.ts';
import { invalid, type XmlNames } from './namespaces.ts';
import { xel, type XOut } from './xml-write.ts';

type Json = Record<string, unknown>;
type Attrs = Array<readonly [string, string]>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A JSON Pointer step. */
export const step = (path: string, key: string | number): string => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw invalid(`${path} must be an object`, { path });
  return value;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${path} must be an array`, { path });
  return value;
}

/** The text of a simple value: strings as they are, numbers as plain decimals (`xsd:decimal` has no exponent). */
function scalar(value: unknown, path: string): string {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : (canonicalNumber(String(value)) ?? String(value));
  return attributeText(value, path);
}

/** A simple element; `null` becomes `xsi:nil="true"`. */
function simple(name: string, value: unknown, names: XmlNames, path: string): XOut {
  if (value === null) {
    names.need('xsi');
    return xel(name, [], [['xsi:nil', 'true']]);
  }
  return xel(name, [], [], scalar(value, path));
}

/**
 * Splits an object's members: `known` ones (handled by the caller), `@name` members as attributes,
 * `prefix:name` members as extension elements (or, with `asAttributes`, as attributes). Throws
 * `EPCIS_INVALID` naming any other member: the binding has no place for it.
 */
export function rest(obj: Json, known: ReadonlySet<string>, names: XmlNames, path: string, asAttributes = false): { attrs: Attrs; children: XOut[] } {
  const attrs: Attrs = [];
  const children: XOut[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (known.has(key)) continue;
    const at = step(path, key);
    if (key === '@context') throw invalid(`${at}: an @context inside the document cannot be written as XML; declare its prefixes on the document`, { path: at });
    if (key.startsWith('@')) attrs.push([names.qname(key.slice(1), at), attributeText(value, at)]);
    else if (!key.includes(':')) throw invalid(`${at}: ${key} has no place in the EPCIS XML binding`, { path: at, member: key });
    else if (asAttributes) attrs.push([names.qname(key, at), attributeText(value, at)]);
    else children.push(...extensionElements(key, value, names, at));
  }
  return { attrs, children };
}

/** An element whose children are `fields` in order (each through its writer), then the object's extensions. */
export function structure(name: string, obj: Json, fields: ReadonlyArray<readonly [string, (value: unknown, path: string) => XOut[]]>, names: XmlNames, path: string, extraAttrs: ReadonlyArray<readonly [string, string]> = []): XOut {
  const own = fields.flatMap(([key, write]) => (obj[key] === undefined ? [] : write(obj[key], step(path, key))));
  const more = rest(obj, new Set(fields.map(([key]) => key)), names, path);
  return xel(name, [...own, ...more.children], [...extraAttrs, ...more.attrs]);
}

const text = (name: string, names: XmlNames) => (v: unknown, p: string): XOut[] => [simple(name, v, names, p)];
const urn = (name: string, vocab: CbvVocabulary, names: XmlNames) => (v: unknown, p: string): XOut[] =>
  [simple(name, typeof v === 'string' ? cbvToUrn(vocab, v) : v, names, p)];
const items = (name: string, item: (v: unknown, p: string) => XOut[]) => (v: unknown, p: string): XOut[] =>
  [xel(name, array(v, p).flatMap((x, i) => item(x, step(p, i))))];

function quantityElement(v: unknown, p: string, names: XmlNames): XOut[] {
  const fields = [['epcClass', text('epcClass', names)], ['quantity', text('quantity', names)], ['uom', text('uom', names)]] as const;
  return [structure('quantityElement', object(v, p), fields, names, p)];
}

/** `bizTransaction`, `source`, `destination`: the word as a URN in `type`, the identifier as text, extensions as attributes. */
function typedItem(item: string, vocab: CbvVocabulary, v: unknown, p: string, names: XmlNames): XOut[] {
  const obj = object(v, p);
  const type = obj.type === undefined ? [] : [['type', cbvToUrn(vocab, attributeText(obj.type, step(p, 'type')))] as const];
  const more = rest(obj, new Set(['type', item]), names, p, true);
  return [xel(item, [], [...type, ...more.attrs], obj[item] === undefined ? undefined : scalar(obj[item], step(p, item)))];
}

/** A sensor report attribute value: vocabulary words as compact IRIs (`gs1:Temperature`, `cbv:Comp-x`), numbers as JSON spells them. */
function reportAttribute(name: string, value: unknown, path: string): string {
  const vocab = REPORT_VOCABULARIES[name];
  if (vocab !== undefined && typeof value === 'string' && isCbvWord(vocab, cbvToWord(vocab, value))) {
    return (vocab === 'component' ? 'cbv:Comp-' : 'gs1:') + cbvToWord(vocab, value);
  }
  return NUMERIC_REPORT_ATTRIBUTES.has(name) && typeof value === 'number' ? String(value) : attributeText(value, path);
}

function sensorPart(name: string, v: unknown, p: string, names: XmlNames): XOut {
  const obj = object(v, p);
  const known = name === 'sensorReport' ? SENSOR_REPORT_ATTRIBUTES : SENSOR_METADATA_ATTRIBUTES;
  const attrs: Attrs = Object.entries(obj).filter(([key]) => known.has(key)).map(([key, value]) => [key, reportAttribute(key, value, step(p, key))]);
  const more = rest(obj, new Set([...known, '#text']), names, p, true);
  return xel(name, [], [...attrs, ...more.attrs], obj['#text'] === undefined ? undefined : attributeText(obj['#text'], step(p, '#text')));
}

function sensorElement(v: unknown, p: string, names: XmlNames): XOut[] {
  const obj = object(v, p);
  // `type` (a JSON-LD node type such as `epcis:SensorElement`) has no XSD place; it travels as an attribute.
  const type: Attrs = obj.type === undefined ? [] : [['type', attributeText(obj.type, step(p, 'type'))]];
  const fields = [
    ['sensorMetadata', (m: unknown, q: string) => [sensorPart('sensorMetadata', m, q, names)]],
    ['sensorReport', (r: unknown, q: string) => array(r, q).map((x, i) => sensorPart('sensorReport', x, step(q, i), names))],
    ['type', () => []],
  ] as const;
  return [structure('sensorElement', obj, fields, names, p, type)];
}

/** The elements of one standard field. */
function field(name: string, kind: FieldKind, value: unknown, names: XmlNames, path: string): XOut[] {
  switch (kind.kind) {
    case 'text':
      return text(name, names)(value, path);
    case 'repeated':
      return (Array.isArray(value) ? value : [value]).map((v, i) => simple(name, v, names, Array.isArray(value) ? step(path, i) : path));
    case 'word':
      return urn(name, kind.vocab, names)(value, path);
    case 'epcs':
      return items(name, text('epc', names))(value, path);
    case 'quantities':
      return items(name, (v, p) => quantityElement(v, p, names))(value, path);
    case 'point':
      return [structure(name, object(value, path), [['id', text('id', names)]], names, path)];
    case 'typed':
      return items(name, (v, p) => typedItem(kind.item, kind.vocab, v, p, names))(value, path);
    case 'sensors':
      return items(name, (v, p) => sensorElement(v, p, names))(value, path);
    case 'persistent': {
      const each = (key: string) => (v: unknown, p: string): XOut[] => array(v, p).flatMap((d, i) => urn(key, 'disposition', names)(d, step(p, i)));
      return [structure(name, object(value, path), [['unset', each('unset')], ['set', each('set')]], names, path)];
    }
    case 'ilmd': {
      const content = extensionContent(object(value, path), names, path);
      return [xel(name, content.children, content.attrs, content.text)];
    }
    case 'error':
      return [structure(name, object(value, path), [
        ['declarationTime', text('declarationTime', names)],
        ['reason', urn('reason', 'errorReason', names)],
        ['correctiveEventIDs', items('correctiveEventIDs', text('correctiveEventID', names))],
      ], names, path)];
  }
}

/**
 * The XML element of one JSON-LD event: standard fields in the XSD order of its type, then its
 * extension members as elements, `@name` members as attributes. Throws `EPCIS_INVALID` with
 * `detail.path` (a JSON Pointer) for an unknown event type, a field the type does not have, or a
 * value the binding cannot hold.
 */
export function eventToXml(event: unknown, names: XmlNames, path: string): XOut {
  const obj = object(event, path);
  const type = obj.type;
  const layout = typeof type === 'string' ? EVENT_LAYOUTS[type] : undefined;
  if (layout === undefined) throw invalid(`${path}/type: ${JSON.stringify(type)} is not an EPCIS 2.0 event type`, { path: `${path}/type`, type });
  const fields = layout.map((name) => [name, (v: unknown, p: string) => field(name, FIELDS[name] ?? { kind: 'text' }, v, names, p)] as const);
  return structure(type as string, obj, [...fields, ['type', () => []]], names, path);
}
