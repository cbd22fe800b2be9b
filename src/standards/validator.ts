/**
 * Validation against the standard: JSON Schema plus the standard's identifier checks, code lists and
 * cross-field rules, every problem at once.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { SuyuanError, type Problem } from '../errors.ts';
import { createAjv, type Validator } from './ajv.ts';
import type { Catalog, SchemaSource, SubjectVersion } from './catalog.ts';
import { isJsonObject } from './json.ts';
import { schemaId } from './paths.ts';
import { toProblems } from './problems.ts';

export interface ValidationResult {
  readonly valid: boolean;
  readonly subject: string;
  readonly version: string;
  readonly status: SubjectVersion['status'];
  readonly problems: readonly Problem[];
}

/** A schema that could not be added to the validator, with the reason (reported by lint). */
export interface LoadFailure {
  readonly subject: string;
  readonly version: string;
  readonly error: unknown;
}

/** Validation over a source of subject versions: the repository's files by default, or the registry's database. */
export class Standards<S extends SchemaSource = Catalog> {
  readonly catalog: S;
  /** The repository root whose code lists the validator reads (`undefined`: this repository). */
  readonly root: string | undefined;
  readonly loadFailures: readonly LoadFailure[];
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, Validator>();

  constructor(catalog: S, root?: string) {
    this.catalog = catalog;
    this.root = root;
    this.#ajv = createAjv(root === undefined ? {} : { root });
    const failures: LoadFailure[] = [];
    const added = new Map<string, string>();
    for (const v of catalog.all()) {
      const key = keyOf(v);
      const text = JSON.stringify(v.schema);
      if (added.get(key) === text) continue; // the same schema under two subjects: added once
      try {
        if (added.has(key)) throw new SuyuanError('SCHEMA_INVALID', `${key} is the $id of two different schemas`);
        this.#ajv.addSchema(v.schema, typeof v.schema.$id === 'string' ? undefined : key);
        added.set(key, text);
      } catch (error) {
        failures.push({ subject: v.subject, version: v.version, error });
      }
    }
    this.loadFailures = failures;
  }

  /** The compiled validator of a subject version (compiled once, then cached). */
  validator(subject: string, selector = 'latest'): { version: SubjectVersion; validate: Validator } {
    const version = this.catalog.get(subject, selector);
    const id = keyOf(version);
    let validate = this.#compiled.get(id);
    if (!validate) {
      const failure = this.loadFailures.find((f) => f.subject === subject && f.version === version.version);
      if (failure) throw wrap(version, failure.error);
      try {
        validate = this.#ajv.getSchema(id) ?? this.#ajv.compile(version.schema);
      } catch (error) {
        throw wrap(version, error);
      }
      this.#compiled.set(id, validate);
    }
    return { version, validate };
  }

  /** Validates one document against `subject@selector`; never throws for a bad document. */
  validate(subject: string, selector: string, document: unknown): ValidationResult {
    const { version, validate } = this.validator(subject, selector);
    const valid = validate(document) === true;
    const problems = valid ? [] : toProblems(validate.errors, document);
    return { valid: problems.length === 0 && valid, subject, version: version.version, status: version.status, problems };
  }

  /**
   * Validates a document the way `suyuan validate` reads it: an EPCIS 2.0 document given for
   * `trace.event` has each of its events checked, with paths into the document.
   */
  validateDocument(subject: string, selector: string, document: unknown): ValidationResult {
    const events = subject === 'trace.event' ? epcisEvents(document) : undefined;
    if (!events) return this.validate(subject, selector, document);
    const problems: Problem[] = [];
    let last: ValidationResult | undefined;
    for (const { path, event } of events) {
      last = this.validate(subject, selector, event);
      for (const p of last.problems) problems.push({ ...p, path: `${path}${p.path}` });
    }
    const version = last ?? this.validate(subject, selector, {});
    return { valid: problems.length === 0, subject, version: version.version, status: version.status, problems };
  }
}

/** The key a version's schema is known by: its `$id`, else the `$id` the conventions would give it. */
function keyOf(v: SubjectVersion): string {
  return typeof v.schema.$id === 'string' ? v.schema.$id : schemaId(v.subject, v.version);
}

function wrap(version: SubjectVersion, error: unknown): SuyuanError {
  if (error instanceof SuyuanError) return error;
  return new SuyuanError('SCHEMA_INVALID', `${version.subject}@${version.version}: ${(error as Error).message}`, {
    cause: error,
    detail: { subject: version.subject, version: version.version },
  });
}

/** The events of an EPCIS 2.0 document (capture or query result), or `undefined` if it is not one. */
export function epcisEvents(document: unknown): Array<{ path: string; event: unknown }> | undefined {
  if (!isJsonObject(document) || !isJsonObject(document.epcisBody)) return undefined;
  const body = document.epcisBody;
  if (Array.isArray(body.eventList)) return body.eventList.map((event, i) => ({ path: `/epcisBody/eventList/${i}`, event }));
  const results = isJsonObject(body.queryResults) && isJsonObject(body.queryResults.resultsBody) ? body.queryResults.resultsBody : undefined;
  if (results && Array.isArray(results.eventList)) {
    return results.eventList.map((event, i) => ({ path: `/epcisBody/queryResults/resultsBody/eventList/${i}`, event }));
  }
  return undefined;
}
