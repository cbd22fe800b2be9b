/**
 * Paused feeds, as delivery sees them. The pause itself belongs to the operations part
 * (`POST /v1/feeds/<adapter>/pause|resume`, `src/ops/feed-control.ts`: persisted, audited, both
 * directions of the feed); delivery honours it everywhere a message moves: a paused feed's inbound
 * messages are refused with `FEED_PAUSED` whatever their transport (SOAP, file drop, poll, replay —
 * the HTTP push guard refuses them before), and its outbound deliveries wait in its queue until it is
 * resumed.
 */
import { SuyuanError } from '../errors.ts';
import type { MessageHints } from '../adapters/plans.ts';
import { FeedService, type Received } from '../feeds/service.ts';

/** Where pauses are kept: every paused feed by adapter id (`FeedControl`). */
export interface PauseSource {
  paused(): Promise<ReadonlyMap<string, unknown>>;
}

/** The pauses in force, read afresh each time (one small table, read by key). */
export class PauseStore {
  readonly #source: PauseSource;

  constructor(source: PauseSource) {
    this.#source = source;
  }

  /** The paused feeds. */
  async list(): Promise<ReadonlySet<string>> {
    return new Set((await this.#source.paused()).keys());
  }

  async paused(adapter: string): Promise<boolean> {
    return (await this.list()).has(adapter);
  }
}

/** The feeds, refusing every message on a paused feed. */
export class PausableFeedService extends FeedService {
  readonly #pauses: PauseStore;

  constructor(pauses: PauseStore, ...args: ConstructorParameters<typeof FeedService>) {
    super(...args);
    this.#pauses = pauses;
  }

  override async receive(id: string, bytes: Uint8Array, hints: MessageHints = {}): Promise<Received> {
    this.inbound(id);
    if (await this.#pauses.paused(id)) {
      throw new SuyuanError('FEED_PAUSED', `接收已暂停 / the feed "${id}" is paused by an operator: send again later`, { detail: { adapter: id } });
    }
    return super.receive(id, bytes, hints);
  }
}
