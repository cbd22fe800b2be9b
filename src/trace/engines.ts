/**
 * The trace store's two engines: SQLite in the hub's own database (the embedded default) and
 * PostgreSQL (`SUYUAN_DATABASE_URL`), for hubs whose processes scale out. With the URL set the whole
 * hub's database is PostgreSQL (`openHubDatabase`), and the store lives there beside the other parts;
 * `postgresTraceStore` opens a store alone on a database of its own.
 */
import type { Kysely, Migration } from 'kysely';
import { migrate, onPostgres, tablesOf } from '../db/index.ts';
import { openPostgres } from '../db/postgres.ts';
import { SuyuanError } from '../errors.ts';
import { SqlTraceStore, traceMigrations, type TraceTables } from './sql-store.ts';

/** The trace store's migrations in the hub's SQLite database: part of the hub's own list (`createApp`). */
export const TRACE_SQLITE_MIGRATIONS = traceMigrations('sqlite');

/**
 * The trace store in an open SQLite database (its owner closes it). A hub database has run
 * `TRACE_SQLITE_MIGRATIONS` with its other parts' migrations; `migrate: true` runs them alone, for a
 * database of the store's own.
 */
export async function sqliteTraceStore(db: Kysely<unknown>, options: { now?: () => Date; migrate?: boolean } = {}): Promise<SqlTraceStore> {
  if (options.migrate) await migrate(db, TRACE_SQLITE_MIGRATIONS);
  return new SqlTraceStore(tablesOf<TraceTables>(db), options.now ? { now: options.now } : {});
}

/** The trace store in a PostgreSQL database (`postgres://…`); the store owns and closes its pool. */
export async function postgresTraceStore(url: string, options: { now?: () => Date; poolSize?: number } = {}): Promise<SqlTraceStore> {
  const db = openPostgres<TraceTables>(url, options.poolSize === undefined ? {} : { poolSize: options.poolSize });
  try {
    await migrate(tablesOf<unknown>(db), traceMigrations('postgres'));
  } catch (error) {
    await db.destroy();
    throw new SuyuanError('IO_FAILED', 'the trace store cannot open its PostgreSQL database', { cause: error });
  }
  return new SqlTraceStore(db, { ...options, onClose: () => db.destroy() });
}

/** The trace store's migrations as part of the hub's own list, for the hub database's engine. */
export const hubTraceMigrations = (hubDb: Kysely<unknown>): Record<string, Migration> => (onPostgres(hubDb) ? traceMigrations('postgres') : TRACE_SQLITE_MIGRATIONS);

/**
 * The configured engine: the hub's own database, whichever it is, when it ran `hubTraceMigrations`
 * (a hub on PostgreSQL); else PostgreSQL on its own when `databaseUrl` is set, else the hub's SQLite database.
 */
export async function openTraceStore(config: { readonly databaseUrl: string | undefined }, hubDb: Kysely<unknown>, options: { now?: () => Date } = {}): Promise<SqlTraceStore> {
  if (onPostgres(hubDb)) return new SqlTraceStore(tablesOf<TraceTables>(hubDb), options.now ? { now: options.now } : {});
  return config.databaseUrl ? postgresTraceStore(config.databaseUrl, options) : sqliteTraceStore(hubDb, options);
}
