/** One EPCIS 2.0 XML event → its JSON-LD form: JSON names, CBV URNs as bare words, attributes as members, typed numbers. */
import { cbvToWord, type CbvVocabulary } from '../../standards/cbv.ts';
import { canonicalNumber } from '../../standards/event-hash-values.ts';
import { extensionValue, put, withChildren } from './extension.ts';
import {
  DOCUMENT_NAMESPACES, FIELDS, NS, NUMERIC_REPORT_ATTRIBUTES, QUERY_NAMESPACES, REPORT_VOCABULARIES, SENSOR_METADATA_ATTRIBUTES,
  SENSOR_REPORT_ATTRIBUTES, type FieldKind,
} from './layout.ts';
import { invalid, type JsonNames } from './namespaces.ts';
import type { XElement } from './xml-read.ts';

type Json = Record<string, unknown>;

/** Whether an element is one of the binding's own (unqualified, as the XSD declares them, or in an EPCIS namespace). */
export const isStandard = (el: XElement): boolean => el.ns === '' || DOCUMENT_NAMESPACES.has(el.ns) || QUERY_NAMESPACES.has(el.ns);

/** The children of an element with the 1.x `extension` / `baseExtension` wrappers opened (2.0 has the same fields unwrapped). */
export function unwrapped(el: XElement): XElement[] {
  return el.children.flatMap((c) => (isStandard(c) && (c.local === 'extension' || c.local === 'baseExtension') ? unwrapped(c) : [c]));
}

/**
 * A number for a numeric text when a JSON number holds exactly that value (`26.0` → 26);
 * otherwise the text, trimmed, so that nothing is lost and validation can name it.
 */
export function decimalValue(text: string): number | string {
  const t = text.trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) && canonicalNumber(String(n)) === canonicalNumber(t) ? n : t;
}

const booleanValue = (text: string): boolean | string =>
  ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[text.trim()] ?? text.trim();

/** Members for an element's attributes beyond `known`: `@name`, or (`prefixedAsMembers`) `prefix:name` for qualified ones. */
export function attributeMembers(el: XElement, known: ReadonlySet<string>, names: JsonNames, target: Json, prefixedAsMembers = false): void {
  for (const a of el.attrs) {
    if (a.ns === '' && known.has(a.local)) continue;
    const name = names.name(a.ns, a.local, el.path);
    put(target, prefixedAsMembers && a.ns !== '' && a.ns !== NS.xsi ? name : `@${name}`, a.value);
  }
}

/**
 * Reads a structure: standard children by local name through `read`, extension children as members,
 * attributes beyond `knownAttributes` as `@` members. Throws `EPCIS_INVALID` naming any other
 * unqualified child.
 */
export function structure(el: XElement, names: JsonNames, read: Readonly<Record<string, (child: XElement, target: Json) => void>>, knownAttributes: ReadonlySet<string> = new Set()): Json {
  const out: Json = {};
  attributeMembers(el, knownAttributes, names, out);
  const extensions: XElement[] = [];
  for (const child of unwrapped(el)) {
    if (!isStandard(child)) extensions.push(child);
    else if (Object.hasOwn(read, child.local)) read[child.local]?.(child, out);
    else throw invalid(`${child.path}: unknown element ${child.local}`, { element: child.path });
  }
  withChildren(out, extensions, names);
  return out;
}

/** The trimmed text of a simple element; `null` for `xsi:nil="true"`; other attributes are refused. */
function simple(el: XElement): string | null {
  if (el.attrs.some((a) => a.ns === NS.xsi && a.local === 'nil' && a.value.trim() === 'true')) return null;
  if (el.attrs.length > 0) throw invalid(`${el.path}: ${el.local} takes no attributes`, { element: el.path });
  if (el.children.length > 0) throw invalid(`${el.path}: ${el.local} holds text only`, { element: el.path });
  return el.text.trim();
}

const word = (vocab: CbvVocabulary) => (el: XElement): string | null => {
  const text = simple(el);
  return text === null ? null : cbvToWord(vocab, text);
};

/** The items of a list element; lists have no place for extensions, so anything else is refused. */
export const list = (item: string, names: JsonNames, read: (el: XElement) => unknown) => (el: XElement): unknown[] => {
  const items: unknown[] = [];
  const rest = structure(el, names, { [item]: (child) => items.push(read(child)) });
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalid(`${el.path}: ${el.local} holds only ${item} elements (found ${extra})`, { element: el.path });
  return items;
};

function quantity(el: XElement, names: JsonNames): Json {
  return structure(el, names, {
    epcClass: (c, t) => put(t, 'epcClass', simple(c)),
    quantity: (c, t) => put(t, 'quantity', ((v) => (v === null ? null : decimalValue(v)))(simple(c))),
    uom: (c, t) => put(t, 'uom', simple(c)),
  });
}

