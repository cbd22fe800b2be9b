/** The JSON format: `JSON.parse` within size, depth and count limits, split at a JSON Pointer to an array. */
import { SuyuanError } from '../errors.ts';
import { DEFAULT_LIMITS, type Format, type ParseLimits, type SourceRecord } from './contract.ts';
import { lineColumnAt } from './decode.ts';

export interface JsonOptions {
  /** JSON Pointer (RFC 6901) to the array of records, e.g. `/records`; absent: the document is one record. */
  readonly recordPath?: string;
}

/**
 * The JSON format. `parse` refuses text longer than `maxLength` before reading it, and a document
 * nested deeper than `maxDepth` (a top-level array or object is depth 1) or holding more than
 * `maxNodes` values, with `LIMIT_EXCEEDED` and `detail: { limit, max }`; text that is not JSON with
 * `PARSE_JSON` and `detail: { line, column, offset }` (1-based physical lines, columns in characters;
 * `offset` in UTF-16 code units). Numbers are JavaScript numbers, as JSON.parse gives them.
 * `split` gives the document as one record at path `""`, or with `recordPath` one record per element
 * of the array there, at `<recordPath>/<index>`; a pointer that is malformed, leads nowhere or to a
 * non-array throws `RECORD_PATH_NOT_FOUND` with `detail: { recordPath, reason, at }`.
 */
export const jsonFormat: Format<JsonOptions> = {
  name: 'json',

  parse(text, options = {}) {
    const limits = { ...DEFAULT_LIMITS, ...definedLimits(options.limits) };
    if (text.length > limits.maxLength) throw limitExceeded('maxLength', limits.maxLength, text.length);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      const offset = errorOffset(text, error);
      throw new SuyuanError('PARSE_JSON', `JSON 无法解析 / JSON does not parse: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        detail: { ...lineColumnAt(text, offset), offset },
      });
    }
    checkShape(document, limits.maxDepth, limits.maxNodes);
    return document;
  },

  split(parsed, options = {}) {
    const { recordPath } = options;
    if (recordPath === undefined) return [{ value: parsed, position: { index: 0, path: '' } }];
    const records = resolve(parsed, recordPath);
    return records.map((value, index): SourceRecord => ({ value, position: { index, path: `${recordPath}/${index}` } }));
  },
};

function definedLimits(limits: ParseLimits | undefined): ParseLimits {
  return Object.fromEntries(Object.entries(limits ?? {}).filter(([, v]) => v !== undefined));
}

function limitExceeded(limit: keyof ParseLimits, max: number, actual?: number): SuyuanError {
  return new SuyuanError('LIMIT_EXCEEDED', `JSON 超出限制 / JSON exceeds ${limit} (${max})`, {
    detail: actual === undefined ? { limit, max } : { limit, max, actual },
  });
}

/** Walks the parsed document without recursion (V8 parses any depth), counting values and depth. */
function checkShape(document: unknown, maxDepth: number, maxNodes: number): void {
  const containers: object[] = [];
  const depths: number[] = [];
  let nodes = 1;
  if (document !== null && typeof document === 'object') {
    containers.push(document);
    depths.push(1);
  }
  while (containers.length > 0) {
    const container = containers.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) throw limitExceeded('maxDepth', maxDepth);
    const children: unknown[] = Array.isArray(container) ? container : Object.values(container);
    nodes += children.length;
    if (nodes > maxNodes) throw limitExceeded('maxNodes', maxNodes);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        containers.push(child);
        depths.push(depth + 1);
      }
    }
  }
}

/**
 * Where a JSON.parse error is: V8's "at position N" where its message has one, the end for
 * "Unexpected end of JSON input", else (V8's "Unexpected token" messages quote the text instead) the
 * first token a small scanner finds out of place.
 */
function errorOffset(text: string, error: unknown): number {
  const message = error instanceof Error ? error.message : '';
  const at = /\bat position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]);
  if (message.includes('Unexpected end of JSON input')) return text.length;
  return misplacedToken(text);
}

const WHITESPACE = /[ \t\n\r]*/y;
const SCALAR = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const PUNCTUATION = '{}[],:';
type Expect = 'value' | 'value-or-]' | 'key-or-}' | 'key' | ':' | 'comma-or-close' | 'end';

/** The offset of the first token out of place; strings and numbers are only skipped (V8 placed their errors). */
function misplacedToken(text: string): number {
  const open: string[] = [];
  let expect: Expect | undefined = 'value';
  let i = 0;
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    if (i >= text.length) return i;
    const end = tokenEnd(text, i);
    expect = end === -1 ? undefined : next(expect, text.charAt(i), open);
    if (expect === undefined) return i;
    i = end;
  }
}

function tokenEnd(text: string, i: number): number {
  const c = text.charAt(i);
  if (c === '"') return stringEnd(text, i);
  if (PUNCTUATION.includes(c)) return i + 1;
  SCALAR.lastIndex = i;
  return SCALAR.exec(text) === null ? -1 : SCALAR.lastIndex;
}

/** What may follow the token starting with `c`, or undefined when it is out of place; keeps `open`, the open brackets. */
function next(expect: Expect, c: string, open: string[]): Expect | undefined {
  const top = open[open.length - 1];
  if ((expect === 'key-or-}' && c === '}') || (expect === 'value-or-]' && c === ']') || (expect === 'comma-or-close' && c === (top === '{' ? '}' : ']'))) {
    open.pop();
    return open.length === 0 ? 'end' : 'comma-or-close';
  }
  switch (expect) {
    case 'end':
      return undefined;
    case ':':
      return c === ':' ? 'value' : undefined;
    case 'key':
    case 'key-or-}':
      return c === '"' ? ':' : undefined;
    case 'comma-or-close':
      return c !== ',' ? undefined : top === '{' ? 'key' : 'value';
    default:
      if (c === '{' || c === '[') {
        open.push(c);
        return c === '{' ? 'key-or-}' : 'value-or-]';
      }
      return PUNCTUATION.includes(c) ? undefined : open.length === 0 ? 'end' : 'comma-or-close';
  }
}

/** The offset after the string opening at `start` (its closing quote is the first one not escaped). */
function stringEnd(text: string, start: number): number {
  for (let q = text.indexOf('"', start + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 0x5c) slashes += 1;
    if (slashes % 2 === 0) return q + 1;
  }
  return text.length;
}

/** The array a JSON Pointer names in the document. */
function resolve(document: unknown, recordPath: string): unknown[] {
  const notFound = (reason: string, at: string): SuyuanError =>
    new SuyuanError('RECORD_PATH_NOT_FOUND', `记录路径无效 / nothing usable at record path ${recordPath}: ${reason}`, {
      detail: { recordPath, reason, at },
    });
  if (recordPath !== '' && (!recordPath.startsWith('/') || /~(?![01])/.test(recordPath))) throw notFound('invalid-pointer', '');
  let node = document;
  let at = '';
  for (const raw of recordPath === '' ? [] : recordPath.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    at = `${at}/${raw}`;
    if (Array.isArray(node) && /^(?:0|[1-9]\d*)$/.test(token) && Number(token) < node.length) node = node[Number(token)];
    else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, token)) node = (node as Record<string, unknown>)[token];
    else throw notFound('missing', at);
  }
  if (!Array.isArray(node)) throw notFound('not-an-array', at);
  return node;
}
