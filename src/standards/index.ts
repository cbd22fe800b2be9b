/** The exchange standard: its catalogue of subject versions, validation, and the tools around them. */
import { Catalog } from './catalog.ts';
import { Standards } from './validator.ts';

export { Catalog, isReleased, parseSubjectRef, readJsonFile, readRegistryIndex, type RegistryEntry, type RegistryIndex, type SchemaSource, type SubjectVersion, type VersionStatus } from './catalog.ts';
export { Standards, epcisEvents, type ValidationResult, type LoadFailure } from './validator.ts';
export { CLASSIFICATIONS, type Classification } from './ajv.ts';
export { RULES, type Rule } from './rules.ts';
export { schemaId, REPO_ROOT, standardsPaths, type StandardsPaths } from './paths.ts';

export interface LoadOptions {
  /** Repository root holding `standards/` and `registry/`; defaults to this repository. */
  readonly root?: string;
}

/** Reads the standard (released and draft versions) and prepares validation. */
export async function loadStandards(options: LoadOptions = {}): Promise<Standards> {
  return new Standards(new Catalog(options.root), options.root);
}
