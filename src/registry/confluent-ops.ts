/**
 * The registry operations that Confluent Schema Registry clients expect: register (same canonical
 * schema, same id, in every subject; re-registering returns the existing id), look up, and soft or
 * permanent deletes. Confluent has no drafts: a registered schema is published at once, with the
 * next minor semantic version.
 */
import semver from 'semver';
import { SuyuanError } from '../errors.ts';
import { isJsonObject, type JsonObject } from '../standards/json.ts';
import { canonicalJson, fingerprint, parseSchemaText, type SchemaReference } from './canonical.ts';
import type { RegistryService } from './service.ts';
import type { RegistryVersion } from './source.ts';

export interface SchemaSubmission {
  readonly schema?: unknown;
  readonly schemaType?: unknown;
  readonly references?: unknown;
}

export interface ParsedSubmission {
  readonly schema: JsonObject;
  readonly schemaType: string;
  readonly references: readonly SchemaReference[];
  readonly fingerprint: string;
}

/** Reads a submission body; refuses non-JSON schema types and unknown references. */
export function parseSubmission(service: RegistryService, body: SchemaSubmission): ParsedSubmission {
  const schemaType = body.schemaType === undefined ? 'AVRO' : String(body.schemaType);
  if (schemaType !== 'JSON') {
    throw new SuyuanError('SCHEMA_INVALID', `Invalid schema: schema type ${schemaType} is not supported; this registry holds JSON schemas (send "schemaType": "JSON")`);
  }
  const parsed = parseSchemaText(body.schema);
  if (!isJsonObject(parsed)) throw new SuyuanError('SCHEMA_INVALID', 'Invalid schema: a boolean schema cannot be registered');
  const references = Array.isArray(body.references) ? body.references : [];
  const refs: SchemaReference[] = references.map((r: unknown) => {
    if (!isJsonObject(r) || typeof r.name !== 'string' || typeof r.subject !== 'string' || typeof r.version !== 'number') {
      throw new SuyuanError('SCHEMA_INVALID', 'Invalid schema: each reference needs name, subject and version');
    }
    try {
      service.source.get(r.subject, String(r.version));
    } catch (cause) {
      throw new SuyuanError('SCHEMA_INVALID', `Invalid schema: reference ${r.subject} version ${r.version} not found`, { cause });
    }
    return { name: r.name, subject: r.subject, version: r.version };
  });
  return { schema: parsed, schemaType, references: refs, fingerprint: fingerprint(schemaType, canonicalJson(parsed), refs) };
}

function existingIn(service: RegistryService, subject: string, fp: string): RegistryVersion | undefined {
  if (!service.source.subjects().includes(subject)) return undefined;
  return service.source.released(subject).find((v) => fingerprint(v.schemaType, v.schemaText, v.references) === fp);
}

/** Registers a schema under a subject; returns its global id. */
export async function register(service: RegistryService, actor: string, subject: string, body: SchemaSubmission): Promise<number> {
  const submission = parseSubmission(service, body);
  const existing = existingIn(service, subject, submission.fingerprint);
  if (existing) return existing.schemaId;
  // Soft-deleted versions keep their rows (and semantic versions) until a permanent delete: count them.
  const all = service.source.all().filter((v) => v.subject === subject).map((v) => v.version).sort(semver.compare);
  const latest = all.at(-1);
  const version = latest ? (semver.inc(latest, 'minor') ?? '1.0.0') : '1.0.0';
  service.assertCompiles(subject, version, submission.schema);
  const answer = service.compatibility(subject, submission.schema, { references: submission.references });
  if (!answer.compatible) {
    throw new SuyuanError('SCHEMA_INCOMPATIBLE', `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${answer.messages.join(', ')}]`, {
      detail: { messages: answer.messages },
    });
  }
  const { schemaId } = await service.write((tx, now) =>
    service.insertVersion(tx, now, subject, version, submission.schema, submission.references, 'published', submission.schemaType));
  await service.audit.record(actor, 'version.register', `subject:${subject}@${version}`, { schemaId });
  return schemaId;
}

/** The version of a subject holding this schema; `SCHEMA_NOT_FOUND` when none does. */
export function lookup(service: RegistryService, subject: string, body: SchemaSubmission): RegistryVersion {
  service.source.versions(subject);
  const submission = parseSubmission(service, body);
  const found = existingIn(service, subject, submission.fingerprint);
  if (!found) throw new SuyuanError('SCHEMA_NOT_FOUND', 'Schema not found');
  return found;
}

function assertNotReferenced(service: RegistryService, subject: string, version?: RegistryVersion): void {
  const refs = service.source.referencesTo(subject, version);
  if (refs.length > 0) {
    throw new SuyuanError('SUBJECT_REFERENCED', `One or more references exist to the schema {subject=${subject}${version ? `,version=${version.number ?? version.version}` : ''}}`, {
      detail: { referencedBy: refs.map((v) => `${v.subject}@${v.version}`) },
    });
  }
}

