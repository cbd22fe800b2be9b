/**
 * The part of a WSDL's own XML Schema (`wsdl:types`) the SOAP interface mode needs: the tree of an
 * operation's element — each child's occurrence bounds and, for simple content, its built-in type
 * and facets (enumeration, pattern, lengths) — and a check of a value against it.
 *
 * Read: global `xs:element`s, named `xs:complexType`s and `xs:simpleType`s (any schema of the
 * WSDL, looked up by local name), `xs:sequence` and `xs:all` with nested sequences, `xs:restriction`
 * of a built-in type or a named simple type. Not read (a member under them is not judged): `xs:choice`,
 * `xs:any`, `xs:extension`, imports, attributes. Types are judged on the lexical forms of XSD 1.0 Part 2.
 */
import { SuyuanError } from '../errors.ts';
import { ATTRIBUTE_PREFIX, TEXT_KEY, parseXmlDocument } from '../formats/xml.ts';
import { localName } from '../formats/xml-guard.ts';

/** Facets of a simple type, gathered along its restrictions. */
export interface XsdSimple {
  /** The built-in type it restricts, by local name (`string`, `decimal`, `date`, …). */
  readonly base: string;
  readonly enumeration?: readonly string[];
  readonly patterns?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface XsdElement {
  readonly name: string;
  readonly minOccurs: number;
  /** `Infinity` for `unbounded`. */
  readonly maxOccurs: number;
  /** Child elements in order, for complex content. */
  readonly children?: readonly XsdElement[];
  /** For simple content. */
  readonly simple?: XsdSimple;
}

type El = Readonly<Record<string, unknown>>;

function kids(parent: unknown, local: string): El[] {
  if (typeof parent !== 'object' || parent === null) return [];
  return Object.entries(parent as El)
    .filter(([key]) => !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY && localName(key) === local)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((v): v is El => typeof v === 'object' && v !== null);
}

const attr = (el: El, name: string): string | undefined => {
  const v = el[`${ATTRIBUTE_PREFIX}${name}`];
  return typeof v === 'string' ? v : undefined;
};

const occurs = (value: string | undefined): number => (value === undefined ? 1 : value === 'unbounded' ? Infinity : Number(value));

/** The schemas of a WSDL text, readable by element name. */
export class WsdlSchema {
  readonly #elements = new Map<string, El>();
  readonly #complex = new Map<string, El>();
  readonly #simple = new Map<string, El>();

  constructor(text: string, file: string) {
    let definitions: El | undefined;
    try {
      definitions = kids(parseXmlDocument(text).document, 'definitions')[0];
    } catch (cause) {
      throw new SuyuanError('ADAPTER_INVALID', `${file} is not readable XML`, { cause, detail: { file } });
    }
    for (const schema of kids(kids(definitions, 'types')[0], 'schema')) {
      for (const e of kids(schema, 'element')) this.#elements.set(attr(e, 'name') ?? '', e);
      for (const t of kids(schema, 'complexType')) this.#complex.set(attr(t, 'name') ?? '', t);
      for (const t of kids(schema, 'simpleType')) this.#simple.set(attr(t, 'name') ?? '', t);
    }
  }

  /** The tree of the global element `name`; `undefined` when the schema does not declare it. */
  element(name: string): XsdElement | undefined {
    const el = this.#elements.get(name);
    return el === undefined ? undefined : this.#read(el, 1, 1, new Set());
  }

