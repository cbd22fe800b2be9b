/**
 * Publishing drafts into the registry: lint clean, references released, compatible with the released
 * versions under the subject's level, then written append-only with its sha256.
 *
 * The level is the draft's root `x-compatibility` (default BACKWARD). A new major version is where
 * breaking changes belong: it is checked under NONE, and its differences are still reported.
 */
import semver from 'semver';
import { SuyuanError, type Problem } from '../errors.ts';
import { isReleased, type RegistryEntry, type SchemaSource, type SubjectVersion } from './catalog.ts';
import { checkCompatibility, type CompatibilityLevel } from './compat/index.ts';
import { isJsonObject, type JsonValue } from './json.ts';
import { lintVersion } from './lint.ts';
import { writeRelease } from './registry-files.ts';
import type { Standards } from './validator.ts';

export const DEFAULT_LEVEL: CompatibilityLevel = 'BACKWARD';
const ID_PREFIX = 'https://standards.suyuan.dev/';

/** Every other subject's `$id` this schema references. */
export function externalRefs(schema: JsonValue, own: string): string[] {
  const found = new Set<string>();
  const walk = (node: JsonValue): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isJsonObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(ID_PREFIX) && !value.startsWith(own)) found.add(value.split('#')[0] ?? value);
        else if (key !== 'enum' && key !== 'const' && key !== 'examples') walk(value);
      }
    }
  };
  walk(schema);
  return [...found].sort();
}

/** Resolves another subject's `$id` to its schema from a source of versions. */
export function resolverFor(source: SchemaSource): (uri: string) => unknown {
  return (uri) => {
    const [subject, version] = uri.slice(ID_PREFIX.length).split('/');
    return source.get(subject ?? '', version ?? '').schema;
  };
}

export interface CompatibilityVerdict {
  readonly level: CompatibilityLevel;
  readonly compatible: boolean;
  readonly messages: readonly string[];
  readonly against: readonly string[];
}

/** The subject's level: the draft's root `x-compatibility`, else BACKWARD; NONE for a new major. */
export function levelFor(candidate: SubjectVersion, released: readonly SubjectVersion[], override?: CompatibilityLevel): CompatibilityLevel {
  const latest = released.at(-1);
  if (latest && semver.major(candidate.version) > semver.major(latest.version)) return 'NONE';
  return override ?? (candidate.schema['x-compatibility'] as CompatibilityLevel | undefined) ?? DEFAULT_LEVEL;
}

/** Checks a version against the released versions before it. */
export function checkAgainstReleased(standards: Standards, candidate: SubjectVersion, override?: CompatibilityLevel): CompatibilityVerdict {
  const catalog = standards.catalog;
  const previous = catalog.released(candidate.subject).filter((v) => semver.lt(v.version, candidate.version));
  const level = levelFor(candidate, previous, override);
  const result = checkCompatibility(level, candidate.schema, previous.map((v) => v.schema), { resolve: resolverFor(catalog) });
  return { level, compatible: result.compatible, messages: result.messages, against: previous.map((v) => v.version) };
}

export interface PublishOutcome {
  readonly entry: RegistryEntry;
  readonly compatibility: CompatibilityVerdict;
}

/** Publishes a subject's draft. Throws with every reason it cannot. */
export function publishDraft(standards: Standards, subject: string, options: { level?: CompatibilityLevel; now?: Date } = {}): PublishOutcome {
  const catalog = standards.catalog;
  const draft = catalog.draft(subject);
  if (!draft) throw new SuyuanError('VERSION_NOT_FOUND', `${subject} has no draft to publish`, { detail: { subject } });
  const problems: Problem[] = lintVersion(standards, draft).map((f) => ({ code: f.code, path: f.where, message: f.message }));
  for (const ref of externalRefs(draft.schema, `${ID_PREFIX}${subject}/`)) {
    const [refSubject, refVersion] = ref.slice(ID_PREFIX.length).split('/');
    const target = catalog.all().find((v) => v.subject === refSubject && v.version === refVersion);
    if (!target || !isReleased(target)) {
      problems.push({ code: 'REFERENCE_NOT_RELEASED', path: ref, message: `引用的 ${refSubject}@${refVersion} 尚未发布 / The referenced ${refSubject}@${refVersion} is not released` });
    }
  }
  if (problems.length > 0) {
    throw new SuyuanError('SCHEMA_INVALID', `${subject}@${draft.version} cannot be published`, { problems });
  }
  const compatibility = checkAgainstReleased(standards, draft, options.level);
  if (!compatibility.compatible) {
    throw new SuyuanError('SCHEMA_INCOMPATIBLE', `${subject}@${draft.version} is not ${compatibility.level} compatible`, {
      problems: compatibility.messages.map((message) => ({ code: 'SCHEMA_INCOMPATIBLE', path: '', message })),
    });
  }
  const entry = writeRelease(catalog.paths, subject, draft.version, draft.schema, options.now ?? new Date());
  return { entry, compatibility };
}

/** Orders subjects so that every subject comes after the subjects its draft references. */
export function publishOrder(standards: Standards, subjects: readonly string[]): string[] {
  const deps = new Map(subjects.map((s) => {
    const draft = standards.catalog.draft(s);
    const refs = draft ? externalRefs(draft.schema, `${ID_PREFIX}${s}/`).map((r) => r.slice(ID_PREFIX.length).split('/')[0] ?? '') : [];
    return [s, refs.filter((r) => subjects.includes(r))];
  }));
  const order: string[] = [];
  const visit = (s: string, path: readonly string[]): void => {
    if (order.includes(s)) return;
    if (path.includes(s)) throw new SuyuanError('SCHEMA_INVALID', `reference cycle: ${[...path, s].join(' → ')}`);
    for (const d of deps.get(s) ?? []) visit(d, [...path, s]);
    order.push(s);
  };
  for (const s of subjects) visit(s, []);
  return order;
}
