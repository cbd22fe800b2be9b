/**
 * Operator pauses of a feed, persisted in the hub's database so that every process sees them: a paused
 * inbound feed refuses messages with `FEED_PAUSED` (503; the department sends again later, nothing is
 * kept half-done); a paused outbound feed's deliveries wait in the queue until it is resumed.
 */
import type { Kysely } from 'kysely';
import { SuyuanError } from '../errors.ts';
import type { MessageHints } from '../adapters/plans.ts';
import { FeedService, type Received } from '../feeds/service.ts';
import type { DeliveryTables } from './tables.ts';

export type Direction = 'inbound' | 'outbound';
export const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound'];

export interface Pause {
  readonly adapter: string;
  readonly direction: Direction;
  readonly at: string;
  readonly actor: string;
  readonly reason: string;
}

/** How long a process trusts what it last read (ms); a pause made by this process is seen at once. */
const FRESH_MS = 500;

export class PauseStore {
  readonly #db: Kysely<DeliveryTables>;
  readonly #now: () => Date;
  #cache: { at: number; pauses: Pause[] } | undefined;

  constructor(db: Kysely<DeliveryTables>, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  /** Every pause in force, read afresh. */
  async list(): Promise<Pause[]> {
    const rows = await this.#db.selectFrom('feed_pauses').selectAll().orderBy('adapter').orderBy('direction').execute();
    const pauses = rows.map((r) => ({ ...r, direction: r.direction as Direction }));
    this.#cache = { at: Date.now(), pauses };
    return pauses;
  }

  /** Whether the feed is paused in that direction (read at most `FRESH_MS` ago). */
  async paused(adapter: string, direction: Direction): Promise<boolean> {
    const pauses = this.#cache && Date.now() - this.#cache.at < FRESH_MS ? this.#cache.pauses : await this.list();
    return pauses.some((p) => p.adapter === adapter && p.direction === direction);
  }

  /** Pauses the feed in the given directions; pausing a paused feed keeps the first pause. */
  async pause(adapter: string, directions: readonly Direction[], actor: string, reason = ''): Promise<void> {
    const at = this.#now().toISOString();
    for (const direction of directions) {
      await this.#db.insertInto('feed_pauses').values({ adapter, direction, at, actor, reason })
        .onConflict((oc) => oc.columns(['adapter', 'direction']).doNothing()).execute();
    }
    this.#cache = undefined;
  }

  async resume(adapter: string, directions: readonly Direction[]): Promise<void> {
    await this.#db.deleteFrom('feed_pauses').where('adapter', '=', adapter).where('direction', 'in', [...directions]).execute();
    this.#cache = undefined;
  }
}

/** The feeds, refusing messages on a feed whose inbound side is paused. */
export class PausableFeedService extends FeedService {
  readonly #pauses: PauseStore;

  constructor(pauses: PauseStore, ...args: ConstructorParameters<typeof FeedService>) {
    super(...args);
    this.#pauses = pauses;
  }

  override async receive(id: string, bytes: Uint8Array, hints: MessageHints = {}): Promise<Received> {
    this.inbound(id);
    if (await this.#pauses.paused(id, 'inbound')) {
      throw new SuyuanError('FEED_PAUSED', `接收已暂停 / the feed ${id} is paused: send again later`, { detail: { adapter: id, direction: 'inbound' } });
    }
    return super.receive(id, bytes, hints);
  }
}
