/** The guard pass over XML text that runs before any parser sees it: forbidden constructs, references, limits, record lines. */
import { SuyuanError } from '../errors.ts';
import type { ParseLimits } from './contract.ts';

/** Declarations that only occur in a DTD: any of them refuses the document. */
const DECLARATIONS = new Set(['DOCTYPE', 'ENTITY', 'ELEMENT', 'ATTLIST', 'NOTATION']);
/** Element names the object model cannot hold without touching `Object.prototype`. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z_][\w.-]*));/y;

/** The line of each element at the record path, keyed by its 1-based ordinals joined with `/` (`1/1/1/3`). */
export type RecordLines = ReadonlyMap<string, number>;

/** Turns string offsets into 1-based line and column; offsets MUST be asked in increasing order (linear in all). */
function locator(text: string): (offset: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  return (offset) => {
    while (nextNewline !== -1 && nextNewline < offset) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    return { line, column: offset - lineStart + 1 };
  };
}

/** Index of the `>` closing the start tag that opens at `from`, skipping quoted attribute values; -1 when none. */
function startTagEnd(text: string, from: number): number {
  for (let j = from + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 62) return j;
    if (c === 60) return -1;
    if (c === 34 || c === 39) {
      j = text.indexOf(c === 34 ? '"' : "'", j + 1);
      if (j === -1) return -1;
    }
  }
  return -1;
}

/** Offset of the first character in [from, to) that is not XML white space; -1 when none. */
function firstNonSpace(text: string, from: number, to: number): number {
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return j;
  }
  return -1;
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Scans the text once, in linear time and constant memory (plus one line per record), and throws
 * before any tree is built:
 * - `XML_FORBIDDEN` for any DTD declaration (`<!DOCTYPE`, `<!ENTITY`, …) outside comments and
 *   CDATA, and for element names that would reach `Object.prototype`;
 * - `PARSE_XML` for an entity reference other than the five predefined ones or a character
 *   reference to a character XML does not allow, and for an unterminated tag, comment, CDATA or PI;
 * - `LIMIT_EXCEEDED` past `maxDepth` or `maxNodes` elements.
 * Every detail carries `line` and `column`. Well-formedness beyond this (tag pairing, attribute
 * syntax) is the validator's job, which runs next. Processing instructions are skipped here and
 * dropped by the parser: the hub never acts on them.
 *
 * `recordSteps` are local names from the root; the lines of the elements they reach are returned.
 */
export function guardXml(text: string, limits: Required<ParseLimits>, recordSteps: readonly string[]): RecordLines {
  const at = locator(text);
  const fail = (code: 'PARSE_XML' | 'XML_FORBIDDEN' | 'LIMIT_EXCEEDED', offset: number, message: string, detail: Record<string, unknown>): never => {
    throw new SuyuanError(code, message, { detail: { ...detail, ...at(offset) } });
  };
  let nextAmp = text.indexOf('&');
  /** Checks every `&` in [from, to): references in character data and attribute values. */
  const checkReferences = (from: number, to: number): void => {
    if (nextAmp !== -1 && nextAmp < from) nextAmp = text.indexOf('&', from);
    while (nextAmp !== -1 && nextAmp < to) {
      REFERENCE.lastIndex = nextAmp;
      const m = REFERENCE.exec(text);
      if (m === null) fail('PARSE_XML', nextAmp, "'&' does not start a reference", { reason: 'reference' });
      else if (m[3] !== undefined && !PREDEFINED_ENTITIES.has(m[3])) {
        fail('PARSE_XML', nextAmp, `undeclared entity &${m[3]};`, { reason: 'entity', entity: m[3] });
      } else if (m[3] === undefined && !isXmlChar(m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]))) {
        fail('PARSE_XML', nextAmp, `character reference ${m[0]} is not an XML character`, { reason: 'reference' });
      }
      nextAmp = text.indexOf('&', nextAmp + 1);
    }
  };
  const skipPast = (terminator: string, from: number, what: string): number => {
    const end = text.indexOf(terminator, from);
    if (end === -1) fail('PARSE_XML', from, `unterminated ${what}`, { reason: what });
    return end + terminator.length;
  };

  const lines = new Map<string, number>();
  const ordinals: number[] = [0];
  let depth = 0;
  let matched = 0;
  let elements = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let roots = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? text.length : lt;
    if (depth === 0) {
      const stray = firstNonSpace(text, i, textEnd);
      if (stray !== -1) fail('PARSE_XML', stray, 'text outside the root element', { reason: 'text' });
    } else checkReferences(i, textEnd);
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 63) {
      i = skipPast('?>', lt + 2, 'processing instruction');
    } else if (next === 33) {
      if (text.startsWith('<!--', lt)) i = skipPast('-->', lt + 4, 'comment');
      else if (text.startsWith('<![CDATA[', lt)) i = skipPast(']]>', lt + 9, 'CDATA');
      else {
        const word = (/^[A-Za-z]*/.exec(text.slice(lt + 2, lt + 12))?.[0] ?? '').toUpperCase();
        if (DECLARATIONS.has(word)) fail('XML_FORBIDDEN', lt, `<!${word} is refused: the hub reads no DTD`, { construct: word });
        fail('PARSE_XML', lt, "'<!' starts neither a comment nor CDATA", { reason: 'markup' });
      }
    } else if (next === 47) {
      i = skipPast('>', lt + 2, 'end tag');
      if (matched === depth && matched > 0) matched--;
      if (depth > 0) depth--;
    } else {
      const gt = startTagEnd(text, lt);
      if (gt === -1) fail('PARSE_XML', lt, 'unterminated start tag', { reason: 'start tag' });
      checkReferences(lt, gt);
      const name = /^[^\s/>]*/.exec(text.slice(lt + 1, Math.min(gt, lt + 257)))?.[0] ?? '';
      if (depth === 0 && roots++ > 0) fail('PARSE_XML', lt, 'a second root element', { reason: 'root' });
      if (RESERVED_NAMES.has(name)) fail('XML_FORBIDDEN', lt, `element name ${name} is refused`, { construct: 'name', element: name });
      if (++elements > limits.maxNodes) fail('LIMIT_EXCEEDED', lt, `more than ${limits.maxNodes} elements`, { limit: 'maxNodes', max: limits.maxNodes });
      const level = depth + 1;
      if (level > limits.maxDepth) fail('LIMIT_EXCEEDED', lt, `nesting deeper than ${limits.maxDepth}`, { limit: 'maxDepth', max: limits.maxDepth });
      const selfClosing = text.charCodeAt(gt - 1) === 47;
      if (matched === depth && level <= recordSteps.length && localName(name) === recordSteps[depth]) {
        ordinals[depth] = (ordinals[depth] ?? 0) + 1;
        if (level === recordSteps.length) lines.set(ordinals.slice(0, level).join('/'), at(lt).line);
        else if (!selfClosing) {
          matched = level;
          ordinals[level] = 0;
        }
      }
      if (!selfClosing) depth = level;
      i = gt + 1;
    }
  }
  return lines;
}

/** The name after its namespace prefix, if any. */
export function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
