/**
 * Every feed's health at a glance, for `GET /v1/feeds` and the console: throughput and error ratio
 * over a recent window and the last success, from the kept messages (so they hold across restarts and
 * processes); lag and circuit state from the metrics; paused from the feed controls.
 */
import type { Kysely } from 'kysely';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import type { FeedTables } from '../feeds/tables.ts';
import type { FeedControl, PauseInfo } from './feed-control.ts';
import type { CircuitState, Direction, HubMetrics } from './metrics.ts';

/** A feed without a schedule is silent when nothing succeeded on it for an hour. */
export const DEFAULT_EXPECTED_INTERVAL_SECONDS = 3600;
/** A polled feed is silent after three polls without success. */
export const POLLS_BEFORE_SILENT = 3;
export const DEFAULT_WINDOW_SECONDS = 900;

/**
 * `paused` (an operator paused it), `circuit-open` (its destination is cut off), `failing` (half or
 * more of the window's messages failed), `silent` (no success within the expected interval),
 * `degraded` (some failures, or the circuit is half-open), else `ok`. The first that holds wins.
 */
export type FeedHealth = 'paused' | 'circuit-open' | 'failing' | 'silent' | 'degraded' | 'ok';

export interface FeedStatus {
  readonly adapter: string;
  readonly department: string;
  readonly summary: string;
  readonly directions: readonly Direction[];
  readonly transports: { readonly in?: string; readonly out?: string };
  readonly status: FeedHealth;
  readonly paused: PauseInfo | null;
  readonly window: {
    readonly seconds: number;
    readonly messages: number;
    readonly accepted: number;
    readonly failed: number;
    /** Failed ÷ messages in the window (0 when none came). */
    readonly errorRatio: number;
    readonly perMinute: number;
  };
  readonly lastMessageAt: string | null;
  readonly lastSuccessAt: string | null;
  /** The last end-to-end latency seen inbound (eventTime → stored), in seconds, or `null`. */
  readonly lagSeconds: number | null;
  readonly circuit: CircuitState | null;
  readonly expectedIntervalSeconds: number | null;
}

export function directionsOf(adapter: LoadedAdapter): Direction[] {
  return [...(adapter.manifest.inbound ? ['in' as const] : []), ...(adapter.manifest.outbound ? ['out' as const] : [])];
}

export function expectedIntervalOf(adapter: LoadedAdapter): number | undefined {
  if (!adapter.manifest.inbound) return undefined;
  const every = adapter.manifest.schedule?.everySeconds;
  return every === undefined ? DEFAULT_EXPECTED_INTERVAL_SECONDS : every * POLLS_BEFORE_SILENT;
}

export interface FeedStatusDeps {
  readonly adapters: readonly LoadedAdapter[];
  readonly db: Kysely<FeedTables>;
  readonly metrics: HubMetrics;
  readonly control: FeedControl;
  /** When the hub started: silence is counted from then for a feed that never succeeded. */
  readonly startedAt: Date;
  readonly now?: () => Date;
}

/** The status of the given adapters (all when `only` is absent), in adapter id order. */
export async function feedStatuses(deps: FeedStatusDeps, options: { readonly only?: readonly string[]; readonly windowSeconds?: number } = {}): Promise<FeedStatus[]> {
  const now = (deps.now ?? (() => new Date()))();
  const seconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const since = new Date(now.getTime() - seconds * 1000).toISOString();
  const adapters = deps.adapters.filter((a) => options.only === undefined || options.only.includes(a.manifest.id));
  const ids = adapters.map((a) => a.manifest.id);
  if (ids.length === 0) return [];
  const counts = await deps.db.selectFrom('messages').select(['feed', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('feed', 'in', ids).where('received_at', '>=', since).groupBy(['feed', 'status']).execute();
  const last = await deps.db.selectFrom('messages').select(['feed', (eb) => eb.fn.max('received_at').as('at')])
    .where('feed', 'in', ids).groupBy('feed').execute();
  const lastOk = await deps.db.selectFrom('messages').select(['feed', (eb) => eb.fn.max('received_at').as('at')])
    .where('feed', 'in', ids).where('status', '=', 'accepted').groupBy('feed').execute();
  const paused = await deps.control.paused();
  const lastAt = new Map(last.map((r) => [r.feed, String(r.at)]));
  const lastOkAt = new Map(lastOk.map((r) => [r.feed, String(r.at)]));

  return adapters.map((adapter): FeedStatus => {
    const id = adapter.manifest.id;
    const mine = counts.filter((c) => c.feed === id);
    const messages = mine.reduce((n, c) => n + Number(c.n), 0);
    const accepted = mine.filter((c) => c.status === 'accepted').reduce((n, c) => n + Number(c.n), 0);
    const failed = messages - accepted;
    const errorRatio = messages === 0 ? 0 : failed / messages;
    const expected = expectedIntervalOf(adapter);
    const circuit = adapter.manifest.outbound ? (deps.metrics.circuitOf(id) ?? 'closed') : null;
    const lastSuccessAt = lastOkAt.get(id) ?? null;
    const quietSince = Date.parse(lastSuccessAt ?? deps.startedAt.toISOString());
    const silent = expected !== undefined && now.getTime() - quietSince > expected * 1000;
    const pause = paused.get(id) ?? null;
    const status: FeedHealth = pause ? 'paused'
      : circuit === 'open' ? 'circuit-open'
        : messages > 0 && errorRatio >= 0.5 ? 'failing'
          : silent ? 'silent'
            : errorRatio > 0 || circuit === 'half-open' ? 'degraded' : 'ok';
    return {
      adapter: id, department: adapter.manifest.department, summary: adapter.manifest.summary, directions: directionsOf(adapter),
      transports: {
        ...(adapter.manifest.inbound ? { in: adapter.manifest.inbound.transport.kind } : {}),
        ...(adapter.manifest.outbound ? { out: adapter.manifest.outbound.transport.kind } : {}),
      },
      status, paused: pause,
      window: { seconds, messages, accepted, failed, errorRatio: Math.round(errorRatio * 10_000) / 10_000, perMinute: Math.round((messages / seconds) * 60 * 100) / 100 },
      lastMessageAt: lastAt.get(id) ?? null, lastSuccessAt,
      lagSeconds: deps.metrics.lagOf(id, 'in') ?? null, circuit, expectedIntervalSeconds: expected ?? null,
    };
  });
}
