/** Where the repository's data folders are: the standard, the registry, the code lists. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root, found from this file's own location. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StandardsPaths {
  readonly root: string;
  readonly standards: string;
  readonly registry: string;
  readonly codeLists: string;
}

export function standardsPaths(root: string = REPO_ROOT): StandardsPaths {
  return {
    root,
    standards: join(root, 'standards'),
    registry: join(root, 'registry'),
    codeLists: join(root, 'standards', 'code-lists'),
  };
}

/** The `$id` of a subject version, as the conventions in `standards/README.md` fix it. */
export function schemaId(subject: string, version: string): string {
  return `https://standards.suyuan.dev/${subject}/${version}/schema.json`;
}

/** Subject names: lowercase words separated by dots and hyphens, e.g. `report.rare-earth-monthly`. */
export const SUBJECT_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** The namespace of the standard's extension fields (`sy:`), and the JSON-LD context that binds it. */
export const SY_NAMESPACE = 'https://standards.suyuan.dev/ns/';
export const STANDARD_CONTEXT: Readonly<Record<string, string>> = Object.freeze({ sy: SY_NAMESPACE });
