/**
 * Versioned code lists named by schemas through `x-code-list: "<list>@<version>"`.
 *
 * A list is the file `standards/code-lists/<list>/<version>.json` whose `codes` object maps each
 * code to its Chinese name. Lists are read once and cached; a released list version never changes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { readJsonFile } from './catalog.ts';
import { isJsonObject } from './json.ts';
import { standardsPaths } from './paths.ts';

export interface CodeList {
  readonly list: string;
  readonly version: string;
  readonly codes: ReadonlyMap<string, string>;
}

const cache = new Map<string, CodeList>();

/** Splits `gbt2260@2024` into its list and version; throws `CODE_LIST_NOT_FOUND` when malformed. */
export function parseCodeListRef(ref: string): { list: string; version: string } {
  const match = /^([a-z0-9-]+)@([A-Za-z0-9.-]+)$/.exec(ref);
  if (!match?.[1] || !match[2]) throw new SuyuanError('CODE_LIST_NOT_FOUND', `"${ref}" is not <list>@<version>`);
  return { list: match[1], version: match[2] };
}

/** Loads a code list version; throws `CODE_LIST_NOT_FOUND` when the repository does not have it. */
export function codeList(ref: string, root?: string): CodeList {
  const key = `${root ?? ''}|${ref}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const { list, version } = parseCodeListRef(ref);
  const file = join(standardsPaths(root).codeLists, list, `${version}.json`);
  if (!existsSync(file)) throw new SuyuanError('CODE_LIST_NOT_FOUND', `no code list ${ref}`, { detail: { list, version } });
  const data = readJsonFile(file);
  const codes = isJsonObject(data) && isJsonObject(data.codes) ? data.codes : undefined;
  if (!codes) throw new SuyuanError('CODE_LIST_NOT_FOUND', `code list ${ref} has no "codes" object`);
  const loaded: CodeList = { list, version, codes: new Map(Object.entries(codes).map(([c, n]) => [c, String(n)])) };
  cache.set(key, loaded);
  return loaded;
}

/** The problem code for a value missing from a list: regions have their own, others share one. */
export function unknownCodeProblem(list: string): string {
  return list === 'gbt2260' ? 'REGION_UNKNOWN' : 'CODE_LIST_UNKNOWN';
}
