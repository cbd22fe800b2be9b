/**
 * The composition root: `createApp(config)` opens the database, runs every part's migrations, wires
 * the parts together and returns the running hub's handles. Entry points (CLI, tests) call it.
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { withInboundUrls } from './adapters/inbound-urls.ts';
import { loadAdapters, type LoadedAdapter } from './adapters/manifest.ts';
import { AUDIT_MIGRATIONS, AuditLog, type AuditTables } from './audit/index.ts';
import { KEY_MIGRATIONS, KeyStore, type KeyTables } from './auth/keys.ts';
import type { Config } from './config.ts';
import { CONFORMANCE_MIGRATIONS, ConformanceService, conformanceRouter } from './conformance/index.ts';
import { consoleMounts } from './console/index.ts';
import { migrate, onPostgres, openHubDatabase, tablesOf, whileLocked } from './db/index.ts';
import { BLOB_MIGRATIONS, DatabaseBlobStore, type BlobTables } from './db/blobs.ts';
import { Delivery, DELIVERY_MIGRATIONS, deliveryRouter, PausableFeedService } from './delivery/index.ts';
import { OutboundService, type Sender } from './feeds/outbound.ts';
import { REPLAY_MIGRATIONS } from './feeds/replay.ts';
import type { FeedService } from './feeds/service.ts';
import { FEED_MIGRATIONS, type FeedTables } from './feeds/tables.ts';
import { createHttpApp } from './http/index.ts';
import { ccompatErrorHandler } from './http/routes/ccompat-errors.ts';
import { ccompatRouter } from './http/routes/ccompat.ts';
import { loadBridges } from './mapping/bridges.ts';
import { MappingEngine, WorkerMappingPool, type MappingEvaluator } from './mapping/index.ts';
import { createLogger, createOps, errorLogger, OPS_MIGRATIONS, type Ops, type OpsTables } from './ops/index.ts';
import { FileBlobStore, type BlobStore } from './pipeline/blobs.ts';
import { VersionBridge } from './pipeline/bridge.ts';
import { ensureCanonical } from './pipeline/canonical.ts';
import { openQueueDatabase, QUEUE_MIGRATIONS } from './queue/index.ts';
import { PROVENANCE_MIGRATIONS, ProvenanceStore, type ProvenanceTables } from './pipeline/provenance.ts';
import { RegistryService } from './registry/service.ts';
import { REGISTRY_MIGRATIONS, type RegistryTables } from './registry/tables.ts';
import { REPO_ROOT } from './standards/paths.ts';
import { createTransports, type Transport, type TransportContext } from './transports/index.ts';
import { TRACE_SQLITE_MIGRATIONS, adoptLegacyEvents, hubTraceMigrations, openTraceStore, traceRoutes, type TraceStore } from './trace/index.ts';

export type HubTables = RegistryTables & AuditTables & KeyTables & ProvenanceTables & FeedTables & OpsTables;

export interface App {
  readonly config: Config;
  readonly db: Kysely<HubTables>;
  readonly registry: RegistryService;
  readonly keys: KeyStore;
  readonly audit: AuditLog;
  /** Every step of every message's path. */
  readonly provenance: ProvenanceStore;
  /** Original message bytes, content-addressed, for replay. */
  readonly blobs: BlobStore;
  /** The adapters, as loaded and checked at boot. */
  readonly adapters: readonly LoadedAdapter[];
  /** The adapters' inbound feeds. */
  readonly feeds: FeedService;
  /** The adapters' outbound side: check, map, write and send a standard document. */
  readonly outbound: OutboundService;
  /** The trace store: standard events, once each by event hash, indexed by every identifier they name. */
  readonly events: TraceStore;
  /** Conformance runs, certificates and revocations, and the hub's signing key. */
  readonly conformance: ConformanceService;
  /** Metrics, readiness checks, the logger, feed controls and sessions (`src/ops`). */
  readonly ops: Ops;
  /** The express app serving every route (the access tests walk its routes). */
  readonly http: Express;
  /** Subscriptions, routing, the delivery queues and their dead letters, feed pauses. */
  readonly delivery: Delivery;
  /** Starts this process's queue consumers (routing and delivery); `listen` does when `config.workers`. */
  startWorkers(): void;
  /** Starts listening and the transports' background work; resolves to the bound address. */
  listen(): Promise<{ port: number; url: string }>;
  /** Stops the transports, stops accepting, finishes open requests, closes the database. */
  close(): Promise<void>;
}

