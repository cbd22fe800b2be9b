/**
 * The hub's Prometheus metrics: one registry per running hub, fed by the feeds' outcomes (through
 * `FeedObserver`) and by the parts that own queues, circuits and deliveries (through the functions
 * below). Labels are adapter ids, directions, outcomes, queue names and standard versions — never a
 * trace code, a party id or anything else taken from a message.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Received } from '../feeds/service.ts';
import type { JobState } from '../queue/contract.ts';

/** What became of one message of a feed. A message with several records counts as its worst record. */
export const OUTCOMES = ['ok', 'invalid', 'mapping_error', 'delivery_error', 'duplicate'] as const;
export type FeedOutcome = (typeof OUTCOMES)[number];
export type Direction = 'in' | 'out';
export type CircuitState = 'closed' | 'half-open' | 'open';

/** The value `suyuan_circuit_state` takes for each state. */
export const CIRCUIT_VALUES: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

const JOB_STATES: readonly JobState[] = ['waiting', 'delayed', 'active', 'done', 'dead'];

/** A queue the metrics read at each scrape: the queue contract's `counts`, and the oldest waiting job's time when the engine knows it. */
export interface QueueSource {
  readonly name: string;
  counts(): Promise<Readonly<Record<JobState, number>>>;
  oldestWaiting?(): Promise<Date | undefined>;
}

/** A feed as the metrics know it: its adapter id, and how often a message is expected on it. */
export interface FeedInfo {
  readonly adapter: string;
  readonly directions: readonly Direction[];
  /** Seconds within which a successful inbound message is expected (for the silence alert). */
  readonly expectedIntervalSeconds?: number;
}

