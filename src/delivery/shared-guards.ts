/**
 * The per-destination circuit breaker and rate limit kept in Redis, so that every worker process on
 * every machine shares them: a destination's limit holds for the whole hub, not per process, and a
 * down destination is probed once per cooldown by one worker, not by each. Each decision is one Lua
 * script run atomically in Redis, on Redis's own clock (`TIME`), so machines whose clocks differ still
 * agree. Used when the queue runs on Redis (`SUYUAN_REDIS_URL`); the embedded queue has one consumer
 * process and keeps them in memory (`breaker.ts`, `rate-limit.ts`), with the same behaviour.
 *
 * A Redis that cannot be reached makes `pass` and `take` fail with `IO_FAILED` (operational: the
 * delivery is retried later, never dead-lettered for it); `success` and `failure` are then lost, which
 * at worst costs one more probe.
 */
import { Redis } from 'ioredis';
import { SuyuanError } from '../errors.ts';
import { admitted, type CircuitState } from './breaker.ts';
import type { RateLimitOptions } from './rate-limit.ts';
import { sleep } from './sleep.ts';

/** What delivery asks of a breaker: wait for a go, then tell how the call went. */
export interface Breakers {
  /** Resolves when a call may go (closed, or this call is the one probe); throws `CIRCUIT_OPEN` when `signal` aborts first. */
  pass(destination: string, signal?: AbortSignal): Promise<void>;
  /** The destination answered (even with a refusal: it is up). */
  success(destination: string): void | Promise<void>;
  /** The destination could not be reached or failed on its side. */
  failure(destination: string, code: string): void | Promise<void>;
  /** The destination's circuit now. */
  state(destination: string): CircuitState | Promise<CircuitState>;
}

/** What delivery asks of a rate limit. */
export interface Limits {
  /** Resolves when a call to the destination may go (at once, or after a wait; early when `signal` aborts). */
  take(destination: string, signal?: AbortSignal): Promise<void>;
}

const PREFIX = 'suyuan:delivery';
/** How long a destination's state outlives its last use. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS[1] the destination's hash; ARGV cooldownMs, keepMs. Answers {verdict, state, failures,
 * retryInMs, lastCode}: verdict `go` (closed), `probe` (this call is the half-open circuit's one
 * probe, held for one cooldown so a probe that never reports does not block the circuit) or `wait`.
 */
const ADMIT = `${NOW_MS}
local cooldown = tonumber(ARGV[1])
local opened = tonumber(redis.call('HGET', KEYS[1], 'openedAt') or '')
if not opened then return {'go', 'closed', '0', '0', ''} end
local failures = redis.call('HGET', KEYS[1], 'failures') or '0'
local last = redis.call('HGET', KEYS[1], 'lastCode') or ''
if now - opened < cooldown then return {'wait', 'open', failures, tostring(opened + cooldown - now), last} end
local held = tonumber(redis.call('HGET', KEYS[1], 'probeUntil') or '0')
if held > now then return {'wait', 'half-open', failures, tostring(held - now), last} end
redis.call('HSET', KEYS[1], 'probeUntil', now + cooldown)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'probe', 'half-open', failures, '0', last}`;

/** KEYS[1]; ARGV cooldownMs. Answers the state, changing nothing. */
const STATE = `${NOW_MS}
local opened = tonumber(redis.call('HGET', KEYS[1], 'openedAt') or '')
if not opened then return 'closed' end
if now - opened < tonumber(ARGV[1]) then return 'open' end
return 'half-open'`;

/** KEYS[1] the destination's hash. Answers 1 when the circuit was open (it is closed now). */
const SUCCESS = `local was = redis.call('HEXISTS', KEYS[1], 'openedAt')
redis.call('DEL', KEYS[1])
return was`;

/** KEYS[1]; ARGV threshold, code, keepMs. Answers 1 when the circuit is (again) open. */
const FAILURE = `${NOW_MS}
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'lastCode', ARGV[2])
local probed = redis.call('HEXISTS', KEYS[1], 'probeUntil') == 1
redis.call('HDEL', KEYS[1], 'probeUntil')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if probed or failures >= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'openedAt', now)
  return 1
end
return 0`;

