// The functions a compiled mapping can call: jsonata's own built-ins and our domain functions, as jsonata defines them.
/* eslint-disable @typescript-eslint/no-explicit-any -- jsonata's function objects are untyped */
import jsonata from 'jsonata';
import { DOMAIN_FUNCTIONS } from '../functions.ts';
import { hofs, strings, type Focus } from './runtime.ts';

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

const hofsOf = (focus: Focus): Record<string, (...args: any[]) => any> => (focus.ctx.hofs ??= hofs(focus.ctx));

/** jsonata's asynchronous functions, made synchronous; each keeps the arity of jsonata's (used by `$map` and friends). */
const SYNC: Record<string, (this: Focus, ...args: any[]) => unknown> = {
  map(this: Focus, arr: any, func: any) { return hofsOf(this).map!(arr, func); },
  filter(this: Focus, arr: any, func: any) { return hofsOf(this).filter!(arr, func); },
  single(this: Focus, arr: any, func: any) { return hofsOf(this).single!(arr, func); },
  reduce(this: Focus, sequence: any, func: any, init: any) { return hofsOf(this).reduce!(sequence, func, init); },
  sift(this: Focus, arg: any, func: any) { return hofsOf(this).sift!(arg, func); },
  each(this: Focus, obj: any, func: any) { return hofsOf(this).each!(obj, func); },
  sort(this: Focus, arr: any, comparator: any) { return hofsOf(this).sort!(arr, comparator); },
  contains(this: Focus, str: any, token: any) { return hofsOf(this).contains!(str, token); },
  match(this: Focus, str: any, regex: any, limit: any) { return hofsOf(this).match!(str, regex, limit); },
  replace(this: Focus, str: any, pattern: any, replacement: any, limit: any) { return hofsOf(this).replace!(str, pattern, replacement, limit); },
  split(this: Focus, str: any, separator: any, limit: any) { return hofsOf(this).split!(str, separator, limit); },
  now(this: Focus, picture: any, timezone: any) {
    return (BUILTINS.fromMillis as NativeFunction).implementation.call(this, this.ctx.now.getTime(), picture, timezone);
  },
  millis(this: Focus) { return this.ctx.now.getTime(); },
};

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
