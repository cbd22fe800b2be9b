/**
 * Dead letters: delivery and routing jobs that will not be tried again — a user error, an unexpected
 * one, attempts used up, or a worker that died holding the job too often. Each is shown with the
 * original event, the failing stage, the error code and reason, and every attempt's time and outcome;
 * a replay is a new job on the same queue, linked to the dead one.
 */
import { sql } from 'kysely';
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

type Indexed = { queue: string; job: JobRecord; letter: DeadLetter };

/** The letters of dead jobs of one queue, with their failures and replays (read in chunks). */
async function lettersOf(delivery: Delivery, queue: string, jobs: readonly JobRecord[]): Promise<Indexed[]> {
  const ids = jobs.map((j) => j.id);
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
  return jobs.map((job) => {
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
    return { queue, job, letter };
  });
}

/** The queues a filter names (every one delivery uses, or the adapter's); `ADAPTER_NOT_FOUND` for an unknown adapter. */
function queuesOf(delivery: Delivery, filter: DeadLetterFilter): string[] {
  if (filter.adapter === undefined) return delivery.queueNames;
  if (!delivery.destinations.includes(filter.adapter)) throw new SuyuanError('ADAPTER_NOT_FOUND', `no outbound adapter "${filter.adapter}"`, { detail: { adapter: filter.adapter } });
  return [deliverQueueName(filter.adapter)];
}

/**
 * Brings the index of a queue's dead jobs up to date: when its count differs from the queue's, the
 * queue's dead ids are compared with it, jobs new to it are read and indexed, and ids the queue no
 * longer holds are dropped. Indexing is idempotent, so processes doing it at once do no harm.
 */
async function syncIndex(delivery: Delivery, queue: string): Promise<void> {
  const q = delivery.queue(queue);
  const dead = (await q.counts()).dead;
  const indexed = await delivery.db.selectFrom('dead_letter_index').select((eb) => eb.fn.countAll<number>().as('n')).where('queue', '=', queue).executeTakeFirst();
  if (Number(indexed?.n ?? 0) === dead) return;
  const ids = new Set(await q.deadIds());
  const known = new Set((await delivery.db.selectFrom('dead_letter_index').select('job').where('queue', '=', queue).execute()).map((r) => r.job));
  const fresh = [...ids].filter((id) => !known.has(id));
  const gone = [...known].filter((id) => !ids.has(id));
  for (let i = 0; i < gone.length; i += 500) await delivery.db.deleteFrom('dead_letter_index').where('job', 'in', gone.slice(i, i + 500)).execute();
  for (let i = 0; i < fresh.length; i += 200) {
    const jobs = (await Promise.all(fresh.slice(i, i + 200).map((id) => q.get(id)))).filter((j): j is JobRecord => j?.state === 'dead');
    const rows = (await lettersOf(delivery, queue, jobs)).map(({ letter }) => ({
      job: letter.id, queue, adapter: letter.adapter, code: letter.code, stage: letter.stage, dead_at: letter.deadAt, event_hash: letter.eventHash, alert: letter.alert ? 1 : 0,
    }));
    if (rows.length > 0) await delivery.db.insertInto('dead_letter_index').values(rows).onConflict((oc) => oc.column('job').doNothing()).execute();
  }
}

/**
 * Dead letters matching the filter, oldest death first (`limit` and `offset` page them): the index is
 * brought up to date and filtered in the database; only the page's jobs are read from the queue.
 */
async function collect(delivery: Delivery, filter: DeadLetterFilter, page?: { limit: number; offset: number }): Promise<Indexed[]> {
  const queues = queuesOf(delivery, filter);
  for (const queue of queues) await syncIndex(delivery, queue);
  let query = delivery.db.selectFrom('dead_letter_index').select(['job', 'queue']).where('queue', 'in', queues);
  if (filter.code !== undefined) query = query.where('code', '=', filter.code);
  if (filter.since !== undefined) query = query.where('dead_at', '>=', instant(filter.since, 'since'));
  if (filter.until !== undefined) query = query.where('dead_at', '<', instant(filter.until, 'until'));
  query = query.orderBy(sql`coalesce(dead_at, '')`).orderBy('job'); // no time first, on either engine
  if (page) query = query.limit(page.limit).offset(page.offset);
  const rows = await query.execute();
  const out: Indexed[] = [];
  for (const queue of queues) {
    const ids = rows.filter((r) => r.queue === queue).map((r) => r.job);
    const jobs = (await Promise.all(ids.map((id) => delivery.queue(queue).get(id)))).filter((j): j is JobRecord => j?.state === 'dead');
    out.push(...await lettersOf(delivery, queue, jobs));
  }
  const order = new Map(rows.map((r, i) => [r.job, i]));
  return out.sort((a, b) => (order.get(a.job.id) ?? 0) - (order.get(b.job.id) ?? 0));
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
  const page = await collect(delivery, filter, { limit, offset });
  return Promise.all(page.map((e) => withReplayStates(delivery, e.letter)));
}

/** One dead letter with the original event; `DEAD_LETTER_NOT_FOUND` when there is none. */
export async function showDeadLetter(delivery: Delivery, id: string): Promise<DeadLetter & { event: JsonValue }> {
  for (const queue of delivery.queueNames) {
    const job = await delivery.queue(queue).get(id);
    if (job?.state !== 'dead') continue;
    const [found] = await lettersOf(delivery, queue, [job]);
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
