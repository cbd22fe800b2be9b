/** Compares the leaf kinds of schema: strings, numbers, `enum`, `const`, `not` and conditionals. */
import { step, type DiffContext } from './diff-context.ts';
import type { DifferenceType } from './difference-types.ts';
import type { DifferenceDetail } from './difference-words.ts';
import {
  canonicalJson, sameJson,
  type ConditionalNode, type ConstNode, type EnumNode, type NotNode, type NumberNode, type StringNode,
} from './schema-node.ts';

type BoundPrefix =
  | 'MAX_LENGTH' | 'MIN_LENGTH' | 'MAXIMUM' | 'MINIMUM' | 'EXCLUSIVE_MAXIMUM' | 'EXCLUSIVE_MINIMUM'
  | 'MAX_PROPERTIES' | 'MIN_PROPERTIES' | 'MAX_ITEMS' | 'MIN_ITEMS';

/** A numeric bound: `<prefix>_ADDED`, `_REMOVED`, `_INCREASED` or `_DECREASED` at `keyword`. */
export function diffBound(
  ctx: DiffContext, keyword: string, prefix: BoundPrefix, from: number | undefined, to: number | undefined,
): void {
  if (from === to) return;
  const detail = fromTo(from, to);
  const type: DifferenceType = from === undefined ? `${prefix}_ADDED` : to === undefined ? `${prefix}_REMOVED`
    : from < to ? `${prefix}_INCREASED` : `${prefix}_DECREASED`;
  ctx.add(type, detail, step(keyword));
}

/**
 * Strings. In our dialect a `format` is compared as a named pattern: formats are checked by the
 * hub (GTIN, USCC, …), so adding one narrows what is accepted. Confluent ignores `format`.
 */
export function diffString(ctx: DiffContext, o: StringNode, u: StringNode): void {
  diffBound(ctx, 'maxLength', 'MAX_LENGTH', o.maxLength, u.maxLength);
  diffBound(ctx, 'minLength', 'MIN_LENGTH', o.minLength, u.minLength);
  diffPattern(ctx, 'pattern', o.pattern, u.pattern);
  if (ctx.extensions) diffPattern(ctx, 'format', o.format, u.format);
}

function diffPattern(ctx: DiffContext, keyword: string, from: string | undefined, to: string | undefined): void {
  if (from === to) return;
  const type: DifferenceType = from === undefined ? 'PATTERN_ADDED' : to === undefined ? 'PATTERN_REMOVED' : 'PATTERN_CHANGED';
  ctx.add(type, fromTo(from, to), step(keyword));
}

/**
 * Numbers, after Confluent, with two repairs: exclusive maxima are compared with each other
 * (Confluent compares a decreased one against `maximum`), and `multipleOf` is compared exactly in
 * decimal (Confluent truncates to integers, which fails on `0.01`).
 */
export function diffNumber(ctx: DiffContext, o: NumberNode, u: NumberNode): void {
  diffBound(ctx, 'maximum', 'MAXIMUM', o.maximum, u.maximum);
  diffBound(ctx, 'minimum', 'MINIMUM', o.minimum, u.minimum);
  diffBound(ctx, 'exclusiveMaximum', 'EXCLUSIVE_MAXIMUM', o.exclusiveMaximum, u.exclusiveMaximum);
  diffBound(ctx, 'exclusiveMinimum', 'EXCLUSIVE_MINIMUM', o.exclusiveMinimum, u.exclusiveMinimum);
  const [from, to] = [o.multipleOf, u.multipleOf];
  if (from !== to) {
    const type: DifferenceType = from === undefined ? 'MULTIPLE_OF_ADDED' : to === undefined ? 'MULTIPLE_OF_REMOVED'
      : isMultiple(to, from) ? 'MULTIPLE_OF_EXPANDED' : isMultiple(from, to) ? 'MULTIPLE_OF_REDUCED' : 'MULTIPLE_OF_CHANGED';
    ctx.add(type, fromTo(from, to), step('multipleOf'));
  }
  if (o.integer !== u.integer) {
    const detail = { from: o.integer ? 'integer' : 'number', to: u.integer ? 'integer' : 'number' };
    ctx.add(o.integer ? 'TYPE_EXTENDED' : 'TYPE_NARROWED', detail);
  }
}

/** `enum` as a set of JSON values: a superset extends, a subset narrows, anything else changes. */
export function diffEnum(ctx: DiffContext, o: EnumNode, u: EnumNode): void {
  const before = new Map(o.values.map((v) => [canonicalJson(v), v]));
  const after = new Map(u.values.map((v) => [canonicalJson(v), v]));
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, v]) => v);
  const added = [...after].filter(([k]) => !before.has(k)).map(([, v]) => v);
  if (removed.length === 0 && added.length === 0) return;
  const type: DifferenceType = removed.length === 0 ? 'ENUM_ARRAY_EXTENDED' : added.length === 0 ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED';
  ctx.add(type, { from: removed, to: added }, step('enum'));
}

/** `const`: any change is `ENUM_ARRAY_CHANGED`, as in Confluent. */
export function diffConst(ctx: DiffContext, o: ConstNode, u: ConstNode): void {
  if (!sameJson(o.value, u.value)) ctx.add('ENUM_ARRAY_CHANGED', { from: o.value, to: u.value }, step('const'));
}

/**
 * `not`: the wrapped schemas are compared the other way round; if the old one reads what the new
 * one excludes, fewer values are excluded (`NOT_TYPE_NARROWED`). Unlike Confluent, identical
 * wrapped schemas give no difference at all (Confluent reports `NOT_TYPE_NARROWED` for them).
 */
export function diffNot(ctx: DiffContext, o: NotNode, u: NotNode): void {
  ctx.within(step('not'), () => {
    const reversed = ctx.sub();
    reversed.compare(u.schema, o.schema);
    if (reversed.differences.length === 0) return;
    ctx.add(reversed.compatible ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED');
  });
}

/**
 * `if`/`then`/`else`: Confluent does not look inside them. We cannot judge a change there either,
 * so any change is `COMBINED_TYPE_SUBSCHEMAS_CHANGED`: incompatible both ways, never silent.
 */
export function diffConditional(ctx: DiffContext, o: ConditionalNode, u: ConditionalNode): void {
  if (o.key !== u.key) ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED');
}

function fromTo(from: unknown, to: unknown): DifferenceDetail {
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** Whether `a` is an integer multiple of `b`, exactly for decimals written without exponent. */
function isMultiple(a: number, b: number): boolean {
  const [da, db] = [decimal(a), decimal(b)];
  if (!da || !db || db.digits === 0n) {
    const quotient = a / b;
    return Number.isFinite(quotient) && Math.abs(quotient - Math.round(quotient)) < 1e-9;
  }
  const scale = Math.max(da.scale, db.scale);
  const ia = da.digits * 10n ** BigInt(scale - da.scale);
  const ib = db.digits * 10n ** BigInt(scale - db.scale);
  return ia % ib === 0n;
}

function decimal(n: number): { digits: bigint; scale: number } | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(n));
  if (!match) return undefined;
  const fraction = match[3] ?? '';
  return { digits: BigInt(`${match[1] ?? ''}${match[2] ?? ''}${fraction}`), scale: fraction.length };
}
