/**
 * Dead letters: delivery and routing jobs that will not be tried again — a user error, an unexpected
 * one, attempts used up, or a worker that died holding the job too often. Each is shown with the
 * original event, the failing stage, the error code and reason, and every attempt's time and outcome;
 * a replay is a new job on the same queue, linked to the dead one.
 */
import type { AuditLog } from '../audit/index.ts';
import { SuyuanError } from '../errors.ts';
import { instant } from '../feeds/replay.ts';
import type { JobRecord, JsonValue } from '../queue/index.ts';
import { ROUTE_QUEUE, deliverQueueName, type DeliveryPayload } from './jobs.ts';
import type { Delivery } from './service.ts';

export interface DeadLetterAttempt {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: 'done' | 'retry' | 'dead';
  readonly code: string | null;
  readonly stage: string | null;
  readonly reason: string | null;
}

export interface DeadLetter {
  readonly id: string;
  readonly queue: string;
  /** The destination adapter; `null` for an event that could not be routed. */
  readonly adapter: string | null;
  readonly type: string | null;
  readonly subscribers: readonly string[];
  readonly eventHash: string;
  readonly idempotencyKey: string | null;
  /** The inbound message the event came in, and its feed (see `/v1/messages/<id>`). */
  readonly messageId: string;
  readonly feed: string;
  readonly stage: string | null;
  readonly code: string | null;
  readonly reason: string | null;
  /** Died of an unexpected error: someone must look at it. */
  readonly alert: boolean;
  readonly deadAt: string | null;
  readonly attempts: readonly DeadLetterAttempt[];
  readonly replayOf: string | null;
  readonly replays: ReadonlyArray<{ readonly id: string; readonly at: string; readonly actor: string; readonly state: string }>;
}

export interface DeadLetterFilter {
  readonly adapter?: string;
  readonly code?: string;
  /** Died at or after / before these instants (ISO 8601). */
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface DeadLetterReplay {
  readonly original: string;
  /** The new job, or `null` when it could not be enqueued. */
  readonly replay: string | null;
  /** `queued` (the workers deliver it), or `failed` to enqueue. */
  readonly status: 'queued' | 'failed';
  readonly errorCode: string | null;
}

type Payload = Partial<DeliveryPayload> & { hash: string; event: JsonValue; feed: string; messageId: string };

/** Dead jobs of the queues the filter names, with their failures and replays, oldest death first. */
async function collect(delivery: Delivery, filter: DeadLetterFilter): Promise<Array<{ queue: string; job: JobRecord; letter: DeadLetter }>> {
  const queues = filter.adapter === undefined ? delivery.queueNames : [deliverQueueName(filter.adapter)];
  if (filter.adapter !== undefined && !delivery.destinations.includes(filter.adapter)) {
    throw new SuyuanError('ADAPTER_NOT_FOUND', `no outbound adapter "${filter.adapter}"`, { detail: { adapter: filter.adapter } });
  }
  const jobs: Array<{ queue: string; job: JobRecord }> = [];
  for (const queue of queues) for (const job of await delivery.queue(queue).dead()) jobs.push({ queue, job });
  const ids = jobs.map((j) => j.job.id);
  const failures = new Map<string, { stage: string; code: string; reason: string }>();
  const replays = new Map<string, Array<{ id: string; at: string; actor: string; state: string }>>();
  const replayOf = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const f of await delivery.db.selectFrom('job_failures').selectAll().where('job', 'in', chunk).execute()) failures.set(`${f.job}#${f.attempt}`, f);
    for (const r of await delivery.db.selectFrom('dead_letter_replays').selectAll().where((eb) => eb.or([eb('original', 'in', chunk), eb('replay', 'in', chunk)])).execute()) {
      if (chunk.includes(r.original)) replays.set(r.original, [...(replays.get(r.original) ?? []), { id: r.replay, at: r.at, actor: r.actor, state: '' }]);
      replayOf.set(r.replay, r.original);
    }
  }
  const since = filter.since === undefined ? undefined : instant(filter.since, 'since');
  const until = filter.until === undefined ? undefined : instant(filter.until, 'until');
  const out: Array<{ queue: string; job: JobRecord; letter: DeadLetter }> = [];
  for (const { queue, job } of jobs) {
    const p = job.payload as unknown as Payload;
    const attempts = job.attempts.map((a, i) => {
      const f = failures.get(`${job.id}#${i + 1}`);
      return { startedAt: a.startedAt, finishedAt: a.finishedAt, outcome: a.outcome, code: a.code ?? f?.code ?? null, stage: a.code === 'JOB_STALLED' ? 'queue' : (f?.stage ?? null), reason: a.code === 'JOB_STALLED' ? 'the worker holding the job died too often' : (f?.reason ?? null) };
    });
    const last = attempts.at(-1);
    const letter: DeadLetter = {
      id: job.id, queue, adapter: p.adapter ?? null, type: p.type ?? null, subscribers: p.subscribers ?? [], eventHash: p.hash,
      idempotencyKey: p.key ?? null, messageId: p.messageId, feed: p.feed, stage: last?.stage ?? (queue === ROUTE_QUEUE ? 'route' : null),
      code: last?.code ?? null, reason: last?.reason ?? null, alert: job.alert, deadAt: last?.finishedAt ?? null, attempts,
      replayOf: replayOf.get(job.id) ?? p.replayOf ?? null, replays: replays.get(job.id) ?? [],
    };
    if (filter.code !== undefined && letter.code !== filter.code) continue;
    if (since !== undefined && (letter.deadAt === null || letter.deadAt < since)) continue;
    if (until !== undefined && (letter.deadAt === null || letter.deadAt >= until)) continue;
    out.push({ queue, job, letter });
  }
  out.sort((a, b) => (a.letter.deadAt ?? '').localeCompare(b.letter.deadAt ?? '') || a.letter.id.localeCompare(b.letter.id));
  return out;
}

