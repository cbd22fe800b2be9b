/**
 * The released registry as files: `registry/<subject>/<version>.schema.json`, each recorded with its
 * sha256 in `registry/index.json`. Append-only: a released file never changes, an entry never goes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { readRegistryIndex, type RegistryEntry, type RegistryIndex } from './catalog.ts';
import type { JsonObject } from './json.ts';
import type { StandardsPaths } from './paths.ts';

export function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The exact bytes a released schema file holds. */
export function releasedBytes(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export interface IntegrityProblem {
  readonly file: string;
  readonly message: string;
}

/** Checks every entry's file exists with its recorded sha256, and every schema file has an entry. */
export function verifyRegistry(paths: StandardsPaths): IntegrityProblem[] {
  const index = readRegistryIndex(paths);
  const problems: IntegrityProblem[] = [];
  const listed = new Set<string>();
  for (const entry of index.versions) {
    const file = join(paths.registry, entry.file);
    listed.add(entry.file);
    if (entry.file !== `${entry.subject}/${entry.version}.schema.json`) problems.push({ file, message: 'entry file name does not follow <subject>/<version>.schema.json' });
    if (!existsSync(file)) problems.push({ file, message: 'released file is missing' });
    else if (sha256(readFileSync(file)) !== entry.sha256) problems.push({ file, message: `released file changed: sha256 is no longer ${entry.sha256}` });
  }
  const seen = new Set<string>();
  for (const entry of index.versions) {
    const key = `${entry.subject}@${entry.version}`;
    if (seen.has(key)) problems.push({ file: join(paths.registry, 'index.json'), message: `${key} is listed twice` });
    seen.add(key);
  }
  if (existsSync(paths.registry)) {
    for (const subject of readdirSync(paths.registry, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const name of readdirSync(join(paths.registry, subject.name)).filter((f) => f.endsWith('.schema.json'))) {
        const rel = `${subject.name}/${name}`;
        if (!listed.has(rel)) problems.push({ file: join(paths.registry, rel), message: 'schema file is not in index.json' });
      }
    }
  }
  return problems;
}

/** Writes a new released version and appends its entry; refuses a version already released. */
export function writeRelease(paths: StandardsPaths, subject: string, version: string, schema: JsonObject, now: Date): RegistryEntry {
  const index: RegistryIndex = readRegistryIndex(paths);
  const rel = `${subject}/${version}.schema.json`;
  const file = join(paths.registry, rel);
  if (existsSync(file) || index.versions.some((e) => e.subject === subject && e.version === version)) {
    throw new SuyuanError('VERSION_ALREADY_RELEASED', `${subject}@${version} is already released`, { detail: { subject, version } });
  }
  const bytes = releasedBytes(schema);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes, { flag: 'wx' });
  const entry: RegistryEntry = { subject, version, file: rel, sha256: sha256(bytes), releasedAt: now.toISOString() };
  const next: RegistryIndex = { standard: index.standard, versions: [...index.versions, entry] };
  writeFileSync(join(paths.registry, 'index.json'), `${JSON.stringify(next, null, 2)}\n`);
  return entry;
}

/** A path relative to the repository root, for messages. */
export function fromRoot(paths: StandardsPaths, file: string): string {
  return relative(paths.root, file);
}
