// A small fixed pool of worker threads running mappings under a hard deadline, so a runaway mapping cannot stall the hub.
import { Worker } from 'node:worker_threads';
import { SuyuanError } from '../errors.ts';
import type { MappingContext, MappingEvaluator, MappingSource } from './engine.ts';
import { DEFAULT_LIMITS, type MappingLimits } from './guard.ts';
import type { EvaluateRequest, WorkerMessage, WorkerSetup } from './worker-protocol.ts';

export interface WorkerPoolOptions {
  /** Number of worker threads (default 2). */
  readonly size?: number;
  /**
   * Wall-clock milliseconds one evaluation may take in its worker, counted from the moment it is handed
   * to a ready worker (default: three times the in-worker `timeoutMs`, so that the guard, which counts
   * only the time the evaluation runs, normally stops it first). Past it the worker is terminated and
   * replaced, and the evaluation rejects with `MAPPING_TIMEOUT`.
   */
  readonly deadlineMs?: number;
  /** The in-process guard inside each worker, which usually stops a runaway mapping first. */
  readonly limits?: Partial<MappingLimits>;
  /** Compiled mappings each worker keeps (default 256). */
  readonly cacheSize?: number;
  /**
   * Heap of each worker (default 256 MB, at least 128); a mapping that outgrows it fails with
   * `detail.limit: 'memory'` and its worker is replaced. Best effort only: Node stops a worker that grows
   * step by step, but one huge allocation (an array doubled by `$append`) can hit V8's fatal
   * out-of-memory first and abort the whole process (nodejs/node#47224). Below about 96 MB even loading
   * the worker's modules can do so.
   */
  readonly maxOldGenerationSizeMb?: number;
}

export interface WorkerPoolStats {
  readonly size: number;
  readonly busy: number;
  readonly queued: number;
  readonly evaluations: number;
  /** Evaluations stopped by the deadline. */
  readonly timeouts: number;
  /** Workers started to replace a terminated or crashed one. */
  readonly restarts: number;
}

interface Job {
  readonly request: EvaluateRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: SuyuanError) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  exitError: Error | undefined;
}

const WORKER_ENTRY = new URL('./worker-entry.js', import.meta.url);

/**
 * Runs mappings in `worker_threads`. Each worker compiles and caches mappings itself and runs one
 * evaluation at a time; further evaluations wait in a queue. Idle workers do not keep the process alive.
 * A worker that fails to start makes every waiting and later evaluation reject with `INTERNAL`.
 */
