/**
 * The consumers of one process: routing (each stored event fanned out to its subscribers, one delivery
 * job per destination) and delivery (map out, rate limit, circuit breaker, send with the idempotency key).
 * Each failed attempt's stage and reason are kept beside the queue's own record of it (`job_failures`).
 */
import { createHash } from 'node:crypto';
import { databaseUnavailable } from '../db/index.ts';
import { SuyuanError } from '../errors.ts';
import type { OutboundService, Sender } from '../feeds/outbound.ts';
import { classify, type JobContext, type JsonValue, type RetryPolicy } from '../queue/index.ts';
import { deliverQueueName, deliveryKey, ROUTE_QUEUE, type DeliveryPayload, type RoutePayload } from './jobs.ts';
import type { Kysely } from 'kysely';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import type { Config } from '../config.ts';
import type { HubMetrics } from '../ops/index.ts';
import type { Queue } from '../queue/index.ts';
import type { PauseStore } from './pauses.ts';
import type { Breakers, Limits } from './shared-guards.ts';
import type { SubscriptionStore } from './subscriptions.ts';
import type { DeliveryTables } from './tables.ts';

/** What the consumers need of the delivery service (`Delivery`). */
export interface WorkerHost {
  readonly config: Config;
  readonly db: Kysely<DeliveryTables>;
  readonly adapters: ReadonlyMap<string, LoadedAdapter>;
  readonly subscriptions: SubscriptionStore;
  readonly pauses: PauseStore;
  readonly breakers: Breakers;
  readonly limits: Limits;
  readonly destinations: readonly string[];
  readonly log: (error: unknown) => void;
  readonly metrics: HubMetrics | undefined;
  readonly alerted: (queue: string) => void;
  retryOf(queue: string): RetryPolicy;
  queue(name: string): Queue;
}

/** How often a worker reads the paused feeds, in ms. */
const PAUSE_POLL_MS = 500;

/** Where a delivery failed: `route` (fan-out), `map` (checked and mapped to the department's shape), `send` (the destination). */
export type Stage = 'route' | 'map' | 'send';

