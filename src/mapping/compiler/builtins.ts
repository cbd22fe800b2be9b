// The functions a compiled mapping can call: jsonata's own built-ins and our domain functions, as jsonata defines them.
/* eslint-disable @typescript-eslint/no-explicit-any -- jsonata's function objects are untyped */
import jsonata from 'jsonata';
import { DOMAIN_FUNCTIONS } from '../functions.ts';
import type { Focus } from './calls.ts';
import { HOF } from './hofs.ts';
import { strings } from './values.ts';

/** A native function as jsonata represents it: its implementation, called with the focus as `this`, and its parsed signature. */
export interface NativeFunction {
  readonly _jsonata_function: true;
  readonly implementation: (this: Focus, ...args: any[]) => unknown;
  readonly signature: any;
}

/** jsonata's built-in function names (its static frame), without `$now`/`$millis`, which are per evaluation. */
const JSONATA_NAMES = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase',
  'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber', 'formatBase',
  'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean', 'not',
  'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse',
  'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent',
  'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone',
] as const;

/** Built-ins a compiled mapping cannot call: `$eval` compiles JSONata at run time. */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set(['eval']);

const names = [...JSONATA_NAMES, 'now', 'millis', ...DOMAIN_FUNCTIONS.map((f) => f.name)];
const probe = jsonata(`[${names.map((n) => `$${n}`).join(', ')}]`);
for (const f of DOMAIN_FUNCTIONS) probe.registerFunction(f.name, f.implementation as (this: jsonata.Focus, ...args: unknown[]) => unknown, f.signature);
const objects = (await probe.evaluate({})) as NativeFunction[];

/** jsonata's asynchronous functions, made synchronous; each keeps the arity of jsonata's (used by `$map` and friends). */
const SYNC: Record<string, (this: Focus, ...args: any[]) => unknown> = {
  map(this: Focus, arr: any, func: any) { return HOF.map!(this.ctx, arr, func); },
  filter(this: Focus, arr: any, func: any) { return HOF.filter!(this.ctx, arr, func); },
  single(this: Focus, arr: any, func: any) { return HOF.single!(this.ctx, arr, func); },
  reduce(this: Focus, sequence: any, func: any, init: any) { return HOF.reduce!(this.ctx, sequence, func, init); },
  sift(this: Focus, arg: any, func: any) { return HOF.sift!(this.ctx, arg, func); },
  each(this: Focus, obj: any, func: any) { return HOF.each!(this.ctx, obj, func); },
  sort(this: Focus, arr: any, comparator: any) { return HOF.sort!(this.ctx, arr, comparator); },
  contains(this: Focus, str: any, token: any) { return HOF.contains!(this.ctx, str, token); },
  match(this: Focus, str: any, regex: any, limit: any) { return HOF.match!(this.ctx, str, regex, limit); },
  replace(this: Focus, str: any, pattern: any, replacement: any, limit: any) { return HOF.replace!(this.ctx, str, pattern, replacement, limit); },
  split(this: Focus, str: any, separator: any, limit: any) { return HOF.split!(this.ctx, str, separator, limit); },
  substring(this: Focus, str: any, start: any, length: any) {
    // jsonata slices code points; a string without surrogates has one code unit per code point.
    if (typeof str === 'string' && !SURROGATE.test(str)) {
      const strLength = str.length;
      if (strLength + start < 0) start = 0;
      if (length !== undefined) {
        if (length <= 0) return '';
        return str.slice(start, start >= 0 ? start + length : strLength + start + length);
      }
      return str.slice(start);
    }
    return (JSONATA.substring as NativeFunction).implementation.call(this, str, start, length);
  },
  trim(this: Focus, str: any) {
    if (typeof str === 'string' && !WHITESPACE.test(str)) return str;
    return (JSONATA.trim as NativeFunction).implementation.call(this, str);
  },
  fromMillis(this: Focus, millis: any, picture: any, timezone: any) {
    return simpleFromMillis(millis, picture, timezone) ?? (JSONATA_FROM_MILLIS as NativeFunction).implementation.call(this, millis, picture, timezone);
  },
  toMillis(this: Focus, timestamp: any, picture: any) {
    const parse = typeof timestamp === 'string' && typeof picture === 'string' ? dateParser(picture) : undefined;
    return parse !== undefined ? parse(timestamp) : (JSONATA_TO_MILLIS as NativeFunction).implementation.call(this, timestamp, picture);
  },
  now(this: Focus, picture: any, timezone: any) {
    return (BUILTINS.fromMillis as NativeFunction).implementation.call(this, this.ctx.now.getTime(), picture, timezone);
  },
  millis(this: Focus) { return this.ctx.now.getTime(); },
};

const JSONATA_FROM_MILLIS = objects[names.indexOf('fromMillis')];
const JSONATA_TO_MILLIS = objects[names.indexOf('toMillis')];
const JSONATA = { substring: objects[names.indexOf('substring')], trim: objects[names.indexOf('trim')] };
const SURROGATE = /[\uD800-\uDFFF]/;
/** What jsonata's `$trim` would change: a tab, newline or return, a double space, a space at either end. */
const WHITESPACE = /[\t\n\r]| {2}|^ | $/;

/** A picture of only `[Y0001]`, `[M01]`, `[D01]`, `[H01]`, `[m01]`, `[s01]` and literal text without brackets. */
const SIMPLE_PICTURE = /^(?:\[(?:Y0001|M01|D01|H01|m01|s01)\]|[^[\]])*$/;
const PICTURE_PART = /\[(Y0001|M01|D01|H01|m01|s01)\]|[^[\]]+/g;

