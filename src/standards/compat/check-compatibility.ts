/** Compatibility levels as the Confluent Schema Registry applies them, with its messages. */
import type { Difference } from './diff-context.ts';
import { diffSchemas, type CompatOptions } from './diff-schemas.ts';

export type CompatibilityLevel =
  | 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE',
];

/** Whether a string names a compatibility level (for config read from files and requests). */
export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

/**
 * One comparison made by a check. `backward`: `diffSchemas(previous, candidate)`, the candidate
 * reads what the previous version wrote; `forward`: `diffSchemas(candidate, previous)`.
 */
export interface DirectedDifferences {
  /** Index into `previousVersionsOldestFirst`. */
  readonly previous: number;
  readonly direction: 'backward' | 'forward';
  readonly compatible: boolean;
  /** All differences found, compatible ones included. */
  readonly differences: readonly Difference[];
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** One per incompatible difference, as Confluent words them: `Found incompatible change: Difference{…}`. */
  readonly messages: readonly string[];
  /** The comparisons made, newest previous version first, backward before forward. */
  readonly differences: readonly DirectedDifferences[];
}

/** Confluent's `Difference.toString()`: `Difference{jsonPath='#/properties/foo', type=TYPE_NARROWED}`. */
export function formatDifference(difference: Pick<Difference, 'path' | 'type'>): string {
  return `Difference{jsonPath='${difference.path}', type=${difference.type}}`;
}

/**
 * Checks `candidate` against earlier versions at `level`. BACKWARD: the candidate reads data
 * written with the latest version; FORWARD: the latest reads the candidate's data; FULL: both.
 * The `_TRANSITIVE` levels check every earlier version, the others the latest only; `NONE` and
 * an empty history check nothing. Versions are taken newest first, as Confluent does, and every
 * incompatible difference of every comparison becomes a message. Throws `SCHEMA_INVALID` as
 * `diffSchemas` does.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: unknown,
  previousVersionsOldestFirst: readonly unknown[],
  options: CompatOptions = {},
): CompatibilityResult {
  const newestFirst = previousVersionsOldestFirst.map((schema, index) => ({ schema, index })).reverse();
  const against = level === 'NONE' ? [] : level.endsWith('_TRANSITIVE') ? newestFirst : newestFirst.slice(0, 1);
  const directions: ReadonlyArray<'backward' | 'forward'> = level.startsWith('BACKWARD') ? ['backward']
    : level.startsWith('FORWARD') ? ['forward'] : ['backward', 'forward'];
  const results: DirectedDifferences[] = [];
  for (const { schema, index } of against) {
    for (const direction of directions) {
      const differences = direction === 'backward'
        ? diffSchemas(schema, candidate, options)
        : diffSchemas(candidate, schema, options);
      results.push({ previous: index, direction, compatible: differences.every((d) => d.compatible), differences });
    }
  }
  const messages = results.flatMap((r) => r.differences.filter((d) => !d.compatible))
    .map((d) => `Found incompatible change: ${formatDifference(d)}`);
  return { compatible: results.every((r) => r.compatible), messages, differences: results };
}
