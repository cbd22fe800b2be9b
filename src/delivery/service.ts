/**
 * Delivery: the queues under routing and outbound delivery, on the engine the configuration names.
 * One `route` queue takes every newly stored event; one `deliver-<adapter>` queue per outbound adapter,
 * with that adapter's retry policy (its manifest's `retry` over `DEFAULT_RETRY`), carries one job per
 * destination and event. Consumers run where `start` is called (`suyuan serve`, `suyuan worker`).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Counter } from 'prom-client';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import type { Config } from '../config.ts';
import { SuyuanError } from '../errors.ts';
import type { OutboundService, Sender } from '../feeds/outbound.ts';
import type { HubMetrics } from '../ops/index.ts';
import type { EventSink, IdentifiedEvent } from '../pipeline/events.ts';
import { createQueue, DEFAULT_RETRY, type JobState, type JsonValue, type Queue, type RetryPolicy } from '../queue/index.ts';
import { CircuitBreakers } from './breaker.ts';
import { PauseStore, type PauseSource } from './pauses.ts';
import { RateLimits } from './rate-limit.ts';
import { RedisCircuitBreakers, RedisRateLimits, SharedGuardsConnection, type Breakers, type Limits } from './shared-guards.ts';
import { SubscriptionStore } from './subscriptions.ts';
import type { DeliveryTables } from './tables.ts';
import { deliverQueueName, ROUTE_QUEUE, type RoutePayload } from './jobs.ts';
import { DeliveryWorkers } from './workers.ts';

export interface DeliveryDeps {
  readonly config: Config;
  /** The hub's database; `QUEUE_MIGRATIONS` and `DELIVERY_MIGRATIONS` must have run. */
  readonly db: Kysely<unknown>;
  /** Where the embedded queue keeps its jobs when not in `db` (a hub on PostgreSQL without Redis: `openQueueDatabase`). */
  readonly queueDb?: Kysely<unknown>;
  readonly adapters: readonly LoadedAdapter[];
  readonly log: (error: unknown) => void;
  /** Where operators' feed pauses are kept (`ops.control`). */
  readonly control: PauseSource;
  /** The hub's metrics: queue depths, deliveries, circuits, and `suyuan_queue_alerts_total` for jobs dead of unexpected errors. */
  readonly metrics?: HubMetrics;
}

export class Delivery {
  readonly config: Config;
  readonly db: Kysely<DeliveryTables>;
  readonly adapters: ReadonlyMap<string, LoadedAdapter>;
  readonly subscriptions: SubscriptionStore;
  readonly pauses: PauseStore;
  /** Per destination: in this process on the embedded queue, in Redis (shared by every worker) on BullMQ. */
  readonly breakers: Breakers;
  readonly limits: Limits;
  readonly log: (error: unknown) => void;
  readonly metrics: HubMetrics | undefined;
  /** Counts jobs dead of unexpected errors, per queue (an alert). */
  readonly alerted: (queue: string) => void;
  readonly #raw: Kysely<unknown>;
  readonly #queues = new Map<string, Queue>();
  readonly #guards: SharedGuardsConnection | undefined;
  #workers: DeliveryWorkers | undefined;
  #closed = false;

  constructor(deps: DeliveryDeps) {
    this.config = deps.config;
    this.#raw = deps.queueDb ?? deps.db;
    this.db = deps.db as Kysely<DeliveryTables>;
    this.adapters = new Map(deps.adapters.map((a) => [a.manifest.id, a]));
    this.subscriptions = new SubscriptionStore(this.db, this.adapters);
    this.pauses = new PauseStore(deps.control);
    this.metrics = deps.metrics;
    const metrics = deps.metrics;
    const breaker = {
      threshold: deps.config.breakerThreshold, cooldownMs: deps.config.breakerCooldownMs,
      ...(metrics ? { onChange: (destination: string, state: 'closed' | 'open' | 'half-open') => metrics.setCircuit(destination, state) } : {}),
    };
    const rate = { perSecond: deps.config.deliveryRate, burst: Math.max(1, Math.ceil(deps.config.deliveryRate / 10)) };
    this.#guards = deps.config.redisUrl === undefined ? undefined : new SharedGuardsConnection(deps.config.redisUrl);
    this.breakers = this.#guards ? new RedisCircuitBreakers(this.#guards, breaker) : new CircuitBreakers(breaker);
    this.limits = this.#guards ? new RedisRateLimits(this.#guards, rate) : new RateLimits(rate);
    const alerts = metrics ? new Counter({ name: 'suyuan_queue_alerts_total', help: 'Queue jobs dead of an unexpected error (a bug, or a job that kept killing its worker): someone must look.', labelNames: ['queue'], registers: [metrics.registry] }) : undefined;
    this.alerted = (queue) => alerts?.inc({ queue });
    this.log = deps.log;
  }

