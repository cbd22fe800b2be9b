/**
 * Runs one inbound message through its path — receive, decode, parse, split, then per record map,
 * validate, identify and store — writing a provenance record for every step. A message that cannot be
 * read is rejected whole with its reason; a record that does not fit is kept with its problems while
 * the other records go on. Nothing is dropped silently: every outcome is in the result.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SuyuanError, type ErrorKind, type Problem } from '../errors.ts';
import type { Position, SourceRecord } from '../formats/index.ts';
import type { MappingEvaluator } from '../mapping/index.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import type { Standards } from '../standards/validator.ts';
import { sha256Hex, type BlobStore } from './blobs.ts';
import type { VersionBridge } from './bridge.ts';
import type { EventSink } from './events.ts';
import type { ProvenanceSink, StepName, StepOutcome, StepRecord } from './provenance.ts';
import { decodeStep, identifyStep, mapStep, parseStep, splitStep, validateStep, type InboundPlan } from './steps.ts';

export interface PipelineDeps {
  readonly standards: Standards<SchemaSource>;
  readonly evaluator: MappingEvaluator;
  readonly provenance: ProvenanceSink;
  readonly events: EventSink;
  /** Keeps the original bytes for replay; without it only their digest is recorded. */
  readonly blobs?: BlobStore;
  /** Carries events of an older major to the canonical one before they are identified; none: stored as mapped. */
  readonly bridge?: VersionBridge;
  readonly now?: () => Date;
}

export interface FailureInfo {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface RecordOutcome {
  readonly index: number;
  readonly position: Position;
  readonly status: 'stored' | 'duplicate' | 'invalid' | 'failed';
  /** The standard events the record became, with their hashes and what the store said of each. */
  readonly events: ReadonlyArray<{ readonly hash: string; readonly event: unknown; readonly stored: 'stored' | 'duplicate' }>;
  readonly problems: readonly Problem[];
  readonly error?: FailureInfo;
}

export interface MessageOutcome {
  readonly messageId: string;
  readonly feed: string;
  readonly receivedAt: string;
  /** sha256 of the original bytes (kept in the blob store when there is one). */
  readonly original: string;
  readonly status: 'accepted' | 'partial' | 'rejected';
  /** Why the whole message was refused, when it was (decode or parse). */
  readonly error?: FailureInfo;
  readonly records: readonly RecordOutcome[];
}

export function failureOf(error: unknown): FailureInfo {
  const e = error instanceof SuyuanError ? error : new SuyuanError('INTERNAL', 'unexpected error', { cause: error });
  return { code: e.code, kind: e.kind, message: e.message, detail: e.detail };
}

const sizeOf = (text: string): number => Buffer.byteLength(text);

/**
 * `performance.now()` readings as ISO times, formatted once per millisecond: a message's steps start
 * many to a millisecond, and formatting a date is a good part of what a step record costs.
 */
function isoClock(): (reading: number) => string {
  let ms = Number.NaN;
  let iso = '';
  return (reading) => {
    const at = Math.floor(performance.timeOrigin + reading);
    if (at !== ms) {
      ms = at;
      iso = new Date(at).toISOString();
    }
    return iso;
  };
}

interface Digest {
  readonly digest: string;
  readonly size: number;
}

/** Records one step: its name, record, start (a `performance.now()` reading), what went in and out, and its outcome. */
type StepWriter = (name: StepName, recordIndex: number | null, started: number, input: Digest, output: Digest | null,
  outcome: StepOutcome, extra?: Partial<Pick<StepRecord, 'mapping' | 'schema' | 'errorCode' | 'detail'>>) => void;

/** Runs a message through the plan's path. Never throws for bad input: it is in the outcome. */
export async function runMessage(bytes: Uint8Array, plan: InboundPlan, deps: PipelineDeps, messageId: string = randomUUID()): Promise<MessageOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const steps: StepRecord[] = [];
  const startedAt = isoClock();
  const step: StepWriter = (name, recordIndex, started, input, output, outcome, extra) => {
    steps.push({
      messageId, recordIndex, step: name, startedAt: startedAt(started),
      durationMs: performance.now() - started, inputDigest: input.digest, inputSize: input.size,
      outputDigest: output?.digest ?? null, outputSize: output?.size ?? null, mapping: extra?.mapping ?? null,
      schema: extra?.schema ?? null, outcome, errorCode: extra?.errorCode ?? null, detail: extra?.detail ?? {},
    });
  };
  const base = { messageId, feed: plan.feed, receivedAt: now.toISOString() };

  let t = performance.now();
  const original = deps.blobs ? await deps.blobs.put(bytes) : sha256Hex(bytes);
  const raw = { digest: original, size: bytes.length };
  step('receive', null, t, raw, raw, 'ok', { detail: { stored: deps.blobs !== undefined } });

  let records: SourceRecord[];
  let text = '';
  let stage: StepName = 'decode';
  t = performance.now();
  try {
    const decoded = decodeStep(bytes, plan);
    text = decoded.text;
    step('decode', null, t, raw, { digest: raw.digest, size: sizeOf(text) }, 'ok', { detail: { encoding: decoded.encoding, bom: decoded.bom } });
    stage = 'parse';
    t = performance.now();
    const parsed = parseStep(text, plan);
    step('parse', null, t, { digest: raw.digest, size: sizeOf(text) }, null, 'ok', { detail: { format: plan.format.name } });
    stage = 'split';
    t = performance.now();
    records = splitStep(parsed, plan);
    step('split', null, t, { digest: raw.digest, size: sizeOf(text) }, null, 'ok', { detail: { records: records.length } });
  } catch (error) {
    const failure = failureOf(error);
    step(stage, null, t, raw, null, failure.kind === 'user' ? 'invalid' : 'error', { errorCode: failure.code, detail: failure.detail });
    await deps.provenance.write(steps);
    return { ...base, original, status: 'rejected', error: failure, records: [] };
  }

