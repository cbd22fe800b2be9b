/** The XML format: a hardened fast-xml-parser read into plain objects, records split by path, and the builder for the way out. */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { EntityDecoderOptions, MatcherView } from 'fast-xml-parser';
import { SuyuanError } from '../errors.ts';
import { DEFAULT_LIMITS, type Format, type ParseLimits, type SourceRecord } from './contract.ts';
import { guardXml, localName, type RecordLines } from './xml-guard.ts';

/**
 * Options of the XML format. Paths are element local names from the root, separated by `/`
 * (a leading `/` is allowed); namespace prefixes are ignored when matching.
 */
export interface XmlOptions {
  /** Where the records are, e.g. `Envelope/Body/QueryResponse/Receipt`; without it the whole document is one record. */
  readonly recordPath?: string;
  /** Elements always parsed as arrays, even when they occur once. */
  readonly arrayPaths?: readonly string[];
}

export const ATTRIBUTE_PREFIX = '@_';
export const TEXT_KEY = '#text';

/** Splits a path option into local-name steps. */
export function pathSteps(path: string | undefined): string[] {
  return (path ?? '').split('/').filter((s) => s !== '');
}

/**
 * Decodes the predefined entities and character references; the guard has refused every other
 * reference. Shared by every parser of the hub that reads XML (this format and EPCIS XML).
 */
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
export const entityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) =>
    text.indexOf('&') === -1
      ? text
      : text.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g, (_m, hex?: string, dec?: string, name?: string) =>
          name !== undefined ? (NAMED[name] ?? '') : String.fromCodePoint(hex !== undefined ? parseInt(hex, 16) : Number(dec)),
        ),
};

/** A parsed document with the lines of the elements at the record path it was parsed for. */
export interface XmlDocument {
  readonly document: Record<string, unknown>;
  readonly lines: RecordLines;
}

/**
 * Parses XML text into plain objects: attributes as `@_name`, names and prefixes as written, every value a trimmed string, text beside
 * attributes or children in `#text`, CDATA as text, comments and processing instructions dropped.
 * Order of checks: length (before reading anything), the guard pass (DTD, references, depth,
 * count), the validator (`PARSE_XML` with `line` and `column`), then the parser.
 */
export function parseXmlDocument(text: string, options: { recordSteps?: readonly string[]; arraySteps?: readonly (readonly string[])[]; limits?: ParseLimits } = {}): XmlDocument {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (text.length > limits.maxLength) {
    throw new SuyuanError('LIMIT_EXCEEDED', `the XML is longer than ${limits.maxLength} characters`, { detail: { limit: 'maxLength', max: limits.maxLength } });
  }
  const lines = guardXml(text, limits, options.recordSteps ?? []);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new SuyuanError('PARSE_XML', valid.err.msg, { detail: { line: valid.err.line, column: valid.err.col, reason: valid.err.code } });
  }
  const arraySteps = options.arraySteps ?? [];
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    entityDecoder,
    maxNestedTags: limits.maxDepth + 1,
    jPath: false,
    isArray: arraySteps.length === 0 ? () => false : (_name, matcher, _leaf, isAttribute) => !isAttribute && matchesAny((matcher as MatcherView).toArray(), arraySteps),
  });
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (error) {
    throw new SuyuanError('PARSE_XML', error instanceof Error ? error.message : String(error), { cause: error, detail: { reason: 'parser' } });
  }
  return { document: document as Record<string, unknown>, lines };
}

function matchesAny(names: readonly string[], paths: readonly (readonly string[])[]): boolean {
  return paths.some((steps) => steps.length === names.length && steps.every((step, k) => localName(names[k] ?? '') === step));
}

/** The child elements of an element value whose local name is `step`, in the order the object holds them. */
function childrenNamed(value: unknown, step: string): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const found: unknown[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith(ATTRIBUTE_PREFIX) || key === TEXT_KEY || localName(key) !== step) continue;
    if (!Array.isArray(child)) found.push(child);
    else for (const one of child as unknown[]) found.push(one);
  }
  return found;
}

/**
 * The records at `steps` below `start`, in document order, each with its XPath-like path (`base`
 * plus local names, `[n]` on the record step and on any repeated step above it) and, when `lines`
 * knows it, its line. `ordinalBase` are the ordinals of the steps leading to `start` (for `lines`).
 * Throws `RECORD_PATH_NOT_FOUND` with `recordPath` and the deepest `matched` path when there is none.
 * (Same-named elements under different prefixes in one parent come grouped by prefix, not interleaved.)
 */
