/**
 * The contract of the hub's transports — how messages arrive (HTTP push, SOAP server, file drop,
 * polling, EPCIS capture) or leave. A transport may bring tables, HTTP routes and background work;
 * the composition root wires every transport of `src/transports/index.ts` the same way.
 */
import type { ErrorRequestHandler, Router } from 'express';
import type { Kysely, Migration } from 'kysely';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import type { Config } from '../config.ts';
import type { OutboundService } from '../feeds/outbound.ts';
import type { FeedService } from '../feeds/service.ts';
import type { Sender } from '../feeds/outbound.ts';

/** What a transport is given: the configuration, the feeds and the outbound side, the database, a logger. */
export interface TransportContext {
  readonly config: Config;
  readonly feeds: FeedService;
  readonly outbound: OutboundService;
  /** The hub's database; a transport uses only the tables its own migrations create. */
  readonly db: Kysely<unknown>;
  readonly log: (error: unknown) => void;
}

export interface Mount {
  /** Where the router is mounted, e.g. `/soap` or `/epcis`. */
  readonly path: string;
  readonly router: Router;
  /** Answers errors under `path` in the transport's own format (a SOAP fault, an RFC 7807 document). */
  readonly onError?: ErrorRequestHandler;
  /** Mount before the JSON body parser, because the routes read raw bytes. */
  readonly raw?: boolean;
}

/**
 * A transport. Every member is optional. `routes` is called once at start-up. `start` runs after the
 * hub listens, for background work over the adapters that use this transport; it MUST return once
 * the work is scheduled. `stop` MUST finish or abandon in-flight work and release every timer and handle.
 */
export interface Transport {
  readonly kind: string;
  readonly migrations?: Readonly<Record<string, Migration>>;
  routes?(ctx: TransportContext): readonly Mount[];
  start?(ctx: TransportContext, adapters: readonly LoadedAdapter[]): Promise<void>;
  stop?(): Promise<void>;
  /** The client that delivers outbound messages for adapters whose outbound transport is this kind. */
  sender?(ctx: Omit<TransportContext, 'outbound'>): Sender;
}
