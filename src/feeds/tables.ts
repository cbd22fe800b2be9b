/** The feed tables: every inbound message with its outcome (kept for replay), and the stored events. */
import type { Kysely, Migration } from 'kysely';

export interface MessageRow {
  id: string;
  feed: string;
  type: string;
  received_at: string;
  /** sha256 of the original bytes, kept in the blob store. */
  original: string;
  size: number;
  status: string;
  error_code: string | null;
  /** The outcome without the events themselves: per record, its status, position, problems, error. */
  outcome: string;
}

export interface EventRow {
  hash: string;
  event: string;
  feed: string;
  message_id: string;
  record_index: number;
  stored_at: string;
}

export interface FeedTables {
  messages: MessageRow;
  trace_events: EventRow;
}

export const FEED_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0005_feeds': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('feed', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('original', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('messages_feed').on('messages').columns(['feed', 'received_at']).execute();
      await db.schema.createTable('trace_events')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('feed', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('record_index', 'integer', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
