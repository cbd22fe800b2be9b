/**
 * The registry's database snapshot seen as a source of subject versions, so the standard's validator,
 * compatibility, types and docs work on it exactly as on the repository's files.
 */
import semver from 'semver';
import { SuyuanError } from '../errors.ts';
import type { SchemaSource, SubjectVersion, VersionStatus } from '../standards/catalog.ts';
import type { JsonObject } from '../standards/json.ts';
import type { SchemaReference } from './canonical.ts';
import type { Snapshot } from './store.ts';

export interface RegistryVersion extends SubjectVersion {
  /** Confluent's integer version; `null` while a draft. */
  readonly number: number | null;
  readonly schemaId: number;
  readonly schemaType: string;
  /** The canonical schema text, as the Confluent API returns it. */
  readonly schemaText: string;
  readonly references: readonly SchemaReference[];
  readonly deleted: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const bySemver = (a: RegistryVersion, b: RegistryVersion): number => semver.compare(a.version, b.version);

export class RegistrySource implements SchemaSource {
  readonly snapshot: Snapshot;
  readonly #bySubject = new Map<string, RegistryVersion[]>();

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    for (const row of snapshot.versions) {
      const schema = snapshot.schemas.get(row.schema_id);
      if (!schema) continue;
      const version: RegistryVersion = {
        subject: row.subject,
        version: row.semver,
        status: row.status as VersionStatus,
        schema: JSON.parse(schema.schema) as JsonObject,
        file: `registry:${row.subject}/${row.semver}`,
        sourceDir: undefined,
        number: row.number,
        schemaId: schema.id,
        schemaType: schema.schema_type,
        schemaText: schema.schema,
        references: JSON.parse(schema.references_json) as SchemaReference[],
        deleted: row.deleted === 1,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
      const list = this.#bySubject.get(row.subject) ?? [];
      list.push(version);
      this.#bySubject.set(row.subject, list);
    }
    for (const list of this.#bySubject.values()) list.sort(bySemver);
  }

  /** Subjects that are not soft-deleted (or all, with `includeDeleted`). */
  subjects(includeDeleted = false): string[] {
    return this.snapshot.subjects.filter((s) => includeDeleted || s.deleted === 0).map((s) => s.name);
  }

  subjectRow(subject: string): Snapshot['subjects'][number] | undefined {
    return this.snapshot.subjects.find((s) => s.name === subject);
  }

  /** Versions of a subject oldest first; soft-deleted ones only with `includeDeleted`. */
  versions(subject: string, includeDeleted = false): readonly RegistryVersion[] {
    const row = this.subjectRow(subject);
    if (!row || (row.deleted === 1 && !includeDeleted)) {
      throw new SuyuanError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`, { detail: { subject } });
    }
    return (this.#bySubject.get(subject) ?? []).filter((v) => includeDeleted || !v.deleted);
  }

  all(): RegistryVersion[] {
    return [...this.#bySubject.values()].flat();
  }

  /** Versions that have left draft, oldest first. */
  released(subject: string, includeDeleted = false): RegistryVersion[] {
    return this.versions(subject, includeDeleted).filter((v) => v.status !== 'draft');
  }

  /**
   * Resolves a selector: a Confluent number (`-1` is the latest), `latest` (the latest released
   * version), an exact semantic version, or a range such as `^1.2` (released versions only).
   */
  get(subject: string, selector = 'latest', includeDeleted = false): RegistryVersion {
    const list = this.versions(subject, includeDeleted);
    const released = list.filter((v) => v.status !== 'draft');
    let found: RegistryVersion | undefined;
    if (/^-?\d+$/.test(selector)) {
      const n = Number(selector);
      found = n === -1 ? [...released].sort((a, b) => (a.number ?? 0) - (b.number ?? 0)).at(-1) : list.find((v) => v.number === n);
    } else if (selector === 'latest') found = released.at(-1);
    else found = list.find((v) => v.version === selector) ??
      (semver.validRange(selector) ? [...released].reverse().find((v) => semver.satisfies(v.version, selector)) : undefined);
    if (!found) {
      throw new SuyuanError('VERSION_NOT_FOUND', `Version ${selector} not found.`, { detail: { subject, version: selector } });
    }
    return found;
  }

  /** Where a schema id is used: every (subject, number) that is not soft-deleted. */
  usesOfSchema(id: number): Array<{ subject: string; version: number }> {
    return this.all()
      .filter((v) => v.schemaId === id && !v.deleted && v.number !== null)
      .map((v) => ({ subject: v.subject, version: v.number ?? 0 }));
  }

  /**
   * Live versions of other subjects whose schema references `subject` — one `version` of it when
   * given — by Confluent reference (subject and number) or by `$id` (subject and exact semver).
   */
  referencesTo(subject: string, version?: RegistryVersion): RegistryVersion[] {
    const byId = `"https://standards.suyuan.dev/${subject}/${version ? `${version.version}/` : ''}`;
    return this.all().filter((v) => !v.deleted && v.subject !== subject && (
      v.references.some((r) => r.subject === subject && (version === undefined || r.version === version.number)) ||
      v.schemaText.includes(byId)));
  }

  /** The compatibility level of a subject: its own, else the global one. */
  level(subject: string): string {
    return this.snapshot.config.get(subject) ?? this.snapshot.config.get('') ?? 'BACKWARD';
  }
}
