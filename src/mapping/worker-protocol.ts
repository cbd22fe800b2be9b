// The messages between the worker pool and its workers: structured-cloneable, the clock as an ISO string.
import type { ErrorCode } from '../errors.ts';
import type { MappingLimits } from './guard.ts';

/** What a worker is started with (`workerData`). */
export interface WorkerSetup {
  readonly limits: MappingLimits;
  readonly cacheSize: number;
}

/** Pool → worker: run one mapping. */
export interface EvaluateRequest {
  readonly jobId: number;
  readonly mapping: { readonly id: string; readonly version: string; readonly source: string };
  readonly input: unknown;
  /** `context.now` as an ISO 8601 string. */
  readonly now: string;
  readonly bindings: Readonly<Record<string, unknown>>;
}

/** A `SuyuanError` as it crosses the thread boundary. */
export interface SerializedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Worker → pool: started and ready, or the outcome of one request. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly jobId: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly jobId: number; readonly ok: false; readonly error: SerializedError };
