// Bridges between major versions of a subject of the standard, as data: `mappings/standards/<subject>/<from>-to-<to>.jsonata`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { REPO_ROOT } from '../standards/paths.ts';
import type { MappingSource } from './engine.ts';
import { DEFAULT_CASE_NOW, invalid, readJson, type MappingCase } from './repository.ts';

/** One bridge: a JSONata mapping from documents of one major of a subject to another, with its cases. */
export interface Bridge extends MappingSource {
  readonly subject: string;
  readonly from: number;
  readonly to: number;
  /** `<from>-to-<to>.cases.json`: input → expected (or expected error), like any mapping's cases. */
  readonly cases: readonly MappingCase[];
}

/** Every bridge of a repository, by subject. */
export interface BridgeSet {
  /** Subjects that have at least one bridge. */
  subjects(): string[];
  /**
   * The bridges that carry a document of `subject` from major `from` to major `to`, in order: the
   * direct one when there is one, else the shortest chain (1 → 2 → 3). `[]` when `from === to`;
   * `undefined` when no chain exists.
   */
  bridgePath(subject: string, from: number, to: number): Bridge[] | undefined;
}

const FILE = /^(\d+)-to-(\d+)\.jsonata$/;

/** The mapping id a bridge is compiled and reported under: `bridge:<subject>:<from>-to-<to>`. */
export const bridgeId = (subject: string, from: number, to: number): string => `bridge:${subject}:${from}-to-${to}`;


function readCases(path: string, root: string): MappingCase[] {
  if (!existsSync(path)) return [];
  const file = relative(root, path);
  const data = readJson(path, root);
  if (!Array.isArray(data)) invalid(file, '(root)', 'must be an array of cases');
  return data.map((c: unknown, i) => {
    const r = (typeof c === 'object' && c !== null && !Array.isArray(c) ? c : invalid(file, `[${i}]`, 'must be an object')) as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.name === '') invalid(file, `[${i}].name`, 'must be a non-empty string');
    if (!('input' in r)) invalid(file, `[${i}].input`, 'is required');
    if (('expected' in r) === ('expectedError' in r)) invalid(file, `[${i}]`, 'must have exactly one of expected and expectedError');
    if ('expectedError' in r && typeof r.expectedError !== 'string') invalid(file, `[${i}].expectedError`, 'must be an error code');
    return {
      name: r.name, file, input: r.input, now: typeof r.now === 'string' ? r.now : DEFAULT_CASE_NOW,
      ...('expected' in r ? { expected: r.expected } : { expectedError: r.expectedError as string }),
    };
  });
}

/** The bridges of one subject's folder; `bridge.json` gives their version (`{ subject, version, summary }`). */
function loadSubject(dir: string, subject: string, root: string): Bridge[] {
  const metaFile = join(dir, 'bridge.json');
  const file = relative(root, metaFile);
  if (!existsSync(metaFile)) invalid(file, '(file)', 'is missing: every bridge folder names its subject and version');
  const meta = readJson(metaFile, root) as Record<string, unknown>;
  if (meta.subject !== subject) invalid(file, 'subject', `must be the folder name "${subject}"`);
  if (typeof meta.version !== 'string' || semver.valid(meta.version) !== meta.version) invalid(file, 'version', 'must be a semantic version such as 1.0.0');
  const version = meta.version;
  return readdirSync(dir).sort().flatMap((name): Bridge[] => {
    const m = FILE.exec(name);
    if (!m) return [];
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (from === to) invalid(relative(root, join(dir, name)), '(name)', 'must bridge two different majors');
    return [{
      id: bridgeId(subject, from, to), version, subject, from, to,
      source: readFileSync(join(dir, name), 'utf8'),
      cases: readCases(join(dir, `${from}-to-${to}.cases.json`), root),
    }];
  });
}

/**
 * Loads every bridge under `<root>/mappings/standards/` (root: this repository). Throws
 * `MAPPING_COMPILE` naming the file and the field for a missing or invalid `bridge.json` or cases file.
 * The JSONata is compiled by the mapping engine on first use, like any mapping.
 */
export function loadBridges(root: string = REPO_ROOT): BridgeSet {
  const all = allBridges(root);
  return {
    subjects: () => [...new Set(all.map((b) => b.subject))],
    bridgePath(subject, from, to) {
      if (from === to) return [];
      // Breadth first over the subject's bridges: the direct bridge, else the shortest chain.
      const edges = all.filter((b) => b.subject === subject);
      const queue: Array<{ at: number; via: Bridge[] }> = [{ at: from, via: [] }];
      const seen = new Set<number>([from]);
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const b of edges.filter((e) => e.from === next.at && !seen.has(e.to))) {
          if (b.to === to) return [...next.via, b];
          seen.add(b.to);
          queue.push({ at: b.to, via: [...next.via, b] });
        }
      }
      return undefined;
    },
  };
}

/** Every bridge under `<root>/mappings/standards/`, by subject and file name; throws as `loadBridges` does. */
export function allBridges(root: string = REPO_ROOT): Bridge[] {
  const base = join(root, 'mappings', 'standards');
  return existsSync(base)
    ? readdirSync(base).sort().filter((s) => statSync(join(base, s)).isDirectory()).flatMap((s) => loadSubject(join(base, s), s, root))
    : [];
}
