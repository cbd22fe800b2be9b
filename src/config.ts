/**
 * The hub's configuration: read from the environment once, overridden by command-line flags,
 * validated, frozen, and passed down. No other module reads `process.env`.
 */
import { resolve } from 'node:path';
import { SuyuanError } from './errors.ts';

export interface Config {
  /** TCP port of the HTTP server; 0 picks a free one. */
  readonly port: number;
  readonly host: string;
  /** Folder of the embedded database and other state. */
  readonly dataDir: string;
  /** Admin key created at first start, when given (`SUYUAN_ADMIN_KEY`). */
  readonly adminKey: string | undefined;
  /** Repository root holding `standards/` and `registry/` (defaults to this repository). */
  readonly root: string | undefined;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /**
   * Worker threads that run mappings (`SUYUAN_MAPPING_WORKERS`, default 2): a mapping that runs away
   * is stopped at its deadline without stalling the hub. 0 runs mappings in process, guarded only by
   * their time and depth limits.
   */
  readonly mappingWorkers: number;
  /**
   * Subject → the exact version the hub stores, where it is not the subject's latest published version
   * (`SUYUAN_CANONICAL`, e.g. `trace.event@2.0.0`, comma-separated): it may name a draft of a new major,
   * which is then loaded from the repository's `standards/` at start. Adapters on an older major are
   * carried to it by the bridges in `mappings/standards/`.
   */
  readonly canonical: Readonly<Record<string, string>>;
  /**
   * Redis for the queue (`SUYUAN_REDIS_URL`, e.g. `redis://127.0.0.1:6379`): when set, jobs go to BullMQ on it
   * and any number of `suyuan worker` processes share them; when not, to the embedded queue in the database.
   */
  readonly redisUrl: string | undefined;
  /**
   * PostgreSQL for the hub's database (`SUYUAN_DATABASE_URL`, e.g. `postgres://user:pass@host/db`): when set,
   * every part's tables (the trace store's included) and the original message bytes live there, shared by
   * any number of API and worker processes on any number of machines; when not, in the embedded SQLite
   * database. The embedded queue stays in SQLite either way (`<dataDir>/queue.db` beside PostgreSQL).
   */
  readonly databaseUrl: string | undefined;
  /**
   * Adapter id → the URL its inbound transport uses instead of its manifest's (`SUYUAN_INBOUND_URLS`,
   * `adapter=url[,adapter=url…]`), e.g. the address of a department's service in this deployment, where
   * the shipped manifest names a placeholder (the tax gateway's `.invalid` host). Applied at start.
   */
  readonly inboundUrls: Readonly<Record<string, string>>;
  /** Bearer token a Prometheus scraper may use for `/metrics` instead of an operator key (`SUYUAN_METRICS_TOKEN`, 16+ characters). */
  readonly metricsToken: string | undefined;
  /** Requests per minute per key (or per address without a key), `SUYUAN_RATE_LIMIT`, default 1200; 0 turns the limit off. */
  readonly rateLimit: number;
  /** Whether `suyuan serve` runs queue consumers of its own (`SUYUAN_WORKERS`, default 1; `serve --no-workers` sets 0). */
  readonly workers: boolean;
  /** Jobs each consumer runs at once, per queue (`SUYUAN_WORKER_CONCURRENCY`, default 4). */
  readonly workerConcurrency: number;
  /** How long a worker holds a job without renewing before another takes it back (`SUYUAN_QUEUE_LEASE_MS`, default 30 000). */
  readonly queueLeaseMs: number;
  /** Times a job may be taken back from a dead worker before it is dead with `JOB_STALLED` (`SUYUAN_QUEUE_MAX_STALLS`, default 3). */
  readonly maxStalls: number;
  /** Deliveries a second to one destination, per worker process (`SUYUAN_DELIVERY_RATE`, default 20). */
  readonly deliveryRate: number;
  /** Failures in a row that open a destination's circuit (`SUYUAN_BREAKER_FAILURES`, default 5). */
  readonly breakerThreshold: number;
  /** How long an open circuit waits before a probe, in ms (`SUYUAN_BREAKER_COOLDOWN_MS`, default 30 000). */
  readonly breakerCooldownMs: number;
}

