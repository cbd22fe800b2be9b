/** Compares object schemas: required, properties by content model, dependencies, additional properties, bounds. */
import { step, type DiffContext, type Segment } from './diff-context.ts';
import { diffBound } from './diff-scalars.ts';
import { deref } from './schema-loader.ts';
import type { Node, ObjectNode } from './schema-node.ts';

/**
 * Confluent's object rules. The content model decides what a property added or removed means:
 * - open (no `additionalProperties` schema or `false`, no `patternProperties`): old data may hold
 *   any value under a new name, so a property added is incompatible unless its schema is empty;
 *   a property removed is compatible.
 * - partially open (`patternProperties`, or an `additionalProperties` schema): the name's covering
 *   schema is compared with the property's, and decides.
 * - closed (`additionalProperties: false`): a property added is compatible unless required without
 *   a default; a property removed is incompatible unless its schema was `false`.
 * Only the original's model matters for additions and only the update's for removals.
 */
export function diffObject(ctx: DiffContext, o: ObjectNode, u: ObjectNode): void {
  diffRequired(ctx, o, u);
  const keys = [...o.properties.keys(), ...[...u.properties.keys()].filter((k) => !o.properties.has(k))];
  for (const key of keys) {
    ctx.within(step('properties', key), () => {
      const [before, after] = [o.properties.get(key), u.properties.get(key)];
      if (after === undefined) propertyRemoved(ctx, u, key, before);
      else if (before === undefined) propertyAdded(ctx, o, u, key, after);
      else ctx.compare(before, after);
    });
  }
  diffDependencies(ctx, o, u);
  ctx.within(step('additionalProperties'), () => {
    if (o.permitsAdditional !== u.permitsAdditional) {
      ctx.add(u.permitsAdditional ? 'ADDITIONAL_PROPERTIES_ADDED' : 'ADDITIONAL_PROPERTIES_REMOVED');
    } else if (o.additionalSchema === undefined && u.additionalSchema !== undefined) {
      ctx.add('ADDITIONAL_PROPERTIES_NARROWED');
    } else if (o.additionalSchema !== undefined && u.additionalSchema === undefined) {
      ctx.add('ADDITIONAL_PROPERTIES_EXTENDED');
    } else {
      ctx.compare(o.additionalSchema, u.additionalSchema);
    }
  });
  diffBound(ctx, 'maxProperties', 'MAX_PROPERTIES', o.maxProperties, u.maxProperties);
  diffBound(ctx, 'minProperties', 'MIN_PROPERTIES', o.minProperties, u.minProperties);
}

/** Whether a property is now required or no longer, for properties both versions define. */
function diffRequired(ctx: DiffContext, o: ObjectNode, u: ObjectNode): void {
  for (const key of o.properties.keys()) {
    const after = u.properties.get(key);
    if (after === undefined) continue;
    const at: Segment = { confluent: `required/${key}`, pointer: ['properties', key] };
    const [was, is] = [o.required.has(key), u.required.has(key)];
    if (was && !is) ctx.add('REQUIRED_ATTRIBUTE_REMOVED', { name: key }, at);
    if (!was && is) {
      ctx.add(after.meta.hasDefault ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED', { name: key }, at);
    }
  }
}

function propertyRemoved(ctx: DiffContext, u: ObjectNode, key: string, before: Node | undefined): void {
  if (before === undefined) return;
  if (isOpen(u)) return ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', { name: key });
  const covering = coveringSchema(u, key);
  if (covering !== undefined) {
    const trial = ctx.sub();
    trial.compare(before, covering);
    ctx.addAll(trial.differences);
    ctx.add(trial.compatible
      ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', { name: key });
    return;
  }
  ctx.add(deref(before).kind === 'false'
    ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
    : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', { name: key });
}

function propertyAdded(ctx: DiffContext, o: ObjectNode, u: ObjectNode, key: string, after: Node): void {
  const required = u.required.has(key);
  if (isOpen(o)) {
    const empty = deref(after).kind === 'empty';
    ctx.add(empty ? 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', { name: key, required });
    return;
  }
  const covering = coveringSchema(o, key);
  if (covering !== undefined) {
    const trial = ctx.sub();
    trial.compare(covering, after);
    ctx.addAll(trial.differences);
    ctx.add(trial.compatible
      ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', { name: key, required });
  }
  if (!required) ctx.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', { name: key, required });
  else if (after.meta.hasDefault) ctx.add('REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL', { name: key, required });
  else ctx.add('REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', { name: key, required });
}

function diffDependencies(ctx: DiffContext, o: ObjectNode, u: ObjectNode): void {
  for (const key of union(o.dependentRequired.keys(), u.dependentRequired.keys())) {
    const at: Segment = { confluent: `dependencies/${key}`, pointer: ['dependentRequired', key] };
    const [before, after] = [o.dependentRequired.get(key), u.dependentRequired.get(key)];
    if (after === undefined) ctx.add('DEPENDENCY_ARRAY_REMOVED', { name: key }, at);
    else if (before === undefined) ctx.add('DEPENDENCY_ARRAY_ADDED', { name: key }, at);
    else {
      const grew = after.some((p) => !before.includes(p));
      const shrank = before.some((p) => !after.includes(p));
      const detail = { name: key, from: before, to: after };
      if (grew && shrank) ctx.add('DEPENDENCY_ARRAY_CHANGED', detail, at);
      else if (grew) ctx.add('DEPENDENCY_ARRAY_EXTENDED', detail, at);
      else if (shrank) ctx.add('DEPENDENCY_ARRAY_NARROWED', detail, at);
    }
  }
  for (const key of union(o.dependentSchemas.keys(), u.dependentSchemas.keys())) {
    const at: Segment = { confluent: `dependencies/${key}`, pointer: ['dependentSchemas', key] };
    const [before, after] = [o.dependentSchemas.get(key), u.dependentSchemas.get(key)];
    if (after === undefined) ctx.add('DEPENDENCY_SCHEMA_REMOVED', { name: key }, at);
    else if (before === undefined) ctx.add('DEPENDENCY_SCHEMA_ADDED', { name: key }, at);
    else ctx.within(at, () => ctx.compare(before, after));
  }
}

function isOpen(schema: ObjectNode): boolean {
  return schema.patternProperties.length === 0 && schema.additionalSchema === undefined && schema.permitsAdditional;
}

/** The schema a partially open model gives an undeclared name: the first matching pattern, else `additionalProperties`. */
function coveringSchema(schema: ObjectNode, key: string): Node | undefined {
  for (const [pattern, node] of schema.patternProperties) {
    if (matches(pattern, key)) return node;
  }
  return schema.additionalSchema;
}

function matches(pattern: string, key: string): boolean {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags).test(key);
    } catch {
      // not valid with these flags; try without Unicode mode
    }
  }
  return false;
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])];
}
