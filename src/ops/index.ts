/**
 * Operations: metrics, health, logs, feed status and control, console sessions, push signatures and
 * request hygiene. `createOps` builds them once per hub; the composition root hands `observer` to
 * the feeds and `http(feeds)` to the HTTP app. Parts built later (the delivery queue, circuits)
 * report through `metrics` and add their readiness checks to `readiness`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, RequestHandler } from 'express';
import express, { Router } from 'express';
import type { Kysely } from 'kysely';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import type { AuditLog } from '../audit/index.ts';
import type { KeyStore, KeyTables, Principal } from '../auth/keys.ts';
import type { Config } from '../config.ts';
import type { FeedObserver, FeedService } from '../feeds/service.ts';
import type { FeedTables } from '../feeds/tables.ts';
import type { Queue } from '../queue/index.ts';
import { tablesOf } from '../db/index.ts';
import { SuyuanError } from '../errors.ts';
import { authenticate } from '../http/auth.ts';
import { problemHandler, sendProblem } from '../http/problem.ts';
import { FEED_CONTROL_MIGRATIONS, FeedControl, type FeedControlTables } from './feed-control.ts';
import { directionsOf, expectedIntervalOf } from './feed-status.ts';
import { Readiness, healthRouter } from './health.ts';
import { errorLogger, requestLogger, withLogContext, type Logger } from './logger.ts';
import { HubMetrics } from './metrics.ts';
import { queueSource } from './queue-source.ts';
import { redisCheck } from './redis-check.ts';
import { feedOpsRouter, metricsRoute, sessionRouter } from './routes.ts';
import { csrfGuard, rateLimiter, securityHeaders } from './security.ts';
import { SESSION_COOKIE, SESSION_MIGRATIONS, SessionStore, cookieOf, type SessionTables } from './sessions.ts';
import { SignatureVerifier } from './signature.ts';

export { createLogger, errorLogger, withLogContext, currentLogContext, type Logger } from './logger.ts';
export { HubMetrics, outcomeOf, OUTCOMES, type CircuitState, type QueueSource, type FeedOutcome } from './metrics.ts';
export { Readiness, type ReadinessCheck } from './health.ts';
export { queueSource } from './queue-source.ts';
export { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER, SIGNATURE_WINDOW_SECONDS } from './signature.ts';
export { SESSION_COOKIE } from './sessions.ts';
export { feedStatuses, type FeedStatus } from './feed-status.ts';

export const OPS_MIGRATIONS = { ...SESSION_MIGRATIONS, ...FEED_CONTROL_MIGRATIONS };
export type OpsTables = SessionTables & FeedControlTables;

/** What the HTTP app mounts: `front` before the key check, `session` to read the cookie, `guard` after it. */
export interface OpsHttp {
  /** Security headers, request ids and the request log, `/healthz`, `/readyz`, `/metrics`. */
  readonly front: Router;
  /** The console's session cookie → its principal (for `authenticate`). */
  readonly session: (req: Request) => Promise<Principal | undefined>;
  /** Rate limits, the CSRF rule, `/v1/session`, and `/v1/feeds` status, pause and resume, and the push guard. */
  readonly guard: Router;
}

