/** Queues as the metrics read them: the queue contract's counts, plus the oldest waiting job where the engine can tell. */
import type { Kysely } from 'kysely';
import type { Queue } from '../queue/contract.ts';
import type { QueueTables } from '../queue/sqlite-tables.ts';
import type { QueueSource } from './metrics.ts';

/**
 * The oldest due job waiting in an embedded (SQLite) queue — when it became due — or `undefined`.
 * Reads `queue_jobs` directly: the queue contract has no such question (BullMQ queues go without it).
 */
export function sqliteOldestWaiting(db: Kysely<QueueTables>, queue: string, now: () => number = Date.now): () => Promise<Date | undefined> {
  return async () => {
    const row = await db.selectFrom('queue_jobs').select((eb) => eb.fn.min('run_at').as('due'))
      .where('queue', '=', queue).where('state', '=', 'waiting').where('run_at', '<=', now()).executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : new Date(Number(row.due));
  };
}

/** A queue for `HubMetrics.watchQueue`. */
export function queueSource(name: string, queue: Pick<Queue, 'counts'>, oldestWaiting?: () => Promise<Date | undefined>): QueueSource {
  return { name, counts: () => queue.counts(), ...(oldestWaiting ? { oldestWaiting } : {}) };
}
