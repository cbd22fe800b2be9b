// GB/T 2260 region codes, read from the versioned code lists in `standards/code-lists/`.
import { SuyuanError } from '../../errors.ts';
import { codeListVersions, loadCodeList } from '../code-lists.ts';
import { issue, type IdentifierIssue } from './issue.ts';

export { codeListVersions, loadCodeList, type CodeList } from '../code-lists.ts';

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
