/**
 * Pausing a feed. A paused feed refuses new inbound pushes with `FEED_PAUSED` (503, retried by a
 * well-behaved sender) until an operator resumes it; the state lives in the database, so it holds
 * across restarts and across every API process. Every pause and resume is audited.
 */
import type { Kysely, Migration } from 'kysely';
import type { AuditLog } from '../audit/index.ts';

export interface FeedControlRow {
  adapter: string;
  paused_at: string;
  paused_by: string;
  reason: string;
}

export interface FeedControlTables {
  feed_controls: FeedControlRow;
}

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

export interface PauseInfo {
  readonly pausedAt: string;
  readonly pausedBy: string;
  readonly reason: string;
}

export class FeedControl {
  readonly #db: Kysely<FeedControlTables>;
  readonly #audit: AuditLog;
  readonly #now: () => Date;
  /** Called after every change, e.g. to set the `suyuan_feed_paused` gauge. */
  readonly #changed: (adapter: string, paused: boolean) => void;

  constructor(db: Kysely<FeedControlTables>, audit: AuditLog, changed: (adapter: string, paused: boolean) => void = () => undefined, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#audit = audit;
    this.#changed = changed;
    this.#now = now;
  }

  /** Every paused feed with who paused it, when and why. */
  async paused(): Promise<ReadonlyMap<string, PauseInfo>> {
    const rows = await this.#db.selectFrom('feed_controls').selectAll().execute();
    return new Map(rows.map((r) => [r.adapter, { pausedAt: r.paused_at, pausedBy: r.paused_by, reason: r.reason }]));
  }

  async isPaused(adapter: string): Promise<boolean> {
    return (await this.#db.selectFrom('feed_controls').select('adapter').where('adapter', '=', adapter).executeTakeFirst()) !== undefined;
  }

  /** Pauses a feed (again: a no-op that is still audited); `actor` is the key id. */
  async pause(adapter: string, actor: string, reason = ''): Promise<void> {
    await this.#db.insertInto('feed_controls').values({ adapter, paused_at: this.#now().toISOString(), paused_by: actor, reason })
      .onConflict((oc) => oc.column('adapter').doNothing()).execute();
    await this.#audit.record(actor, 'feed.pause', `feed:${adapter}`, reason ? { reason } : {});
    this.#changed(adapter, true);
  }

  async resume(adapter: string, actor: string): Promise<void> {
    await this.#db.deleteFrom('feed_controls').where('adapter', '=', adapter).execute();
    await this.#audit.record(actor, 'feed.resume', `feed:${adapter}`);
    this.#changed(adapter, false);
  }
}
