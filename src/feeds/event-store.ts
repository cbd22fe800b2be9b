/** Identified events in the hub's database: stored once by hash (`insert … on conflict do nothing`). */
import type { Kysely } from 'kysely';
import type { EventSink, IdentifiedEvent } from '../pipeline/events.ts';
import type { FeedTables } from './tables.ts';

export class SqlEventSink implements EventSink {
  readonly #db: Kysely<FeedTables>;
  readonly #now: () => Date;

  constructor(db: Kysely<FeedTables>, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  async put(event: IdentifiedEvent): Promise<'stored' | 'duplicate'> {
    const result = await this.#db.insertInto('trace_events').values({
      hash: event.hash, event: JSON.stringify(event.event), feed: event.feed, message_id: event.messageId,
      record_index: event.recordIndex, stored_at: this.#now().toISOString(),
    }).onConflict((oc) => oc.column('hash').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1 ? 'stored' : 'duplicate';
  }

  /** A stored event by its hash. */
  async get(hash: string): Promise<unknown> {
    const row = await this.#db.selectFrom('trace_events').select('event').where('hash', '=', hash).executeTakeFirst();
    return row ? (JSON.parse(row.event) as unknown) : undefined;
  }

  async count(): Promise<number> {
    const row = await this.#db.selectFrom('trace_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
