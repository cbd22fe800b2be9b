/**
 * A rate limit per destination (the generic cell rate algorithm): at most `perSecond` calls a second
 * on average, with bursts of up to `burst`; a caller over the limit waits its turn. Per process: the embedded queue's;
 * on Redis every worker shares `RedisRateLimits` (`shared-guards.ts`) instead.
 */
import { sleep } from './sleep.ts';

export interface RateLimitOptions {
  readonly perSecond: number;
  /** Calls that may go at once after a quiet spell (default 1). */
  readonly burst?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}


export class RateLimits {
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per destination: the theoretical arrival time of the next call. */
  readonly #tat = new Map<string, number>();

  constructor(options: RateLimitOptions) {
    this.#interval = 1000 / options.perSecond;
    this.#tolerance = this.#interval * (Math.max(1, options.burst ?? 1) - 1);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
  }

  /** Resolves when a call to the destination may go (at once, or after a wait; early when `signal` aborts). */
  async take(destination: string, signal?: AbortSignal): Promise<void> {
    const now = this.#now();
    const tat = Math.max(this.#tat.get(destination) ?? now, now);
    const wait = tat - this.#tolerance - now;
    this.#tat.set(destination, tat + this.#interval);
    if (wait > 0) await this.#sleep(wait, signal);
  }
}
