/** EPCIS 2.0 XML documents (`EPCISDocument`, `EPCISQueryDocument`) → EPCIS 2.0 JSON-LD documents. */
import type { ParseLimits } from '../contract.ts';
import { eventToJson, isStandard, list, structure, unwrapped } from './event-to-json.ts';
import { extensionValue, put } from './extension.ts';
import { DOCUMENT_NAMESPACES, EVENT_LAYOUTS, GS1_CONTEXT_URL, QUERY_NAMESPACES, ROOT_ATTRIBUTES } from './layout.ts';
import { JsonNames, invalid } from './namespaces.ts';
import { readXml, type XElement } from './xml-read.ts';

type Json = Record<string, unknown>;

/** Where an event came from in the XML text: its XPath-like path (always with `[n]`) and line. */
export interface XmlEventOrigin {
  readonly path: string;
  readonly line: number;
}

const text = (el: XElement): string => el.text.trim();

function eventList(el: XElement, names: JsonNames, origins: XmlEventOrigin[]): Json[] {
  const events: Json[] = [];
  const ordinals = new Map<string, number>();
  for (const child of unwrapped(el)) {
    if (!isStandard(child) || !Object.hasOwn(EVENT_LAYOUTS, child.local)) {
      throw invalid(`${child.path}: ${child.local} is not an EPCIS 2.0 event`, { element: child.path });
    }
    const n = (ordinals.get(child.local) ?? 0) + 1;
    ordinals.set(child.local, n);
    origins.push({ path: `${child.path.replace(/\/[^/]*$/, '')}/${child.local}[${String(n)}]`, line: child.line });
    events.push(eventToJson(child, names));
  }
  return events;
}

const attribute = (el: XElement, name: string): string => el.attrs.find((a) => a.ns === '' && a.local === name)?.value ?? '';

function vocabularyElement(el: XElement, names: JsonNames): Json {
  const attributes: Json[] = [];
  const rest = structure(el, names, {
    attribute: (a, t) => {
      attributes.push({ id: attribute(a, 'id'), attribute: extensionValue(a, names, new Set(['id'])) });
      put(t, 'attributes', attributes);
    },
    children: (c, t) => put(t, 'children', list('id', names, text)(c)),
  }, new Set(['id']));
  return { id: attribute(el, 'id'), ...rest };
}

/** `VocabularyList` → `vocabularyList`: vocabularies with their elements, attributes (any content) and children. */
function vocabularyList(el: XElement, names: JsonNames): Json[] {
  return list('Vocabulary', names, (v) => ({
    type: attribute(v, 'type'),
    ...structure(v, names, {
      VocabularyElementList: (l, t) => put(t, 'vocabularyElementList', list('VocabularyElement', names, (e) => vocabularyElement(e, names))(l)),
    }, new Set(['type'])),
  }))(el) as Json[];
}

function header(el: XElement, names: JsonNames): Json {
  return structure(el, names, {
    EPCISMasterData: (md, t) => put(t, 'epcisMasterData', structure(md, names, {
      VocabularyList: (vl, u) => put(u, 'vocabularyList', vocabularyList(vl, names)),
    })),
  });
}

function body(el: XElement, names: JsonNames, origins: XmlEventOrigin[]): Json {
  return structure(el, names, {
    EventList: (list, t) => put(t, 'eventList', eventList(list, names, origins)),
    QueryResults: (qr, t) => put(t, 'queryResults', structure(qr, names, {
      queryName: (c, u) => put(u, 'queryName', text(c)),
      subscriptionID: (c, u) => put(u, 'subscriptionID', text(c)),
      resultsBody: (rb, u) => put(u, 'resultsBody', structure(rb, names, {
        EventList: (list, v) => put(v, 'eventList', eventList(list, names, origins)),
        VocabularyList: (vl, v) => put(v, 'vocabularyList', vocabularyList(vl, names)),
      })),
    })),
  });
}

/**
 * Converts an EPCIS XML document and tells where each event came from. See `epcisXmlToJson`.
 * @internal for the EPCIS format's `split`.
 */
export function convertXml(xml: string, limits?: ParseLimits): { document: Json; events: XmlEventOrigin[] } {
  const root = readXml(xml, limits);
  const type = root.local === 'EPCISDocument' && DOCUMENT_NAMESPACES.has(root.ns) ? 'EPCISDocument'
    : root.local === 'EPCISQueryDocument' && QUERY_NAMESPACES.has(root.ns) ? 'EPCISQueryDocument' : undefined;
  if (type === undefined) {
    throw invalid(`the root element {${root.ns}}${root.local} is not an EPCIS document`, { element: root.path, namespace: root.ns });
  }
  const names = new JsonNames(root);
  const document: Json = { '@context': names.context(GS1_CONTEXT_URL), type };
  for (const name of ['schemaVersion', 'creationDate', ...ROOT_ATTRIBUTES]) {
    const value = root.attrs.find((a) => a.ns === '' && a.local === name)?.value;
    if (value !== undefined) put(document, name, value);
  }
  const origins: XmlEventOrigin[] = [];
  const rest = structure(root, names, {
    EPCISHeader: (h, t) => put(t, 'epcisHeader', header(h, names)),
    EPCISBody: (b, t) => put(t, 'epcisBody', body(b, names, origins)),
  }, new Set(['schemaVersion', 'creationDate', ...ROOT_ATTRIBUTES]));
  return { document: { ...document, ...rest }, events: origins };
}

/**
 * The EPCIS 2.0 JSON-LD form of an EPCIS XML document (`epcis:EPCISDocument`, or an
 * `epcisq:EPCISQueryDocument` with query results; 1.x namespaces and `extension` wrappers are read
 * too). The `@context` is GS1's context plus `{ prefix: namespace }` for the XML's other namespaces;
 * events get JSON names, CBV URNs become bare words, attributes become fields (numbers and booleans
 * where the JSON Schema has them), extension elements become `prefix:name` members (see
 * `extension.ts`). Root `id`, `instanceIdentifier`, `sender` and `receiver` come from root attributes.
 *
 * Throws `SuyuanError`: `XML_FORBIDDEN` (DTD), `PARSE_XML` (not well-formed, unbound prefix),
 * `LIMIT_EXCEEDED`, and `EPCIS_INVALID` with `detail.element` for a root that is not an EPCIS
 * document, an element in `EventList` that is not an event, or an unknown element where the
 * binding allows none.
 */
export function epcisXmlToJson(xml: string, limits?: ParseLimits): Json {
  return convertXml(xml, limits).document;
}