/** The migrations of every part, the transports' included. */
function migrations(transports: readonly Transport[]): Record<string, Migration> {
  const all = { ...REGISTRY_MIGRATIONS, ...AUDIT_MIGRATIONS, ...KEY_MIGRATIONS, ...PROVENANCE_MIGRATIONS, ...FEED_MIGRATIONS, ...REPLAY_MIGRATIONS, ...TRACE_SQLITE_MIGRATIONS, ...CONFORMANCE_MIGRATIONS, ...OPS_MIGRATIONS, ...QUEUE_MIGRATIONS, ...DELIVERY_MIGRATIONS };
  for (const t of transports) Object.assign(all, t.migrations ?? {});
  return all;
}

/**
 * On PostgreSQL the same list but for the engine: the trace store's PostgreSQL migrations, the blob
 * table, and no embedded queue (its jobs stay in a local SQLite file: `openQueueDatabase`).
 */
function postgresMigrations(db: Kysely<unknown>, transports: readonly Transport[]): Record<string, Migration> {
  const all: Record<string, Migration> = { ...migrations(transports), ...hubTraceMigrations(db), ...BLOB_MIGRATIONS };
  for (const name of Object.keys(QUEUE_MIGRATIONS)) delete all[name];
  return all;
}

export async function createApp(config: Config): Promise<App> {
  const db = openHubDatabase<HubTables>(config);
  const postgres = onPostgres(db);
  // A hub on PostgreSQL without Redis keeps its embedded queue in a local SQLite file of its own.
  const queueDb = postgres && config.redisUrl === undefined ? await openQueueDatabase(config.dataDir).catch(async (error: unknown) => { await db.destroy(); throw error; }) : undefined;
  const transports = createTransports();
  // One JSON-line logger (src/ops/logger.ts): expected problems as warnings with their code,
  // unexpected ones as errors with their stack, the message and request ids on every line. Never a body.
  const logger = createLogger(config);
  const log = errorLogger(logger);
  let adapters: LoadedAdapter[];
  let registry: RegistryService;
  let audit: AuditLog;
  let keys: KeyStore;
  try {
    // On PostgreSQL, processes starting together (an API process and its workers) boot one at a time.
    [audit, keys, registry] = await whileLocked(tablesOf<never>(db), async () => {
      await migrate(tablesOf<unknown>(db), postgres ? postgresMigrations(tablesOf<unknown>(db), transports) : migrations(transports));
      const a = new AuditLog(tablesOf<AuditTables>(db));
      const k = new KeyStore(tablesOf<KeyTables>(db));
      if (config.adminKey) await k.ensureAdmin(config.adminKey);
      const r = new RegistryService(tablesOf<RegistryTables>(db), a, config.root === undefined ? {} : { root: config.root });
      await r.init();
      await r.seedFromRepository();
      await ensureCanonical(r, config.canonical, config.root);
      return [a, k, r] as const;
    });
    // An invalid manifest stops the boot here, with the file and the field named.
    adapters = withInboundUrls(loadAdapters(registry.standards, config.root ?? REPO_ROOT), config.inboundUrls);
  } catch (error) {
    await db.destroy();
    await queueDb?.destroy();
    throw error;
  }
  const provenance = new ProvenanceStore(tablesOf<ProvenanceTables>(db));
  // On PostgreSQL the original bytes are shared too, so any API process can show and replay any message.
  const blobs: BlobStore = postgres ? new DatabaseBlobStore(tablesOf<BlobTables>(db)) : new FileBlobStore(join(config.dataDir, 'blobs'));
  const evaluator: MappingEvaluator & { close?: () => Promise<void> } = config.mappingWorkers > 0
    ? new WorkerMappingPool({ size: config.mappingWorkers })
    : new MappingEngine();
  const standards = () => registry.standards;
  let events: TraceStore;
  try {
    events = await openTraceStore(config, tablesOf<unknown>(db));
    await adoptLegacyEvents(tablesOf<unknown>(db), events);
  } catch (error) {
    await db.destroy();
    await queueDb?.destroy();
    throw error;
  }
  // Versions published, retired or deleted by another process on the same database are read within 2 s.
  registry.follow(2_000, log);
  const bridge = new VersionBridge({ standards, evaluator, bridges: loadBridges(config.root ?? REPO_ROOT), canonical: config.canonical });
  const ready = async (): Promise<boolean> => {
    await sql`select 1`.execute(db);
    return true;
  };
  const ops = createOps({ config, logger, db: tablesOf<OpsTables & KeyTables & FeedTables>(db), keys, audit, adapters, database: ready });
  const delivery = new Delivery({ config, db: tablesOf<unknown>(db), ...(queueDb ? { queueDb } : {}), adapters, log, control: ops.control, metrics: ops.metrics });
  ops.watchQueues(delivery.queueNames, (name) => delivery.queue(name));
  const feeds: FeedService = new PausableFeedService(delivery.pauses, adapters, { db: tablesOf<FeedTables>(db), standards, evaluator, provenance, events: delivery.routing(events), blobs, bridge, observer: ops.observer });
  const base = { config, feeds, db: tablesOf<unknown>(db), log };
  const senders: Record<string, Sender> = {};
  for (const t of transports) if (t.sender) senders[t.kind] = t.sender(base);
  const outbound = new OutboundService({ standards, evaluator, senders, bridge });
  const context: TransportContext = { ...base, outbound };
  const conformance = new ConformanceService({ db: tablesOf(db), audit, dataDir: config.dataDir, standards, adapters: () => adapters, evaluator });
  const startWorkers = (): void => delivery.start(outbound, senders);

  const http = createHttpApp({ config, registry, keys, audit, ops: ops.http(feeds), log, feeds, mounts: [
    { path: '/ccompat', router: ccompatRouter(registry, { log }), onError: ccompatErrorHandler(log) },
    { path: '/v1/conformance', router: conformanceRouter(conformance) },
    { path: '/v1', router: deliveryRouter(delivery, audit) },
    ...transports.flatMap((t) => t.routes?.(context) ?? []),
    ...traceRoutes({ store: events, standards, config, adapters, log }),
    ...consoleMounts({ feeds, standards, evaluator, bodyLimit: config.bodyLimit }),
  ] });
  let server: Server | undefined;

  return {
    config, db, registry, keys, audit, provenance, blobs, adapters, feeds, outbound, events, conformance, ops, http, delivery, startWorkers,
    listen: async () => {
      const address = await new Promise<{ port: number; url: string }>((resolve, reject) => {
        server = http.listen(config.port, config.host, (error?: Error) => {
          if (error) { reject(error); return; } // Express 5 calls back with a listen error (EADDRINUSE)
          const { port } = server?.address() as AddressInfo;
          resolve({ port, url: `http://${config.host}:${port}` });
        });
        server.once('error', reject);
      });
      if (config.workers) startWorkers();
      for (const t of transports) {
        const own = adapters.filter((a) => a.manifest.inbound?.transport.kind === t.kind);
        if (t.start && own.length > 0) await t.start(context, own);
      }
      return address;
    },
    close: async () => {
      for (const t of transports) await t.stop?.();
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeIdleConnections(); });
      }
      await delivery.close();
      await evaluator.close?.();
      await events.close();
      await ops.close();
      registry.unfollow();
      await db.destroy();
      await queueDb?.destroy();
    },
  };
}
