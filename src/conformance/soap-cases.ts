/**
 * The requests a SOAP receiver MUST refuse, derived from the WSDL's own schema and from the
 * identifiers the mapped requests carry: each required element left out (minOccurs ≥ 1, the XSD
 * default), each element whose type or facets are narrower than text given a value outside them,
 * and each identifier with a check character (unified social credit code, GTIN, GS1 Digital Link
 * trace code) given a wrong one. A case is a recipe: applied to a freshly mapped valid request, it
 * gives the broken one, so each request the platform sees carries a key of its own.
 *
 * Values are the mapped, department-shaped objects the SOAP client serialises: element names as
 * keys, repeated elements as arrays; a path walks the first item of each array it meets.
 */
import { checkDigitalLink, checkGtin, checkUscc, USCC_ALPHABET } from '../standards/identifiers/index.ts';
import { isJsonObject } from '../standards/json.ts';
import { breakSimple, type XsdElement } from './xsd.ts';

export interface SoapCase {
  /** `missing/<path>`, `type/<path>`, `check-digit/<path>`. */
  readonly id: string;
  readonly kind: 'missing' | 'type' | 'check-digit';
  /** The element path under the operation's element, `召回通知/召回编号`. */
  readonly element: string;
  /** What the request breaks, for the evidence. */
  readonly breaks: string;
  /** Which of the valid requests the recipe applies to (its source document is mapped afresh for the case). */
  readonly base: number;
  /** The broken request from a valid one; `undefined` when the valid one lacks what the case needs. */
  readonly apply: (valid: unknown) => unknown;
}

type Obj = Record<string, unknown>;

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** The value at `steps`, through the first item of every array. */
export function readAt(value: unknown, steps: readonly string[]): unknown {
  let at = value;
  for (const step of steps) {
    const here = first(at);
    if (!isJsonObject(here)) return undefined;
    at = here[step];
  }
  return at;
}

/** A copy of `value` where the object holding the last step is replaced by `edit(holder)`. */
function editParent(value: unknown, steps: readonly string[], edit: (holder: Obj) => Obj): unknown {
  if (steps.length === 0) return value;
  const go = (at: unknown, i: number): unknown => {
    if (Array.isArray(at)) return at.length === 0 ? at : [go(at[0], i), ...at.slice(1)];
    if (!isJsonObject(at)) return at;
    if (i === steps.length - 1) return edit({ ...at });
    const step = steps[i] as string;
    return step in at ? { ...at, [step]: go(at[step], i + 1) } : at;
  };
  return go(value, 0);
}

/** `value` without the element at `steps` (every occurrence of a repeated one). */
export const withoutAt = (value: unknown, steps: readonly string[]): unknown =>
  editParent(value, steps, (holder) => {
    const { [steps.at(-1) as string]: _gone, ...rest } = holder;
    return rest;
  });

/**
 * `value` with the element at `steps` set to `text` (the first occurrence of a repeated one), added
 * when absent at its place in the sequence `order` (the SOAP client writes members in key order).
 */
export function withTextAt(value: unknown, steps: readonly string[], text: string, order: readonly string[]): unknown {
  const name = steps.at(-1) as string;
  return editParent(value, steps, (holder) => {
    const current = holder[name];
    if (Array.isArray(current)) return { ...holder, [name]: [text, ...current.slice(1)] };
    if (name in holder) return { ...holder, [name]: text };
    const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
    return Object.fromEntries([...Object.entries(holder), [name, text]].sort(([a], [b]) => rank(a) - rank(b)));
  });
}

/** Every text leaf of a value with its element path (first items only) — numbers included, as the client writes them. */
function leaves(value: unknown, steps: string[] = []): Array<{ steps: string[]; text: string }> {
  const here = first(value);
  if (typeof here === 'string' || typeof here === 'number') return [{ steps, text: String(here) }];
  if (!isJsonObject(here)) return [];
  return Object.entries(here).flatMap(([k, v]) => leaves(v, [...steps, k]));
}

interface Corrupter {
  readonly kind: string;
  readonly valid: (text: string) => boolean;
  readonly corrupt: (text: string) => string;
  readonly broken: (text: string) => boolean;
}

const nextDigit = (d: string): string => String((Number(d) + 1) % 10);

