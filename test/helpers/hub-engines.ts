/**
 * The hub's two database engines, for suites that run the same tests on each: the embedded SQLite
 * database in the data folder, and a PostgreSQL database of the suite's own (`SUYUAN_DATABASE_URL`),
 * created before and dropped after. Without PostgreSQL the second is skipped loudly (a failure under CI),
 * as `postgresAvailable` decides.
 */
import { createPostgresDatabase, postgresAvailable, type PostgresDatabase } from './postgres.ts';

export interface HubDatabase {
  /** Configuration overrides naming the database (`databaseUrl`), empty for SQLite. */
  readonly config: { readonly databaseUrl?: string };
  /** The same as environment variables, for the `suyuan` binary. */
  readonly env: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

export interface HubEngine {
  readonly label: string;
  /** Why the engine's tests are skipped here, or `undefined` when they run. */
  readonly skip: string | undefined;
  open(): Promise<HubDatabase>;
}

const sqlite: HubEngine = { label: 'SQLite', skip: undefined, open: async () => ({ config: {}, env: {}, drop: async () => undefined }) };

function postgres(): HubEngine {
  return {
    label: 'PostgreSQL',
    skip: postgresAvailable() ? undefined : 'no PostgreSQL',
    async open() {
      const database: PostgresDatabase = await createPostgresDatabase();
      return { config: { databaseUrl: database.url }, env: { SUYUAN_DATABASE_URL: database.url }, drop: () => database.drop() };
    },
  };
}

/** `[label, engine]` pairs for `describe.each`: SQLite, then PostgreSQL. */
export function hubEngines(): Array<[string, HubEngine]> {
  const pg = postgres();
  return [[sqlite.label, sqlite], [pg.label, pg]];
}