export interface Ops {
  readonly logger: Logger;
  /** `log(error)` for the parts: warnings with a code, errors with a stack, never a body. */
  readonly log: (error: unknown) => void;
  readonly metrics: HubMetrics;
  readonly readiness: Readiness;
  readonly control: FeedControl;
  readonly sessions: SessionStore;
  /** Hand to the feeds: counts every kept message and logs it with its id. */
  readonly observer: FeedObserver;
  http(feeds: FeedService): OpsHttp;
  /**
   * Reads these queues' depth (and, on the embedded engine, their oldest waiting job) at every scrape,
   * and adds the `queue` readiness check on the embedded engine.
   */
  watchQueues(names: readonly string[], queue: (name: string) => Pick<Queue, 'counts' | 'oldestWaiting'>): void;
  /** Serves `/healthz`, `/readyz` and `/metrics` alone on a port of their own (for `suyuan worker`); resolves to its URL. */
  serve(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpsDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Kysely<OpsTables & KeyTables & FeedTables>;
  readonly keys: KeyStore;
  readonly audit: AuditLog;
  readonly adapters: readonly LoadedAdapter[];
  /** Whether the database answers. */
  readonly database: () => Promise<unknown>;
  readonly startedAt?: Date;
}

export function createOps(deps: OpsDeps): Ops {
  const { config, logger } = deps;
  const startedAt = deps.startedAt ?? new Date();
  const log = errorLogger(logger);
  const metrics = new HubMetrics();
  metrics.declareFeeds(deps.adapters.map((a) => {
    const expected = expectedIntervalOf(a);
    return { adapter: a.manifest.id, directions: directionsOf(a), ...(expected === undefined ? {} : { expectedIntervalSeconds: expected }) };
  }));
  const control = new FeedControl(tablesOf<FeedControlTables>(deps.db), deps.audit, (adapter, paused) => metrics.setPaused(adapter, paused));
  void control.paused().then((paused) => { for (const id of paused.keys()) metrics.setPaused(id, true); }, log);
  const sessions = new SessionStore(tablesOf<SessionTables & KeyTables>(deps.db), deps.keys);
  const readiness = new Readiness();
  readiness.add({ name: 'database', check: async () => { await deps.database(); } });
  // Adapters are loaded and checked at boot (an invalid manifest stops it), so this names what was loaded.
  readiness.add({ name: 'adapters', check: async () => ({ loaded: deps.adapters.map((a) => a.manifest.id) }) });
  const redis = config.redisUrl === undefined ? undefined : redisCheck(config.redisUrl);
  if (redis) readiness.add(redis);

  const session = async (req: Request): Promise<Principal | undefined> => {
    const token = cookieOf(req.get('cookie'), SESSION_COOKIE);
    return token === undefined ? undefined : sessions.verify(token);
  };
  const front = Router();
  front.use(securityHeaders());
  front.use(requestLogger(logger));
  front.use(healthRouter(readiness));
  front.use(metricsRoute(metrics, authenticate(deps.keys, session) as RequestHandler, config.metricsToken));
  const servers: Server[] = [];

  const observer: FeedObserver = {
    around: (messageId, feed, work) => withLogContext({ messageId, feed }, work),
    kept(received, seconds) {
      try {
        const outcome = metrics.inbound(received, seconds);
        const line = { messageId: received.messageId, feed: received.feed, type: received.type, status: received.status, outcome, records: received.records.length, ms: Math.round(seconds * 10_000) / 10, ...(received.error ? { code: received.error.code } : {}) };
        if (outcome === 'ok' || outcome === 'duplicate') logger.info(line, 'message kept');
        else logger.warn(line, 'message kept');
      } catch (error) {
        log(error);
      }
    },
  };

  return {
    logger, log, metrics, readiness, control, sessions, observer,
    http(feeds) {
      const guard = Router();
      guard.use(rateLimiter(config.rateLimit));
      guard.use(csrfGuard());
      guard.use('/v1/session', sessionRouter(sessions));
      guard.use('/v1/feeds', feedOpsRouter({ adapters: deps.adapters, db: tablesOf<FeedTables>(deps.db), metrics, control, startedAt, feeds, signatures: new SignatureVerifier(), bodyLimit: config.bodyLimit }));
      return { front, session, guard };
    },
    watchQueues(names, queue) {
      for (const name of names) {
        metrics.watchQueue(queueSource(name, { counts: () => queue(name).counts(), oldestWaiting: () => queue(name).oldestWaiting() }));
      }
      // On Redis the `redis` check stands for the queue (asking BullMQ while Redis is away would wait for it).
      if (config.redisUrl === undefined) {
        readiness.add({ name: 'queue', check: async () => ({ waiting: Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await queue(n).counts()).waiting] as const))) }) });
      }
    },
    async serve(port, host) {
      const app = express();
      app.disable('x-powered-by');
      app.use(front);
      app.use((req, res) => { sendProblem(res, new SuyuanError('NOT_FOUND', `no route ${req.method} ${req.path}`), req.originalUrl); });
      app.use(problemHandler(log));
      const server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(port, host, () => resolve(s));
        s.once('error', reject);
      });
      servers.push(server);
      return `http://${host}:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      for (const server of servers.splice(0)) await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections(); });
      await redis?.close();
    },
  };
}
