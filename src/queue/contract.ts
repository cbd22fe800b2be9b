/** The queue contract every engine implements (embedded SQLite, BullMQ on Redis), and its shared rules. */
import { SuyuanError, type ErrorCode } from '../errors.ts';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A job to enqueue. */
export interface JobInput {
  /**
   * The job's id; generated when absent. Unique within the queue: enqueueing an id the queue already
   * holds, in any state, makes no second job and answers that id (BullMQ's rule, kept by every engine).
   */
  readonly id?: string;
  /** What kind of work it is (e.g. `deliver`), for the handler and for operators. */
  readonly name: string;
  /** Kept verbatim, including in the dead state. */
  readonly payload: JsonValue;
  /** While a job with this key is enqueued and not finished (done or dead), another enqueue MUST NOT make a second job. */
  readonly idempotencyKey?: string;
  /** Not started before this time (default: now). */
  readonly runAt?: Date;
}

/** Retries: exponential backoff from `initialDelayMs`, doubled per attempt, capped at `maxDelayMs`, minus up to `jitter` of it at random. */
export interface RetryPolicy {
  /** Attempts in all, the first included (≥ 1). */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** 0 (none) to 1 (full jitter): the share of the delay that is randomised away. */
  readonly jitter: number;
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'done' | 'dead';

/** One attempt of a job: when it started, how it ended, and the error code when it failed. */
export interface Attempt {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** `done`; `retry` (operational error, tried again after backoff); `dead` (user or unexpected error, or attempts used up). */
  readonly outcome: 'done' | 'retry' | 'dead';
  readonly code?: ErrorCode;
}

/** A job as the queue keeps it. */
export interface JobRecord {
  readonly id: string;
  readonly name: string;
  readonly payload: JsonValue;
  readonly state: JobState;
  readonly attempts: readonly Attempt[];
  /** True when the job died of an `unexpected` error: a bug someone must look at. */
  readonly alert: boolean;
}

/** What a handler is given: the job, its attempt number (1-based), and a signal aborted when the consumer gives the job back. */
export interface JobContext {
  readonly id: string;
  readonly name: string;
  readonly payload: JsonValue;
  readonly attempt: number;
  readonly signal: AbortSignal;
}

/**
 * Does the work. Resolving marks the job done. Throwing decides by the error's kind: a `SuyuanError`
 * of kind `operational` is retried after backoff (until `maxAttempts`); `user` goes to dead at once;
 * `unexpected`, and anything that is not a `SuyuanError`, goes to dead with `alert` set.
 */
export type JobHandler = (job: JobContext) => Promise<void>;

export interface ConsumeOptions {
  /** Jobs this consumer runs at the same time (≥ 1). */
  readonly concurrency: number;
}

export interface CloseOptions {
  /** True: in-flight jobs may finish, up to `timeoutMs`, then whatever still runs returns to waiting. False: they return to waiting at once. */
  readonly graceful: boolean;
  readonly timeoutMs?: number;
}

/** One named queue on one engine. Handles on the same queue name and store share its jobs (scale-out). */
export interface Queue {
  /** Adds a job and answers its id — the existing job's id when the idempotency key dedupes. Throws `BAD_REQUEST` on a bad input. */
  enqueue(job: JobInput): Promise<string>;
  /**
   * Starts consuming with a handler; at most one consumer per handle (a second call throws `BAD_REQUEST`).
   * A job a consumer held when it died without closing becomes waiting again after the lease (lock) timeout.
   */
  consume(handler: JobHandler, options: ConsumeOptions): void;
  /** The job with this id, or undefined. */
  get(id: string): Promise<JobRecord | undefined>;
  /** Jobs in the dead state, oldest first. */
  dead(): Promise<readonly JobRecord[]>;
  /** The ids of the jobs in the dead state (no payloads: cheap enough to compare with an index of them). */
  deadIds(): Promise<readonly string[]>;
  /** Jobs in each state. */
  counts(): Promise<Readonly<Record<JobState, number>>>;
  /**
   * When the longest-waiting job that is due became due (enqueued, its `runAt`, or its retry's backoff
   * over), or `undefined` when no due job waits: how far behind the consumers are.
   */
  oldestWaiting(): Promise<Date | undefined>;
  /** This handle's consumer stops taking jobs; resolves once its in-flight jobs have finished. `resume` takes jobs again. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops consuming (see `CloseOptions`) and releases the connection. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}

/** Options every engine takes. */
export interface QueueOptions {
  /** The queue's name: letters, digits, `-` and `_`. */
  readonly name: string;
  readonly retry: RetryPolicy;
  /** How long a consumer holds a job without renewing before it is taken back (default 30 s). */
  readonly leaseMs?: number;
  /**
   * How many times a job may be taken back from a consumer that died holding it (default 1000); one
   * more and the job is dead with `JOB_STALLED` and an alert — a job that keeps killing its worker is a bug.
   */
  readonly maxStalls?: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ maxAttempts: 8, initialDelayMs: 1_000, maxDelayMs: 10 * 60_000, jitter: 0.2 });

/** The delay before attempt `attempt + 1`, after `attempt` failed attempts (≥ 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(raw * (1 - policy.jitter * random())));
}

/** How a handler's error ends the attempt: its code, whether it is retried, whether it raises an alert. */
export function classify(error: unknown): { code: ErrorCode; retry: boolean; alert: boolean } {
  if (error instanceof SuyuanError) {
    return { code: error.code, retry: error.kind === 'operational', alert: error.kind === 'unexpected' };
  }
  return { code: 'INTERNAL', retry: false, alert: true };
}

/** Checks the options common to every engine; throws `BAD_REQUEST` naming the field. */
export function checkOptions(options: QueueOptions): void {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(options.name)) throw new SuyuanError('BAD_REQUEST', `queue name "${options.name}" is not letters, digits, - and _`);
  const r = options.retry;
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) throw new SuyuanError('BAD_REQUEST', 'retry.maxAttempts must be an integer ≥ 1');
  if (!(r.initialDelayMs >= 0 && r.maxDelayMs >= r.initialDelayMs)) throw new SuyuanError('BAD_REQUEST', 'retry delays must satisfy 0 ≤ initialDelayMs ≤ maxDelayMs');
  if (!(r.jitter >= 0 && r.jitter <= 1)) throw new SuyuanError('BAD_REQUEST', 'retry.jitter must be from 0 to 1');
}

export function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new SuyuanError('BAD_REQUEST', 'concurrency must be an integer ≥ 1');
}
