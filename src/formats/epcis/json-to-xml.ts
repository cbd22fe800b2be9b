/** EPCIS 2.0 JSON-LD documents (`EPCISDocument`, `EPCISQueryDocument`) → EPCIS 2.0 XML documents. */
import { extensionContent, extensionElements } from './extension.ts';
import { array as list, eventToXml, object, step, structure } from './event-to-xml.ts';
import { NS, ROOT_ATTRIBUTES } from './layout.ts';
import { XmlNames, invalid } from './namespaces.ts';
import { writeXml, xel, type XOut } from './xml-write.ts';

const textOf = (value: unknown, path: string): string => {
  if (typeof value !== 'string') throw invalid(`${path} must be a string`, { path });
  return value;
};

const eventList = (names: XmlNames) => (value: unknown, path: string): XOut[] =>
  [xel('EventList', list(value, path).map((e, i) => eventToXml(e, names, step(path, i))))];

function vocabularyList(value: unknown, path: string, names: XmlNames): XOut[] {
  const vocabularies = list(value, path).map((v, i) => {
    const p = step(path, i);
    const vocabulary = object(v, p);
    const elements = (els: unknown, q: string): XOut[] => [xel('VocabularyElementList', list(els, q).map((e, j) => {
      const r = step(q, j);
      const element = object(e, r);
      const attributes = (as: unknown, s: string): XOut[] => list(as, s).map((a, k) => {
        const attribute = object(a, step(s, k));
        const content = extensionContent(attribute.attribute ?? '', names, step(step(s, k), 'attribute'));
        return xel('attribute', content.children, [['id', textOf(attribute.id, step(step(s, k), 'id'))], ...content.attrs], content.text);
      });
      const children = (cs: unknown, s: string): XOut[] => [xel('children', list(cs, s).map((c, k) => xel('id', [], [], textOf(c, step(s, k)))))];
      return structure('VocabularyElement', element, [['attributes', attributes], ['children', children], ['id', () => []]], names, r, [['id', textOf(element.id, step(r, 'id'))]]);
    }))];
    return structure('Vocabulary', vocabulary, [['vocabularyElementList', elements], ['type', () => []]], names, p, [['type', textOf(vocabulary.type, step(p, 'type'))]]);
  });
  return [xel('VocabularyList', vocabularies)];
}

function header(value: unknown, path: string, names: XmlNames): XOut[] {
  const obj = object(value, path);
  const sbdh = 'sbdh:StandardBusinessDocumentHeader';
  const masterData = (md: unknown, p: string): XOut[] =>
    [xel('extension', [structure('EPCISMasterData', object(md, p), [['vocabularyList', (v, q) => vocabularyList(v, q, names)]], names, p)])];
  // The SBDH comes first, as the XSD has it; it is written like any extension element.
  const first = (v: unknown, p: string): XOut[] => extensionElements(sbdh, v, names, p);
  return [structure('EPCISHeader', obj, [[sbdh, first], ['epcisMasterData', masterData]], names, path)];
}

function body(value: unknown, path: string, names: XmlNames): XOut[] {
  const obj = object(value, path);
  const resultsBody = (v: unknown, p: string): XOut[] => [structure('resultsBody', object(v, p), [
    ['eventList', eventList(names)],
    ['vocabularyList', (w, q) => vocabularyList(w, q, names)],
  ], names, p)];
  const queryResults = (v: unknown, p: string): XOut[] => [structure('epcisq:QueryResults', object(v, p), [
    ['queryName', (w, q) => [xel('queryName', [], [], textOf(w, q))]],
    ['subscriptionID', (w, q) => [xel('subscriptionID', [], [], textOf(w, q))]],
    ['resultsBody', resultsBody],
  ], names, p)];
  return [structure('EPCISBody', obj, [['eventList', eventList(names)], ['queryResults', queryResults]], names, path)];
}

/**
 * The EPCIS 2.0 XML form of an EPCIS 2.0 JSON-LD document: `<?xml version="1.0" encoding="UTF-8"?>`,
 * `epcis:EPCISDocument` (or `epcisq:EPCISQueryDocument`) with `schemaVersion` and `creationDate`
 * attributes, `EPCISHeader` (SBDH, master data), `EPCISBody` with each event's elements in the XSD's
 * order, CBV words as URNs, `type` and sensor fields as attributes, extension members as elements
 * in their namespaces, declared on the root from the `@context` (prefixes it leaves to GS1's
 * context — `cbvmda`, `gs1`, `rdfs`, `sbdh`, … — with their usual namespaces). Root `id`,
 * `instanceIdentifier`, `sender`, `receiver` and `@name` members become root attributes.
 *
 * Throws `EPCIS_INVALID` with `detail.path` (a JSON Pointer) when the document is not an EPCIS
 * document, an event type is unknown, a member has no place in the binding, a prefix is undeclared,
 * or a value holds a character XML cannot carry.
 */
export function epcisJsonToXml(doc: object): string {
  const obj = object(doc, '');
  const query = obj.type === 'EPCISQueryDocument';
  if (!query && obj.type !== 'EPCISDocument') throw invalid(`/type: ${JSON.stringify(obj.type)} is not an EPCIS document type`, { path: '/type', type: obj.type });
  const names = new XmlNames(obj['@context']);
  const attrs = ['schemaVersion', 'creationDate', ...ROOT_ATTRIBUTES]
    .filter((name) => obj[name] !== undefined)
    .map((name) => [name, textOf(obj[name], `/${name}`)] as const);
  const root = structure(query ? 'epcisq:EPCISQueryDocument' : 'epcis:EPCISDocument', obj, [
    ['epcisHeader', (v, p) => header(v, p, names)],
    ['epcisBody', (v, p) => body(v, p, names)],
    ...['@context', 'type', 'schemaVersion', 'creationDate', ...ROOT_ATTRIBUTES].map((name) => [name, () => []] as const),
  ], names, '', attrs);
  const binding: Array<readonly [string, string]> = query ? [['epcisq', NS.epcisQuery], ['epcis', NS.epcis]] : [['epcis', NS.epcis]];
  return writeXml({ ...root, attrs: [...names.declarations(binding), ...root.attrs] });
}