export function selectRecords(start: unknown, steps: readonly string[], base: { path: string; ordinals: readonly number[]; recordPath: string }, lines: RecordLines): SourceRecord[] {
  const records: SourceRecord[] = [];
  let matched = base.path;
  let deepest = -1;
  const walk = (value: unknown, level: number, path: string, ordinals: readonly number[]): void => {
    const step = steps[level];
    if (step === undefined) return;
    const children = childrenNamed(value, step);
    if (children.length > 0 && level > deepest) [deepest, matched] = [level, `${path}/${step}`];
    const last = level === steps.length - 1;
    children.forEach((child, k) => {
      const childPath = `${path}/${step}${last || children.length > 1 ? `[${k + 1}]` : ''}`;
      const childOrdinals = [...ordinals, k + 1];
      if (!last) return walk(child, level + 1, childPath, childOrdinals);
      const line = lines.get(childOrdinals.join('/'));
      const position = { index: records.length, path: childPath, ...(line === undefined ? {} : { line }) };
      records.push({ value: child, position });
    });
  };
  walk(start, 0, base.path, base.ordinals);
  if (records.length === 0) {
    throw new SuyuanError('RECORD_PATH_NOT_FOUND', `nothing at ${base.recordPath}`, { detail: { recordPath: base.recordPath, matched: matched === '' ? '/' : matched } });
  }
  return records;
}

/** Lines remembered per parsed document, for the `split` that follows its `parse` with the same record path. */
const remembered = new WeakMap<object, { recordPath: string; lines: RecordLines }>();

/** Remembers `lines` for `parsed` (the formats built on this one use it too). */
export function rememberLines(parsed: object, recordPath: string, lines: RecordLines): void {
  remembered.set(parsed, { recordPath, lines });
}

/** The lines remembered for `parsed` when it was parsed for the same record path; empty otherwise. */
export function linesFor(parsed: unknown, recordPath: string): RecordLines {
  const entry = typeof parsed === 'object' && parsed !== null ? remembered.get(parsed) : undefined;
  return entry !== undefined && entry.recordPath === recordPath ? entry.lines : new Map();
}

/**
 * The XML format. `parse` returns the document object (`{ RootName: … }`); `split` returns the
 * elements at `recordPath`, or the whole document as one record at `/` when there is no record path.
 */
export const xmlFormat: Format<XmlOptions> = {
  name: 'xml',
  parse(text, options = {}) {
    const recordSteps = pathSteps(options.recordPath);
    const arraySteps = (options.arrayPaths ?? []).map(pathSteps);
    const { document, lines } = parseXmlDocument(text, { recordSteps, arraySteps, ...(options.limits ? { limits: options.limits } : {}) });
    rememberLines(document, recordSteps.join('/'), lines);
    return document;
  },
  split(parsed, options = {}) {
    const steps = pathSteps(options.recordPath);
    if (steps.length === 0) return [{ value: parsed, position: { index: 0, path: '/', line: 1 } }];
    const recordPath = steps.join('/');
    return selectRecords(parsed, steps, { path: '', ordinals: [], recordPath }, linesFor(parsed, recordPath));
  },
};

/** Options of `buildXml`. */
export interface BuildXmlOptions {
  /** Encoding named in the prolog (default `UTF-8`); turning the text into those bytes is the transport's job. */
  readonly encoding?: string;
  /** Whether to write the `<?xml …?>` prolog (default true). */
  readonly declaration?: boolean;
  /** Indent the output (default false). */
  readonly format?: boolean;
}

/**
 * Writes a value in the conventions `parse` reads (`@_` attributes, `#text`, arrays as repeated
 * elements, prefixes as written) with `<`, `&`, `>` and quotes escaped; `null` gives an empty
 * element, `undefined` none, and characters XML does not allow are dropped by the builder.
 */
export function buildXml(value: unknown, options: BuildXmlOptions = {}): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
    format: options.format ?? false,
  });
  const body = builder.build(value) as string;
  if (options.declaration === false) return body;
  const encoding = options.encoding ?? 'UTF-8';
  if (!/^[A-Za-z][\w.-]*$/.test(encoding)) throw new SuyuanError('BAD_REQUEST', 'not an encoding name', { detail: { encoding } });
  return `<?xml version="1.0" encoding="${encoding}"?>${options.format ? '\n' : ''}${body}`;
}
