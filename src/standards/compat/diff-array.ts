/** Compares array schemas: the all-items schema, prefix items by content model, further items, bounds. */
import type { DiffContext, Segment } from './diff-context.ts';
import { diffBound } from './diff-scalars.ts';
import { deref } from './schema-loader.ts';
import type { ArrayNode, Node } from './schema-node.ts';

/**
 * Confluent's array rules; the tuple's content model plays the part an object's does for its
 * properties: open when further items are allowed without a schema, partially open when a schema
 * (`items` beside `prefixItems`) governs them, closed when `false` forbids them. Confluent writes
 * prefix items as `#/items/<i>` and the further-items keyword as `#/additionalItems`, whatever the
 * draft; the pointer names the keywords as written.
 */
export function diffArray(ctx: DiffContext, o: ArrayNode, u: ArrayNode): void {
  ctx.within({ confluent: 'items', pointer: ['items'] }, () => ctx.compare(o.allItems, u.allItems));
  const common = Math.min(o.prefix.length, u.prefix.length);
  for (let i = 0; i < Math.max(o.prefix.length, u.prefix.length); i += 1) {
    const [before, after] = [o.prefix[i], u.prefix[i]];
    const at: Segment = { confluent: `items/${i}`, pointer: [(after ? u : o).tupleKeyword, String(i)] };
    ctx.within(at, () => {
      if (i < common) ctx.compare(before, after);
      else if (before !== undefined) itemRemoved(ctx, u, i, before);
      else if (after !== undefined) itemAdded(ctx, o, i, after);
    });
  }
  ctx.within({ confluent: 'additionalItems', pointer: [u.additionalKeyword] }, () => {
    if (o.permitsAdditional !== u.permitsAdditional) {
      ctx.add(o.permitsAdditional ? 'ADDITIONAL_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_ADDED');
    } else if (o.additionalSchema === undefined && u.additionalSchema !== undefined) {
      ctx.add('ADDITIONAL_ITEMS_NARROWED');
    } else if (o.additionalSchema !== undefined && u.additionalSchema === undefined) {
      ctx.add('ADDITIONAL_ITEMS_EXTENDED');
    } else {
      ctx.compare(o.additionalSchema, u.additionalSchema);
    }
  });
  diffBound(ctx, 'maxItems', 'MAX_ITEMS', o.maxItems, u.maxItems);
  diffBound(ctx, 'minItems', 'MIN_ITEMS', o.minItems, u.minItems);
  if (o.uniqueItems !== u.uniqueItems) {
    ctx.add(o.uniqueItems ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', {}, { confluent: 'uniqueItems', pointer: ['uniqueItems'] });
  }
}

function itemRemoved(ctx: DiffContext, u: ArrayNode, index: number, before: Node): void {
  const name = String(index);
  if (isOpen(u)) return ctx.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', { name });
  if (u.additionalSchema !== undefined) {
    const trial = ctx.sub();
    trial.compare(before, u.additionalSchema);
    ctx.addAll(trial.differences);
    ctx.add(trial.compatible
      ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', { name });
    return;
  }
  ctx.add(deref(before).kind === 'false' ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', { name });
}

function itemAdded(ctx: DiffContext, o: ArrayNode, index: number, after: Node): void {
  const name = String(index);
  if (isOpen(o)) {
    const empty = deref(after).kind === 'empty';
    return ctx.add(empty ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL', { name });
  }
  if (o.additionalSchema !== undefined) {
    const trial = ctx.sub();
    trial.compare(o.additionalSchema, after);
    ctx.addAll(trial.differences);
    ctx.add(trial.compatible
      ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', { name });
    return;
  }
  ctx.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', { name });
}

function isOpen(schema: ArrayNode): boolean {
  return schema.permitsAdditional && schema.additionalSchema === undefined;
}
