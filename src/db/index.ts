/**
 * The hub's database connection: kysely over better-sqlite3 (the embedded default) or over a
 * PostgreSQL pool (`SUYUAN_DATABASE_URL`, `./postgres.ts`), with each part bringing its own migrations.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { SuyuanError } from '../errors.ts';
import { openPostgres } from './postgres.ts';

export type { Migration };
export { onPostgres, serialiseWrites, whileLocked } from './postgres.ts';

/** The hub's database: PostgreSQL at `databaseUrl` when set, else the embedded `<dataDir>/suyuan.db`. */
export function openHubDatabase<T>(config: { readonly dataDir: string; readonly databaseUrl: string | undefined }): Kysely<T> {
  return config.databaseUrl === undefined ? openSqlite<T>(join(config.dataDir, 'suyuan.db')) : openPostgres<T>(config.databaseUrl);
}

/**
 * Whether an error says the database is unavailable for now, not that the query is wrong: SQLite busy
 * past its timeout; PostgreSQL unreachable, restarting, out of connections, or a connection dropped.
 * Callers retry such errors (`IO_FAILED`) instead of treating them as bugs.
 */
export function databaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^(SQLITE_BUSY|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0|08|53300)/.test(code)) return true;
  return typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(message);
}

/** Opens (creating if needed) a SQLite database file, in WAL mode with foreign keys on. */
export function openSqlite<T>(file: string): Kysely<T> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<T>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Applies every migration not yet applied, in name order; throws with the failing migration named. */
export async function migrate(db: Kysely<unknown>, migrations: Readonly<Record<string, Migration>>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };
  // Parts own their migrations independently, so a new part's may sort before another's that already ran.
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new SuyuanError('INTERNAL', `database migration ${failed} failed`, { cause: error });
  }
}

/**
 * The same connection typed with one part's tables only: each part is handed a view of its own
 * tables (kysely's types are invariant, so the narrowing is a cast, checked by the part's queries).
 */
export function tablesOf<Part>(db: Pick<Kysely<never>, 'destroy' | 'selectFrom'>): Kysely<Part> {
  return db as unknown as Kysely<Part>;
}
