/**
 * The trace store's two engines: SQLite in the hub's own database (the embedded default) and
 * PostgreSQL (`SUYUAN_DATABASE_URL`), for hubs whose API processes scale out. Only the trace store
 * moves to PostgreSQL: the registry, keys, audit, feeds and queue tables stay in the embedded
 * database (they are small, and the queue scales out on Redis instead).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate, tablesOf } from '../db/index.ts';
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
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  const db = new Kysely<TraceTables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(tablesOf<unknown>(db), traceMigrations('postgres'));
  } catch (error) {
    await db.destroy();
    throw new SuyuanError('IO_FAILED', 'the trace store cannot open its PostgreSQL database', { cause: error });
  }
  return new SqlTraceStore(db, { ...options, onClose: () => db.destroy() });
}

/** The configured engine: PostgreSQL when `databaseUrl` is set, else the hub's SQLite database. */
export async function openTraceStore(config: { readonly databaseUrl: string | undefined }, hubDb: Kysely<unknown>, options: { now?: () => Date } = {}): Promise<SqlTraceStore> {
  return config.databaseUrl ? postgresTraceStore(config.databaseUrl, options) : sqliteTraceStore(hubDb, options);
}
