/**
 * The steps of an inbound message's path, each a small function with one contract: decode, parse,
 * split, map, validate, identify. Steps never mutate their input; each returns a new value.
 */
import { SuyuanError, type Problem } from '../errors.ts';
import { decode, type Decoded, type Format, type ParseLimits, type SourceRecord } from '../formats/index.ts';
import type { MappingEvaluator, MappingSource } from '../mapping/index.ts';
import { eventHash } from '../standards/event-hash.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import { STANDARD_CONTEXT } from '../standards/paths.ts';
import type { Standards } from '../standards/validator.ts';

/** What an inbound feed declares: how to read its messages and what they become. */
export interface InboundPlan {
  /** The feed (adapter id), for provenance and logs. */
  readonly feed: string;
  /** The declared encoding (a BOM or an XML prolog overrides it). */
  readonly encoding?: string;
  readonly format: Format<Record<string, unknown>>;
  readonly formatOptions?: Readonly<Record<string, unknown>>;
  readonly limits?: ParseLimits;
  /** The mapping from a department record to the standard; absent when records already are standard events. */
  readonly mapping?: MappingSource;
  readonly bindings?: Readonly<Record<string, unknown>>;
  /** The subject and version (or range) every mapped event must conform to. */
  readonly standard: { readonly subject: string; readonly version: string };
  /**
   * Also hold an event that names its category (`sy:category`) to that category's profile
   * (`profile.<category>`, its latest version built on the validated version's `$id`), as the
   * conformance suite does. For feeds with no adapter of their own (EPCIS capture).
   */
  readonly categoryProfiles?: boolean;
  /**
   * Where standard fields come from in the department's record: JSON Pointer prefix into the event →
   * field of the record (`{ "/eventTime": "屠宰时间" }`), so validation problems can name the original field.
   */
  readonly sources?: Readonly<Record<string, string>>;
}

export function decodeStep(bytes: Uint8Array, plan: InboundPlan): Decoded {
  const xmlish = plan.format.name === 'xml' || plan.format.name === 'soap' || plan.format.name === 'epcis';
  return decode(bytes, { declared: plan.encoding, sniffXmlProlog: xmlish });
}

export function parseStep(text: string, plan: InboundPlan): unknown {
  return plan.format.parse(text, { ...plan.formatOptions, ...(plan.limits ? { limits: plan.limits } : {}) });
}

export function splitStep(parsed: unknown, plan: InboundPlan): SourceRecord[] {
  return plan.format.split(parsed, { ...plan.formatOptions });
}

/**
 * Maps one record; a mapping may give one event or a list of them. Without a mapping the record is
 * taken as a standard event. Rejects with the mapping's error codes (`MAPPING_FAILED`, `MAPPING_TIMEOUT`).
 */
export async function mapStep(record: SourceRecord, plan: InboundPlan, evaluator: MappingEvaluator, now: Date): Promise<unknown[]> {
  if (!plan.mapping) return [record.value];
  const result = await evaluator.evaluate(plan.mapping, record.value, { now, ...(plan.bindings ? { bindings: plan.bindings } : {}) });
  if (result === undefined) {
    throw new SuyuanError('MAPPING_FAILED', `映射 ${plan.mapping.id} 没有产生事件 / mapping ${plan.mapping.id} produced no event`, {
      detail: { mapping: `${plan.mapping.id}@${plan.mapping.version}` },
    });
  }
  return Array.isArray(result) ? result : [result];
}

/** Adds the original record's field to problems whose path the plan's `sources` can trace back. */
export function traceProblems(problems: readonly Problem[], record: SourceRecord, plan: InboundPlan): Problem[] {
  if (problems.length === 0 || plan.sources === undefined) return [...problems];
  const sources = Object.entries(plan.sources ?? {}).sort((a, b) => b[0].length - a[0].length);
  if (sources.length === 0) return [...problems];
  return problems.map((p) => {
    const hit = sources.find(([prefix]) => p.path === prefix || p.path.startsWith(`${prefix}/`));
    return hit ? { ...p, source: `${record.position.path.replace(/\/$/, '')}/${hit[1]}` } : p;
  });
}

/** Validates one event against the plan's standard: every problem, with the original field where known. */
export function validateStep<S extends SchemaSource>(event: unknown, record: SourceRecord, plan: InboundPlan, standards: Standards<S>): { version: string; problems: Problem[] } {
  const result = standards.validate(plan.standard.subject, plan.standard.version, event);
  const problems = [...result.problems];
  const category = plan.categoryProfiles && typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['sy:category'] : undefined;
  if (typeof category === 'string' && standards.catalog.subjects().includes(`profile.${category}`)) {
    const id = standards.catalog.get(plan.standard.subject, result.version).schema.$id;
    const profile = typeof id === 'string' ? standards.catalog.versions(`profile.${category}`).filter((v) => JSON.stringify(v.schema).includes(`"${id}"`)).at(-1) : undefined;
    if (profile) problems.push(...standards.validate(profile.subject, profile.version, event).problems);
  }
  return { version: result.version, problems: traceProblems(problems, record, plan) };
}

/**
 * The CBV 2.0 event hash, the event's identity. The standard's `sy:` prefix is always bound, so an
 * event hashes the same whether or not its message declared the prefix.
 */
export function identifyStep(event: unknown, context?: unknown): string {
  return eventHash(event, { context: context === undefined ? STANDARD_CONTEXT : [STANDARD_CONTEXT, context] });
}
