/**
 * JSON Schema compatibility with the Confluent Schema Registry's semantics: typed differences,
 * compatibility levels with Confluent's messages, and the changes in words.
 *
 * Direction: `diffSchemas(old, new)` with only compatible differences means the new schema reads
 * data written with the old (BACKWARD); FORWARD is `diffSchemas(new, old)`; FULL is both.
 */
export {
  COMPATIBLE_CHANGES, DIFFERENCE_TYPES, isCompatibleChange, isDifferenceType, type DifferenceType,
} from './difference-types.ts';
export type { DifferenceDetail } from './difference-words.ts';
export type { Difference } from './diff-context.ts';
export type { SchemaResolver } from './schema-loader.ts';
export { diffSchemas, type CompatOptions } from './diff-schemas.ts';
export {
  COMPATIBILITY_LEVELS, checkCompatibility, formatDifference, isCompatibilityLevel,
  type CompatibilityLevel, type CompatibilityResult, type DirectedDifferences,
} from './check-compatibility.ts';
export { describeDifferences, type DescribedChange, type DiffDescription } from './describe-differences.ts';
