/** The embedded queue's table (`queue_jobs`) and its migration, for the composition root to apply. */
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../db/index.ts';

export interface QueueJobsTable {
  queue: string;
  id: string;
  name: string;
  /** JSON. */
  payload: string;
  idempotency_key: string | null;
  /** `waiting` (delayed while `run_at` is ahead), `active`, `done`, `dead`. */
  state: string;
  /** Epoch milliseconds. */
  run_at: number;
  /** The consumer holding the job, and until when (epoch ms), while active. */
  owner: string | null;
  lease_until: number | null;
  /** Epoch ms the current attempt started, while active. */
  started_at: number | null;
  /** JSON array of `Attempt`. */
  attempts: string;
  alert: number;
  /** Times the job was taken back from a consumer whose lease lapsed. */
  stalls: number;
}

export interface QueueTables {
  queue_jobs: QueueJobsTable;
}

export const QUEUE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0007_queue': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('queue_jobs')
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('run_at', 'integer', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('lease_until', 'integer')
        .addColumn('started_at', 'integer')
        .addColumn('attempts', 'text', (c) => c.notNull())
        .addColumn('alert', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('queue_jobs_pk', ['queue', 'id'])
        .execute();
      await db.schema.createIndex('queue_jobs_ready').on('queue_jobs').columns(['queue', 'state', 'run_at']).execute();
      // One unfinished job per idempotency key, across processes.
      await sql`create unique index queue_jobs_idempotency on queue_jobs (queue, idempotency_key)
        where idempotency_key is not null and state in ('waiting', 'active')`.execute(db);
    },
  },
  '0009_queue_stalls': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('queue_jobs').addColumn('stalls', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
};
