/** The delivery jobs: the queues' names, what each job carries, and the idempotency key of a delivery. */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../queue/index.ts';

export const ROUTE_QUEUE = 'route';
export const deliverQueueName = (adapter: string): string => `deliver-${adapter}`;

/** A route job: one newly stored event. */
export interface RoutePayload {
  readonly hash: string;
  readonly event: JsonValue;
  readonly feed: string;
  readonly messageId: string;
  /** When the hub stored the event (the start of its outbound end-to-end latency). */
  readonly storedAt?: string;
  readonly replayOf?: string;
}

/** A delivery job: one event to one destination (an outbound adapter and its message type). */
export interface DeliveryPayload extends RoutePayload {
  readonly adapter: string;
  readonly type: string;
  /** The idempotency key: the event hash plus the destination. */
  readonly key: string;
  readonly subscriptions: readonly string[];
  readonly subscribers: readonly string[];
}

/** The idempotency key of an event to a destination: the hash's hex digest, the adapter and the message type. */
export function deliveryKey(hash: string, adapter: string, type: string): string {
  const hex = /sha-256;([0-9a-f]{64})/.exec(hash)?.[1] ?? createHash('sha256').update(hash).digest('hex');
  return `${hex}:${adapter}/${type}`;
}

