/** Where identified events go: stored once by their event hash, a second arrival reported as a duplicate. */

export interface IdentifiedEvent {
  readonly hash: string;
  readonly event: unknown;
  readonly messageId: string;
  readonly recordIndex: number;
  readonly feed: string;
}

/**
 * The identify step's store. `put` MUST store an event at most once per hash and answer `duplicate`
 * for every later arrival of the same hash, whichever message or feed it came from.
 */
export interface EventSink {
  put(event: IdentifiedEvent): Promise<'stored' | 'duplicate'>;
  /** The stored event with this hash, when the sink keeps events to read back. */
  get?(hash: string): Promise<unknown>;
}

/** Events in memory: for the CLI, tests and dry runs. */
export class MemoryEventSink implements EventSink {
  readonly events = new Map<string, IdentifiedEvent>();

  async put(event: IdentifiedEvent): Promise<'stored' | 'duplicate'> {
    if (this.events.has(event.hash)) return 'duplicate';
    this.events.set(event.hash, event);
    return 'stored';
  }

  async get(hash: string): Promise<unknown> {
    return this.events.get(hash)?.event;
  }
}
