/** The scale-out queue engine: BullMQ on Redis, any number of workers on any number of machines. */
import { randomUUID } from 'node:crypto';
import { Queue as BullQueue, UnrecoverableError, WaitingError, Worker, type Job, type MinimalJob } from 'bullmq';
import { SuyuanError } from '../errors.ts';
import {
  backoffDelay, checkConcurrency, checkOptions, classify,
  type Attempt, type CloseOptions, type ConsumeOptions, type JobHandler, type JobInput, type JobRecord, type JobState, type JsonValue, type Queue, type QueueOptions,
} from './contract.ts';

/** What a BullMQ job carries: our payload and the attempt log (dead jobs keep both in the failed set). */
/**
 * A job's data: ours, beside BullMQ's own fields. `due` is when it last became due (ms): enqueued, its
 * `runAt`, or a failed attempt's end plus the retry's backoff (`retryDelayMs`, chosen here and handed
 * to BullMQ by the backoff strategy), which BullMQ itself does not keep.
 */
interface Data { readonly payload: JsonValue; readonly attempts: readonly Attempt[]; readonly alert: boolean; readonly due?: number; readonly retryDelayMs?: number }

/**
 * How long a call on the queue waits for Redis before it is `IO_FAILED` (operational): with Redis away
 * BullMQ would wait for it forever, and a push or an API call with it. A call that times out may still
 * be carried out when Redis is back; every job id the hub chooses follows from what the job is for, so
 * doing one again is harmless.
 */
const REDIS_ANSWER_MS = 5_000;

