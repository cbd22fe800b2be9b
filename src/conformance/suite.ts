/**
 * The conformance suite of a standard version, generated from the standard itself — its schemas,
 * its valid examples as seeds, its invalid examples with their expected problems — plus the
 * hand-written cases of its cross-field rules. For the base subject and each category profile that
 * builds on it, and for each kind of event: one happy path with no optional member; a happy and a
 * failing case per optional member, per alternative, per identifier check and per rule.
 *
 * Expected problem codes are what the hub's validator — the standard's reference implementation —
 * reports for the case; a case the validator does not judge as intended is not emitted but listed
 * as uncovered, so the suite never claims what the standard does not say.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SuyuanError, type Problem } from '../errors.ts';
import type { SchemaSource, SubjectVersion } from '../standards/catalog.ts';
import { parseSubjectRef, readJsonFile } from '../standards/catalog.ts';
import { readExamples } from '../standards/examples.ts';
import { standardsPaths } from '../standards/paths.ts';
import { isJsonObject, type JsonObject } from '../standards/json.ts';
import { RULES } from '../standards/rules.ts';
import type { Standards } from '../standards/validator.ts';
import { buildCases, type Seeds } from './suite-cases.ts';
import type { Requirement, Suite, SuiteCase } from './types.ts';

export interface SuiteOptions {
  /** Limit the profiles to these categories (`drugs`) or subjects (`profile.drugs`); all by default. */
  readonly profiles?: readonly string[];
}

const PROFILE_PREFIX = 'profile.';

/** The category a profile subject constrains (`profile.drugs` → `drugs`). */
export const categoryOf = (subject: string): string | undefined => (subject.startsWith(PROFILE_PREFIX) ? subject.slice(PROFILE_PREFIX.length) : undefined);

/** The profile versions built on `base`: those whose schema references its `$id`. */
function profilesOf(catalog: SchemaSource, base: SubjectVersion): SubjectVersion[] {
  const id = typeof base.schema.$id === 'string' ? base.schema.$id : undefined;
  if (!id) return [];
  const out: SubjectVersion[] = [];
  for (const subject of catalog.subjects().filter((s) => s.startsWith(PROFILE_PREFIX))) {
    const versions = catalog.versions(subject).filter((v) => JSON.stringify(v.schema).includes(`"${id}"`));
    const last = versions.at(-1);
    if (last) out.push(last);
  }
  return out;
}

/** The hand-written seeds of the suite, `seeds/<subject>/<version>/*.json`. */
const SEEDS = fileURLToPath(new URL('./seeds/', import.meta.url));

function handWritten(version: SubjectVersion): Seeds['extra'] {
  const dir = join(SEEDS, version.subject, version.version);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({ name: basename(f, '.json'), document: readJsonFile(join(dir, f)) }));
}

/**
 * A version's folder of examples: its own, or — for a version read from the hub's registry, which keeps
 * schemas only — the repository's folder of the same subject version, when there is one.
 */
function examplesDir(version: SubjectVersion): string | undefined {
  if (version.sourceDir) return version.sourceDir;
  const dir = join(standardsPaths().standards, version.subject, version.version);
  return existsSync(join(dir, 'examples')) ? dir : undefined;
}

function seedsOf(version: SubjectVersion): Seeds {
  const extra = handWritten(version);
  const dir = examplesDir(version);
  if (!dir) return { valid: [], invalid: [], extra };
  const examples = readExamples(dir);
  const strip = (d: unknown): unknown => {
    if (!isJsonObject(d)) return d;
    const { '@context': _context, ...rest } = d;
    return rest;
  };
  return {
    valid: examples.valid.map((e) => ({ name: basename(e.file, '.json'), document: strip(e.document) })),
    invalid: examples.invalid.map((e) => ({ name: basename(e.file, '.json'), document: strip(e.document), expected: e.expected ?? [] })),
    extra,
  };
}

/**
 * The problems of a document under a subject version. An event of the base subject that names its
 * category (`sy:category`) conforms only when it also meets that category's profile, so a platform
 * may hold such an event to the profile.
 */
function problemsOf(standards: Standards<SchemaSource>, v: SubjectVersion, doc: unknown, profiles: ReadonlyMap<string, SubjectVersion>): Problem[] {
  const problems = [...standards.validate(v.subject, v.version, doc).problems];
  const category = isJsonObject(doc) ? doc['sy:category'] : undefined;
  const profile = categoryOf(v.subject) === undefined && typeof category === 'string' ? profiles.get(category) : undefined;
  if (profile) problems.push(...standards.validate(profile.subject, profile.version, doc).problems);
  return problems;
}

/** Generates the suite of `subject@version` (a released version or a draft). Throws `SUBJECT_NOT_FOUND`/`VERSION_NOT_FOUND`. */
export function generateSuite(standards: Standards<SchemaSource>, ref: string, options: SuiteOptions = {}): Suite {
  const { subject, version: selector } = parseSubjectRef(ref);
  const catalog = standards.catalog;
  const base = catalog.get(subject, selector);
  const wanted = options.profiles?.map((p) => (p.startsWith(PROFILE_PREFIX) ? p : `${PROFILE_PREFIX}${p}`));
  const profiles = profilesOf(catalog, base);
  if (wanted) {
    const unknown = wanted.filter((w) => !profiles.some((p) => p.subject === w));
    if (unknown.length > 0) {
      throw new SuyuanError('CONFORMANCE_PROFILE_UNKNOWN', `${ref} 没有规范 ${unknown.join(', ')} / ${ref} has no profile ${unknown.join(', ')}`, {
        detail: { profiles: unknown, available: profiles.map((p) => categoryOf(p.subject)) },
      });
    }
  }
  const byCategory = new Map(profiles.map((p) => [categoryOf(p.subject) ?? '', p]));
  const chosen = [base, ...profiles.filter((p) => !wanted || wanted.includes(p.subject))];
  const schemas = new Map<string, JsonObject>();
  for (const v of catalog.all()) if (typeof v.schema.$id === 'string') schemas.set(v.schema.$id, v.schema);
  const requirements: Requirement[] = [];
  const cases: SuiteCase[] = [];
  const uncovered: Array<{ requirement: string; reason: string }> = [];
  for (const v of chosen) {
    const built = buildCases({
      subject: v.subject, version: v.version, profile: categoryOf(v.subject), schema: v.schema,
      lookup: (id) => schemas.get(id), seeds: seedsOf(v),
      validate: (doc) => problemsOf(standards, v, doc, byCategory),
      rules: RULES,
    });
    requirements.push(...built.requirements);
    cases.push(...built.cases);
    uncovered.push(...built.uncovered);
  }
  return {
    standard: `${base.subject}@${base.version}`,
    subjects: chosen.map((v) => ({ subject: v.subject, version: v.version, profile: categoryOf(v.subject) })),
    requirements, cases, uncovered,
  };
}