/** The states of the replays named in the letters (one lookup per replay). */
async function withReplayStates(delivery: Delivery, letter: DeadLetter): Promise<DeadLetter> {
  if (letter.replays.length === 0) return letter;
  const replays = await Promise.all(letter.replays.map(async (r) => ({ ...r, state: (await delivery.queue(letter.queue).get(r.id))?.state ?? 'unknown' })));
  return { ...letter, replays };
}

/** Dead letters matching the filter, oldest death first, paged (`limit` default 100, at most 1000). */
export async function listDeadLetters(delivery: Delivery, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const limit = Math.max(1, Math.min(filter.limit ?? 100, 1000));
  const offset = Math.max(0, filter.offset ?? 0);
  const page = (await collect(delivery, filter)).slice(offset, offset + limit);
  return Promise.all(page.map((e) => withReplayStates(delivery, e.letter)));
}

/** One dead letter with the original event; `DEAD_LETTER_NOT_FOUND` when there is none. */
export async function showDeadLetter(delivery: Delivery, id: string): Promise<DeadLetter & { event: JsonValue }> {
  for (const queue of delivery.queueNames) {
    const job = await delivery.queue(queue).get(id);
    if (job?.state !== 'dead') continue;
    const found = (await collect(delivery, queue === ROUTE_QUEUE ? {} : { adapter: queue.slice('deliver-'.length) })).find((e) => e.job.id === id);
    if (found) return { ...(await withReplayStates(delivery, found.letter)), event: (job.payload as unknown as Payload).event };
  }
  throw new SuyuanError('DEAD_LETTER_NOT_FOUND', `no dead letter ${id}`, { detail: { deadLetter: id } });
}

export interface ReplayDeadOptions {
  readonly actor: string;
  readonly audit?: AuditLog;
}

async function replayJob(delivery: Delivery, queue: string, job: JobRecord, options: ReplayDeadOptions): Promise<DeadLetterReplay> {
  const p = job.payload as unknown as Payload;
  const payload = { ...(job.payload as Record<string, JsonValue>), replayOf: job.id };
  const key = queue === ROUTE_QUEUE ? `route:${p.hash}` : p.key;
  const replay = await delivery.queue(queue).enqueue({ name: job.name, payload, ...(key === undefined ? {} : { idempotencyKey: key }) });
  const at = new Date().toISOString();
  await delivery.db.insertInto('dead_letter_replays').values({ replay, original: job.id, at, actor: options.actor })
    .onConflict((oc) => oc.column('replay').doNothing()).execute();
  await options.audit?.record(options.actor, 'dead-letter.replay', `dead-letter:${job.id}`, { queue, replay, adapter: p.adapter ?? null, eventHash: p.hash });
  return { original: job.id, replay, status: 'queued', errorCode: null };
}

/** Replays one dead letter as a new job linked to it; `DEAD_LETTER_NOT_FOUND` when there is none. */
export async function replayDeadLetter(delivery: Delivery, id: string, options: ReplayDeadOptions): Promise<DeadLetterReplay> {
  for (const queue of delivery.queueNames) {
    const job = await delivery.queue(queue).get(id);
    if (job?.state === 'dead') return replayJob(delivery, queue, job, options);
  }
  throw new SuyuanError('DEAD_LETTER_NOT_FOUND', `no dead letter ${id}`, { detail: { deadLetter: id } });
}

/**
 * Replays every dead letter matching the filter that was not replayed yet (every one with `force`),
 * oldest first. One failing to enqueue does not stop the rest.
 */
export async function replayDeadLetters(delivery: Delivery, filter: DeadLetterFilter, options: ReplayDeadOptions & { readonly force?: boolean }): Promise<DeadLetterReplay[]> {
  const results: DeadLetterReplay[] = [];
  for (const { queue, job, letter } of await collect(delivery, filter)) {
    if (options.force !== true && letter.replays.length > 0) continue;
    if (filter.limit !== undefined && results.length >= filter.limit) break;
    try {
      results.push(await replayJob(delivery, queue, job, options));
    } catch (error) {
      results.push({ original: job.id, replay: null, status: 'failed', errorCode: error instanceof SuyuanError ? error.code : 'INTERNAL' });
    }
  }
  return results;
}