async function answered<T>(what: string, call: () => Promise<T>, ms = REDIS_ANSWER_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SuyuanError('IO_FAILED', `Redis did not answer ${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([call(), late]);
  } catch (error) {
    if (error instanceof SuyuanError) throw error;
    throw new SuyuanError('IO_FAILED', `the queue's Redis failed ${what}: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** How many jobs at the head of the waiting list `oldestWaiting` looks at (retries re-enter at its tail). */
const OLDEST_SCAN = 20;

const STATES: Readonly<Record<string, JobState>> = {
  waiting: 'waiting', prioritized: 'waiting', paused: 'waiting', 'waiting-children': 'waiting',
  delayed: 'delayed', active: 'active', completed: 'done', failed: 'dead',
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A queue named `options.name` on the Redis at `redisUrl`. Retries are BullMQ's own, with our backoff
 * (exponential, jitter, cap) as a custom strategy; user and unexpected errors are `UnrecoverableError`s;
 * dead is BullMQ's failed set. The idempotency key is BullMQ's deduplication id, held until the job
 * finishes. A job whose worker died is taken back by BullMQ's stalled-job check once its lock
 * (`leaseMs`) lapses.
 */
export function createBullmqQueue(redisUrl: string, options: QueueOptions): Queue {
  checkOptions(options);
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const leaseMs = options.leaseMs ?? 30_000;
  const bull = new BullQueue<Data>(options.name, { connection, prefix: 'suyuan' });
  // Connection failures reach the callers of each method; the queue's error events would only repeat them.
  bull.on('error', () => undefined);
  let worker: Worker<Data> | undefined;
  let closed = false;

  /** A job failed by BullMQ itself (it stalled too often) has no last attempt of ours: it is added, with `JOB_STALLED` and an alert. */
  const record = async (job: Job<Data>): Promise<JobRecord> => {
    const state = STATES[await job.getState()] ?? 'waiting';
    const stalled = state === 'dead' && job.data.attempts.at(-1)?.outcome !== 'dead';
    const at = new Date(job.finishedOn ?? Date.now()).toISOString();
    return {
      id: job.id ?? '', name: job.name, payload: job.data.payload, state, alert: job.data.alert || stalled,
      attempts: stalled ? [...job.data.attempts, { startedAt: new Date(job.processedOn ?? job.finishedOn ?? Date.now()).toISOString(), finishedAt: at, outcome: 'dead', code: 'JOB_STALLED' }] : job.data.attempts,
    };
  };

  async function process(handler: JobHandler, job: Job<Data>, token: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    const startedAt = new Date().toISOString();
    const attempt = job.attemptsMade + 1;
    const abort = new AbortController();
    // Given back (close): the job returns to waiting now, whether or not the handler heeds the signal.
    const givenBack = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => {
        abort.abort();
        void job.moveToWait(token).then(() => reject(new WaitingError()), reject);
      }, { once: true });
    });
    const end = (outcome: Attempt['outcome'], alert: boolean, code?: Attempt['code']) => {
      const finished = Date.now();
      const retryDelayMs = outcome === 'retry' ? backoffDelay(options.retry, attempt) : undefined;
      return job.updateData({
        ...job.data, alert,
        attempts: [...job.data.attempts, { startedAt, finishedAt: new Date(finished).toISOString(), outcome, ...(code ? { code } : {}) }],
        ...(retryDelayMs === undefined ? {} : { retryDelayMs, due: finished + retryDelayMs }),
      });
    };
    try {
      await Promise.race([handler({ id: job.id ?? '', name: job.name, payload: job.data.payload, attempt, signal: abort.signal }), givenBack]);
    } catch (error) {
      if (error instanceof WaitingError) throw error;
      const { code, retry, alert } = classify(error);
      const again = retry && attempt < options.retry.maxAttempts;
      await end(again ? 'retry' : 'dead', alert, code);
      throw again ? new Error(code) : new UnrecoverableError(code);
    }
    await end('done', false);
  }

  return {
    async enqueue(job: JobInput): Promise<string> {
      return answered('adding a job', async () => {
        if (closed) throw new SuyuanError('BAD_REQUEST', 'the queue is closed');
        const now = Date.now();
        const delay = Math.max(0, (job.runAt?.getTime() ?? 0) - now);
        const added = await bull.add(job.name, { payload: job.payload, attempts: [], alert: false, due: now + delay }, {
          jobId: job.id ?? randomUUID(),
          attempts: options.retry.maxAttempts,
          backoff: { type: 'suyuan' },
          delay,
          removeOnComplete: false,
          removeOnFail: false,
          ...(job.idempotencyKey === undefined ? {} : { deduplication: { id: job.idempotencyKey } }),
        });
        if (added.id === undefined) throw new SuyuanError('INTERNAL', 'BullMQ answered a job without an id');
        return added.id;
      });
    },
    consume(handler: JobHandler, consume: ConsumeOptions): void {
      checkConcurrency(consume.concurrency);
      if (worker) throw new SuyuanError('BAD_REQUEST', 'this queue handle already has a consumer');
      worker = new Worker<Data>(options.name, (job, token, signal) => process(handler, job, token, signal), {
        connection, prefix: 'suyuan', concurrency: consume.concurrency,
        lockDuration: leaseMs, stalledInterval: leaseMs, maxStalledCount: options.maxStalls ?? 1_000,
        settings: {
          // The delay `end` chose and kept in the job (so `oldestWaiting` knows when the retry is due).
          backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: MinimalJob) => {
            const chosen = (job?.data as Data | undefined)?.retryDelayMs;
            return typeof chosen === 'number' ? chosen : backoffDelay(options.retry, attemptsMade);
          },
        },
      });
      // Failures are recorded in the job; the worker's error event only needs a listener so it does not throw.
      worker.on('error', () => undefined);
    },
    async get(id) {
      return answered('reading a job', async () => {
        const job = (await bull.getJob(id)) as Job<Data> | undefined;
        return job && record(job);
      });
    },
    async dead() {
      return answered('listing dead jobs', async () => {
        const jobs = (await bull.getFailed(0, -1)) as Job<Data>[];
        jobs.sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0));
        return Promise.all(jobs.map(record));
      }, 12 * REDIS_ANSWER_MS); // every dead job is read: a long list takes a while
    },
    async deadIds() {
      return answered('listing dead job ids', () => bull.getRanges(['failed'], 0, -1, true), 12 * REDIS_ANSWER_MS);
    },
    async counts() {
      return answered('counting jobs', async () => {
        const c = await bull.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
        const n = (k: string) => c[k] ?? 0;
        return { waiting: n('waiting') + n('prioritized'), delayed: n('delayed'), active: n('active'), done: n('completed'), dead: n('failed') };
      });
    },
    async oldestWaiting() {
      return answered('reading the oldest waiting job', async () => {
        // BullMQ moves a delayed job to waiting only while some worker runs: one past its time is waiting too.
        const [waiting, delayed] = await Promise.all([
          bull.getJobs(['wait', 'prioritized'], 0, OLDEST_SCAN - 1, true) as Promise<Array<Job<Data> | undefined>>,
          bull.getJobs(['delayed'], 0, 0, true) as Promise<Array<Job<Data> | undefined>>,
        ]);
        const dueOf = (j: Job<Data> | undefined): number | undefined => (j ? j.data.due ?? j.timestamp + (j.delay ?? 0) : undefined);
        const now = Date.now();
        const due = [...waiting.map(dueOf), ...delayed.map(dueOf).filter((t) => t !== undefined && t <= now)].filter((t): t is number => typeof t === 'number');
        return due.length === 0 ? undefined : new Date(Math.min(...due));
      });
    },
    async pause() { await worker?.pause(); },
    async resume() { await worker?.resume(); },
    async close(close: CloseOptions = { graceful: true }) {
      if (closed) return;
      closed = true;
      // Each wait is bounded: with Redis away BullMQ's close never ends, and a hub must still stop
      // (jobs it held are taken back by the stalled-job check once their locks lapse).
      const bounded = async (closing: Promise<void>, ms: number, force: () => Promise<void>): Promise<void> => {
        closing.catch(() => undefined);
        if (await Promise.race([closing.then(() => true, () => true), sleep(ms).then(() => false)])) return;
        await Promise.race([force().catch(() => undefined), sleep(1_000)]);
      };
      if (worker) {
        const w = worker;
        if (!close.graceful) w.cancelAllJobs('closing');
        const closing = w.close();
        await Promise.race([closing.catch(() => undefined), sleep(close.timeoutMs ?? 10_000)]);
        w.cancelAllJobs('closing');
        await bounded(closing, 2_000, () => w.disconnect());
      }
      await bounded(bull.close(), 2_000, () => bull.disconnect());
    },
  };
}
