/**
 * Extension content across the bindings: an element in another namespace ↔ a `prefix:name` member.
 *
 * XML → JSON-LD, for one element:
 * - only text → the string, exactly as written;
 * - `xsi:nil="true"` alone → `null`;
 * - `xsi:type` alone, no child elements → `true`/`false` for `xsd:boolean`, a number for `xsd:decimal`
 *   (and `xsd:double` in exponent form) when the text is that number's JSON spelling, otherwise the
 *   JSON-LD typed value `{ "@value": text, "@type": "xsd:…" }`;
 * - otherwise an object: attributes as `@name` members, non-blank text as `#text`, child elements as
 *   members, repeated ones as arrays (same-named siblings are grouped in first-occurrence order).
 * JSON-LD → XML is the inverse, so both round trips are exact, except that a one-item array comes
 * back as its item and siblings interleaved by name come back grouped.
 */
import { NCNAME, invalid, type JsonNames, type XmlNames } from './namespaces.ts';
import { NS } from './layout.ts';
import { xel, type XOut } from './xml-write.ts';
import type { XElement } from './xml-read.ts';

type Json = Record<string, unknown>;

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** A JSON number's text and the XSD type that keeps it a number on the way back. */
function numberText(n: number): readonly [string, string] {
  const text = String(n);
  return [text, PLAIN_DECIMAL.test(text) ? 'xsd:decimal' : 'xsd:double'];
}

/** The JSON value an `xsi:type`d text maps to; the inverse of `numberText` and of booleans. */
function typedValue(text: string, type: string): unknown {
  if (type === 'xsd:boolean' && (text === 'true' || text === 'false')) return text === 'true';
  const n = Number(text);
  if ((type === 'xsd:decimal' || type === 'xsd:double') && text.trim() !== '' && Number.isFinite(n)) {
    const [spelled, asType] = numberText(n);
    if (spelled === text && asType === type) return n;
  }
  return { '@value': text, '@type': type };
}

/** Sets a member without ever touching a prototype (names come from documents). */
export function put(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The JSON value of one extension element (see the module comment); `skip` names attributes read elsewhere. */
export function extensionValue(el: XElement, names: JsonNames, skip: ReadonlySet<string> = new Set()): unknown {
  const attrs = el.attrs.filter((a) => !(a.ns === '' && skip.has(a.local)));
  if (el.children.length === 0) {
    if (attrs.length === 0) return el.text;
    const only = attrs.length === 1 ? attrs[0] : undefined;
    if (only?.ns === NS.xsi && only.local === 'nil' && only.value === 'true' && el.text === '') return null;
    if (only?.ns === NS.xsi && only.local === 'type') return typedValue(el.text, typeName(only.value, el, names));
  }
  const out: Json = {};
  if (el.text !== '' && (el.children.length === 0 || el.text.trim() !== '')) put(out, '#text', el.text);
  for (const a of attrs) put(out, `@${names.name(a.ns, a.local, el.path)}`, a.value);
  return withChildren(out, el.children, names);
}

/** Adds child elements as members, same names grouped into arrays in first-occurrence order. */
export function withChildren(target: Json, children: readonly XElement[], names: JsonNames): Json {
  const groups = new Map<string, unknown[]>();
  for (const child of children) {
    const key = names.name(child.ns, child.local, child.path);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [extensionValue(child, names)]);
    else group.push(extensionValue(child, names));
  }
  for (const [key, values] of groups) put(target, key, values.length === 1 ? values[0] : values);
  return target;
}

/** An `xsi:type` QName as a JSON-LD compact IRI (`xsd:integer`), resolved against the element's namespaces. */
function typeName(qname: string, el: XElement, names: JsonNames): string {
  const colon = qname.indexOf(':');
  const ns = el.scope.get(colon === -1 ? '' : qname.slice(0, colon));
  const local = qname.slice(colon + 1);
  if (ns === NS.xsd) return `xsd:${local}`;
  return ns === undefined || ns === '' ? qname : names.name(ns, local, el.path);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a JSON value is a JSON-LD value object (`@value`, optionally `@type`). */
function isValueObject(v: Json): boolean {
  const keys = Object.keys(v);
  return typeof v['@value'] === 'string' && keys.every((k) => k === '@value' || k === '@type') && (v['@type'] === undefined || typeof v['@type'] === 'string');
}

/** The attributes, text and children an extension value gives its element (the element's own name is the caller's). */
export function extensionContent(value: unknown, names: XmlNames, path: string): { attrs: Array<readonly [string, string]>; children: XOut[]; text?: string } {
  if (value === null) {
    names.need('xsi');
    return { attrs: [['xsi:nil', 'true']], children: [] };
  }
  if (typeof value === 'string') return { attrs: [], children: [], text: value };
  if (typeof value === 'number' || typeof value === 'boolean') {
    const [text, type] = typeof value === 'number' ? numberText(value) : [String(value), 'xsd:boolean'];
    names.need('xsi');
    names.need('xsd');
    return { attrs: [['xsi:type', type]], children: [], text };
  }
  if (!isObject(value)) throw invalid(`${path}: an array inside an array cannot be written as XML`, { path });
  if (isValueObject(value)) {
    const type = value['@type'] as string | undefined;
    if (type === undefined) return { attrs: [], children: [], text: value['@value'] as string };
    names.need('xsi');
    if (type.startsWith('xsd:')) names.need('xsd');
    else if (type.includes(':')) names.qname(type, `${path}/@type`);
    return { attrs: [['xsi:type', type]], children: [], text: value['@value'] as string };
  }
  const attrs: Array<readonly [string, string]> = [];
  const children: XOut[] = [];
  let text: string | undefined;
  for (const [key, member] of Object.entries(value)) {
    const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === '#text') {
      if (typeof member !== 'string') throw invalid(`${at}: #text must be a string`, { path: at });
      text = member;
    } else if (key.startsWith('@')) attrs.push([names.qname(key.slice(1), at), attributeText(member, at)]);
    else children.push(...extensionElements(key, member, names, at));
  }
  return text === undefined ? { attrs, children } : { attrs, children, text };
}

/** The text of a member written as an attribute: strings as they are, numbers and booleans spelled as JSON spells them. */
export function attributeText(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(`${path}: only a string, number or boolean can be written as an XML attribute`, { path });
}

/** The elements for one extension member: one per array item, or one. */
export function extensionElements(key: string, value: unknown, names: XmlNames, path: string): XOut[] {
  const name = names.qname(key, path);
  if (!key.includes(':') && !NCNAME.test(key)) throw invalid(`${path}: not an XML name`, { path });
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const content = extensionContent(item, names, Array.isArray(value) ? `${path}/${String(i)}` : path);
    return xel(name, content.children, content.attrs, content.text);
  });
}