export type ConfigOverrides = Partial<{ -readonly [K in keyof Config]: Config[K] }>;

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SuyuanError('BAD_REQUEST', `${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

/** `subject@x.y.z[,subject@x.y.z…]` → subject → version. */
function canonical(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+)@(\d+\.\d+\.\d+)$/.exec(item);
    if (!m?.[1] || !m[2]) throw new SuyuanError('BAD_REQUEST', `SUYUAN_CANONICAL must list subject@x.y.z, not "${item}"`);
    out[m[1]] = m[2];
  }
  return out;
}

function redisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/./.test(raw)) throw new SuyuanError('BAD_REQUEST', 'SUYUAN_REDIS_URL must be a redis:// or rediss:// URL');
  return raw;
}

function databaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\/./.test(raw)) throw new SuyuanError('BAD_REQUEST', 'SUYUAN_DATABASE_URL must be a postgres:// or postgresql:// URL');
  return raw;
}

/** `adapter=url[,adapter=url…]` → adapter → URL (http or https). */
function inboundUrls(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([a-z0-9][a-z0-9-]*)=(https?:\/\/\S+)$/.exec(item);
    if (!m?.[1] || !m[2]) throw new SuyuanError('BAD_REQUEST', `SUYUAN_INBOUND_URLS must list adapter=http(s)://…, not "${item}"`);
    out[m[1]] = m[2];
  }
  return out;
}

function metricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16) throw new SuyuanError('BAD_REQUEST', 'SUYUAN_METRICS_TOKEN must be at least 16 characters');
  return raw;
}

/** Reads the configuration from an environment (default: the process's) plus overrides. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = overrides.logLevel ?? env.SUYUAN_LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as Config['logLevel'])) {
    throw new SuyuanError('BAD_REQUEST', `SUYUAN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const adminKey = overrides.adminKey ?? (env.SUYUAN_ADMIN_KEY || undefined);
  if (adminKey !== undefined && adminKey.length < 16) {
    throw new SuyuanError('BAD_REQUEST', 'SUYUAN_ADMIN_KEY must be at least 16 characters');
  }
  return Object.freeze({
    port: overrides.port ?? integer('SUYUAN_PORT', env.SUYUAN_PORT, 8080, 0, 65535),
    host: overrides.host ?? env.SUYUAN_HOST ?? '127.0.0.1',
    dataDir: resolve(overrides.dataDir ?? env.SUYUAN_DATA_DIR ?? 'data'),
    adminKey,
    root: overrides.root ?? env.SUYUAN_ROOT ?? undefined,
    bodyLimit: overrides.bodyLimit ?? integer('SUYUAN_BODY_LIMIT', env.SUYUAN_BODY_LIMIT, 10 * 1024 * 1024, 1024, 1024 ** 3),
    logLevel: logLevel as Config['logLevel'],
    mappingWorkers: overrides.mappingWorkers ?? integer('SUYUAN_MAPPING_WORKERS', env.SUYUAN_MAPPING_WORKERS, 2, 0, 32),
    canonical: Object.freeze({ ...(overrides.canonical ?? canonical(env.SUYUAN_CANONICAL)) }),
    redisUrl: overrides.redisUrl ?? redisUrl(env.SUYUAN_REDIS_URL),
    databaseUrl: overrides.databaseUrl ?? databaseUrl(env.SUYUAN_DATABASE_URL),
    inboundUrls: Object.freeze({ ...(overrides.inboundUrls ?? inboundUrls(env.SUYUAN_INBOUND_URLS)) }),
    metricsToken: overrides.metricsToken ?? metricsToken(env.SUYUAN_METRICS_TOKEN),
    rateLimit: overrides.rateLimit ?? integer('SUYUAN_RATE_LIMIT', env.SUYUAN_RATE_LIMIT, 1200, 0, 1_000_000),
    workers: overrides.workers ?? integer('SUYUAN_WORKERS', env.SUYUAN_WORKERS, 1, 0, 1) === 1,
    workerConcurrency: overrides.workerConcurrency ?? integer('SUYUAN_WORKER_CONCURRENCY', env.SUYUAN_WORKER_CONCURRENCY, 4, 1, 256),
    queueLeaseMs: overrides.queueLeaseMs ?? integer('SUYUAN_QUEUE_LEASE_MS', env.SUYUAN_QUEUE_LEASE_MS, 30_000, 100, 3_600_000),
    maxStalls: overrides.maxStalls ?? integer('SUYUAN_QUEUE_MAX_STALLS', env.SUYUAN_QUEUE_MAX_STALLS, 3, 0, 1_000),
    deliveryRate: overrides.deliveryRate ?? integer('SUYUAN_DELIVERY_RATE', env.SUYUAN_DELIVERY_RATE, 20, 1, 100_000),
    breakerThreshold: overrides.breakerThreshold ?? integer('SUYUAN_BREAKER_FAILURES', env.SUYUAN_BREAKER_FAILURES, 5, 1, 10_000),
    breakerCooldownMs: overrides.breakerCooldownMs ?? integer('SUYUAN_BREAKER_COOLDOWN_MS', env.SUYUAN_BREAKER_COOLDOWN_MS, 30_000, 1, 86_400_000),
  });
}