/**
 * `$fromMillis` for the pictures mappings write (`[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]`) and a `±hhmm` zone: the
 * string jsonata's `formatDateTime` makes (its offset arithmetic included), without analysing the picture on every
 * call. `undefined` for anything else, which jsonata then formats.
 */
function simpleFromMillis(millis: unknown, picture: unknown, timezone: unknown): string | undefined {
  if (typeof millis !== 'number' || !Number.isFinite(millis) || typeof picture !== 'string') return undefined;
  const parts = pictureParts(picture);
  if (parts === null) return undefined;
  let offset = 0;
  if (timezone !== undefined) {
    if (typeof timezone !== 'string') return undefined;
    const minutes = zoneMinutes(timezone);
    if (minutes === null) return undefined;
    offset = minutes;
  }
  const d = new Date(millis + offset * 60 * 1000);
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return undefined;
  let result = '';
  for (const part of parts) {
    switch (part) {
      case '[Y0001]': result += year < 1000 ? String(year).padStart(4, '0') : String(year); break;
      case '[M01]': result += two(d.getUTCMonth() + 1); break;
      case '[D01]': result += two(d.getUTCDate()); break;
      case '[H01]': result += two(d.getUTCHours()); break;
      case '[m01]': result += two(d.getUTCMinutes()); break;
      case '[s01]': result += two(d.getUTCSeconds()); break;
      default: result += part;
    }
  }
  return result;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * A picture split into its markers and literal runs, or null when it is not a `SIMPLE_PICTURE`; remembered
 * (mappings use a handful of pictures, each analysed once).
 */
function pictureParts(picture: string): readonly string[] | null {
  let parts = PICTURES.get(picture);
  if (parts === undefined) {
    parts = SIMPLE_PICTURE.test(picture) ? [...picture.matchAll(PICTURE_PART)].map((m) => m[0]) : null;
    if (PICTURES.size >= 256) PICTURES.clear();
    PICTURES.set(picture, parts);
  }
  return parts;
}

const PICTURES = new Map<string, readonly string[] | null>();

/** The offset of a `±hhmm` zone in minutes as jsonata's `formatDateTime` computes it, or null for any other zone; remembered. */
function zoneMinutes(timezone: string): number | null {
  let minutes = ZONES.get(timezone);
  if (minutes === undefined) {
    if (/^[+-]?\d{4}$/.test(timezone)) {
      const offset = parseInt(timezone, 10);
      minutes = 60 * Math.floor(offset / 100) + (offset % 100);
    } else {
      minutes = null;
    }
    if (ZONES.size >= 256) ZONES.clear();
    ZONES.set(timezone, minutes);
  }
  return minutes;
}

const ZONES = new Map<string, number | null>();

/** `[Y0001]`, `[M01]`, `[D01]` with `[H01]`, `[m01]`, `[s01]` or not, in this order, each pair apart by a run of `-/:. `. */
const PARSABLE_PICTURE = /^\[Y0001\][-/:. ]+\[M01\][-/:. ]+\[D01\](?:[-/:. ]+\[H01\][-/:. ]+\[m01\][-/:. ]+\[s01\])?$/;

/**
 * `$toMillis(timestamp, picture)` for a `PARSABLE_PICTURE`, the picture analysed once: jsonata's `parseDateTime`
 * for it matches `^([0-9]+)sep([0-9]+)…$` and answers `Date.UTC(Y, M > 0 ? M - 1 : 0, D, H, m, s, 0)` (0 for an
 * absent time), undefined when the timestamp does not match. Undefined (no parser) for any other picture.
 */
function dateParser(picture: string): ((timestamp: string) => number | undefined) | undefined {
  let parse = PARSERS.get(picture);
  if (parse === undefined) {
    if (!PARSABLE_PICTURE.test(picture)) return undefined;
    const source = picture.split(/\[(?:Y0001|M01|D01|H01|m01|s01)\]/).map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('([0-9]+)');
    const re = new RegExp(`^${source}$`, 'i');
    parse = (timestamp: string): number | undefined => {
      const m = re.exec(timestamp);
      if (m === null) return undefined;
      const month = parseInt(m[2] as string);
      return Date.UTC(parseInt(m[1] as string), month > 0 ? month - 1 : 0, parseInt(m[3] as string),
        m[4] === undefined ? 0 : parseInt(m[4]), m[5] === undefined ? 0 : parseInt(m[5]), m[6] === undefined ? 0 : parseInt(m[6]), 0);
    };
    if (PARSERS.size >= 256) PARSERS.clear();
    PARSERS.set(picture, parse);
  }
  return parse;
}

const PARSERS = new Map<string, (timestamp: string) => number | undefined>();

/** Every function a compiled mapping may name, by name (a null-prototype table). */
export const BUILTINS: Readonly<Record<string, NativeFunction>> = Object.create(null);
names.forEach((name, i) => {
  const original = objects[i] as NativeFunction;
  const sync = Object.hasOwn(SYNC, name) ? SYNC[name] : undefined;
  // Copies: jsonata writes `token` and `position` on its own (shared) function objects; ours are frozen.
  (BUILTINS as Record<string, NativeFunction>)[name] = Object.freeze({ _jsonata_function: true, implementation: sync ?? original.implementation, signature: original.signature });
});
Object.freeze(BUILTINS);

strings.string = (arg) => (BUILTINS.string as NativeFunction).implementation.call(undefined as unknown as Focus, arg) as string | undefined;

export const isBuiltin = (name: string): boolean => Object.hasOwn(BUILTINS, name);
