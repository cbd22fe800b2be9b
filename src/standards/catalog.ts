/**
 * The catalogue of the standard: every subject version, released (`registry/`) or draft (`standards/`).
 *
 * A released version is read from its immutable registry file; a draft is the highest version folder
 * under `standards/<subject>/` that the registry index does not list. Reading never writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { SuyuanError } from '../errors.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { SUBJECT_PATTERN, standardsPaths, type StandardsPaths } from './paths.ts';

export interface RegistryEntry {
  readonly subject: string;
  readonly version: string;
  /** Path of the schema file, relative to `registry/`. */
  readonly file: string;
  readonly sha256: string;
  readonly releasedAt: string;
}

export interface RegistryIndex {
  readonly standard: string;
  readonly versions: readonly RegistryEntry[];
}

/** A version's place in its lifecycle: draft → published → deprecated → retired. */
export type VersionStatus = 'draft' | 'published' | 'deprecated' | 'retired';

/** Whether a version has left the draft stage (its schema can no longer change). */
export const isReleased = (v: { readonly status: VersionStatus }): boolean => v.status !== 'draft';

export interface SubjectVersion {
  readonly subject: string;
  readonly version: string;
  readonly status: VersionStatus;
  readonly schema: JsonObject;
  /** The schema file this version was read from. */
  readonly file: string;
  /** The version's source folder in `standards/`, when there is one (examples live there). */
  readonly sourceDir: string | undefined;
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SuyuanError('IO_FAILED', `cannot read ${file}`, { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new SuyuanError('DOCUMENT_UNREADABLE', `${file} is not JSON: ${(cause as Error).message}`, { cause });
  }
}

export function readRegistryIndex(paths: StandardsPaths): RegistryIndex {
  const file = join(paths.registry, 'index.json');
  if (!existsSync(file)) return { standard: 'suyuan', versions: [] };
  return readJsonFile(file) as RegistryIndex;
}

function readSchema(file: string): JsonObject {
  const value = readJsonFile(file);
  if (!isJsonObject(value)) throw new SuyuanError('SCHEMA_INVALID', `${file} is not a JSON object`);
  return value;
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
}

/** Where subject versions come from: the repository's files (`Catalog`) or the registry's database. */
export interface SchemaSource {
  subjects(): string[];
  /** Every version of a subject, oldest first; throws `SUBJECT_NOT_FOUND`. */
  versions(subject: string): readonly SubjectVersion[];
  /** Resolves a selector (exact version, `latest`, semver range); throws `VERSION_NOT_FOUND`. */
  get(subject: string, selector?: string): SubjectVersion;
  all(): SubjectVersion[];
}

export class Catalog implements SchemaSource {
  readonly paths: StandardsPaths;
  readonly index: RegistryIndex;
  readonly #bySubject = new Map<string, SubjectVersion[]>();

  constructor(root?: string) {
    this.paths = standardsPaths(root);
    this.index = readRegistryIndex(this.paths);
    const released = new Set<string>();
    for (const entry of this.index.versions) {
      released.add(`${entry.subject}@${entry.version}`);
      const sourceDir = join(this.paths.standards, entry.subject, entry.version);
      this.#add({
        subject: entry.subject,
        version: entry.version,
        status: 'published',
        schema: readSchema(join(this.paths.registry, entry.file)),
        file: join(this.paths.registry, entry.file),
        sourceDir: existsSync(sourceDir) ? sourceDir : undefined,
      });
    }
    for (const subject of listDirs(this.paths.standards).filter((s) => SUBJECT_PATTERN.test(s))) {
      const versions = listDirs(join(this.paths.standards, subject)).filter((v) => semver.valid(v) === v);
      for (const version of versions) {
        if (released.has(`${subject}@${version}`)) continue;
        const dir = join(this.paths.standards, subject, version);
        const file = join(dir, 'schema.json');
        if (!existsSync(file)) continue;
        this.#add({ subject, version, status: 'draft', schema: readSchema(file), file, sourceDir: dir });
      }
    }
    for (const list of this.#bySubject.values()) list.sort((a, b) => semver.compare(a.version, b.version));
  }

  #add(version: SubjectVersion): void {
    const list = this.#bySubject.get(version.subject) ?? [];
    list.push(version);
    this.#bySubject.set(version.subject, list);
  }

  subjects(): string[] {
    return [...this.#bySubject.keys()].sort();
  }

  /** Every version of a subject, oldest first. */
  versions(subject: string): readonly SubjectVersion[] {
    const list = this.#bySubject.get(subject);
    if (!list) throw new SuyuanError('SUBJECT_NOT_FOUND', `no subject "${subject}"`, { detail: { subject } });
    return list;
  }

  released(subject: string): readonly SubjectVersion[] {
    return this.versions(subject).filter(isReleased);
  }

  /** The subject's draft: its highest version not yet released, if any. */
  draft(subject: string): SubjectVersion | undefined {
    const list = this.versions(subject);
    const last = list[list.length - 1];
    return last?.status === 'draft' ? last : undefined;
  }

  all(): SubjectVersion[] {
    return this.subjects().flatMap((s) => this.versions(s));
  }

  /**
   * Resolves a version: an exact version, `latest` (highest released, else the draft), or a semver
   * range (`^1.2`), matched against released versions first and the draft last.
   */
  get(subject: string, selector = 'latest'): SubjectVersion {
    const list = this.versions(subject);
    const released = list.filter(isReleased);
    const found =
      selector === 'latest'
        ? released.at(-1) ?? list.at(-1)
        : list.find((v) => v.version === selector) ??
          (semver.validRange(selector)
            ? [...released].reverse().find((v) => semver.satisfies(v.version, selector)) ??
              [...list].reverse().find((v) => semver.satisfies(v.version, selector))
            : undefined);
    if (!found) {
      throw new SuyuanError('VERSION_NOT_FOUND', `no version "${selector}" of subject "${subject}"`, {
        detail: { subject, version: selector },
      });
    }
    return found;
  }
}

/** Splits `subject@version` (version optional, default `latest`). */
export function parseSubjectRef(ref: string): { subject: string; version: string } {
  const at = ref.indexOf('@');
  return at < 0 ? { subject: ref, version: 'latest' } : { subject: ref.slice(0, at), version: ref.slice(at + 1) };
}
