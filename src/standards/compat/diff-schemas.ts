/** `diffSchemas`: every difference between two JSON Schemas, typed and judged as Confluent's `SchemaDiff` does. */
import { diffArray } from './diff-array.ts';
import { diffCombined } from './diff-combined.ts';
import { DiffContext, type Difference } from './diff-context.ts';
import { diffExtensions } from './diff-extensions.ts';
import { diffObject } from './diff-object.ts';
import { diffConditional, diffConst, diffEnum, diffNot, diffNumber, diffString } from './diff-scalars.ts';
import { SchemaLoader, deref, type SchemaResolver } from './schema-loader.ts';
import { sameJson, type Node } from './schema-node.ts';

export interface CompatOptions {
  /** Resolves `$ref`s to other subjects by absolute URI (their `$id`). Local `#/$defs/…` need nothing. */
  readonly resolve?: SchemaResolver;
  /** The codes of a code list version `<list>@<version>`, to judge a changed `x-code-list`; `undefined` when unknown. */
  readonly resolveCodeList?: (ref: string) => readonly string[] | undefined;
  /**
   * `suyuan` (the default) also compares `format`, `x-rules` and `x-code-list`; `confluent`
   * compares exactly what Confluent compares, for answers a Confluent client can check.
   */
  readonly dialect?: 'suyuan' | 'confluent';
}

/**
 * The differences found going from `original` to `update`, in the order Confluent finds them.
 * `update` can read every document `original` accepts (BACKWARD) when every difference is
 * `compatible`. Schemas are draft 2020-12 (draft-07 tuples and `dependencies` are read too).
 * Throws `SCHEMA_INVALID` when a schema is not a schema or a `$ref` cannot be resolved.
 */
export function diffSchemas(original: unknown, update: unknown, options: CompatOptions = {}): readonly Difference[] {
  const loader = new SchemaLoader(options.resolve);
  const before = loader.load(original);
  const after = loader.load(update);
  const ctx = DiffContext.start({
    compare: compareNodes,
    extensions: options.dialect !== 'confluent',
    codeList: options.resolveCodeList,
    inProgress: new Map(),
  });
  ctx.compare(before, after);
  return ctx.differences;
}

/** Confluent's `SchemaDiff.compare`: references followed, combinators met half-way, then kind by kind. */
function compareNodes(ctx: DiffContext, original: Node | undefined, update: Node | undefined): void {
  if (original === undefined && update === undefined) return;
  if (original === undefined) return ctx.add('SCHEMA_ADDED');
  if (update === undefined) return ctx.add('SCHEMA_REMOVED');
  const o = deref(original);
  const u = deref(update);
  if (ctx.extensions && o.raw !== undefined && u.raw !== undefined && !ctx.comparing(o, u)) diffExtensions(ctx, o.meta, u.meta);
  if (o.kind !== 'combined' && u.kind === 'combined') {
    const [only] = u.subschemas;
    if (only !== undefined && u.subschemas.length === 1) {
      if (tryCompare(ctx, o, only)) return;
    } else if (u.criterion !== 'allOf') {
      for (const alternative of u.subschemas) {
        if (tryCompare(ctx, o, alternative)) return ctx.add('SUM_TYPE_EXTENDED');
      }
    }
  } else if (o.kind === 'combined' && u.kind !== 'combined') {
    const [only] = o.subschemas;
    if (only !== undefined && o.subschemas.length === 1) {
      if (tryCompare(ctx, only, u)) return;
    } else if (o.criterion === 'allOf') {
      for (const conjunct of o.subschemas) {
        if (tryCompare(ctx, conjunct, u)) return ctx.add('PRODUCT_TYPE_NARROWED');
      }
    }
  }
  if (o.kind !== u.kind) {
    if (o.kind === 'false' || u.kind === 'empty') return;
    return ctx.add('TYPE_CHANGED', { from: kindName(o), to: kindName(u) });
  }
  ctx.guard(o, u, () => {
    if (o.meta.id !== u.meta.id) ctx.add('ID_CHANGED', { from: o.meta.id, to: u.meta.id });
    if (o.meta.title !== u.meta.title) ctx.add('TITLE_CHANGED', { from: o.meta.title, to: u.meta.title });
    if (o.meta.description !== u.meta.description) ctx.add('DESCRIPTION_CHANGED');
    if (!sameJson(o.meta.defaultValue, u.meta.defaultValue)) {
      ctx.add('DEFAULT_CHANGED', { from: o.meta.defaultValue, to: u.meta.defaultValue });
    }
    compareSameKind(ctx, o, u);
  });
}

/** Compares in a trial context; keeps its differences and answers true only when all are compatible. */
function tryCompare(ctx: DiffContext, original: Node, update: Node): boolean {
  const trial = ctx.sub();
  trial.compare(original, update);
  if (!trial.compatible) return false;
  ctx.addAll(trial.differences);
  return true;
}

function compareSameKind(ctx: DiffContext, o: Node, u: Node): void {
  if (o.kind === 'string' && u.kind === 'string') diffString(ctx, o, u);
  else if (o.kind === 'number' && u.kind === 'number') diffNumber(ctx, o, u);
  else if (o.kind === 'const' && u.kind === 'const') diffConst(ctx, o, u);
  else if (o.kind === 'enum' && u.kind === 'enum') diffEnum(ctx, o, u);
  else if (o.kind === 'combined' && u.kind === 'combined') diffCombined(ctx, o, u);
  else if (o.kind === 'not' && u.kind === 'not') diffNot(ctx, o, u);
  else if (o.kind === 'object' && u.kind === 'object') diffObject(ctx, o, u);
  else if (o.kind === 'array' && u.kind === 'array') diffArray(ctx, o, u);
  else if (o.kind === 'conditional' && u.kind === 'conditional') diffConditional(ctx, o, u);
}

function kindName(node: Node): string {
  switch (node.kind) {
    case 'number': return node.integer ? 'integer' : 'number';
    case 'combined': return node.criterion;
    case 'empty': return 'any';
    case 'conditional': return 'if';
    default: return node.kind;
  }
}
