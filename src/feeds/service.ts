/**
 * The feeds: every loaded adapter's inbound side. A message is matched to its message type, run
 * through the pipeline, and kept — original bytes, outcome, every problem — whatever happened to it.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { LoadedAdapter, MessageSpec } from '../adapters/manifest.ts';
import { chooseMessage, inboundPlan, sniffHints, type MessageHints } from '../adapters/plans.ts';
import { SuyuanError } from '../errors.ts';
import type { MappingEvaluator } from '../mapping/index.ts';
import type { BlobStore } from '../pipeline/blobs.ts';
import type { VersionBridge } from '../pipeline/bridge.ts';
import type { EventSink } from '../pipeline/events.ts';
import type { ProvenanceSink } from '../pipeline/provenance.ts';
import { failureOf, runMessage, type MessageOutcome, type PipelineDeps } from '../pipeline/run.ts';
import { decodeStep, parseStep, type InboundPlan } from '../pipeline/steps.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import type { Standards } from '../standards/validator.ts';
import type { FeedTables } from './tables.ts';

export interface FeedDeps {
  readonly db: Kysely<FeedTables>;
  readonly standards: () => Standards<SchemaSource>;
  readonly evaluator: MappingEvaluator;
  readonly provenance: ProvenanceSink;
  readonly events: EventSink;
  readonly blobs: BlobStore;
  /** Carries events of an older major of the standard to the canonical one (`src/pipeline/bridge.ts`). */
  readonly bridge?: VersionBridge;
  readonly now?: () => Date;
  /** Told of every kept message (metrics, logs); see `FeedObserver`. */
  readonly observer?: FeedObserver;
}

/**
 * Watches the feeds: `around` runs one message's work (so what is logged during it can carry the
 * message id) and `kept` is told of each message once it is kept, with the seconds the hub spent on it.
 * Implementations MUST NOT throw from `kept`.
 */
export interface FeedObserver {
  around<T>(messageId: string, feed: string, work: () => Promise<T>): Promise<T>;
  kept(outcome: Received, seconds: number): void;
}

/** A received message's outcome, with the message type it was read as. */
export type Received = MessageOutcome & { readonly type: string };

/** How a built-in feed's message is run: see `FeedService.runBuiltIn`. */
export interface BuiltInRun {
  /** The message type kept with the message. */
  readonly type: string;
  /** Given the hub's event store, the store this message's events go to (e.g. one that holds them back). */
  readonly events?: (store: EventSink) => EventSink;
  /** Decides the outcome before the message is kept (e.g. commits the events held back, or rolls them back). */
  readonly settle?: (outcome: MessageOutcome) => Promise<MessageOutcome>;
}

export class FeedService {
  readonly adapters: ReadonlyMap<string, LoadedAdapter>;
  readonly #deps: FeedDeps;
  readonly #plans = new Map<string, InboundPlan>();

  constructor(adapters: readonly LoadedAdapter[], deps: FeedDeps) {
    this.adapters = new Map(adapters.map((a) => [a.manifest.id, a]));
    this.#deps = deps;
  }

  /** The adapter that receives on a feed; `ADAPTER_NOT_FOUND` when there is none, or it only sends. */
  inbound(id: string): LoadedAdapter {
    const adapter = this.adapters.get(id);
    if (!adapter?.manifest.inbound) throw new SuyuanError('ADAPTER_NOT_FOUND', `没有接收消息的适配器 ${id} / no inbound adapter "${id}"`, { detail: { adapter: id } });
    return adapter;
  }

