/**
 * The `feed_controls` table of an earlier pause design. Pauses now live with delivery (`feed_pauses`,
 * `src/delivery/pauses.ts`, one per direction); this migration stays so that databases that ran it
 * still migrate. Nothing reads or writes the table.
 */
import type { Kysely, Migration } from 'kysely';

export const FEED_CONTROL_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0009_ops_feed_controls': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('feed_controls')
        .addColumn('adapter', 'text', (c) => c.primaryKey())
        .addColumn('paused_at', 'text', (c) => c.notNull())
        .addColumn('paused_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