export class WorkerMappingPool implements MappingEvaluator {
  readonly size: number;
  readonly deadlineMs: number;
  readonly #setup: WorkerSetup;
  readonly #maxOldGenerationSizeMb: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextJob = 1;
  #evaluations = 0;
  #timeouts = 0;
  #restarts = 0;
  #closed = false;
  #failure: SuyuanError | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    const limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
    this.size = options.size ?? 2;
    this.deadlineMs = options.deadlineMs ?? 3 * limits.timeoutMs;
    this.#setup = { limits, cacheSize: options.cacheSize ?? 256 };
    this.#maxOldGenerationSizeMb = options.maxOldGenerationSizeMb ?? 256;
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError(`a pool needs at least one worker, not ${this.size}`);
    if (!(this.deadlineMs > 0)) throw new RangeError(`a deadline must be positive, not ${this.deadlineMs}`);
    if (!(this.#maxOldGenerationSizeMb >= 128)) throw new RangeError(`a worker heap below 128 MB is not safe, not ${this.#maxOldGenerationSizeMb}`);
    for (let i = 0; i < this.size; i++) this.#slots.push(this.#start());
  }

  /** Runs `mapping` on `input` in a worker; rejects as `MappingEngine.evaluate` does, or `MAPPING_TIMEOUT` past the deadline. */
  evaluate(mapping: MappingSource, input: unknown, context: MappingContext): Promise<unknown> {
    if (this.#closed) return Promise.reject(new SuyuanError('INTERNAL', '映射工作线程池已关闭 / The mapping worker pool is closed'));
    if (this.#failure) return Promise.reject(this.#failure);
    if (!(context.now instanceof Date) || Number.isNaN(context.now.getTime())) {
      return Promise.reject(new SuyuanError('INTERNAL', `映射 ${mapping.id}@${mapping.version} 的 context.now 不是有效时间 / context.now is not a valid Date`));
    }
    const request: EvaluateRequest = {
      jobId: this.#nextJob++,
      mapping: { id: mapping.id, version: mapping.version, source: mapping.source },
      input,
      now: context.now.toISOString(),
      bindings: context.bindings ?? {},
    };
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  get stats(): WorkerPoolStats {
    return {
      size: this.size,
      busy: this.#slots.filter((s) => s.job !== undefined).length,
      queued: this.#queue.length,
      evaluations: this.#evaluations,
      timeouts: this.#timeouts,
      restarts: this.#restarts,
    };
  }

  /** Terminates every worker; evaluations still waiting or running reject with `INTERNAL`. */
  async close(): Promise<void> {
    this.#closed = true;
    const closing = new SuyuanError('INTERNAL', '映射工作线程池已关闭 / The mapping worker pool was closed');
    for (const job of this.#queue.splice(0)) job.reject(closing);
    await Promise.all(this.#slots.map((slot) => {
      this.#finish(slot)?.reject(closing);
      return slot.worker.terminate();
    }));
  }

  #start(): Slot {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: this.#setup,
      resourceLimits: { maxOldGenerationSizeMb: this.#maxOldGenerationSizeMb },
    });
    const slot: Slot = { worker, ready: false, job: undefined, timer: undefined, exitError: undefined };
    worker.unref();
    worker.on('message', (message: WorkerMessage) => this.#onMessage(slot, message));
    worker.on('error', (error) => { slot.exitError = error; });
    worker.on('exit', () => this.#onExit(slot));
    return slot;
  }

  #onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
    } else if (slot.job?.request.jobId === message.jobId) {
      const job = this.#finish(slot);
      if (message.ok) job?.resolve(message.value);
      else job?.reject(new SuyuanError(message.error.code, message.error.message, { detail: message.error.detail }));
    }
    this.#dispatch();
  }

  /** A worker ended: by our terminate (already replaced), by a crash, or before it was ever ready. */
  #onExit(slot: Slot): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0 || this.#closed) return;
    const job = this.#finish(slot);
    const cause = slot.exitError;
    if (!slot.ready) {
      this.#failure = new SuyuanError('INTERNAL', `映射工作线程无法启动 / A mapping worker failed to start: ${cause?.message ?? 'exited'}`, { cause });
      for (const waiting of this.#queue.splice(0)) waiting.reject(this.#failure);
      this.#slots.splice(index, 1);
      return;
    }
    if (job) {
      const memory = (cause as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const name = `${job.request.mapping.id}@${job.request.mapping.version}`;
      job.reject(memory
        ? new SuyuanError('MAPPING_FAILED', `映射 ${name} 内存超限 / Mapping ${name} ran out of memory`, { cause, detail: { mapping: name, limit: 'memory', maxOldGenerationSizeMb: this.#maxOldGenerationSizeMb } })
        : new SuyuanError('INTERNAL', `映射工作线程意外退出 / The mapping worker exited while running ${name}`, { cause, detail: { mapping: name } }));
    }
    this.#replace(index);
  }

  #replace(index: number): void {
    this.#restarts++;
    this.#slots[index] = this.#start();
  }

  /** Clears a slot's job and deadline, and returns the job it had. */
  #finish(slot: Slot): Job | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    slot.worker.unref();
    if (job) this.#evaluations++;
    return job;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.#queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.#onDeadline(slot), this.deadlineMs);
      try {
        slot.worker.postMessage(job.request);
      } catch (cause) {
        this.#finish(slot);
        job.reject(new SuyuanError('MAPPING_FAILED', '输入无法传给映射工作线程 / The input cannot be passed to a mapping worker', { cause }));
      }
    }
  }

  #onDeadline(slot: Slot): void {
    const index = this.#slots.indexOf(slot);
    const job = this.#finish(slot);
    this.#timeouts++;
    void slot.worker.terminate();
    if (index >= 0) this.#replace(index);
    if (job) {
      const name = `${job.request.mapping.id}@${job.request.mapping.version}`;
      job.reject(new SuyuanError('MAPPING_TIMEOUT', `映射 ${name} 超过 ${this.deadlineMs} 毫秒，工作线程已终止 / Mapping ${name} ran past its ${this.deadlineMs} ms deadline; its worker was terminated`, {
        detail: { mapping: name, limit: 'deadlineMs', deadlineMs: this.deadlineMs },
      }));
    }
    this.#dispatch();
  }
}
