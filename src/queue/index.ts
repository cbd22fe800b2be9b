/** The queue: one contract, two engines (embedded SQLite by default, BullMQ when `SUYUAN_REDIS_URL` is set). */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { createBullmqQueue } from './bullmq-queue.ts';
import type { Queue, QueueOptions } from './contract.ts';
import { createSqliteQueue } from './sqlite-queue.ts';

export * from './contract.ts';
export { createBullmqQueue } from './bullmq-queue.ts';
export { createSqliteQueue, type SqliteQueueOptions } from './sqlite-queue.ts';
export { QUEUE_MIGRATIONS, type QueueTables } from './sqlite-tables.ts';

/**
 * A queue on the engine the configuration names: BullMQ on `config.redisUrl` when set, else the
 * embedded engine on the hub's database `db` (whose migrations must include `QUEUE_MIGRATIONS`).
 */
export function createQueue(config: Pick<Config, 'redisUrl'>, db: Kysely<unknown>, options: QueueOptions): Queue {
  return config.redisUrl === undefined ? createSqliteQueue(db, options) : createBullmqQueue(config.redisUrl, options);
}
