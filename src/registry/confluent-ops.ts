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
  const all = service.source.all().filter((v) => v.subject === subject && !v.deleted).map((v) => v.version).sort(semver.compare);
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
  const by = service.source.referencesTo(subject, version?.version).filter((v) => v.subject !== subject);
  const byNumber = version?.number == null ? [] : service.source.referencesTo(subject, String(version.number));
  const refs = [...by, ...byNumber];
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