/** What `work` answers within a second, else `fallback`: a scrape never waits on a queue whose store is away. */
async function within<T, F = undefined>(work: Promise<T>, fallback?: F): Promise<T | F | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F | undefined>((resolve) => { timer = setTimeout(() => resolve(fallback), 1_000); });
  try {
    return await Promise.race([work.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const END_TO_END_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400];

function recordOutcome(r: Received['records'][number]): FeedOutcome {
  if (r.status === 'stored') return 'ok';
  if (r.status === 'duplicate') return 'duplicate';
  const code = r.error?.code ?? '';
  return r.status === 'failed' || code.startsWith('MAPPING_') || code.startsWith('BRIDGE_') ? 'mapping_error' : 'invalid';
}

/**
 * A message's outcome: `invalid` when it could not be read or a record does not fit the standard,
 * `mapping_error` when a record's mapping failed (it wins over `invalid`), `duplicate` when every
 * record was already stored, else `ok`.
 */
export function outcomeOf(received: Received): FeedOutcome {
  if (received.error) return received.error.code.startsWith('MAPPING_') ? 'mapping_error' : 'invalid';
  const outcomes = received.records.map(recordOutcome);
  if (outcomes.includes('mapping_error')) return 'mapping_error';
  if (outcomes.includes('invalid')) return 'invalid';
  return outcomes.length > 0 && outcomes.every((o) => o === 'duplicate') ? 'duplicate' : 'ok';
}

/** The newest `eventTime` among a message's stored events, in milliseconds, or `undefined`. */
function newestEventTime(received: Received): number | undefined {
  let newest: number | undefined;
  for (const r of received.records) {
    for (const e of r.events) {
      const time = (e.event as { eventTime?: unknown } | null)?.eventTime;
      const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN;
      if (!Number.isNaN(ms) && (newest === undefined || ms > newest)) newest = ms;
    }
  }
  return newest;
}

export class HubMetrics {
  readonly registry = new Registry();
  readonly #now: () => number;
  readonly #queues = new Map<string, QueueSource>();
  readonly #lag = new Map<string, number>();
  readonly #circuits = new Map<string, CircuitState>();

  readonly messages: Counter<'adapter' | 'direction' | 'outcome'>;
  readonly records: Counter<'adapter' | 'direction' | 'outcome'>;
  readonly processing: Histogram<'adapter' | 'direction'>;
  readonly endToEnd: Histogram<'adapter' | 'direction'>;
  readonly lastSuccess: Gauge<'adapter' | 'direction'>;
  readonly expectedInterval: Gauge<'adapter'>;
  readonly deadLetters: Counter<'adapter' | 'direction'>;
  readonly validationFailures: Counter<'subject' | 'version'>;
  readonly circuit: Gauge<'adapter'>;
  readonly paused: Gauge<'adapter'>;

  constructor(options: { readonly now?: () => number; readonly processMetrics?: boolean } = {}) {
    this.#now = options.now ?? Date.now;
    const registers = [this.registry];
    this.messages = new Counter({ name: 'suyuan_feed_messages_total', help: 'Messages per feed and direction, by outcome (ok, invalid, mapping_error, delivery_error, duplicate).', labelNames: ['adapter', 'direction', 'outcome'], registers });
    this.records = new Counter({ name: 'suyuan_feed_records_total', help: 'Records of inbound messages per feed, by outcome.', labelNames: ['adapter', 'direction', 'outcome'], registers });
    this.processing = new Histogram({ name: 'suyuan_feed_processing_seconds', help: 'Time the hub spent on one message: the inbound path from receipt to kept, or the outbound mapping and sending.', labelNames: ['adapter', 'direction'], buckets: LATENCY_BUCKETS, registers });
    this.endToEnd = new Histogram({ name: 'suyuan_feed_end_to_end_seconds', help: 'Inbound: from the newest event\'s eventTime to its storage at the hub. Outbound: from receipt at the hub to delivery at the destination.', labelNames: ['adapter', 'direction'], buckets: END_TO_END_BUCKETS, registers });
    this.lastSuccess = new Gauge({ name: 'suyuan_feed_last_success_timestamp_seconds', help: 'Unix time of the feed\'s last successful message (set to the start of the hub until one arrives).', labelNames: ['adapter', 'direction'], registers });
    this.expectedInterval = new Gauge({ name: 'suyuan_feed_expected_interval_seconds', help: 'Seconds within which the feed is expected to bring a successful message.', labelNames: ['adapter'], registers });
    this.deadLetters = new Counter({ name: 'suyuan_dead_letters_total', help: 'Messages set aside as dead letters: inbound messages not accepted whole, outbound deliveries given up.', labelNames: ['adapter', 'direction'], registers });
    this.validationFailures = new Counter({ name: 'suyuan_validation_failures_total', help: 'Records that failed validation, by the standard subject and version they were checked against.', labelNames: ['subject', 'version'], registers });
    this.circuit = new Gauge({ name: 'suyuan_circuit_state', help: 'Circuit breaker of a feed\'s destination: 0 closed, 1 half-open, 2 open.', labelNames: ['adapter'], registers });
    this.paused = new Gauge({ name: 'suyuan_feed_paused', help: '1 while an operator has paused the feed.', labelNames: ['adapter'], registers });
    const queues = this.#queues;
    new Gauge({
      name: 'suyuan_queue_jobs', help: 'Jobs in each queue by state.', labelNames: ['queue', 'state'], registers,
      async collect() {
        this.reset();
        for (const q of queues.values()) {
          const counts = await within(q.counts());
          if (counts) for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state]);
        }
      },
    });
    const now = this.#now;
    new Gauge({
      name: 'suyuan_queue_oldest_waiting_seconds', help: 'Age of the oldest job waiting in each queue (0 when none waits).', labelNames: ['queue'], registers,
      async collect() {
        this.reset();
        for (const q of queues.values()) {
          if (!q.oldestWaiting) continue;
          const oldest = await within(q.oldestWaiting(), null);
          if (oldest === null) continue;
          this.set({ queue: q.name }, oldest ? Math.max(0, (now() - oldest.getTime()) / 1000) : 0);
        }
      },
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Declares the feeds, so every series exists from the start: counters at 0, last success at `now`. */
  declareFeeds(feeds: readonly FeedInfo[]): void {
    const start = this.#now() / 1000;
    for (const f of feeds) {
      for (const direction of f.directions) {
        for (const outcome of OUTCOMES) this.messages.inc({ adapter: f.adapter, direction, outcome }, 0);
        this.deadLetters.inc({ adapter: f.adapter, direction }, 0);
        this.lastSuccess.set({ adapter: f.adapter, direction }, start);
      }
      if (f.directions.includes('in') && f.expectedIntervalSeconds !== undefined) this.expectedInterval.set({ adapter: f.adapter }, f.expectedIntervalSeconds);
      if (f.directions.includes('out')) this.setCircuit(f.adapter, 'closed');
      this.paused.set({ adapter: f.adapter }, 0);
    }
  }

  /** An inbound message was kept: count it and its records, time it, note success and lag. */
  inbound(received: Received, seconds: number): FeedOutcome {
    const labels = { adapter: received.feed, direction: 'in' };
    const outcome = outcomeOf(received);
    this.messages.inc({ ...labels, outcome });
    for (const r of received.records) {
      this.records.inc({ ...labels, outcome: recordOutcome(r) });
      const schema = r.error?.code === 'VALIDATION_FAILED' ? r.error.detail.schema : undefined;
      if (typeof schema === 'string') {
        const at = schema.lastIndexOf('@');
        this.validationFailures.inc({ subject: schema.slice(0, at), version: schema.slice(at + 1) });
      }
    }
    this.processing.observe(labels, seconds);
    if (received.status !== 'accepted') this.deadLetters.inc(labels);
    if (outcome === 'ok' || outcome === 'duplicate') this.lastSuccess.set(labels, this.#now() / 1000);
    const newest = newestEventTime(received);
    if (newest !== undefined) {
      const lag = Math.max(0, (this.#now() - newest) / 1000);
      this.endToEnd.observe(labels, lag);
      this.#lag.set(`${received.feed}/in`, lag);
    }
    return outcome;
  }

  /** An outbound delivery succeeded: `receivedAt` is when the hub received what it delivered. */
  delivered(adapter: string, seconds: number, receivedAt?: Date): void {
    const labels = { adapter, direction: 'out' };
    this.messages.inc({ ...labels, outcome: 'ok' });
    this.processing.observe(labels, seconds);
    this.lastSuccess.set(labels, this.#now() / 1000);
    if (receivedAt) {
      const lag = Math.max(0, (this.#now() - receivedAt.getTime()) / 1000);
      this.endToEnd.observe(labels, lag);
      this.#lag.set(`${adapter}/out`, lag);
    }
  }

  /** An outbound delivery attempt failed; `dead` when it was given up (a dead letter). */
  deliveryFailed(adapter: string, options: { readonly dead: boolean }): void {
    this.messages.inc({ adapter, direction: 'out', outcome: 'delivery_error' });
    if (options.dead) this.deadLetters.inc({ adapter, direction: 'out' });
  }

  setCircuit(adapter: string, state: CircuitState): void {
    this.#circuits.set(adapter, state);
    this.circuit.set({ adapter }, CIRCUIT_VALUES[state]);
  }

  circuitOf(adapter: string): CircuitState | undefined {
    return this.#circuits.get(adapter);
  }

  /** The last end-to-end latency seen on a feed's direction, in seconds. */
  lagOf(adapter: string, direction: Direction): number | undefined {
    return this.#lag.get(`${adapter}/${direction}`);
  }

  setPaused(adapter: string, paused: boolean): void {
    this.paused.set({ adapter }, paused ? 1 : 0);
  }

  /** Reads this queue's depth at every scrape; replaces a queue of the same name. */
  watchQueue(source: QueueSource): void {
    this.#queues.set(source.name, source);
  }

  get queues(): readonly QueueSource[] {
    return [...this.#queues.values()];
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