export class DeliveryWorkers {
  readonly #delivery: WorkerHost;
  readonly #outbound: OutboundService;
  readonly #senders: Readonly<Record<string, Sender>>;
  readonly #paused = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(delivery: WorkerHost, outbound: OutboundService, senders: Readonly<Record<string, Sender>>) {
    this.#delivery = delivery;
    this.#outbound = outbound;
    this.#senders = senders;
  }

  start(): void {
    const d = this.#delivery;
    const concurrency = d.config.workerConcurrency;
    d.queue(ROUTE_QUEUE).consume((job) => this.#guard(ROUTE_QUEUE, job, { stage: 'route' }, () => this.#route(job)), { concurrency });
    for (const adapter of d.destinations) {
      const queue = deliverQueueName(adapter);
      d.queue(queue).consume((job) => {
        const at: { stage: Stage } = { stage: 'map' };
        return this.#guard(queue, job, at, () => this.#deliver(job, at), adapter);
      }, { concurrency });
    }
    void this.#watch();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Runs an attempt; when it fails, keeps its stage and reason for the dead letters, then lets the queue decide. */
  async #guard(queue: string, job: JobContext, at: { readonly stage: Stage }, run: () => Promise<void>, adapter?: string): Promise<void> {
    const started = Date.now();
    try {
      await run();
      if (adapter !== undefined) {
        const storedAt = (job.payload as unknown as DeliveryPayload).storedAt;
        this.#delivery.metrics?.delivered(adapter, (Date.now() - started) / 1000, storedAt === undefined ? undefined : new Date(storedAt));
      }
    } catch (thrown) {
      // A database busy past its timeout, or out of reach, is a resource unavailable for now, not a bug: retried.
      const error = databaseUnavailable(thrown) ? new SuyuanError('IO_FAILED', 'the database is busy or out of reach', { cause: thrown }) : thrown;
      const { code, alert, retry } = classify(error);
      const dead = !retry || job.attempt >= this.#delivery.retryOf(queue).maxAttempts;
      if (adapter !== undefined) this.#delivery.metrics?.deliveryFailed(adapter, { dead });
      if (alert) this.#delivery.alerted(queue);
      const reason = error instanceof Error ? error.message : String(error);
      await this.#delivery.db.insertInto('job_failures')
        .values({ job: job.id, attempt: job.attempt, stage: at.stage, code, reason: reason.slice(0, 4000), at: new Date().toISOString() })
        .onConflict((oc) => oc.columns(['job', 'attempt']).doUpdateSet({ stage: at.stage, code, reason: reason.slice(0, 4000) }))
        .execute().catch(this.#delivery.log);
      if (alert) this.#delivery.log(error);
      throw error;
    }
  }

  /** Fans a stored event out: one delivery job per destination its active subscriptions name. */
  async #route(job: JobContext): Promise<void> {
    const d = this.#delivery;
    const p = job.payload as unknown as RoutePayload;
    const targets = new Map<string, { adapter: string; type: string; subscriptions: string[]; subscribers: string[] }>();
    for (const s of await d.subscriptions.matching(p.event)) {
      const k = `${s.adapter}/${s.type}`;
      const t = targets.get(k) ?? { adapter: s.adapter, type: s.type, subscriptions: [], subscribers: [] };
      t.subscriptions.push(s.id);
      if (!t.subscribers.includes(s.subscriber)) t.subscribers.push(s.subscriber);
      targets.set(k, t);
    }
    for (const t of targets.values()) {
      if (!d.adapters.get(t.adapter)?.manifest.outbound) continue;
      const key = deliveryKey(p.hash, t.adapter, t.type);
      const payload: DeliveryPayload = { hash: p.hash, event: p.event, feed: p.feed, messageId: p.messageId, ...(p.storedAt ? { storedAt: p.storedAt } : {}), ...t, key };
      // The id follows from the key: a route job run again (its worker died before it was marked done)
      // finds the delivery jobs it made, in whatever state, and makes no second one.
      const id = createHash('sha256').update(key, 'utf8').digest('hex');
      await d.queue(deliverQueueName(t.adapter)).enqueue({ id, name: 'deliver', payload: payload as unknown as JsonValue, idempotencyKey: key });
    }
  }

  /** Delivers one event to one destination. */
  async #deliver(job: JobContext, at: { stage: Stage }): Promise<void> {
    const d = this.#delivery;
    const p = job.payload as unknown as DeliveryPayload;
    at.stage = 'map';
    const adapter = d.adapters.get(p.adapter);
    if (!adapter?.manifest.outbound) throw new SuyuanError('ADAPTER_NOT_FOUND', `no outbound adapter "${p.adapter}"`, { detail: { adapter: p.adapter } });
    const prepared = await this.#outbound.prepare(adapter, p.type, p.event);
    const kind = adapter.manifest.outbound.transport.kind;
    const sender = this.#senders[kind];
    if (!sender) throw new SuyuanError('ADAPTER_INVALID', `no sender for transport "${kind}"`, { detail: { adapter: p.adapter } });
    at.stage = 'send';
    await d.breakers.pass(p.adapter, job.signal);
    await d.limits.take(p.adapter, job.signal);
    try {
      await sender.send({ adapter, ...prepared, idempotencyKey: p.key });
    } catch (error) {
      // The send's own error is the one to keep: a breaker that cannot record it (Redis away) costs one more probe at worst.
      const up = error instanceof SuyuanError && error.kind !== 'operational';
      await Promise.resolve(up ? d.breakers.success(p.adapter) : d.breakers.failure(p.adapter, error instanceof SuyuanError ? error.code : 'INTERNAL')).catch(d.log);
      throw error;
    }
    await Promise.resolve(d.breakers.success(p.adapter)).catch(d.log);
  }

  /** Follows the persisted pauses: a paused destination's queue stops being consumed here, and starts again on resume. */
  async #watch(): Promise<void> {
    if (this.#stopped) return;
    const d = this.#delivery;
    try {
      const pauses = await d.pauses.list();
      for (const adapter of d.destinations) {
        const paused = pauses.has(adapter);
        const queue = d.queue(deliverQueueName(adapter));
        if (paused && !this.#paused.has(adapter)) {
          this.#paused.add(adapter);
          void queue.pause().catch(d.log);
        } else if (!paused && this.#paused.has(adapter)) {
          this.#paused.delete(adapter);
          await queue.resume();
        }
      }
    } catch (error) {
      if (!this.#stopped) d.log(error);
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#watch(), PAUSE_POLL_MS);
  }
}
