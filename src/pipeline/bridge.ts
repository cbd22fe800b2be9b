/**
 * The "bridge" step: documents of an older major of a subject carried to the major the hub stores
 * (its canonical major) on the way in, and canonical documents carried back to the major an outbound
 * consumer declares on the way out, through the standards body's bridge mappings.
 */
import semver from 'semver';
import { SuyuanError, type Problem } from '../errors.ts';
import type { Bridge, BridgeSet } from '../mapping/bridges.ts';
import type { MappingEvaluator } from '../mapping/index.ts';
import { parseSubjectRef, type SchemaSource } from '../standards/catalog.ts';
import { schemaId } from '../standards/paths.ts';
import type { Standards } from '../standards/validator.ts';

export interface BridgeDeps {
  readonly standards: () => Standards<SchemaSource>;
  readonly evaluator: MappingEvaluator;
  readonly bridges: BridgeSet;
  /**
   * Subject → the exact version the hub stores, where it is not the subject's latest published version
   * (it may name a draft, to try a new major before it is published). From `Config.canonical`.
   */
  readonly canonical?: Readonly<Record<string, string>>;
}

/** Events carried across majors: the events, and what carried them (for provenance). */
export interface Bridged {
  readonly events: unknown[];
  readonly subject: string;
  /** The version the events were valid against, and the canonical version they are now valid against. */
  readonly from: string;
  readonly to: string;
  /** The bridge mappings applied, `id@version`, joined by ` → ` when chained. */
  readonly mapping: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const chainName = (path: readonly Bridge[]): string => path.map((b) => `${b.id}@${b.version}`).join(' → ');

export class VersionBridge {
  readonly #deps: BridgeDeps;
  readonly #eventSubjects = new WeakMap<object, { subject: string; version: string } | null>();

  constructor(deps: BridgeDeps) {
    this.#deps = deps;
  }

  /**
   * The version of `subject` the hub stores: the configured one, else the latest published version;
   * `undefined` when the subject has none.
   */
  canonicalVersion(subject: string): string | undefined {
    const configured = this.#deps.canonical?.[subject];
    if (configured !== undefined) return configured;
    try {
      return this.#deps.standards().catalog.get(subject, 'latest').version;
    } catch (error) {
      if (error instanceof SuyuanError && (error.code === 'VERSION_NOT_FOUND' || error.code === 'SUBJECT_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  /**
   * The bridged subject (and its version) that documents of `subject@version` are: the subject itself
   * when it has bridges, else the bridged subject its schema references by `$id` (a profile constrains
   * `trace.event` 1.0.0, so its events are trace.event 1.0.0 events); `undefined` when none.
   */
  eventSubject(subject: string, version: string): { subject: string; version: string } | undefined {
    const bridged = this.#deps.bridges.subjects();
    if (bridged.includes(subject)) return { subject, version };
    const schema = this.#deps.standards().catalog.get(subject, version).schema;
    let found = this.#eventSubjects.get(schema);
    if (found === undefined) {
      const text = JSON.stringify(schema);
      found = null;
      for (const s of bridged) {
        const id = new RegExp(escape(schemaId(s, '\u0000')).replace('\u0000', '(\\d+\\.\\d+\\.\\d+)')).exec(text);
        if (id?.[1]) found = { subject: s, version: id[1] };
      }
      this.#eventSubjects.set(schema, found);
    }
    return found ?? undefined;
  }

  /**
   * Carries events valid against `subject@version` (the version an adapter declares, resolved) to the
   * canonical major and validates them there. Resolves `undefined` when they already are of the
   * canonical major or the subject has no bridges. Throws `BRIDGE_NOT_FOUND` when no chain of bridges
   * joins the two majors, `BRIDGE_FAILED` (with the canonical version's problems, when it is they that
   * refuse) when an event cannot be carried.
   */
  async upgrade(subject: string, version: string, events: readonly unknown[], now: Date): Promise<Bridged | undefined> {
    const of = this.eventSubject(subject, version);
    const to = of && this.canonicalVersion(of.subject);
    if (!of || to === undefined || semver.major(of.version) === semver.major(to)) return undefined;
    const path = this.#path(of.subject, of.version, to);
    const carried: unknown[] = [];
    const problems: Problem[] = [];
    for (const [i, event] of events.entries()) {
      const result = await this.#carry(path, event, now, of.version, to);
      const prefix = events.length > 1 ? `/${i}` : '';
      problems.push(...this.#deps.standards().validate(of.subject, to, result).problems.map((p) => ({ ...p, path: `${prefix}${p.path}` })));
      carried.push(result);
    }
    if (problems.length > 0) {
      throw new SuyuanError('BRIDGE_FAILED', `${of.subject} ${of.version} → ${to}: ${problems.length} problem(s) against ${to}`, {
        problems, detail: { subject: of.subject, from: of.version, to, mapping: chainName(path) },
      });
    }
    return { events: carried, subject: of.subject, from: of.version, to, mapping: chainName(path) };
  }

  /**
   * Carries a canonical-major document back to the major `standard` (`subject@range`, as an outbound
   * message type declares it) is of. A document that is not valid against the canonical version is
   * returned as it is, for the declared standard to judge. Throws like `upgrade`.
   */
  async downgrade(document: unknown, standard: string, now: Date): Promise<unknown> {
    const { subject, version: range } = parseSubjectRef(standard);
    const standards = this.#deps.standards();
    const of = this.eventSubject(subject, standards.catalog.get(subject, range).version);
    const from = of && this.canonicalVersion(of.subject);
    if (!of || from === undefined || semver.major(of.version) === semver.major(from)) return document;
    if (!standards.validate(of.subject, from, document).valid) return document;
    return this.#carry(this.#path(of.subject, from, of.version), document, now, from, of.version);
  }

  #path(subject: string, from: string, to: string): Bridge[] {
    const path = this.#deps.bridges.bridgePath(subject, semver.major(from), semver.major(to));
    if (!path) {
      throw new SuyuanError('BRIDGE_NOT_FOUND', `没有 ${subject} ${from} → ${to} 的版本桥接 / no bridge carries ${subject} ${from} to ${to}`, {
        detail: { subject, from, to },
      });
    }
    return path;
  }

  async #carry(path: readonly Bridge[], document: unknown, now: Date, from: string, to: string): Promise<unknown> {
    let value = document;
    for (const bridge of path) {
      try {
        value = await this.#deps.evaluator.evaluate(bridge, value, { now });
      } catch (error) {
        if (!(error instanceof SuyuanError) || error.code !== 'MAPPING_FAILED') throw error;
        throw new SuyuanError('BRIDGE_FAILED', `${bridge.subject} ${from} → ${to}: ${error.message}`, {
          cause: error, detail: { ...error.detail, subject: bridge.subject, from, to, mapping: `${bridge.id}@${bridge.version}` },
        });
      }
    }
    return value;
  }
}