  /** The outbound adapters, each with a queue of its own. */
  get destinations(): string[] {
    return [...this.adapters.values()].filter((a) => a.manifest.outbound).map((a) => a.manifest.id);
  }

  /** The retry policy of a queue: the adapter's manifest over the defaults; the route queue's is the defaults. */
  retryOf(queue: string): RetryPolicy {
    const adapter = queue.startsWith('deliver-') ? this.adapters.get(queue.slice('deliver-'.length)) : undefined;
    const policy = { ...DEFAULT_RETRY, ...adapter?.manifest.retry };
    // A manifest giving only a cap below the default first delay starts at its cap.
    return { ...policy, initialDelayMs: Math.min(policy.initialDelayMs, policy.maxDelayMs) };
  }

  /** This process's handle on a queue (opened on first use). */
  queue(name: string): Queue {
    let q = this.#queues.get(name);
    if (!q) {
      if (this.#closed) throw new SuyuanError('BAD_REQUEST', 'delivery is closed');
      q = createQueue(this.config, this.#raw, { name, retry: this.retryOf(name), leaseMs: this.config.queueLeaseMs, maxStalls: this.config.maxStalls });
      this.#queues.set(name, q);
    }
    return q;
  }

  /** Every queue delivery uses: the route queue and one per outbound adapter. */
  get queueNames(): string[] {
    return [ROUTE_QUEUE, ...this.destinations.map(deliverQueueName)];
  }

  /**
   * Enqueues the routing of a stored event: one route job per event ever, its id derived from the
   * event's hash, so asking again for an event already routed (or being routed, or dead) adds nothing.
   */
  async route(event: IdentifiedEvent): Promise<string> {
    const payload: RoutePayload = { hash: event.hash, event: event.event as JsonValue, feed: event.feed, messageId: event.messageId, storedAt: new Date().toISOString() };
    const key = `route:${event.hash}`;
    return this.queue(ROUTE_QUEUE).enqueue({ id: createHash('sha256').update(key, 'utf8').digest('hex'), name: 'route', payload: payload as unknown as JsonValue, idempotencyKey: key });
  }

  /**
   * The event sink the feeds are given: `sink` with routing after it. An event is enqueued for routing
   * before `put` resolves — a duplicate too, which adds nothing when the event was routed before but
   * routes it when it was stored and its routing could not be enqueued (the queue was away: the message
   * failed with that reason, and replaying it routes its events now). Never a second delivery: the
   * route job's id and each delivery job's id follow from the event's hash.
   */
  routing(sink: EventSink): EventSink {
    const get = sink.get?.bind(sink);
    return {
      ...(get ? { get } : {}),
      put: async (event) => {
        const result = await sink.put(event);
        await this.route(event);
        return result;
      },
    };
  }

  /** Starts this process's consumers (idempotent). */
  start(outbound: OutboundService, senders: Readonly<Record<string, Sender>>): void {
    if (this.#closed || this.#workers) return;
    this.#workers = new DeliveryWorkers(this, outbound, senders);
    this.#workers.start();
  }

  /** Whether this process runs consumers. */
  get working(): boolean {
    return this.#workers !== undefined;
  }

  /** Jobs in each state, per queue. */
  async counts(): Promise<Record<string, Readonly<Record<JobState, number>>>> {
    const out: Record<string, Readonly<Record<JobState, number>>> = {};
    for (const name of this.queueNames) out[name] = await this.queue(name).counts();
    return out;
  }

  /** Dead jobs that died of an unexpected error (a bug, or a job that kept killing its worker), per queue: the alert figure. */
  async alerts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of this.queueNames) out[name] = (await this.queue(name).dead()).filter((j) => j.alert).length;
    return out;
  }

  /** Stops the consumers (in-flight work finishes, or returns to the queue after `timeoutMs`) and releases every queue. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#workers?.stop();
    await Promise.all([...this.#queues.values()].map((q) => q.close({ graceful: true, timeoutMs })));
    this.#guards?.close();
  }
}
