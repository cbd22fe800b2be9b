/** Reads EPCIS XML text into a namespace-resolved element tree, refusing DTDs, foreign entities and oversized input. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { entityDecoder } from '../xml.ts';
import { SuyuanError } from '../../errors.ts';
import { DEFAULT_LIMITS, type ParseLimits } from '../contract.ts';
import { guardXml } from '../xml-guard.ts';

/** An attribute with its namespace resolved (`ns` is `''` for none). */
export interface XAttr {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

/** An element with its namespace resolved; `text` joins its text and CDATA nodes exactly as written. */
export interface XElement {
  readonly ns: string;
  readonly local: string;
  readonly attrs: readonly XAttr[];
  /** Namespace declarations made on this element, `['', uri]` for a default namespace. */
  readonly decls: ReadonlyArray<readonly [prefix: string, uri: string]>;
  /** Every namespace binding in scope (prefix → URI, `''` the default), for QName-valued attributes such as `xsi:type`. */
  readonly scope: ReadonlyMap<string, string>;
  readonly children: readonly XElement[];
  readonly text: string;
  /** 1-based line of the start tag. */
  readonly line: number;
  /** XPath-like path of local names, `[n]` where same-named siblings exist (`/EPCISDocument/EPCISBody/EventList/ObjectEvent[2]`). */
  readonly path: string;
}

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** The 1-based line of an offset, by binary search over the newline offsets (computed once per text). */
function lineFinder(text: string): (offset: number) => number {
  const newlines: number[] = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) newlines.push(at);
  return (offset) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] ?? Infinity) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

type Ordered = Record<string, unknown>;
const META = XMLParser.getMetaDataSymbol() as unknown as string;

/**
 * Parses XML text into its root element. Checks, in order: length, the XML format's guard (DTD →
 * `XML_FORBIDDEN`; undeclared entities, bad references → `PARSE_XML`; depth and element count → `LIMIT_EXCEEDED`),
 * well-formedness (`PARSE_XML` with `line` and `column`), then namespace prefixes (an unbound prefix
 * is `PARSE_XML` naming the element). Every value stays the string the document wrote; comments
 * and processing instructions are dropped.
 */
export function readXml(textIn: string, limitsIn: ParseLimits = {}): XElement {
  const limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(limitsIn).filter(([, v]) => v !== undefined)) };
  const text = textIn.replace(/^\uFEFF/, '');
  if (text.length > limits.maxLength) {
    throw new SuyuanError('LIMIT_EXCEEDED', `the XML is longer than ${limits.maxLength} characters`, { detail: { limit: 'maxLength', max: limits.maxLength } });
  }
  guardXml(text, limits, []);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SuyuanError('PARSE_XML', valid.err.msg, { detail: { line: valid.err.line, column: valid.err.col, reason: valid.err.code } });
  const parser = new XMLParser({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
    trimValues: false, ignoreDeclaration: true, ignorePiTags: true, entityDecoder, captureMetaData: true, maxNestedTags: limits.maxDepth + 1,
  });
  const nodes = parser.parse(text) as Ordered[];
  const roots = nodes.filter((n) => !('#text' in n));
  if (roots.length !== 1 || roots[0] === undefined) throw new SuyuanError('PARSE_XML', 'the document has no single root element', { detail: { reason: 'root' } });
  return resolve(roots[0], new Map([['xml', XML_NS]]), '', undefined, lineFinder(text));
}

/** One parsed node with namespaces resolved against `outer` (prefix → URI, `''` the default namespace). */
function resolve(node: Ordered, outer: ReadonlyMap<string, string>, parent: string, ordinal: number | undefined, lineOf: (offset: number) => number): XElement {
  const qname = Object.keys(node).find((k) => k !== ':@') ?? '';
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const decls = Object.entries(rawAttrs)
    .filter(([name]) => name === 'xmlns' || name.startsWith('xmlns:'))
    .map(([name, value]) => [name === 'xmlns' ? '' : name.slice(6), value] as const);
  const scope = decls.length === 0 ? outer : new Map([...outer, ...decls]);
  const meta = (node as Record<string, unknown>)[META] as { startIndex?: number } | undefined;
  const line = lineOf(meta?.startIndex ?? 0);
  const split = (name: string, isAttribute: boolean): { ns: string; local: string } => {
    const colon = name.indexOf(':');
    const prefix = colon === -1 ? '' : name.slice(0, colon);
    if (colon === -1 && isAttribute) return { ns: '', local: name };
    const ns = scope.get(prefix);
    if (ns === undefined && prefix !== '') throw new SuyuanError('PARSE_XML', `prefix ${prefix} is not declared`, { detail: { reason: 'namespace', element: qname, path: parent, line } });
    return { ns: ns ?? '', local: name.slice(colon + 1) };
  };
  const attrs = Object.entries(rawAttrs)
    .filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:'))
    .map(([name, value]) => ({ ...split(name, true), value }));
  const { ns, local } = split(qname, false);
  const me = `${parent}/${local}${ordinal === undefined ? '' : `[${String(ordinal)}]`}`;
  const content = (node[qname] ?? []) as Ordered[];
  const elements = content.filter((c) => !('#text' in c));
  const localOf = (c: Ordered): string => (Object.keys(c).find((k) => k !== ':@') ?? '').split(':').pop() ?? '';
  const counts = new Map<string, number>();
  for (const c of elements) counts.set(localOf(c), (counts.get(localOf(c)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const children = elements.map((c) => {
    const name = localOf(c);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return resolve(c, scope, me, (counts.get(name) ?? 0) > 1 ? n : undefined, lineOf);
  });
  const textNodes = content.filter((c) => '#text' in c).map((c) => String(c['#text']));
  return { ns, local, attrs, decls, scope, children, text: textNodes.join(''), line, path: me };
}