  const outcomes: RecordOutcome[] = [];
  for (const [index, record] of records.entries()) {
    outcomes.push(await runRecord(index, record, plan, deps, now, messageId, step));
  }
  await deps.provenance.write(steps);
  const ok = outcomes.filter((o) => o.status === 'stored' || o.status === 'duplicate').length;
  const status = ok === outcomes.length ? 'accepted' : ok === 0 ? 'rejected' : 'partial';
  return { ...base, original, status, records: outcomes };
}

async function runRecord(index: number, record: SourceRecord, plan: InboundPlan, deps: PipelineDeps, now: Date, messageId: string, step: StepWriter): Promise<RecordOutcome> {
  const inputJson = JSON.stringify(record.value) ?? 'null';
  const input = { digest: sha256Hex(inputJson), size: sizeOf(inputJson) };
  const mappingRef = plan.mapping ? `${plan.mapping.id}@${plan.mapping.version}` : null;
  let t = performance.now();
  let mapped: unknown[];
  try {
    mapped = plan.mapping ? await mapStep(record, plan, deps.evaluator, now) : [record.value];
  } catch (error) {
    const failure = failureOf(error);
    step('map', index, t, input, null, failure.kind === 'user' ? 'invalid' : 'error', { mapping: mappingRef, errorCode: failure.code, detail: { position: record.position.path } });
    return { index, position: record.position, status: failure.kind === 'user' ? 'invalid' : 'failed', events: [], problems: [], error: failure };
  }
  // Without a mapping the record is its own event: the same bytes in and out, digested once.
  const outputJson = plan.mapping ? JSON.stringify(mapped) : undefined;
  const output = outputJson === undefined ? input : { digest: sha256Hex(outputJson), size: sizeOf(outputJson) };
  step('map', index, t, input, output, 'ok', { mapping: mappingRef, detail: { events: mapped.length } });

  t = performance.now();
  const problems: Problem[] = [];
  let version = plan.standard.version;
  for (let i = 0; i < mapped.length; i += 1) {
    const result = validateStep(mapped[i], record, plan, deps.standards);
    version = result.version;
    // With more than one event, a problem's path starts at its event's index.
    for (const p of result.problems) problems.push(mapped.length > 1 ? { ...p, path: `/${i}${p.path}` } : p);
  }
  const schemaRef = `${plan.standard.subject}@${version}`;
  step('validate', index, t, output, null, problems.length === 0 ? 'ok' : 'invalid', {
    schema: schemaRef, ...(problems.length > 0 ? { errorCode: 'VALIDATION_FAILED' } : {}), detail: { problems: problems.length },
  });
  if (problems.length > 0) {
    const error = failureOf(new SuyuanError('VALIDATION_FAILED', `${problems.length} problem(s) against ${schemaRef}`, { detail: { schema: schemaRef } }));
    return { index, position: record.position, status: 'invalid', events: [], problems, error };
  }

  t = performance.now();
  let bridged: Awaited<ReturnType<VersionBridge['upgrade']>>;
  try {
    bridged = deps.bridge ? await deps.bridge.upgrade(plan.standard.subject, version, mapped, now) : undefined;
  } catch (error) {
    const failure = failureOf(error);
    step('bridge', index, t, output, null, failure.kind === 'user' ? 'invalid' : 'error', { errorCode: failure.code, detail: failure.detail });
    return { index, position: record.position, status: failure.kind === 'user' ? 'invalid' : 'failed', events: [], problems: error instanceof SuyuanError ? error.problems : [], error: failure };
  }
  if (bridged) {
    const json = JSON.stringify(bridged.events);
    step('bridge', index, t, output, { digest: sha256Hex(json), size: sizeOf(json) }, 'ok', { mapping: bridged.mapping, schema: `${bridged.subject}@${bridged.to}`, detail: { from: bridged.from, to: bridged.to } });
  }

  const events: Array<{ hash: string; event: unknown; stored: 'stored' | 'duplicate' }> = [];
  for (const event of bridged?.events ?? mapped) {
    t = performance.now();
    let hash: string;
    try {
      hash = identifyStep(event);
    } catch (error) {
      const failure = failureOf(error);
      step('identify', index, t, output, null, 'invalid', { errorCode: failure.code });
      return { index, position: record.position, status: 'invalid', events, problems: [], error: failure };
    }
    step('identify', index, t, output, { digest: hash, size: hash.length }, 'ok');
    t = performance.now();
    let stored: 'stored' | 'duplicate';
    try {
      stored = await deps.events.put({ hash, event, messageId, recordIndex: index, feed: plan.feed });
    } catch (error) {
      // The store or what follows it (routing's queue) is away: the record failed, the message is kept for replay.
      const failure = failureOf(error);
      step('store', index, t, { digest: hash, size: hash.length }, null, 'error', { errorCode: failure.code, detail: failure.detail });
      return { index, position: record.position, status: 'failed', events, problems: [], error: failure };
    }
    step('store', index, t, { digest: hash, size: hash.length }, null, stored === 'stored' ? 'ok' : 'duplicate');
    events.push({ hash, event, stored });
  }
  const status = events.every((e) => e.stored === 'duplicate') ? 'duplicate' : 'stored';
  return { index, position: record.position, status, events, problems: [] };
}
