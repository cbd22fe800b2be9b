/** The embedded queue engine: jobs in the hub's SQLite database, claimed atomically with a lease, polled. */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { SuyuanError } from '../errors.ts';
import {
  backoffDelay, checkConcurrency, checkOptions, classify,
  type Attempt, type CloseOptions, type ConsumeOptions, type JobHandler, type JobInput, type JobRecord, type JobState, type Queue, type QueueOptions,
} from './contract.ts';
import type { QueueJobsTable, QueueTables } from './sqlite-tables.ts';

export interface SqliteQueueOptions extends QueueOptions {
  /** How often an idle consumer looks for work, in ms (default 100). */
  readonly pollMs?: number;
}

interface Running { readonly done: Promise<void>; readonly abort: AbortController }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A queue on the `queue_jobs` table (`QUEUE_MIGRATIONS` must have run). The database belongs to the
 * caller: `close` stops this handle but leaves the connection open. Any number of processes on the same
 * file share the jobs: a claim is one `UPDATE … RETURNING` statement, so no job is claimed twice.
 */
export function createSqliteQueue(database: Kysely<unknown>, options: SqliteQueueOptions): Queue {
  checkOptions(options);
  const db = database as unknown as Kysely<QueueTables>;
  const queue = options.name;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  const maxStalls = options.maxStalls ?? 1_000;
  const owner = randomUUID();
  const running = new Map<string, Running>();
  let handler: JobHandler | undefined;
  let concurrency = 1;
  let paused = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let again = false;

  const record = (row: QueueJobsTable, now: number): JobRecord => ({
    id: row.id, name: row.name, payload: JSON.parse(row.payload), alert: row.alert === 1,
    attempts: JSON.parse(row.attempts),
    state: (row.state === 'waiting' && row.run_at > now ? 'delayed' : row.state) as JobState,
  });

  /** Ends an attempt, only if this handle still holds the job (a late finish after a give-back does nothing). */
  async function finish(row: QueueJobsTable, attempt: Omit<Attempt, 'finishedAt'>, alert: boolean, delay: number): Promise<void> {
    const now = Date.now();
    const attempts = [...JSON.parse(row.attempts), { ...attempt, finishedAt: new Date(now).toISOString() }];
    const state = attempt.outcome === 'retry' ? 'waiting' : attempt.outcome;
    await db.updateTable('queue_jobs')
      .set({ state, attempts: JSON.stringify(attempts), alert: alert ? 1 : 0, run_at: now + delay, owner: null, lease_until: null, started_at: null })
      .where('queue', '=', queue).where('id', '=', row.id).where('owner', '=', owner).where('state', '=', 'active')
      .execute();
  }

  async function run(row: QueueJobsTable, abort: AbortController): Promise<void> {
    const startedAt = new Date(row.started_at ?? Date.now()).toISOString();
    const previous = (JSON.parse(row.attempts) as Attempt[]).length;
    const beat = setInterval(() => {
      void db.updateTable('queue_jobs').set({ lease_until: Date.now() + leaseMs })
        .where('queue', '=', queue).where('id', '=', row.id).where('owner', '=', owner).execute().catch(() => undefined);
    }, Math.max(10, Math.floor(leaseMs / 3)));
    try {
      await handler!({ id: row.id, name: row.name, payload: JSON.parse(row.payload), attempt: previous + 1, signal: abort.signal });
      await finish(row, { startedAt, outcome: 'done' }, false, 0);
    } catch (error) {
      const { code, retry, alert } = classify(error);
      const again = retry && previous + 1 < options.retry.maxAttempts;
      await finish(row, { startedAt, outcome: again ? 'retry' : 'dead', code }, alert, again ? backoffDelay(options.retry, previous + 1) : 0);
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * Takes expired leases back: to waiting, or to dead with `JOB_STALLED` once the job has stalled more
   * than `maxStalls` times. A stall is not an attempt: the attempt that never ended is not counted.
   */
  async function recoverStalled(now: number): Promise<void> {
    const lapsed = await db.selectFrom('queue_jobs').select(['id', 'stalls', 'attempts', 'started_at'])
      .where('queue', '=', queue).where('state', '=', 'active').where('lease_until', '<', now).execute();
    for (const row of lapsed) {
      const base = db.updateTable('queue_jobs').where('queue', '=', queue).where('id', '=', row.id).where('state', '=', 'active').where('lease_until', '<', now);
      if (row.stalls < maxStalls) {
        await base.set({ state: 'waiting', owner: null, lease_until: null, started_at: null, stalls: row.stalls + 1 }).execute();
        continue;
      }
      const attempt: Attempt = { startedAt: new Date(row.started_at ?? now).toISOString(), finishedAt: new Date(now).toISOString(), outcome: 'dead', code: 'JOB_STALLED' };
      await base.set({ state: 'dead', owner: null, lease_until: null, started_at: null, stalls: row.stalls + 1, alert: 1, attempts: JSON.stringify([...JSON.parse(row.attempts), attempt]) }).execute();
    }
  }

  /** Takes expired leases back, then claims up to the free slots and starts them. */
  async function tick(): Promise<void> {
    if (closed || paused || !handler) return;
    const now = Date.now();
    await recoverStalled(now);
    const free = concurrency - running.size;
    if (free <= 0) return;
    const claimed = await sql<QueueJobsTable>`update queue_jobs
      set state = 'active', owner = ${owner}, lease_until = ${now + leaseMs}, started_at = ${now}
      where queue = ${queue} and rowid in (select rowid from queue_jobs
        where queue = ${queue} and state = 'waiting' and run_at <= ${now} order by run_at, rowid limit ${free})
      returning *`.execute(db);
    for (const row of claimed.rows) {
      const abort = new AbortController();
      const done = run(row, abort).finally(() => {
        running.delete(row.id);
        schedule(0);
      });
      running.set(row.id, { done, abort });
    }
    if (claimed.rows.length === free) again = true;
  }

  /** One poll at a time: a poll asked for while one runs makes the running one poll again at once. */
  async function loop(): Promise<void> {
    timer = undefined;
    if (ticking) { again = true; return; }
    ticking = true;
    again = false;
    try { await tick(); } catch { /* the database was busy or closing: the next poll tries again */ } finally { ticking = false; }
    schedule(again ? 0 : pollMs);
  }

  function schedule(ms: number): void {
    if (closed || !handler) return;
    clearTimeout(timer);
    timer = setTimeout(() => void loop(), ms);
  }

  /** Gives every job this handle still holds back to waiting, and tells its handler to stop. */
  async function giveBack(): Promise<void> {
    for (const r of running.values()) r.abort.abort();
    await db.updateTable('queue_jobs').set({ state: 'waiting', owner: null, lease_until: null, started_at: null })
      .where('queue', '=', queue).where('owner', '=', owner).where('state', '=', 'active').execute();
  }

  return {
    async enqueue(job: JobInput): Promise<string> {
      if (closed) throw new SuyuanError('BAD_REQUEST', 'the queue is closed');
      const find = () => job.idempotencyKey === undefined ? undefined : db.selectFrom('queue_jobs').select('id')
        .where('queue', '=', queue).where('idempotency_key', '=', job.idempotencyKey).where('state', 'in', ['waiting', 'active'])
        .executeTakeFirst();
      const existing = await find();
      if (existing) return existing.id;
      const id = job.id ?? randomUUID();
      try {
        await db.insertInto('queue_jobs').values({
          queue, id, name: job.name, payload: JSON.stringify(job.payload), idempotency_key: job.idempotencyKey ?? null,
          state: 'waiting', run_at: job.runAt?.getTime() ?? Date.now(), owner: null, lease_until: null, started_at: null, attempts: '[]', alert: 0, stalls: 0,
        }).execute();
      } catch (error) {
        const raced = await find();
        if (raced) return raced.id;
        const taken = await db.selectFrom('queue_jobs').select('id').where('queue', '=', queue).where('id', '=', id).executeTakeFirst();
        if (taken) return taken.id;
        throw new SuyuanError('BAD_REQUEST', `job ${id} cannot be enqueued (is the id taken?)`, { cause: error });
      }
      schedule(0);
      return id;
    },
    consume(h: JobHandler, consume: ConsumeOptions): void {
      checkConcurrency(consume.concurrency);
      if (handler) throw new SuyuanError('BAD_REQUEST', 'this queue handle already has a consumer');
      handler = h;
      concurrency = consume.concurrency;
      schedule(0);
    },
    async get(id) {
      const row = await db.selectFrom('queue_jobs').selectAll().where('queue', '=', queue).where('id', '=', id).executeTakeFirst();
      return row && record(row, Date.now());
    },
    async dead() {
      const rows = await db.selectFrom('queue_jobs').selectAll().where('queue', '=', queue).where('state', '=', 'dead').orderBy(sql`rowid`).execute();
      const now = Date.now();
      return rows.map((r) => record(r, now));
    },
    async deadIds() {
      const rows = await db.selectFrom('queue_jobs').select('id').where('queue', '=', queue).where('state', '=', 'dead').execute();
      return rows.map((r) => r.id);
    },
    async counts() {
      const now = Date.now();
      const rows = await db.selectFrom('queue_jobs')
        .select([sql<string>`case when state = 'waiting' and run_at > ${now} then 'delayed' else state end`.as('s'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('queue', '=', queue).groupBy('s').execute();
      const out: Record<JobState, number> = { waiting: 0, delayed: 0, active: 0, done: 0, dead: 0 };
      for (const r of rows) out[r.s as JobState] = Number(r.n);
      return out;
    },
    async oldestWaiting() {
      const row = await db.selectFrom('queue_jobs').select((eb) => eb.fn.min('run_at').as('due'))
        .where('queue', '=', queue).where('state', '=', 'waiting').where('run_at', '<=', Date.now()).executeTakeFirst();
      return row?.due === null || row?.due === undefined ? undefined : new Date(Number(row.due));
    },
    async pause() { paused = true; await Promise.allSettled([...running.values()].map((r) => r.done)); },
    async resume() { paused = false; schedule(0); },
    async close(close: CloseOptions = { graceful: true }) {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      if (close.graceful && running.size > 0) {
        await Promise.race([Promise.allSettled([...running.values()].map((r) => r.done)), sleep(close.timeoutMs ?? 10_000)]);
      }
      if (running.size > 0) await giveBack();
    },
  };
}
