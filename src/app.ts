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
import { createHttpApp } from './http/index.ts';
import { FileBlobStore, type BlobStore } from './pipeline/blobs.ts';
import { PROVENANCE_MIGRATIONS, ProvenanceStore, type ProvenanceTables } from './pipeline/provenance.ts';
import { ccompatErrorHandler } from './http/routes/ccompat-errors.ts';
import { ccompatRouter } from './http/routes/ccompat.ts';
import { RegistryService } from './registry/service.ts';
import { REGISTRY_MIGRATIONS, type RegistryTables } from './registry/tables.ts';

export type HubTables = RegistryTables & AuditTables & KeyTables & ProvenanceTables;

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
  /** Starts listening; resolves to the bound address. */
  listen(): Promise<{ port: number; url: string }>;
  /** Stops accepting, finishes open requests, closes the database. */
  close(): Promise<void>;
}

export async function createApp(config: Config): Promise<App> {
  const db = openSqlite<HubTables>(join(config.dataDir, 'suyuan.db'));
  await migrate(tablesOf<unknown>(db), { ...REGISTRY_MIGRATIONS, ...AUDIT_MIGRATIONS, ...KEY_MIGRATIONS, ...PROVENANCE_MIGRATIONS });
  const audit = new AuditLog(tablesOf<AuditTables>(db));
  const keys = new KeyStore(tablesOf<KeyTables>(db));
  const provenance = new ProvenanceStore(tablesOf<ProvenanceTables>(db));
  const blobs = new FileBlobStore(join(config.dataDir, 'blobs'));
  if (config.adminKey) await keys.ensureAdmin(config.adminKey);
  const registry = new RegistryService(tablesOf<RegistryTables>(db), audit, config.root === undefined ? {} : { root: config.root });
  await registry.init();
  await registry.seedFromRepository();

  const log = (error: unknown): void => {
    if (config.logLevel !== 'silent') process.stderr.write(`${JSON.stringify({ level: 'error', msg: String(error), stack: (error as Error).stack })}\n`);
  };
  const ready = async (): Promise<boolean> => {
    await sql`select 1`.execute(db);
    return true;
  };
  const http = createHttpApp({ config, registry, keys, audit, ready, log, mounts: {
    '/ccompat': { router: ccompatRouter(registry, { log }), onError: ccompatErrorHandler(log) },
  } });
  let server: Server | undefined;

  return {
    config, db, registry, keys, audit, provenance, blobs,
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
      await db.destroy();
    },
  };
}