/** GCRA. KEYS[1] the destination's theoretical arrival time; ARGV interval, tolerance (ms). Answers the wait in ms. */
const TAKE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + interval
redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 1000)
return tostring(tat - tonumber(ARGV[2]) - now)`;

type Eval = (script: string, keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

/** One Redis connection for a process's breakers and limits; `run` turns Redis failures into `IO_FAILED`. */
export class SharedGuardsConnection {
  readonly #client: Redis;
  readonly #sha = new Map<string, string>();

  constructor(url: string) {
    this.#client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true });
    // Failures reach the callers of `run`; the connection's own error events would only repeat them.
    this.#client.on('error', () => undefined);
  }

  readonly run: Eval = async (script, keys, args) => {
    try {
      if (this.#client.status === 'wait') await this.#client.connect();
      let sha = this.#sha.get(script);
      if (sha === undefined) {
        sha = String(await this.#client.script('LOAD', script));
        this.#sha.set(script, sha);
      }
      try {
        return await this.#client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String(error).includes('NOSCRIPT')) throw error;
        return await this.#client.eval(script, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw new SuyuanError('IO_FAILED', `Redis, which keeps the delivery circuits and rate limits, cannot be reached: ${(error as Error).message}`, { cause: error });
    }
  };

  /** Closes the connection at once (nothing is pending that must be kept). */
  close(): void {
    this.#client.disconnect();
  }
}

export interface SharedBreakerOptions {
  readonly threshold: number;
  readonly cooldownMs: number;
  readonly onChange?: (destination: string, state: CircuitState) => void;
}

/** The circuit breaker of `breaker.ts`, kept in Redis for every process. */
export class RedisCircuitBreakers implements Breakers {
  readonly #run: Eval;
  readonly #options: SharedBreakerOptions;

  constructor(connection: Pick<SharedGuardsConnection, 'run'>, options: SharedBreakerOptions) {
    if (!(options.threshold >= 1)) throw new SuyuanError('BAD_REQUEST', 'a circuit breaker needs a threshold of at least 1');
    this.#run = connection.run;
    this.#options = options;
  }

  #key(destination: string): string {
    return `${PREFIX}:circuit:${destination}`;
  }

  /** Admits one call, or throws `CIRCUIT_OPEN` with the wait until the next probe. */
  async admit(destination: string): Promise<void> {
    const [verdict, state, failures, retryInMs, lastCode] = (await this.#run(ADMIT, [this.#key(destination)], [this.#options.cooldownMs, KEEP_MS])) as string[];
    if (verdict === 'go') return;
    if (verdict === 'probe') {
      this.#options.onChange?.(destination, 'half-open');
      return;
    }
    throw new SuyuanError('CIRCUIT_OPEN', `${destination} failed ${failures} time(s) in a row (last ${lastCode || 'error'}): not called until a probe succeeds`, {
      detail: { destination, state, failures: Number(failures), retryInMs: Number(retryInMs), lastCode: lastCode || null },
    });
  }

  async pass(destination: string, signal?: AbortSignal): Promise<void> {
    await admitted(() => this.admit(destination), signal);
  }

  async state(destination: string): Promise<CircuitState> {
    return (await this.#run(STATE, [this.#key(destination)], [this.#options.cooldownMs])) as CircuitState;
  }

  async success(destination: string): Promise<void> {
    if (Number(await this.#run(SUCCESS, [this.#key(destination)], [])) === 1) this.#options.onChange?.(destination, 'closed');
  }

  async failure(destination: string, code: string): Promise<void> {
    if (Number(await this.#run(FAILURE, [this.#key(destination)], [this.#options.threshold, code, KEEP_MS])) === 1) this.#options.onChange?.(destination, 'open');
  }
}

/** The rate limit of `rate-limit.ts` (GCRA), kept in Redis for every process. */
export class RedisRateLimits implements Limits {
  readonly #run: Eval;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(connection: Pick<SharedGuardsConnection, 'run'>, options: Omit<RateLimitOptions, 'now'>) {
    if (!(options.perSecond > 0)) throw new SuyuanError('BAD_REQUEST', 'a rate limit needs a positive perSecond');
    this.#run = connection.run;
    this.#interval = 1000 / options.perSecond;
    this.#tolerance = this.#interval * (Math.max(1, options.burst ?? 1) - 1);
    this.#sleep = options.sleep ?? sleep;
  }

  async take(destination: string, signal?: AbortSignal): Promise<void> {
    const wait = Number(await this.#run(TAKE, [`${PREFIX}:rate:${destination}`], [this.#interval, this.#tolerance]));
    if (wait > 0) await this.#sleep(wait, signal);
  }
}