  #read(el: El, minOccurs: number, maxOccurs: number, seen: ReadonlySet<string>): XsdElement {
    const name = attr(el, 'name') ?? localName(attr(el, 'ref') ?? '');
    const ref = attr(el, 'ref');
    if (ref !== undefined) {
      const target = this.#elements.get(localName(ref));
      if (target) return { ...this.#read(target, minOccurs, maxOccurs, seen), minOccurs, maxOccurs };
    }
    const type = attr(el, 'type');
    const inlineComplex = kids(el, 'complexType')[0];
    const inlineSimple = kids(el, 'simpleType')[0];
    const base = { name, minOccurs, maxOccurs };
    if (inlineComplex) return { ...base, children: this.#children(inlineComplex, seen) };
    if (inlineSimple) return { ...base, simple: this.#simpleOf(inlineSimple) };
    const local = type === undefined ? 'string' : localName(type);
    const complex = this.#complex.get(local);
    if (complex && !seen.has(local)) return { ...base, children: this.#children(complex, new Set([...seen, local])) };
    const simple = this.#simple.get(local);
    if (simple) return { ...base, simple: this.#simpleOf(simple) };
    return { ...base, simple: { base: local } };
  }

  #children(complexType: El, seen: ReadonlySet<string>): XsdElement[] {
    const out: XsdElement[] = [];
    const walk = (group: El): void => {
      for (const e of kids(group, 'element')) out.push(this.#read(e, occurs(attr(e, 'minOccurs')), occurs(attr(e, 'maxOccurs')), seen));
      for (const nested of kids(group, 'sequence')) walk(nested);
    };
    for (const group of [...kids(complexType, 'sequence'), ...kids(complexType, 'all')]) walk(group);
    return out;
  }

  #simpleOf(simpleType: El, depth = 0): XsdSimple {
    const restriction = kids(simpleType, 'restriction')[0];
    if (!restriction) return { base: 'string' };
    const baseName = localName(attr(restriction, 'base') ?? 'string');
    const named = depth < 10 ? this.#simple.get(baseName) : undefined;
    const inherited: XsdSimple = named ? this.#simpleOf(named, depth + 1) : { base: baseName };
    const values = (facet: string): string[] => kids(restriction, facet).map((f) => attr(f, 'value')).filter((v): v is string => v !== undefined);
    const enumeration = values('enumeration');
    const patterns = values('pattern');
    const min = values('minLength')[0] ?? values('length')[0];
    const max = values('maxLength')[0] ?? values('length')[0];
    return {
      ...inherited,
      ...(enumeration.length > 0 ? { enumeration } : {}),
      ...(patterns.length > 0 ? { patterns: [...(inherited.patterns ?? []), ...patterns] } : {}),
      ...(min === undefined ? {} : { minLength: Number(min) }),
      ...(max === undefined ? {} : { maxLength: Number(max) }),
    };
  }
}

const LEXICAL: Readonly<Record<string, RegExp>> = {
  decimal: /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/,
  integer: /^[+-]?\d+$/, int: /^[+-]?\d+$/, long: /^[+-]?\d+$/, short: /^[+-]?\d+$/, byte: /^[+-]?\d+$/,
  nonNegativeInteger: /^\+?\d+$/, positiveInteger: /^\+?0*[1-9]\d*$/, unsignedInt: /^\+?\d+$/, unsignedLong: /^\+?\d+$/,
  double: /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF|-INF|NaN)$/,
  float: /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF|-INF|NaN)$/,
  boolean: /^(?:true|false|1|0)$/,
  date: /^-?\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:Z|[+-]\d{2}:\d{2})?$/,
  dateTime: /^-?\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/,
  time: /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/,
  gYear: /^-?\d{4,}(?:Z|[+-]\d{2}:\d{2})?$/,
};

/** A value that breaks the built-in type, for the types whose lexical space is narrower than text. */
export const WRONG_OF_TYPE: Readonly<Record<string, string>> = {
  decimal: '不是数字', integer: '1.5', int: '1.5', long: '1.5', short: '1.5', byte: '1.5',
  nonNegativeInteger: '-1', positiveInteger: '0', unsignedInt: '-1', unsignedLong: '-1',
  double: '不是数字', float: '不是数字', boolean: '也许', date: '2025-13-45', dateTime: '2025-04-03 25:00', time: '25:61:00', gYear: '二〇二五',
};

/** An XSD pattern as a JavaScript expression (XSD patterns are anchored; `\i`, `\c` and subtraction are not supported). */
function patternOf(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

/** Whether a text is in the lexical space of a simple type (a built-in type this reader does not know is judged by its facets only). */
export function conforms(text: string, simple: XsdSimple): boolean {
  const lexical = LEXICAL[simple.base];
  if (lexical && !lexical.test(text)) return false;
  if (simple.enumeration && !simple.enumeration.includes(text)) return false;
  if (simple.minLength !== undefined && [...text].length < simple.minLength) return false;
  if (simple.maxLength !== undefined && [...text].length > simple.maxLength) return false;
  return (simple.patterns ?? []).every((p) => patternOf(p)?.test(text) ?? true);
}

/** A text that breaks the simple type by the first of its facets that can be broken (type, enumeration, pattern, length), and which. */
export function breakSimple(simple: XsdSimple, valid: string): { value: string; facet: string } | undefined {
  const wrong = WRONG_OF_TYPE[simple.base];
  if (wrong !== undefined && !conforms(wrong, simple)) return { value: wrong, facet: `xs:${simple.base}` };
  if (simple.enumeration) {
    const value = `${simple.enumeration[0] ?? ''}不在枚举中`;
    if (!conforms(value, simple)) return { value, facet: `enumeration (${simple.enumeration.join(', ')})` };
  }
  if (simple.patterns) {
    const value = ['!', `${valid}!`, '', '0'.repeat(64)].find((v) => !conforms(v, simple) && (simple.patterns ?? []).some((p) => patternOf(p)?.test(v) === false));
    if (value !== undefined) return { value, facet: `pattern ${simple.patterns.join(' & ')}` };
  }
  if (simple.maxLength !== undefined) return { value: 'x'.repeat(simple.maxLength + 1), facet: `maxLength ${simple.maxLength}` };
  if (simple.minLength !== undefined && simple.minLength > 0) return { value: '', facet: `minLength ${simple.minLength}` };
  return undefined;
}

function textOf(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const text = (value as El)[TEXT_KEY];
    return typeof text === 'string' ? text : '';
  }
  return '';
}

/** The child elements of a parsed element (`parseXmlDocument`'s conventions) with local name `local`. */
function named(value: unknown, local: string): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as El)
    .filter(([key]) => !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY && localName(key) === local)
    .flatMap(([, v]) => (Array.isArray(v) ? (v as unknown[]) : [v]));
}