/** Deletes a subject: soft first (hidden, kept), then permanently. Returns the version numbers deleted. */
export async function deleteSubject(service: RegistryService, actor: string, subject: string, permanent: boolean): Promise<number[]> {
  const row = service.source.subjectRow(subject);
  if (!row) throw new SuyuanError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`);
  if (!permanent && row.deleted === 1) {
    throw new SuyuanError('SUBJECT_SOFT_DELETED', `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`);
  }
  if (permanent && row.deleted === 0) {
    throw new SuyuanError('SUBJECT_NOT_SOFT_DELETED', `Subject '${subject}' was not deleted first before being permanently deleted`);
  }
  if (!permanent) assertNotReferenced(service, subject);
  const versions = service.source.versions(subject, true).filter((v) => permanent || !v.deleted);
  await service.write(async (tx) => {
    if (permanent) {
      await tx.deleteFrom('registry_versions').where('subject', '=', subject).execute();
      await tx.deleteFrom('registry_config').where('scope', '=', subject).execute();
      await tx.deleteFrom('registry_subjects').where('name', '=', subject).execute();
    } else {
      await tx.updateTable('registry_versions').set({ deleted: 1 }).where('subject', '=', subject).execute();
      await tx.updateTable('registry_subjects').set({ deleted: 1 }).where('name', '=', subject).execute();
    }
  });
  await service.audit.record(actor, permanent ? 'subject.delete.permanent' : 'subject.delete', `subject:${subject}`);
  return versions.map((v) => v.number).filter((n): n is number => n !== null).sort((a, b) => a - b);
}

/** Deletes one version: soft first, then permanently. Returns its number. */
export async function deleteVersion(service: RegistryService, actor: string, subject: string, selector: string, permanent: boolean): Promise<number> {
  const version = service.source.get(subject, selector, true);
  if (!permanent && version.deleted) {
    throw new SuyuanError('VERSION_SOFT_DELETED', `Subject '${subject}' Version ${version.number ?? selector} was soft deleted.Set permanent=true to delete permanently`);
  }
  if (permanent && !version.deleted) {
    throw new SuyuanError('VERSION_NOT_SOFT_DELETED', `Subject '${subject}' Version ${version.number ?? selector} was not deleted first before being permanently deleted`);
  }
  if (!permanent) assertNotReferenced(service, subject, version);
  await service.write(async (tx) => {
    const where = tx.updateTable('registry_versions').where('subject', '=', subject).where('semver', '=', version.version);
    if (permanent) await tx.deleteFrom('registry_versions').where('subject', '=', subject).where('semver', '=', version.version).execute();
    else await where.set({ deleted: 1 }).execute();
  });
  await service.audit.record(actor, permanent ? 'version.delete.permanent' : 'version.delete', `subject:${subject}@${version.version}`);
  return version.number ?? 0;
}

const MAX_VERSION = 2 ** 31 - 1;

/**
 * Checks a Confluent version selector: a number from 1 to 2^31-1, `latest` or `-1`. Returns it
 * normalised: `latest` becomes `-1`, the highest number (Confluent's latest is the last registered,
 * which can differ from the highest semantic version when drafts were published late). Throws
 * `INVALID_VERSION` for anything else, a semantic version too.
 */
export function versionSelector(selector: string): string {
  if (selector === 'latest' || selector === '-1') return '-1';
  const n = /^\d+$/.test(selector) ? Number(selector) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_VERSION) {
    throw new SuyuanError('INVALID_VERSION', `The specified version '${selector}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
  }
  return String(n);
}

/** Subjects as Confluent lists them: those with at least one version that has left draft. */
export function visibleSubjects(service: RegistryService, includeDeleted = false): string[] {
  return service.source.subjects(includeDeleted).filter((s) => service.source.released(s, includeDeleted).length > 0);
}

/** A subject's versions that have left draft, by number; `SUBJECT_NOT_FOUND` when there are none. */
export function visibleVersions(service: RegistryService, subject: string, includeDeleted = false): RegistryVersion[] {
  const versions = service.source.released(subject, includeDeleted).sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  if (versions.length === 0) throw new SuyuanError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found.`, { detail: { subject } });
  return versions;
}

/** One version by Confluent selector; drafts are never found. */
export function versionOf(service: RegistryService, subject: string, selector: string, includeDeleted = false): RegistryVersion {
  const normalised = versionSelector(selector);
  visibleVersions(service, subject, includeDeleted);
  return service.source.get(subject, normalised, includeDeleted);
}

/** Where a schema id is registered: `(subject, number)` of every released version using it. */
export function usesOf(service: RegistryService, id: number, includeDeleted = false): Array<{ subject: string; version: number }> {
  return service.source.all()
    .filter((v) => v.schemaId === id && v.number !== null && v.status !== 'draft' && (includeDeleted || !v.deleted))
    .sort((a, b) => a.subject.localeCompare(b.subject) || (a.number ?? 0) - (b.number ?? 0))
    .map((v) => ({ subject: v.subject, version: v.number ?? 0 }));
}

/**
 * A schema by global id, while some released version (even soft-deleted, so old messages still
 * decode) holds it; `SCHEMA_NOT_FOUND` otherwise, which hides schemas known only to drafts.
 */
export function schemaById(service: RegistryService, id: number): RegistryVersion {
  const holder = service.source.all().find((v) => v.schemaId === id && v.status !== 'draft' && v.number !== null);
  if (!holder) throw new SuyuanError('SCHEMA_NOT_FOUND', `Schema ${id} not found`, { detail: { id } });
  return holder;
}