/** `bizTransaction`, `source`, `destination`: the `type` attribute as a word, the text as the identifier. */
function typed(el: XElement, item: string, vocab: CbvVocabulary, names: JsonNames): Json {
  if (el.children.length > 0) throw invalid(`${el.path}: ${item} holds text only`, { element: el.path });
  const out: Json = {};
  const type = el.attrs.find((a) => a.ns === '' && a.local === 'type');
  if (type !== undefined) put(out, 'type', cbvToWord(vocab, type.value.trim()));
  put(out, item, el.text.trim());
  attributeMembers(el, new Set(['type']), names, out, true);
  return out;
}

/** `sensorMetadata` / `sensorReport`: XSD attributes become fields with the JSON Schema's types. */
function sensorAttributes(el: XElement, report: boolean, names: JsonNames): Json {
  const known = report ? SENSOR_REPORT_ATTRIBUTES : SENSOR_METADATA_ATTRIBUTES;
  if (el.children.length > 0) throw invalid(`${el.path}: ${el.local} holds no elements`, { element: el.path });
  const out: Json = {};
  for (const a of el.attrs) {
    if (a.ns !== '' || !known.has(a.local)) continue;
    const vocab = REPORT_VOCABULARIES[a.local];
    const value = NUMERIC_REPORT_ATTRIBUTES.has(a.local) ? decimalValue(a.value)
      : a.local === 'booleanValue' ? booleanValue(a.value)
        : vocab !== undefined && report ? cbvToWord(vocab, a.value.trim()) : a.value;
    put(out, a.local, value);
  }
  attributeMembers(el, known, names, out, true);
  if (el.text.trim() !== '') put(out, '#text', el.text);
  return out;
}

function sensorElement(el: XElement, names: JsonNames): Json {
  const reports: Json[] = [];
  const out = structure(el, names, {
    sensorMetadata: (c, t) => put(t, 'sensorMetadata', sensorAttributes(c, false, names)),
    sensorReport: (c, t) => {
      reports.push(sensorAttributes(c, true, names));
      put(t, 'sensorReport', reports);
    },
  }, new Set(['type']));
  const type = el.attrs.find((a) => a.ns === '' && a.local === 'type');
  // A JSON-LD node type on a sensor element (`epcis:SensorElement`) has no XSD place; it travels as this attribute.
  return type === undefined ? out : { type: type.value, ...out };
}

/** The JSON value of a standard event field of the given kind. */
function fieldValue(kind: FieldKind, el: XElement, names: JsonNames): unknown {
  switch (kind.kind) {
    case 'text':
    case 'repeated':
      return simple(el);
    case 'word':
      return word(kind.vocab)(el);
    case 'epcs':
      return list('epc', names, simple)(el);
    case 'quantities':
      return list('quantityElement', names, (c) => quantity(c, names))(el);
    case 'point':
      return structure(el, names, { id: (c, t) => put(t, 'id', simple(c)) });
    case 'typed':
      return list(kind.item, names, (c) => typed(c, kind.item, kind.vocab, names))(el);
    case 'sensors':
      return list('sensorElement', names, (c) => sensorElement(c, names))(el);
    case 'persistent': {
      const read = (key: string) => (c: XElement, t: Json): void => {
        if (Array.isArray(t[key])) t[key].push(word('disposition')(c));
        else put(t, key, [word('disposition')(c)]);
      };
      return structure(el, names, { set: read('set'), unset: read('unset') });
    }
    case 'ilmd': {
      const value = extensionValue({ ...el, children: unwrapped(el) }, names);
      return typeof value === 'object' && value !== null ? value : el.text.trim() === '' ? {} : { '#text': el.text };
    }
    case 'error':
      return structure(el, names, {
        declarationTime: (c, t) => put(t, 'declarationTime', simple(c)),
        reason: (c, t) => put(t, 'reason', word('errorReason')(c)),
        correctiveEventIDs: (c, t) => put(t, 'correctiveEventIDs', list('correctiveEventID', names, simple)(c)),
      });
  }
}

/**
 * The JSON-LD form of one event element (its local name is the event type, which the caller has
 * checked). Throws `EPCIS_INVALID` naming the element for an unknown or repeated standard element.
 */
export function eventToJson(el: XElement, names: JsonNames): Json {
  const out: Json = { type: el.local };
  const read: Record<string, (child: XElement, target: Json) => void> = {};
  for (const [name, kind] of Object.entries(FIELDS)) {
    read[name] = (child, target) => {
      const value = fieldValue(kind, child, names);
      if (!Object.hasOwn(target, name)) put(target, name, value);
      else if (kind.kind === 'repeated') put(target, name, [...[target[name]].flat(), value]);
      else throw invalid(`${child.path}: ${name} occurs twice`, { element: child.path });
    };
  }
  return { ...out, ...structure(el, names, read) };
}