/** What a parsed element (as `parseXmlDocument` gives it) breaks of its declaration: missing or extra occurrences, texts outside their type. */
export function xsdProblems(value: unknown, element: XsdElement, path = element.name): string[] {
  if (element.simple) {
    const text = textOf(value);
    return conforms(text, element.simple) ? [] : [`${path}: "${text}" is not a valid xs:${element.simple.base}`];
  }
  const problems: string[] = [];
  for (const child of element.children ?? []) {
    const found = named(value, child.name);
    const at = `${path}/${child.name}`;
    if (found.length < child.minOccurs) problems.push(`${at}: missing (minOccurs ${child.minOccurs})`);
    if (found.length > child.maxOccurs) problems.push(`${at}: ${found.length} occurrences (maxOccurs ${child.maxOccurs})`);
    for (const f of found) problems.push(...xsdProblems(f, child, at));
  }
  return problems;
}

/** The texts of a parsed element as `name=text` pairs, in document order (for evidence). */
export function textPairs(value: unknown, path: readonly string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') return [`${path.join('/')}=${String(value)}`];
  if (Array.isArray(value)) return value.flatMap((v) => textPairs(v, path));
  if (typeof value !== 'object' || value === null) return [];
  const own = textOf(value);
  return [
    ...(own === '' ? [] : [`${path.join('/')}=${own}`]),
    ...Object.entries(value as El).filter(([k]) => !k.startsWith(ATTRIBUTE_PREFIX) && k !== TEXT_KEY).flatMap(([k, v]) => textPairs(v, [...path, localName(k)])),
  ];
}
