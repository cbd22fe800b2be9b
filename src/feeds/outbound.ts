/**
 * The outbound side of an adapter: a standard document (an event, a recall notice) checked against
 * the standard the message type consumes, mapped to the department's shape, written in its format,
 * and handed to the transport's sender. Retries and queues sit above this (one delivery = one call).
 */
import type { LoadedAdapter, MessageSpec } from '../adapters/manifest.ts';
import { IDENTITY } from '../adapters/manifest.ts';
import { SuyuanError } from '../errors.ts';
import { buildXml } from '../formats/index.ts';
import type { MappingEvaluator } from '../mapping/index.ts';
import type { VersionBridge } from '../pipeline/bridge.ts';
import { parseSubjectRef, type SchemaSource } from '../standards/catalog.ts';
import type { Standards } from '../standards/validator.ts';

/** What a sender is given: the department-shaped body, already written in the adapter's format. */
export interface OutboundRequest {
  readonly adapter: LoadedAdapter;
  readonly message: MessageSpec;
  /** The mapped, department-shaped value (SOAP senders build their envelope from it). */
  readonly value: unknown;
  /** The value written in the adapter's format (JSON or XML text). */
  readonly body: string;
  readonly contentType: string;
  /** Sent as `Idempotency-Key` where the destination supports it, so a redelivery is harmless. */
  readonly idempotencyKey?: string;
}

export interface DeliveryResult {
  readonly status: number;
  readonly response?: unknown;
}

/**
 * A transport's client. `send` MUST throw a `SuyuanError` of kind `operational` when the destination
 * cannot be reached or answers 5xx/429 (to be retried), and of kind `user` when it refuses the message
 * (4xx, a SOAP client fault), naming what it said.
 */
export interface Sender {
  send(request: OutboundRequest): Promise<DeliveryResult>;
}

export interface OutboundDeps {
  readonly standards: () => Standards<SchemaSource>;
  readonly evaluator: MappingEvaluator;
  /** Senders by transport kind (`http-client`, `soap-client`). */
  readonly senders: Readonly<Record<string, Sender>>;
  /** Carries canonical-major documents back to the major a message type declares (`src/pipeline/bridge.ts`). */
  readonly bridge?: VersionBridge;
  readonly now?: () => Date;
}

export interface Prepared {
  readonly message: MessageSpec;
  readonly value: unknown;
  readonly body: string;
  readonly contentType: string;
}

export class OutboundService {
  readonly #deps: OutboundDeps;

  constructor(deps: OutboundDeps) {
    this.#deps = deps;
  }

  /**
   * Checks and maps a standard document for an adapter's outbound message type; sends nothing. A
   * document of the canonical major is first carried back to the major the message type declares.
   */
  async prepare(adapter: LoadedAdapter, type: string, canonical: unknown): Promise<Prepared> {
    const spec = adapter.manifest.outbound;
    const message = spec?.messages.find((m) => m.type === type);
    if (!spec || !message) throw new SuyuanError('ADAPTER_NOT_FOUND', `${adapter.manifest.id} sends no "${type}"`, { detail: { adapter: adapter.manifest.id, type } });
    const now = (this.#deps.now ?? (() => new Date()))();
    const document = message.standard && this.#deps.bridge ? await this.#deps.bridge.downgrade(canonical, message.standard, now) : canonical;
    if (message.standard) {
      const { subject, version } = parseSubjectRef(message.standard);
      const result = this.#deps.standards().validate(subject, version, document);
      if (!result.valid) throw new SuyuanError('VALIDATION_FAILED', `not a valid ${message.standard}`, { problems: result.problems });
    }
    const mapping = message.mapping === IDENTITY ? undefined : adapter.mappings.get(message.mapping);
    const value = mapping
      ? await this.#deps.evaluator.evaluate(mapping, document, { now, ...(adapter.manifest.bindings ? { bindings: adapter.manifest.bindings } : {}) })
      : document;
    const kind = (message.format ?? spec.format).kind;
    const body = kind === 'xml' ? buildXml(value) : kind === 'soap' ? '' : JSON.stringify(value);
    const contentType = kind === 'xml' ? 'application/xml; charset=utf-8' : kind === 'soap' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8';
    return { message, value, body, contentType };
  }

  /** Prepares and sends through the transport's sender. */
  async deliver(adapter: LoadedAdapter, type: string, document: unknown, idempotencyKey?: string): Promise<DeliveryResult> {
    const prepared = await this.prepare(adapter, type, document);
    const kind = adapter.manifest.outbound?.transport.kind ?? '';
    const sender = this.#deps.senders[kind];
    if (!sender) throw new SuyuanError('ADAPTER_INVALID', `no sender for transport "${kind}"`, { detail: { adapter: adapter.manifest.id } });
    return sender.send({ adapter, ...prepared, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }
}
