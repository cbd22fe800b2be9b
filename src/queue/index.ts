/** The queue: one contract, two engines (embedded SQLite by default, BullMQ when `SUYUAN_REDIS_URL` is set). */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { migrate, openSqlite } from '../db/index.ts';
import { createBullmqQueue } from './bullmq-queue.ts';
import type { Queue, QueueOptions } from './contract.ts';
import { createSqliteQueue } from './sqlite-queue.ts';
import { QUEUE_MIGRATIONS } from './sqlite-tables.ts';

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

/**
 * The embedded queue's own SQLite file, `<dataDir>/queue.db`, for a hub whose database is PostgreSQL
 * and that has no Redis: the embedded queue stays a SQLite engine, local to its machine (its jobs
 * are routing and delivery work, not the hub's record; a hub on SQLite keeps them in `suyuan.db`).
 * Consumers on other machines need Redis, which is why `suyuan worker` refuses to run without it there.
 */
export async function openQueueDatabase(dataDir: string): Promise<Kysely<unknown>> {
  const db = openSqlite<unknown>(join(dataDir, 'queue.db'));
  try {
    await migrate(db, QUEUE_MIGRATIONS);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
