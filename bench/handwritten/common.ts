// What the hand-written mapping equivalents share: the domain functions, jsonata's trim, field readers.
/* eslint-disable @typescript-eslint/no-explicit-any -- department records are untyped JSON */
import { DOMAIN_FUNCTIONS } from '../../src/mapping/index.ts';

export type Rec = Record<string, any>;
export type Fn = (...args: any[]) => any;
export type HandWritten = (input: any, bindings: Rec) => unknown;

export const domain = Object.fromEntries(DOMAIN_FUNCTIONS.map((f) => [f.name, f.implementation as Fn])) as Record<string, Fn>;
export const uscc = domain.uscc as Fn;
export const gtin = domain.gtin as Fn;
export const drugCode = domain.drugCode as Fn;
export const localTime = domain.localTime as Fn;
export const regionName = domain.regionName as Fn;
export const lotClass = domain.lotClass as Fn;
export const digitalLink = domain.digitalLink as Fn;

/** jsonata's `$trim`: runs of whitespace become one space, then leading and trailing spaces go. */
export function trim(s: string): string {
  let r = s.replace(/[ \t\n\r]+/gm, ' ');
  if (r.charAt(0) === ' ') r = r.substring(1);
  if (r.charAt(r.length - 1) === ' ') r = r.substring(0, r.length - 1);
  return r;
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v));

export function optional(row: Rec, field: string): string | undefined {
  const v = row[field];
  if (v === undefined) return undefined;
  const t = trim(str(v));
  return t === '' ? undefined : t;
}

export function need(row: Rec, field: string): string {
  const v = optional(row, field);
  if (v === undefined) throw new Error(`The field ${field} is missing`);
  return v;
}

export function num(text: string): number {
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw new Error(`not a number: ${text}`);
  return Number(text);
}

export function positive(row: Rec, field: string, integer = false): number {
  const n = num(need(row, field));
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`The field ${field} must be positive`);
  return n;
}

export const zone = (b: Rec): string => (b.timeZone !== undefined ? b.timeZone : '+08:00');
export const asList = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The child element of an XML node by local name (any prefix). */
export function child(node: any, name: string): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  for (const key of Object.keys(node)) {
    const i = key.indexOf(':');
    if ((i < 0 ? key : key.substring(i + 1)) === name) return node[key];
  }
  return undefined;
}

/** An element's trimmed text (a string, or an object's `#text`), nothing when blank. */
export function text(node: any, name: string): string | undefined {
  const v = child(node, name);
  const s = v !== null && typeof v === 'object' && !Array.isArray(v) ? v['#text'] : v;
  if (s === undefined) return undefined;
  const t = trim(str(s));
  return t === '' ? undefined : t;
}

export function needText(node: any, name: string): string {
  const v = text(node, name);
  if (v === undefined) throw new Error(`${name} is missing`);
  return v;
}
