/**
 * A circuit breaker per destination: after `threshold` failures in a row the circuit opens and the
 * destination is not called; after `cooldownMs` it is half-open and lets one probe through; a probe
 * that succeeds closes it, one that fails opens it again. Deliveries wait (`pass`) while it is open
 * instead of using up their attempts, so a department that is down for a day is probed once per
 * cooldown and its messages flow again by themselves when it is back; only the probes use attempts.
 * State is per process: this is the embedded queue's breaker (one consumer process); on Redis every
 * worker shares `RedisCircuitBreakers` (`shared-guards.ts`) instead.
 */
import { SuyuanError } from '../errors.ts';
import { sleep } from './sleep.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failures in a row that open the circuit (≥ 1). */
  readonly threshold: number;
  /** How long it stays open before a probe, in ms. */
  readonly cooldownMs: number;
  readonly now?: () => number;
  /** Told of every change of a destination's state (e.g. for the `suyuan_circuit_state` gauge). */
  readonly onChange?: (destination: string, state: CircuitState) => void;
}

interface Circuit {
  failures: number;
  openedAt: number | undefined;
  probing: boolean;
  lastCode: string | undefined;
}

/**
 * Waits until `admit` lets a call go: while it refuses with `CIRCUIT_OPEN`, checks again after the wait
 * it names (10 ms to 1 s). Throws that `CIRCUIT_OPEN` when `signal` aborts first, and any other error at once.
 */
export async function admitted(admit: () => void | Promise<void>, signal?: AbortSignal): Promise<void> {
  for (;;) {
    try {
      await admit();
      return;
    } catch (error) {
      if (signal?.aborted || !(error instanceof SuyuanError) || error.code !== 'CIRCUIT_OPEN') throw error;
      await sleep(Math.min(1_000, Math.max(10, Number(error.detail.retryInMs) || 0)), signal);
      if (signal?.aborted) throw error;
    }
  }
}

export class CircuitBreakers {
  readonly #options: BreakerOptions;
  readonly #circuits = new Map<string, Circuit>();
  readonly #now: () => number;

  constructor(options: BreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  #circuit(destination: string): Circuit {
    let c = this.#circuits.get(destination);
    if (!c) {
      c = { failures: 0, openedAt: undefined, probing: false, lastCode: undefined };
      this.#circuits.set(destination, c);
    }
    return c;
  }

  state(destination: string): CircuitState {
    const c = this.#circuits.get(destination);
    if (c?.openedAt === undefined) return 'closed';
    return this.#now() - c.openedAt >= this.#options.cooldownMs ? 'half-open' : 'open';
  }

  /**
   * Asks to call the destination: resolves when the call may go ahead (closed, or the one probe of a
   * half-open circuit); throws `CIRCUIT_OPEN` when it may not. Every admitted call MUST end in
   * `success` or `failure`.
   */
  admit(destination: string): void {
    const state = this.state(destination);
    const c = this.#circuit(destination);
    if (state === 'closed') return;
    if (state === 'half-open' && !c.probing) {
      c.probing = true;
      this.#options.onChange?.(destination, 'half-open');
      return;
    }
    const retryInMs = Math.max(0, (c.openedAt ?? 0) + this.#options.cooldownMs - this.#now());
    throw new SuyuanError('CIRCUIT_OPEN', `${destination} failed ${c.failures} time(s) in a row (last ${c.lastCode ?? 'error'}): not called until a probe succeeds`, {
      detail: { destination, state, failures: c.failures, retryInMs, lastCode: c.lastCode ?? null },
    });
  }

  /**
   * Waits until a call may go (see `admit`), checking again as the circuit's state allows. Throws
   * `CIRCUIT_OPEN` when `signal` aborts first (the job is being given back).
   */
  async pass(destination: string, signal?: AbortSignal): Promise<void> {
    await admitted(() => this.admit(destination), signal);
  }

  /** The destination answered (even with a refusal: it is up). */
  success(destination: string): void {
    const c = this.#circuit(destination);
    const was = c.openedAt !== undefined;
    c.failures = 0;
    c.openedAt = undefined;
    c.probing = false;
    if (was) this.#options.onChange?.(destination, 'closed');
  }

  /** The destination could not be reached or failed on its side. */
  failure(destination: string, code: string): void {
    const c = this.#circuit(destination);
    c.failures += 1;
    c.lastCode = code;
    if (c.probing || c.failures >= this.#options.threshold) {
      c.openedAt = this.#now();
      this.#options.onChange?.(destination, 'open');
    }
    c.probing = false;
  }
}
