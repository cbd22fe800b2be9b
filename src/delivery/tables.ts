/** The delivery tables: subscriptions, why each failed delivery attempt failed, and replays of dead letters. */
import type { Kysely, Migration } from 'kysely';

export interface SubscriptionRow {
  id: string;
  /** The department or platform that subscribes. */
  subscriber: string;
  /** The outbound adapter that carries the events to it, and the message type it sends. */
  adapter: string;
  type: string;
  /** JSON `SubscriptionFilter`. */
  filter: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** One failed attempt of a queued job: where it failed and why, in words (the queue keeps time, outcome and code). */
export interface JobFailureRow {
  job: string;
  attempt: number;
  stage: string;
  code: string;
  reason: string;
  at: string;
}

export interface DeadLetterReplayRow {
  /** The new job. */
  replay: string;
  /** The dead job it replays. */
  original: string;
  at: string;
  actor: string;
}

/**
 * A dead job as the dead-letter listing filters and orders it: an index kept beside the queue (which
 * keeps the job itself), brought up to date from the queue's dead ids when a listing finds the counts
 * differ, so that a page of dead letters reads one page of jobs, not every dead job.
 */
export interface DeadLetterIndexRow {
  job: string;
  queue: string;
  adapter: string | null;
  code: string | null;
  stage: string | null;
  /** ISO 8601 UTC: when its last attempt ended. */
  dead_at: string | null;
  event_hash: string;
  alert: number;
}

export interface DeliveryTables {
  subscriptions: SubscriptionRow;
  job_failures: JobFailureRow;
  dead_letter_replays: DeadLetterReplayRow;
  dead_letter_index: DeadLetterIndexRow;
}

export const DELIVERY_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0010_delivery': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subscriber', 'text', (c) => c.notNull())
        .addColumn('adapter', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('filter', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('job_failures')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_failures_pk', ['job', 'attempt'])
        .execute();
      await db.schema.createTable('dead_letter_replays')
        .addColumn('replay', 'text', (c) => c.primaryKey())
        .addColumn('original', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dead_letter_replays_original').on('dead_letter_replays').columns(['original', 'at']).execute();
    },
  },
  '0011_dead_letter_index': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('dead_letter_index')
        .addColumn('job', 'text', (c) => c.primaryKey())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('adapter', 'text')
        .addColumn('code', 'text')
        .addColumn('stage', 'text')
        .addColumn('dead_at', 'text')
        .addColumn('event_hash', 'text', (c) => c.notNull())
        .addColumn('alert', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dead_letter_index_queue').on('dead_letter_index').columns(['queue', 'dead_at', 'job']).execute();
      await db.schema.createIndex('dead_letter_index_dead_at').on('dead_letter_index').columns(['dead_at', 'job']).execute();
      await db.schema.createIndex('dead_letter_index_code').on('dead_letter_index').columns(['code', 'dead_at']).execute();
    },
  },
};