/** Identifiers whose last character is a check: recognised, and broken in that character only. */
const CORRUPTERS: readonly Corrupter[] = [
  {
    kind: 'USCC', valid: (t) => checkUscc(t) === null, broken: (t) => checkUscc(t)?.code === 'USCC_CHECK',
    corrupt: (t) => `${t.slice(0, 17)}${USCC_ALPHABET[(USCC_ALPHABET.indexOf(t.charAt(17)) + 1) % USCC_ALPHABET.length] ?? '0'}`,
  },
  {
    kind: 'GTIN', valid: (t) => /^\d{8}$|^\d{12,14}$/.test(t) && checkGtin(t) === null, broken: (t) => checkGtin(t) !== null,
    corrupt: (t) => `${t.slice(0, -1)}${nextDigit(t.slice(-1))}`,
  },
  {
    kind: 'GS1 Digital Link', valid: (t) => /\/01\/\d{14}(?:\/|$)/.test(t) && checkDigitalLink(t) === null, broken: (t) => checkDigitalLink(t) !== null,
    corrupt: (t) => t.replace(/\/01\/(\d{13})(\d)/, (_m, body: string, d: string) => `/01/${body}${nextDigit(d)}`),
  },
];

/** Every text of a source document (the standard document the request was mapped from). */
function sourceTexts(doc: unknown, out: string[] = []): string[] {
  if (typeof doc === 'string') out.push(doc);
  else if (Array.isArray(doc)) for (const v of doc) sourceTexts(v, out);
  else if (isJsonObject(doc)) for (const v of Object.values(doc)) sourceTexts(v, out);
  return out;
}

/**
 * The cases for an operation's element `root`, from valid mapped requests (`value`, with the
 * `source` document each came from). Missing and type cases are built on the request that holds
 * most elements; check-digit cases on any request carrying the identifier, which must come from
 * the source document (an identifier of the standard, not a number that happens to check).
 */
export function soapCases(root: XsdElement, valid: ReadonlyArray<{ readonly value: unknown; readonly source: unknown }>): SoapCase[] {
  let base = 0;
  valid.forEach((v, i) => { if (leaves(v.value).length > leaves(valid[base]?.value).length) base = i; });
  const richest = valid[base]?.value;
  const cases: SoapCase[] = [];
  const walk = (element: XsdElement, steps: string[]): void => {
    const order = (element.children ?? []).map((c) => c.name);
    for (const child of element.children ?? []) {
      const at = [...steps, child.name];
      const path = at.join('/');
      if (child.minOccurs >= 1) {
        cases.push({ id: `missing/${path}`, kind: 'missing', element: path, base, breaks: `required element ${child.name} left out (minOccurs ${child.minOccurs})`, apply: (v) => (readAt(v, at) === undefined ? undefined : withoutAt(v, at)) });
      }
      if (child.simple) {
        const present = readAt(richest, at);
        const broken = breakSimple(child.simple, present === undefined ? '' : String(first(present)));
        if (broken) {
          cases.push({
            id: `type/${path}`, kind: 'type', element: path, base, breaks: `${child.name} = "${broken.value}", outside ${broken.facet}`,
            apply: (v) => (steps.length > 0 && readAt(v, steps) === undefined ? undefined : withTextAt(v, at, broken.value, order)),
          });
        }
      }
      if (child.children && readAt(richest, at) !== undefined) walk(child, at);
    }
  };
  walk(root, []);

  const seen = new Set<string>();
  for (const [index, { value, source }] of valid.entries()) {
    const texts = sourceTexts(source);
    for (const leaf of leaves(value)) {
      for (const c of CORRUPTERS) {
        const path = leaf.steps.join('/');
        if (seen.has(`${path} ${c.kind}`) || !c.valid(leaf.text) || !texts.some((t) => t.includes(leaf.text))) continue;
        const wrong = c.corrupt(leaf.text);
        if (!c.broken(wrong)) continue;
        seen.add(`${path} ${c.kind}`);
        const steps = leaf.steps;
        cases.push({
          id: `check-digit/${path}`, kind: 'check-digit', element: path, base: index, breaks: `${c.kind} ${wrong} (valid: ${leaf.text}) fails its check character`,
          apply: (v) => (readAt(v, steps) === undefined ? undefined : withTextAt(v, steps, wrong, [])),
        });
      }
    }
  }
  return cases;
}
