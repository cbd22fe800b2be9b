/** The EPCIS format: an EPCIS 2.0 document in JSON-LD or XML, read as JSON-LD and split into its events. */
import { SuyuanError } from '../../errors.ts';
import { DEFAULT_LIMITS, type Format, type ParseLimits, type SourceRecord } from '../contract.ts';
import { invalid } from './namespaces.ts';
import { convertXml, type XmlEventOrigin } from './xml-to-json.ts';

type Json = Record<string, unknown>;

/** What `parse` returns: the document in JSON-LD, the syntax it was written in, and (XML) where each event was. */
export interface EpcisParsed {
  readonly syntax: 'json-ld' | 'xml';
  readonly document: Json;
  readonly origins?: readonly XmlEventOrigin[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Counts values and depth without recursion; throws `LIMIT_EXCEEDED` naming the limit. */
function checkShape(value: unknown, limits: Required<ParseLimits>): void {
  const stack: Array<readonly [unknown, number]> = [[value, 1]];
  let nodes = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (++nodes > limits.maxNodes) throw new SuyuanError('LIMIT_EXCEEDED', `more than ${limits.maxNodes} values`, { detail: { limit: 'maxNodes', max: limits.maxNodes } });
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limits.maxDepth) throw new SuyuanError('LIMIT_EXCEEDED', `nesting deeper than ${limits.maxDepth}`, { detail: { limit: 'maxDepth', max: limits.maxDepth } });
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}

function parseJson(text: string, limits: Required<ParseLimits>): Json {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    const position = /position (\d+)/.exec(cause instanceof Error ? cause.message : '')?.[1];
    throw new SuyuanError('PARSE_JSON', `the JSON-LD does not parse: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause, detail: position === undefined ? {} : { offset: Number(position) },
    });
  }
  checkShape(document, limits);
  const type = isObject(document) ? document.type : undefined;
  if (!isObject(document) || (type !== 'EPCISDocument' && type !== 'EPCISQueryDocument')) {
    throw invalid('not an EPCIS document: the JSON-LD type is neither EPCISDocument nor EPCISQueryDocument', { path: '/type', type });
  }
  return document;
}

function withoutContext(event: Json): Json {
  const copy = { ...event };
  delete copy['@context'];
  return copy;
}

/** The event list of a JSON-LD document and its JSON Pointer; throws `EPCIS_INVALID` naming `/epcisBody` without one. */
function eventList(document: Json): { events: unknown[]; pointer: string } {
  const body = document.epcisBody;
  if (isObject(body) && Array.isArray(body.eventList)) return { events: body.eventList, pointer: '/epcisBody/eventList' };
  const results = isObject(body) && isObject(body.queryResults) ? body.queryResults.resultsBody : undefined;
  if (isObject(results) && Array.isArray(results.eventList)) return { events: results.eventList, pointer: '/epcisBody/queryResults/resultsBody/eventList' };
  throw invalid('the EPCIS document has no event list', { path: '/epcisBody' });
}

/**
 * The EPCIS format. `parse` reads XML when the first non-space character is `<` (see
 * `epcisXmlToJson` for what it converts and throws) and JSON-LD otherwise (`PARSE_JSON`; `EPCIS_INVALID`
 * when the type is not `EPCISDocument` or `EPCISQueryDocument`), within the limits, and returns an
 * `EpcisParsed`. `split` returns one record per event, in order, each event carrying the document's
 * `@context` (before any of its own) so that it can be read alone; positions are JSON Pointers
 * (`/epcisBody/eventList/3`) for JSON-LD, XPath-like paths with lines
 * (`/EPCISDocument/EPCISBody/EventList/ObjectEvent[2]`) for XML.
 */
export const epcisFormat: Format = {
  name: 'epcis',
  parse(text, options = {}): EpcisParsed {
    const limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(options.limits ?? {}).filter(([, v]) => v !== undefined)) };
    if (text.length > limits.maxLength) {
      throw new SuyuanError('LIMIT_EXCEEDED', `the document is longer than ${limits.maxLength} characters`, { detail: { limit: 'maxLength', max: limits.maxLength } });
    }
    const body = text.replace(/^\uFEFF/, '');
    if (body.trimStart().startsWith('<')) {
      const { document, events } = convertXml(body, limits);
      return { syntax: 'xml', document, origins: events };
    }
    return { syntax: 'json-ld', document: parseJson(body, limits) };
  },
  split(parsed): SourceRecord[] {
    const given = isObject(parsed) && isObject(parsed.document) ? (parsed as unknown as EpcisParsed) : undefined;
    const document = given?.document ?? parsed;
    const origins = given?.origins;
    if (!isObject(document)) throw invalid('not an EPCIS document', { path: '' });
    const { events, pointer } = eventList(document);
    const context = document['@context'];
    return events.map((event, index) => {
      const own = isObject(event) ? event['@context'] : undefined;
      const merged = context === undefined ? own : own === undefined ? context : [...[context].flat(), ...[own].flat()];
      const value = isObject(event) && merged !== undefined ? { '@context': merged, ...withoutContext(event) } : event;
      const origin = origins?.[index];
      const position = origin === undefined ? { index, path: `${pointer}/${String(index)}` } : { index, path: origin.path, line: origin.line };
      return { value, position };
    });
  },
};
