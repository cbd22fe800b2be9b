/**
 * The hub's HTTP face: one express app, the parts mounted explicitly, one problem+json error handler
 * for the native API. The Confluent-compatible API is mounted with its own error format.
 */
import express, { type Express } from 'express';
import type { Mount } from '../transports/contract.ts';
import type { AuditLog } from '../audit/index.ts';
import type { KeyStore } from '../auth/keys.ts';
import type { Config } from '../config.ts';
import { SuyuanError } from '../errors.ts';
import type { FeedService } from '../feeds/service.ts';
import type { OpsHttp } from '../ops/index.ts';
import type { RegistryService } from '../registry/service.ts';
import { authenticate } from './auth.ts';
import { problemHandler, sendProblem } from './problem.ts';
import { docsRouter } from './routes/docs.ts';
import { feedsRouter } from './routes/feeds.ts';
import { keysRouter } from './routes/keys.ts';
import { messagesRouter } from './routes/messages.ts';
import { registryRouter } from './routes/registry.ts';

export interface HttpParts {
  readonly config: Config;
  readonly registry: RegistryService;
  readonly keys: KeyStore;
  readonly audit: AuditLog;
  readonly log: (error: unknown) => void;
  /** The inbound feeds (HTTP push), when adapters are loaded. */
  readonly feeds?: FeedService;
  /**
   * Extra APIs (the Confluent API, transports' routes), each with its own error format: `onError` also
   * answers errors raised before the router is reached (a malformed body, an unknown key). `raw`
   * mounts come before the JSON body parser.
   */
  readonly mounts?: readonly Mount[];
  /** Operations (`src/ops`): headers, request log, health, metrics, sessions, rate limits, feed status and control. */
  readonly ops: OpsHttp;
}

/** Media types whose bodies are JSON: plain, problem, schema, and the Confluent registry's own. */
export const JSON_TYPES = ['application/json', 'application/*+json', 'application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json'];

export function createHttpApp(parts: HttpParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(parts.ops.front);
  app.use(authenticate(parts.keys, parts.ops.session));
  app.use(parts.ops.guard);
  // Feeds read the department's own bytes, so they come before the JSON body parser.
  if (parts.feeds) app.use('/v1/feeds', feedsRouter(parts.feeds, parts.config.bodyLimit));
  const mounts = parts.mounts ?? [];
  for (const mount of mounts.filter((m) => m.raw)) app.use(mount.path, mount.router);
  app.use(express.json({ limit: parts.config.bodyLimit, type: JSON_TYPES, strict: false }));
  if (parts.feeds) app.use('/v1/messages', messagesRouter(parts.feeds, parts.audit));
  app.use('/docs', docsRouter(parts.registry));
  for (const mount of mounts.filter((m) => !m.raw)) app.use(mount.path, mount.router);
  app.use('/v1/keys', keysRouter(parts.keys, parts.audit));
  app.use('/v1', registryRouter(parts.registry));
  app.use((req, res) => { sendProblem(res, new SuyuanError('NOT_FOUND', `no route ${req.method} ${req.path}`), req.originalUrl); });
  for (const mount of mounts) if (mount.onError) app.use(mount.path, mount.onError);
  app.use(problemHandler(parts.log));
  return app;
}