  #plan(adapter: LoadedAdapter, message: MessageSpec): InboundPlan {
    const key = `${adapter.manifest.id}/${message.type}`;
    let plan = this.#plans.get(key);
    if (!plan) {
      plan = inboundPlan(adapter, message);
      this.#plans.set(key, plan);
    }
    return plan;
  }

  /**
   * Receives one message on a feed. The message is always kept with its outcome (`messages`), its
   * bytes in the blob store, so it can be shown and replayed; the outcome says what became of it.
   */
  async receive(id: string, bytes: Uint8Array, hints: MessageHints = {}): Promise<Received> {
    const adapter = this.inbound(id);
    const messageId = randomUUID();
    return this.#observed(messageId, id, () => this.#receive(adapter, messageId, bytes, hints));
  }

  async #receive(adapter: LoadedAdapter, messageId: string, bytes: Uint8Array, hints: MessageHints): Promise<Received> {
    const id = adapter.manifest.id;
    let message: MessageSpec;
    try {
      message = chooseMessage(adapter, sniffHints(adapter, bytes, hints));
    } catch (error) {
      const original = await this.#deps.blobs.put(bytes);
      const failure = failureOf(unreadable(adapter, bytes, hints) ?? error);
      const outcome: Received = {
        messageId, feed: id, type: '', receivedAt: (this.#deps.now?.() ?? new Date()).toISOString(), original,
        status: 'rejected', error: failure, records: [],
      };
      await this.#keep(outcome, bytes.length);
      return outcome;
    }
    const outcome = await runMessage(bytes, this.#plan(adapter, message), this.#pipeline(this.#deps.events), messageId);
    const received = { ...outcome, type: message.type };
    await this.#keep(received, bytes.length);
    return received;
  }

  /**
   * Runs one message of a built-in feed — one the hub serves itself, with no adapter, such as
   * `epcis-capture` — through `plan` (whose `feed` MUST NOT be an adapter's id), and keeps it like any
   * other message. Never throws for bad input (it is in the outcome); throws what `run.settle` throws.
   */
  async runBuiltIn(plan: InboundPlan, bytes: Uint8Array, run: BuiltInRun): Promise<Received> {
    if (this.adapters.has(plan.feed)) throw new SuyuanError('ADAPTER_INVALID', `built-in feed ${plan.feed} is also an adapter's id`, { detail: { adapter: plan.feed } });
    const events = run.events ? run.events(this.#deps.events) : this.#deps.events;
    const messageId = randomUUID();
    return this.#observed(messageId, plan.feed, async () => {
      let outcome = await runMessage(bytes, plan, this.#pipeline(events), messageId);
      if (run.settle) outcome = await run.settle(outcome);
      const received = { ...outcome, type: run.type };
      await this.#keep(received, bytes.length);
      return received;
    });
  }

  /** Runs one message's work under the observer, telling it of the kept outcome. */
  async #observed(messageId: string, feed: string, work: () => Promise<Received>): Promise<Received> {
    const observer = this.#deps.observer;
    if (!observer) return work();
    const started = performance.now();
    const received = await observer.around(messageId, feed, work);
    observer.kept(received, (performance.now() - started) / 1000);
    return received;
  }

  /** Where kept messages live — their tables, original bytes and paths — for showing and replaying them (`replay.ts`). */
  get kept(): { readonly db: Kysely<FeedTables>; readonly blobs: BlobStore; readonly provenance: ProvenanceSink } {
    return { db: this.#deps.db, blobs: this.#deps.blobs, provenance: this.#deps.provenance };
  }

  /** The stored event with this hash, whichever feed brought it, or `undefined`. */
  async storedEvent(hash: string): Promise<unknown> {
    if (this.#deps.events.get) return this.#deps.events.get(hash);
    const row = await this.#deps.db.selectFrom('trace_events').select('event').where('hash', '=', hash).executeTakeFirst();
    return row ? (JSON.parse(row.event) as unknown) : undefined;
  }

  #pipeline(events: EventSink): PipelineDeps {
    return {
      standards: this.#deps.standards(), evaluator: this.#deps.evaluator, provenance: this.#deps.provenance,
      events, blobs: this.#deps.blobs, ...(this.#deps.bridge ? { bridge: this.#deps.bridge } : {}), ...(this.#deps.now ? { now: this.#deps.now } : {}),
    };
  }

  async #keep(outcome: Received, size: number): Promise<void> {
    const records = outcome.records.map(({ events, ...rest }) => ({ ...rest, events: events.map((e) => ({ hash: e.hash, stored: e.stored })) }));
    await this.#deps.db.insertInto('messages').values({
      id: outcome.messageId, feed: outcome.feed, type: outcome.type, received_at: outcome.receivedAt, original: outcome.original,
      size, status: outcome.status, error_code: outcome.error?.code ?? records.find((r) => r.error)?.error?.code ?? null,
      outcome: JSON.stringify({ ...(outcome.error ? { error: outcome.error } : {}), records }),
    }).execute();
  }

  /** A kept message: its row and outcome, or `undefined`. */
  async message(id: string): Promise<{ id: string; feed: string; type: string; receivedAt: string; original: string; size: number; status: string; outcome: unknown } | undefined> {
    const row = await this.#deps.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, feed: row.feed, type: row.type, receivedAt: row.received_at, original: row.original, size: row.size, status: row.status, outcome: JSON.parse(row.outcome) as unknown };
  }
}

/**
 * Why a message whose type its content should tell cannot be read, when it cannot: then the decode or
 * parse error (bytes not valid in the declared encoding, a DOCTYPE, XML that does not parse) is the
 * reason to give, not that it matches no message type. Only where every message type reads alike
 * (none has a format of its own); `undefined` when the message reads.
 */
function unreadable(adapter: LoadedAdapter, bytes: Uint8Array, hints: MessageHints): unknown {
  const messages = adapter.manifest.inbound?.messages ?? [];
  const first = messages[0];
  if (hints.type !== undefined || first === undefined || messages.some((m) => m.format !== undefined)) return undefined;
  const plan = inboundPlan(adapter, first);
  try {
    parseStep(decodeStep(bytes, plan).text, plan);
    return undefined;
  } catch (error) {
    return error;
  }
}
