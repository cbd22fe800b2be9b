// The queue contract suite: the same tests against every engine (embedded SQLite, BullMQ on a real Redis).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { migrate, openSqlite } from '../src/db/index.ts';
import { SuyuanError } from '../src/errors.ts';
import {
  backoffDelay, createBullmqQueue, createSqliteQueue, QUEUE_MIGRATIONS,
  type JobContext, type JobState, type Queue, type RetryPolicy,
} from '../src/queue/index.ts';
import { redisAvailable, startRedis, type RedisServer } from './helpers/redis.ts';
import { until } from './helpers/until.ts';

const RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 60, jitter: 0.5 };
const LEASE_MS = 800;

/** One engine as the suite sees it: a handle on a named queue over the same store, and where a crash worker finds it. */
interface Engine {
  open(name: string, leaseMs?: number, maxStalls?: number, retry?: RetryPolicy): Queue;
  /** Arguments for `helpers/queue-crash-worker.ts`. */
  crashArgs(): [string, string];
  /** Drops every connection and opens the store afresh, as a restarted process would. */
  restart(): Promise<void>;
}

function sqliteEngine(): Engine & { setup(): Promise<void>; teardown(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-queue-'));
  const file = join(dir, 'hub.db');
  let db: Kysely<unknown>;
  return {
    async setup() { db = openSqlite(file); await migrate(db, QUEUE_MIGRATIONS); },
    async teardown() { await db.destroy(); rmSync(dir, { recursive: true, force: true }); },
    open: (name, leaseMs = 30_000, maxStalls?: number, retry = RETRY) => createSqliteQueue(db, { name, retry, leaseMs, pollMs: 10, ...(maxStalls === undefined ? {} : { maxStalls }) }),
    crashArgs: () => ['sqlite', file],
    async restart() { await db.destroy(); db = openSqlite(file); await migrate(db, QUEUE_MIGRATIONS); },
  };
}

function redisEngine(): Engine & { setup(): Promise<void>; teardown(): Promise<void> } {
  let server: RedisServer;
  return {
    async setup() { server = await startRedis(); },
    async teardown() { await server.stop(); },
    open: (name, leaseMs = 30_000, maxStalls?: number, retry = RETRY) => createBullmqQueue(server.url, { name, retry, leaseMs, ...(maxStalls === undefined ? {} : { maxStalls }) }),
    crashArgs: () => ['redis', server.url],
    async restart() { /* every handle has its own connections: a new handle is a new connection */ },
  };
}

const ENGINES: [string, () => ReturnType<typeof sqliteEngine>, string | undefined][] = [
  ['sqlite', sqliteEngine, undefined],
  ['bullmq', redisEngine, redisAvailable() ? undefined : 'redis-server is not installed'],
];


const fail = (code: 'IO_FAILED' | 'MESSAGE_REJECTED' | 'INTERNAL') => new SuyuanError(code, 'test');

describe.each(ENGINES)('queue contract: %s', (_label, make, skip) => {
  const engine = make();
  const opened: Queue[] = [];
  const fresh = () => `q-${randomUUID().slice(0, 8)}`;
  /** A handle on the named queue (default: a new one of this test's own). */
  const open = (name = fresh(), leaseMs?: number, maxStalls?: number, retry?: RetryPolicy) => {
    const q = engine.open(name, leaseMs, maxStalls, retry);
    opened.push(q);
    return q;
  };
  beforeAll(async () => { if (!skip) await engine.setup(); });
  afterAll(async () => {
    if (skip) return;
    await Promise.all(opened.map((q) => q.close({ graceful: false })));
    await engine.teardown();
  });
  const test = skip ? it.skip : it;
  /** A worker process takes the job `id` of queue `name` and is killed (SIGKILL) while it holds it. */
  const crashHolding = async (name: string, id: string): Promise<void> => {
    const [kind, where] = engine.crashArgs();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'queue-crash-worker.ts'), kind, where, name, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { if (d.toString().includes(`active ${id}`)) resolve(); });
      child.once('exit', () => reject(new Error('the crash worker exited early')));
    });
    child.kill('SIGKILL');
  };

  test('runs jobs in order with their payload, and counts them done', async () => {
    const q = open();
    const ids = [];
    for (const 批次 of ['LOT-1', 'LOT-2', 'LOT-3']) ids.push(await q.enqueue({ name: 'deliver', payload: { 批次, 数量: 2 } }));
    const seen: string[] = [];
    q.consume(async (job) => { seen.push((job.payload as { 批次: string }).批次); }, { concurrency: 1 });
    await until(async () => (await q.counts()).done === 3);
    expect(seen).toEqual(['LOT-1', 'LOT-2', 'LOT-3']);
    const job = await q.get(ids[0]!);
    expect(job).toMatchObject({ id: ids[0], name: 'deliver', state: 'done', alert: false, payload: { 批次: 'LOT-1', 数量: 2 } });
    expect(job?.attempts.map((a) => a.outcome)).toEqual(['done']);
  });

  test('runs up to the concurrency at once, never more', async () => {
    const q = open();
    for (let i = 0; i < 8; i += 1) await q.enqueue({ name: 'n', payload: i });
    let now = 0;
    let peak = 0;
    q.consume(async () => {
      now += 1; peak = Math.max(peak, now);
      await new Promise((r) => setTimeout(r, 60));
      now -= 1;
    }, { concurrency: 3 });
    await until(async () => (await q.counts()).done === 8);
    expect(peak).toBe(3);
  });

  test('tells when the longest-waiting due job became due; a job not yet due is not waiting', async () => {
    const q = open();
    expect(await q.oldestWaiting()).toBeUndefined();
    const before = Date.now();
    await q.enqueue({ name: 'n', payload: 1 });
    const after = Date.now();
    await q.enqueue({ name: 'n', payload: 2 });
    await q.enqueue({ name: 'n', payload: 3, runAt: new Date(Date.now() + 3_600_000) }); // not due: not waiting
    const oldest = (await q.oldestWaiting())?.getTime() ?? 0;
    expect(oldest).toBeGreaterThanOrEqual(before);
    expect(oldest).toBeLessThanOrEqual(after);
    // Consumed, no due job is left waiting.
    q.consume(async () => undefined, { concurrency: 1 });
    await until(async () => (await q.counts()).done === 2);
    expect(await q.oldestWaiting()).toBeUndefined();
  });

  test('a job whose attempt failed is due again when its backoff is over, and waits from then', async () => {
    const name = fresh();
    const q = open(name, undefined, undefined, { maxAttempts: 2, initialDelayMs: 700, maxDelayMs: 700, jitter: 0 });
    let failedAt = 0;
    q.consume(async () => { failedAt = Date.now(); throw fail('IO_FAILED'); }, { concurrency: 1 });
    await q.enqueue({ name: 'n', payload: 1 });
    await until(async () => (await q.counts()).delayed === 1 && failedAt > 0);
    await q.close({ graceful: true }); // no consumer now: the retry will wait
    const other = open(name);
    expect(await other.oldestWaiting()).toBeUndefined(); // backing off: not due yet
    const due = await until(async () => (await other.oldestWaiting())?.getTime(), 5_000);
    expect(due).toBeGreaterThanOrEqual(failedAt + 700);
    expect(due).toBeLessThan(failedAt + 700 + 250);
  });

  test('an idempotency key enqueued and not finished makes no second job', async () => {
    const q = open();
    const first = await q.enqueue({ name: 'deliver', payload: 1, idempotencyKey: 'recall-RC2026-001' });
    const second = await q.enqueue({ name: 'deliver', payload: 2, idempotencyKey: 'recall-RC2026-001' });
    expect(second).toBe(first);
    expect((await q.counts()).waiting).toBe(1);
  });

  test('an id the queue already holds, even done, makes no second job', async () => {
    const q = open();
    const id = 'deliver-5f1c0e2a9b';
    expect(await q.enqueue({ id, name: 'deliver', payload: 1 })).toBe(id);
    q.consume(async () => undefined, { concurrency: 1 });
    await until(async () => (await q.counts()).done === 1);
    expect(await q.enqueue({ id, name: 'deliver', payload: 2 })).toBe(id);
    await new Promise((r) => setTimeout(r, 200));
    const counts = await q.counts();
    expect(counts).toMatchObject({ done: 1, waiting: 0, active: 0 });
    expect((await q.get(id))?.payload).toBe(1);
  });

  test('operational errors are retried with backoff, then dead when attempts run out, every attempt recorded', async () => {
    const q = open();
    const times: number[] = [];
    const id = await q.enqueue({ name: 'deliver', payload: { 单号: 'R-1' } });
    q.consume(async () => { times.push(Date.now()); throw fail('IO_FAILED'); }, { concurrency: 1 });
    const job = await until(async () => { const j = await q.get(id); return j?.state === 'dead' && j; });
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(8);
    expect(job.attempts.map((a) => [a.outcome, a.code])).toEqual([['retry', 'IO_FAILED'], ['retry', 'IO_FAILED'], ['dead', 'IO_FAILED']]);
    expect(job.alert).toBe(false);
    expect(job.payload).toEqual({ 单号: 'R-1' });
    expect((await q.dead()).map((d) => d.id)).toEqual([id]);
  });

  test('an operational error that then succeeds ends done after a retry', async () => {
    const q = open();
    const id = await q.enqueue({ name: 'deliver', payload: null });
    const attempts: number[] = [];
    q.consume(async (job: JobContext) => { attempts.push(job.attempt); if (job.attempt === 1) throw fail('IO_FAILED'); }, { concurrency: 1 });
    const job = await until(async () => { const j = await q.get(id); return j?.state === 'done' && j; });
    expect(attempts).toEqual([1, 2]);
    expect(job.attempts.map((a) => a.outcome)).toEqual(['retry', 'done']);
  });

  test('a user error goes to dead at once; an unexpected error goes to dead with an alert', async () => {
    const q = open();
    const user = await q.enqueue({ name: 'deliver', payload: 'user' });
    const bug = await q.enqueue({ name: 'deliver', payload: 'bug' });
    const plain = await q.enqueue({ name: 'deliver', payload: 'plain' });
    q.consume(async (job) => {
      if (job.payload === 'user') throw fail('MESSAGE_REJECTED');
      if (job.payload === 'bug') throw fail('INTERNAL');
      throw new TypeError('not a SuyuanError');
    }, { concurrency: 1 });
    await until(async () => (await q.counts()).dead === 3);
    expect(await q.get(user)).toMatchObject({ state: 'dead', alert: false, attempts: [{ outcome: 'dead', code: 'MESSAGE_REJECTED' }] });
    expect(await q.get(bug)).toMatchObject({ state: 'dead', alert: true, attempts: [{ outcome: 'dead', code: 'INTERNAL' }] });
    expect(await q.get(plain)).toMatchObject({ state: 'dead', alert: true, attempts: [{ outcome: 'dead', code: 'INTERNAL' }] });
  });

  test('counts jobs by state: waiting, delayed, active', async () => {
    const q = open();
    await q.enqueue({ name: 'a', payload: 1 });
    await q.enqueue({ name: 'a', payload: 2, runAt: new Date(Date.now() + 60_000) });
    let release!: () => void;
    q.consume(() => new Promise<void>((r) => { release = r; }), { concurrency: 1 });
    const counts = await until(async () => { const c = await q.counts(); return c.active === 1 && c; });
    expect(counts).toEqual({ waiting: 0, delayed: 1, active: 1, done: 0, dead: 0 } satisfies Record<JobState, number>);
    release();
    await until(async () => (await q.counts()).done === 1);
  });

  test('pause stops taking jobs, resume takes them again', async () => {
    const q = open();
    const seen: unknown[] = [];
    q.consume(async (job) => { seen.push(job.payload); }, { concurrency: 1 });
    await q.enqueue({ name: 'a', payload: 1 });
    await until(async () => seen.length === 1);
    await q.pause();
    await q.enqueue({ name: 'a', payload: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([1]);
    await q.resume();
    await until(async () => seen.length === 2);
  });

  test('a graceful close lets a short job finish and returns a long one to waiting after the timeout', async () => {
    const name = fresh();
    const q = open(name);
    const short = await q.enqueue({ name: 'a', payload: 50 });
    const long = await q.enqueue({ name: 'a', payload: 60_000 });
    let aborted = false;
    q.consume(async (job) => {
      job.signal.addEventListener('abort', () => { aborted = true; });
      await new Promise((r) => setTimeout(r, job.payload as number));
    }, { concurrency: 2 });
    await until(async () => (await q.counts()).active === 2);
    await q.close({ graceful: true, timeoutMs: 500 });
    expect(aborted).toBe(true);
    const other = open(name);
    expect((await other.get(short))?.state).toBe('done');
    expect((await other.get(long))?.state).toBe('waiting');
  });

  test('a close that is not graceful returns in-flight work to waiting at once', async () => {
    const name = fresh();
    const q = open(name);
    const id = await q.enqueue({ name: 'a', payload: null });
    q.consume(() => new Promise(() => undefined), { concurrency: 1 });
    await until(async () => (await q.counts()).active === 1);
    const started = Date.now();
    await q.close({ graceful: false });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await open(name).get(id))?.state).toBe('waiting');
  });

  test('a job held by a consumer that died without closing is taken back after the lease and done by another', async () => {
    const name = fresh();
    const q = open(name, LEASE_MS);
    const id = await q.enqueue({ name: 'deliver', payload: { 单号: 'CRASH-1' } });
    await crashHolding(name, id);
    expect((await q.get(id))?.state).toBe('active');
    const done: string[] = [];
    q.consume(async (job) => { done.push(job.id); }, { concurrency: 1 });
    await until(async () => (await q.get(id))?.state === 'done', 15_000);
    expect(done).toEqual([id]);
  });

  test('a job whose consumer died holding it more often than maxStalls is dead with JOB_STALLED and an alert', async () => {
    const name = fresh();
    const q = open(name, LEASE_MS, 0);
    const id = await q.enqueue({ name: 'deliver', payload: { 单号: 'POISON-1' } });
    await crashHolding(name, id);
    const ran: string[] = [];
    q.consume(async (job) => { ran.push(job.id); }, { concurrency: 1 });
    const job = await until(async () => { const j = await q.get(id); return j?.state === 'dead' && j; }, 15_000);
    expect(ran).toEqual([]);
    expect(job.alert).toBe(true);
    expect(job.attempts.at(-1)).toMatchObject({ outcome: 'dead', code: 'JOB_STALLED' });
    expect(job.payload).toEqual({ 单号: 'POISON-1' });
  });

  test('jobs survive a restart: a new process on the same store picks them up', async () => {
    const name = fresh();
    const before = open(name);
    const id = await before.enqueue({ name: 'deliver', payload: { 单号: 'RESTART-1' } });
    await before.close();
    await engine.restart();
    const after = open(name);
    const seen: unknown[] = [];
    after.consume(async (job) => { seen.push(job.payload); }, { concurrency: 1 });
    await until(async () => (await after.get(id))?.state === 'done');
    expect(seen).toEqual([{ 单号: 'RESTART-1' }]);
  });
});

describe('backoff', () => {
  it('doubles from the initial delay, is capped, and jitter only shortens it', () => {
    const policy: RetryPolicy = { maxAttempts: 10, initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(policy, 3, () => 1)).toBe(200);
    expect(backoffDelay({ ...policy, jitter: 0 }, 3, () => 1)).toBe(400);
  });
});
