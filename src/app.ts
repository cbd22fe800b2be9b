/**
 * The composition root: `createApp(config)` opens the database, runs every part's migrations, wires
 * the parts together and returns the running hub's handles. Entry points (CLI, tests) call it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { AUDIT_MIGRATIONS, AuditLog, type AuditTables } from './audit/index.ts';
import { KEY_MIGRATIONS, KeyStore, type KeyTables } from './auth/keys.ts';
import type { Config } from './config.ts';
import { migrate, openSqlite, tablesOf } from './db/index.ts';
import { loadAdapters } from './adapters/manifest.ts';
import { SqlEventSink } from './feeds/event-store.ts';
import { FeedService } from './feeds/service.ts';
import { FEED_MIGRATIONS, type FeedTables } from './feeds/tables.ts';
import { createHttpApp } from './http/index.ts';
import { MappingEngine, WorkerMappingPool, type MappingEvaluator } from './mapping/index.ts';
import { REPO_ROOT } from './standards/paths.ts';
import { FileBlobStore, type BlobStore } from './pipeline/blobs.ts';
import { PROVENANCE_MIGRATIONS, ProvenanceStore, type ProvenanceTables } from './pipeline/provenance.ts';
import { ccompatErrorHandler } from './http/routes/ccompat-errors.ts';
import { ccompatRouter } from './http/routes/ccompat.ts';
import { RegistryService } from './registry/service.ts';
import { REGISTRY_MIGRATIONS, type RegistryTables } from './registry/tables.ts';

export type HubTables = RegistryTables & AuditTables & KeyTables & ProvenanceTables & FeedTables;

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
  /** The adapters' inbound feeds. */
  readonly feeds: FeedService;
  /** Stored standard events, once each by event hash. */
  readonly events: SqlEventSink;
  /** Starts listening; resolves to the bound address. */
  listen(): Promise<{ port: number; url: string }>;
  /** Stops accepting, finishes open requests, closes the database. */
  close(): Promise<void>;
}

export async function createApp(config: Config): Promise<App> {
  const db = openSqlite<HubTables>(join(config.dataDir, 'suyuan.db'));
  await migrate(tablesOf<unknown>(db), { ...REGISTRY_MIGRATIONS, ...AUDIT_MIGRATIONS, ...KEY_MIGRATIONS, ...PROVENANCE_MIGRATIONS, ...FEED_MIGRATIONS });
  const audit = new AuditLog(tablesOf<AuditTables>(db));
  const keys = new KeyStore(tablesOf<KeyTables>(db));
  const provenance = new ProvenanceStore(tablesOf<ProvenanceTables>(db));
  const blobs = new FileBlobStore(join(config.dataDir, 'blobs'));
  if (config.adminKey) await keys.ensureAdmin(config.adminKey);
  const registry = new RegistryService(tablesOf<RegistryTables>(db), audit, config.root === undefined ? {} : { root: config.root });
  await registry.init();
  await registry.seedFromRepository();
  // An invalid manifest stops the boot here, with the file and the field named.
  let adapters;
  try {
    adapters = loadAdapters(registry.standards, config.root ?? REPO_ROOT);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const evaluator: MappingEvaluator & { close?: () => Promise<void> } = config.mappingWorkers > 0
    ? new WorkerMappingPool({ size: config.mappingWorkers })
    : new MappingEngine();
  const events = new SqlEventSink(tablesOf<FeedTables>(db));
  const feeds = new FeedService(adapters, {
    db: tablesOf<FeedTables>(db), standards: () => registry.standards, evaluator, provenance, events, blobs,
  });

  const log = (error: unknown): void => {
    if (config.logLevel !== 'silent') process.stderr.write(`${JSON.stringify({ level: 'error', msg: String(error), stack: (error as Error).stack })}\n`);
  };
  const ready = async (): Promise<boolean> => {
    await sql`select 1`.execute(db);
    return true;
  };
  const http = createHttpApp({ config, registry, keys, audit, ready, log, feeds, mounts: {
    '/ccompat': { router: ccompatRouter(registry, { log }), onError: ccompatErrorHandler(log) },
  } });
  let server: Server | undefined;

  return {
    config, db, registry, keys, audit, provenance, blobs, feeds, events,
    listen: () => new Promise((resolve, reject) => {
      server = http.listen(config.port, config.host, () => {
        const { port } = server?.address() as AddressInfo;
        resolve({ port, url: `http://${config.host}:${port}` });
      });
      server.once('error', reject);
    }),
    close: async () => {
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeIdleConnections(); });
      }
      await evaluator.close?.();
      await db.destroy();
    },
  };
}
