/** Compares our compatibility-relevant extensions, `x-rules` and `x-code-list`, in Confluent's terms. */
import { step, type DiffContext } from './diff-context.ts';
import type { Meta } from './schema-node.ts';

/**
 * The decision, since Confluent knows neither keyword:
 * - `x-rules` entries are extra conjuncts of the object's validation, as an `allOf` member is. A
 *   rule added is `PRODUCT_TYPE_EXTENDED` (incompatible: old data may break it), a rule removed
 *   `PRODUCT_TYPE_NARROWED` (compatible), each at `#/…/x-rules/<rule>`.
 * - `x-code-list` restricts a value to the codes of a list version, as an `enum` does. Added is
 *   `ENUM_ARRAY_NARROWED` (incompatible), removed `ENUM_ARRAY_EXTENDED` (compatible). Another
 *   list or version is compared by its codes when `codeList` knows both (superset extends, subset
 *   narrows, equal is no difference) and is `ENUM_ARRAY_CHANGED` otherwise: a change we cannot
 *   see into is never taken as safe.
 * Other annotations (`title`, `description`, `x-classification`, `x-entitled`, `examples`) do not
 * affect which documents validate and are not compared beyond what Confluent compares.
 */
export function diffExtensions(ctx: DiffContext, o: Meta, u: Meta): void {
  for (const rule of u.rules) {
    if (!o.rules.includes(rule)) ctx.add('PRODUCT_TYPE_EXTENDED', { name: rule }, step('x-rules', rule));
  }
  for (const rule of o.rules) {
    if (!u.rules.includes(rule)) ctx.add('PRODUCT_TYPE_NARROWED', { name: rule }, step('x-rules', rule));
  }
  const [from, to] = [o.codeList, u.codeList];
  if (from === to) return;
  const at = step('x-code-list');
  if (from === undefined) return ctx.add('ENUM_ARRAY_NARROWED', { to }, at);
  if (to === undefined) return ctx.add('ENUM_ARRAY_EXTENDED', { from }, at);
  const before = ctx.codeList?.(from);
  const after = ctx.codeList?.(to);
  if (!before || !after) return ctx.add('ENUM_ARRAY_CHANGED', { from, to }, at);
  const kept = new Set(after);
  const gone = before.some((code) => !kept.has(code));
  const had = new Set(before);
  const fresh = after.some((code) => !had.has(code));
  if (!gone && !fresh) return;
  ctx.add(gone && fresh ? 'ENUM_ARRAY_CHANGED' : gone ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_EXTENDED', { from, to }, at);
}
