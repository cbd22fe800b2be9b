/** Compares two combinators (`allOf`, `anyOf`, `oneOf`, and the synthetic ones): criterion, then a matching of subschemas. */
import type { Difference, DiffContext, Segment } from './diff-context.ts';
import type { DifferenceType } from './difference-types.ts';
import { canonicalJson, type CombinedNode, type Node } from './schema-node.ts';

interface Edge {
  readonly original: number;
  readonly update: number;
  readonly differences: readonly Difference[];
}

/**
 * Confluent's rules: a criterion may only be relaxed (anything to `anyOf`; a singleton to `oneOf`;
 * singleton to singleton `allOf`). Subschemas, duplicates counted once, are then matched: an
 * original subschema may pair with an update subschema it compares compatibly with, and a
 * maximum matching is taken. If it does not cover the smaller side, the subschemas changed
 * incompatibly. Only the differences of matched pairs are reported.
 */
export function diffCombined(ctx: DiffContext, o: CombinedNode, u: CombinedNode): void {
  const criterion = criterionChange(o, u);
  if (criterion) ctx.add(criterion, { from: o.criterion, to: u.criterion });
  if (criterion === 'COMBINED_TYPE_CHANGED') return;
  const before = distinct(o.subschemas);
  const after = distinct(u.subschemas);
  if (before.length !== after.length) {
    const grew = before.length < after.length;
    if (u.criterion === 'allOf') ctx.add(grew ? 'PRODUCT_TYPE_EXTENDED' : 'PRODUCT_TYPE_NARROWED');
    else ctx.add(grew ? 'SUM_TYPE_EXTENDED' : 'SUM_TYPE_NARROWED');
  }
  const trials = before.map(({ node, index }, i) => {
    const at: Segment = { confluent: `${o.criterion}/${i}`, pointer: o.synthetic ? [] : [o.criterion, String(index)] };
    return after.map((candidate, j): Edge => {
      const trial = ctx.sub();
      trial.within(at, () => trial.compare(node, candidate.node));
      return { original: i, update: j, differences: trial.differences };
    });
  });
  const edges = trials.map((row) => row.filter((e) => e.differences.every((d) => d.compatible))
    .sort((a, b) => a.differences.length - b.differences.length));
  const matching = maximumMatching(edges, after.length);
  for (const edge of matching) ctx.addAll(edge.differences);
  if (matching.length < Math.min(before.length, after.length)) {
    ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED', {}, undefined, causes(trials, matching));
  }
}

/** For each unmatched original, the incompatible differences against its closest unmatched update. */
function causes(trials: ReadonlyArray<readonly Edge[]>, matching: readonly Edge[]): Difference[] {
  const matchedUpdates = new Set(matching.map((e) => e.update));
  const matchedOriginals = new Set(matching.map((e) => e.original));
  return trials.filter((_, i) => !matchedOriginals.has(i)).flatMap((row) => {
    const incompatible = (e: Edge): Difference[] =>
      e.differences.filter((d) => !d.compatible).flatMap((d) => d.causes ?? [d]);
    const closest = row.filter((e) => !matchedUpdates.has(e.update))
      .sort((a, b) => incompatible(a).length - incompatible(b).length)[0];
    return closest ? incompatible(closest) : [];
  });
}

function criterionChange(o: CombinedNode, u: CombinedNode): DifferenceType | undefined {
  if (o.criterion === u.criterion) return undefined;
  if (u.criterion === 'anyOf') return 'COMBINED_TYPE_EXTENDED';
  if (u.criterion === 'oneOf') return o.subschemas.length === 1 ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED';
  return o.subschemas.length === 1 && u.subschemas.length === 1 ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED';
}

/** Subschemas with equal JSON counted once, each with its position as written. */
function distinct(nodes: readonly Node[]): Array<{ node: Node; index: number }> {
  const seen = new Set<string>();
  const kept: Array<{ node: Node; index: number }> = [];
  nodes.forEach((node, index) => {
    if (node.raw !== undefined) {
      const key = canonicalJson(node.raw);
      if (seen.has(key)) return;
      seen.add(key);
    }
    kept.push({ node, index });
  });
  return kept;
}

/**
 * A maximum bipartite matching. Pairs with the fewest differences are seated first, so an
 * unchanged subschema pairs with its twin; augmenting paths (Kuhn) then make it maximum.
 */
function maximumMatching(edges: ReadonlyArray<readonly Edge[]>, updates: number): Edge[] {
  const owner = new Array<number>(updates).fill(-1);
  const chosen = new Map<number, Edge>();
  const byCost = edges.flat().sort((a, b) => a.differences.length - b.differences.length);
  for (const edge of byCost) {
    if (!chosen.has(edge.original) && owner[edge.update] === -1) {
      owner[edge.update] = edge.original;
      chosen.set(edge.original, edge);
    }
  }
  const assign = (left: number, visited: Set<number>): boolean => {
    for (const edge of edges[left] ?? []) {
      if (visited.has(edge.update)) continue;
      visited.add(edge.update);
      const holder = owner[edge.update] ?? -1;
      if (holder === -1 || assign(holder, visited)) {
        owner[edge.update] = left;
        chosen.set(left, edge);
        return true;
      }
    }
    return false;
  };
  edges.forEach((_, left) => {
    if (!chosen.has(left)) assign(left, new Set());
  });
  return [...chosen.entries()].sort(([a], [b]) => a - b).map(([, edge]) => edge);
}
