/** The trace store contract: every standard event once by its hash, findable by every identifier it names. */
import type { EventSink, IdentifiedEvent } from '../pipeline/events.ts';

/** A stored event as queries answer it. */
export interface StoredEvent {
  /** Storage order: increases with every stored event (paging cursors use it). */
  readonly seq: number;
  readonly hash: string;
  /** The event as stored; when declared in error, with the `errorDeclaration` it was declared with. */
  readonly event: Record<string, unknown>;
  readonly feed: string;
  /** When the hub recorded the event (UTC, ISO 8601 with milliseconds). */
  readonly recordTime: string;
  /** Whether an error declaration applies to the event: traces and recalls pass it by. */
  readonly declared: boolean;
}

/** One condition on identifiers: the event names one of `values` in one of `roles`. */
export interface IdCondition {
  readonly roles: readonly string[];
  readonly values: readonly string[];
}

/** An EPCIS-style filter; every present member must hold (lists: any of their values). */
export interface EventFilter {
  readonly types?: readonly string[];
  readonly actions?: readonly string[];
  readonly bizSteps?: readonly string[];
  readonly dispositions?: readonly string[];
  readonly readPoints?: readonly string[];
  readonly bizLocations?: readonly string[];
  readonly geEventTime?: string;
  readonly ltEventTime?: string;
  readonly geRecordTime?: string;
  readonly ltRecordTime?: string;
  readonly eventIds?: readonly string[];
  /** true: only events declared in error; false: only events not declared in error. */
  readonly errorDeclared?: boolean;
  readonly ids?: readonly IdCondition[];
}

/** The order of a page of events: storage order (`seq`), or event or record time (ties in storage order). */
export interface EventOrder {
  readonly by: 'seq' | 'eventTime' | 'recordTime';
  readonly direction: 'ASC' | 'DESC';
}

/** Where a page starts: after the event with this `seq` (and, in a time order, this time). */
export interface EventCursor {
  readonly seq: number;
  /** The `eventTime` (UTC) or `recordTime` of that event, for time orders. */
  readonly time?: string;
}

export interface EventPageSpec {
  readonly perPage: number;
  /** Continue after this `seq` (storage order, ascending; the same as `cursor: { seq }`). */
  readonly after?: number;
  readonly cursor?: EventCursor;
  /** Storage order, ascending, when absent. */
  readonly order?: EventOrder;
}

export interface EventPage {
  readonly events: readonly StoredEvent[];
  /** The `seq` to continue after, when there are more. */
  readonly next?: number;
  /** The cursor to continue after, when there are more (in a time order, with the last event's time). */
  readonly nextCursor?: EventCursor;
}

/**
 * The store of standard events. As an `EventSink`, `put` MUST store an event at most once per hash;
 * a later arrival of a stored hash answers `duplicate`, except that one carrying an `errorDeclaration`
 * applies it to the stored event (still answering `duplicate`: no new event is stored). Every
 * identifier an event names (`indexEntries`) MUST be findable by `naming` once `put` has resolved.
 * Engines throw `SuyuanError('IO_FAILED')` (operational) when their database cannot be reached.
 */
export interface TraceStore extends EventSink {
  /** Stores many events in one transaction; one answer per event, in order. */
  putAll(events: readonly IdentifiedEvent[]): Promise<Array<'stored' | 'duplicate'>>;
  /** Applies an error declaration to the stored event `hash`; false when there is no such event. */
  declare(hash: string, declaration: Record<string, unknown>): Promise<boolean>;
  /** The stored event (as `StoredEvent.event`), or `undefined`. */
  get(hash: string): Promise<Record<string, unknown> | undefined>;
  count(): Promise<number>;
  /** Events naming any of `values` in any of `roles` (all roles when absent), oldest first; the first `limit` when given. */
  naming(values: readonly string[], roles?: readonly string[], limit?: number): Promise<StoredEvent[]>;
  /**
   * The identifiers that events naming `value` in one of `roles` name in one of `in` roles (distinct):
   * e.g. the classes of a lot number, without reading the lot's events.
   */
  coNamed(value: string, roles: readonly string[], inRoles: readonly string[]): Promise<string[]>;
  /** Events matching `filter`, in `page.order` (storage order by default), `perPage` at most, after the cursor. */
  events(filter: EventFilter, page: EventPageSpec): Promise<EventPage>;
  /** Closes the store's own connections (not a database it shares). */
  close(): Promise<void>;
}
