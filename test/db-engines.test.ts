/**
 * The hub's database on both engines: the parts' migrations, written once in SQLite's terms, make the
 * same tables on PostgreSQL, whose queries answer the same values in the same order; outages are told
 * apart from bad queries; and registry writes from two processes on one PostgreSQL database are
 * serialised as SQLite serialises them, and seen by the other process without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { databaseUnavailable, migrate, openSqlite } from '../src/db/index.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { standardsPaths } from '../src/standards/index.ts';
import { writeRelease } from '../src/standards/registry-files.ts';
import { createPostgresDatabase, postgresAvailable, type PostgresDatabase } from './helpers/postgres.ts';
import { TEST_REGIONS, tempRoot, widgetSchema, type TempRoot } from './helpers/temp-standard.ts';
import { until } from './helpers/until.ts';

const noPostgres = !postgresAvailable();

interface Row { id: number; name: string; at_ms: number; share: number; bytes: Uint8Array; flag: number }

/** A part's migration as parts write them: SQLite's types, auto-increment, a unique column. */
const MIGRATIONS = {
  '0001_sample': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('sample')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('at_ms', 'integer', (c) => c.notNull())
        .addColumn('share', 'real', (c) => c.notNull())
        .addColumn('bytes', 'blob', (c) => c.notNull())
        .addColumn('flag', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
};

const NAMES = ['b', 'B', 'a', '中', '_', 'Z', 'a-b', 'a_b', 'ab'];

/** What a part would do: insert, count, sum, order by text, read back. */
async function exercise(db: Kysely<{ sample: Row }>): Promise<unknown> {
  await migrate(db as Kysely<unknown>, MIGRATIONS);
  for (const [i, name] of NAMES.entries()) {
    await db.insertInto('sample').values({ name, at_ms: 1_764_000_000_000 + i, share: 0.1 * i, bytes: Buffer.from([0, 255, i]), flag: i % 2 } as never).execute();
  }
  const duplicate = await db.insertInto('sample').values({ name: 'b', at_ms: 1, share: 0, bytes: Buffer.from([]), flag: 0 } as never)
    .onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
  const rows = await db.selectFrom('sample').selectAll().orderBy('name').execute();
  const stats = await db.selectFrom('sample').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at_ms').as('last'), eb.fn.sum<number>('flag').as('flags')]).executeTakeFirstOrThrow();
  const updated = await db.updateTable('sample').set({ flag: 1 }).where('name', '<', 'a').executeTakeFirst();
  return {
    rows: rows.map((r) => ({ ...r, bytes: [...r.bytes] })),
    stats,
    types: rows.map((r) => [typeof r.id, typeof r.at_ms, typeof r.share, r.bytes instanceof Uint8Array]),
    duplicate: Number(duplicate.numInsertedOrUpdatedRows ?? -1n),
    updated: Number(updated.numUpdatedRows),
  };
}

describe('one migration, two engines', () => {
  let database: PostgresDatabase | undefined;
  afterAll(async () => { await database?.drop(); });

  it.skipIf(noPostgres)('makes the same table on PostgreSQL, answering the same values in the same order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-engines-'));
    const lite = openSqlite<{ sample: Row }>(join(dir, 'hub.db'));
    database = await createPostgresDatabase();
    const pg = openPostgres<{ sample: Row }>(database.url);
    try {
      const expected = await exercise(lite);
      const actual = await exercise(pg);
      expect(actual).toEqual(expected);
      // Byte order, as SQLite compares text: upper case before lower, CJK last.
      expect((expected as { rows: Row[] }).rows.map((r) => r.name)).toEqual(['B', 'Z', '_', 'a', 'a-b', 'a_b', 'ab', 'b', '中']);
      const columns = await sql<{ column_name: string; data_type: string; collation_name: string | null }>`
        select column_name, data_type, collation_name from information_schema.columns where table_name = 'sample' order by ordinal_position`.execute(pg);
      expect(columns.rows).toEqual([
        { column_name: 'id', data_type: 'bigint', collation_name: null },
        { column_name: 'name', data_type: 'text', collation_name: 'C' },
        { column_name: 'at_ms', data_type: 'bigint', collation_name: null },
        { column_name: 'share', data_type: 'double precision', collation_name: null },
        { column_name: 'bytes', data_type: 'bytea', collation_name: null },
        { column_name: 'flag', data_type: 'bigint', collation_name: null },
      ]);
    } finally {
      await lite.destroy();
      await pg.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a database out of reach from a bad query', async () => {
    const away = openPostgres<unknown>('postgres://nobody@127.0.0.1:9/none');
    const refused = await sql`select 1`.execute(away).then(() => undefined, (e: unknown) => e);
    await away.destroy();
    expect(refused).toBeDefined();
    expect(databaseUnavailable(refused)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-engines-'));
    const lite = openSqlite<unknown>(join(dir, 'hub.db'));
    const wrong = await sql`select * from no_such_table`.execute(lite).then(() => undefined, (e: unknown) => e);
    await lite.destroy();
    rmSync(dir, { recursive: true, force: true });
    expect(wrong).toBeDefined();
    expect(databaseUnavailable(wrong)).toBe(false);
  });
});

describe('two API processes on one PostgreSQL database', () => {
  let database: PostgresDatabase;
  let repo: TempRoot;
  const dirs: string[] = [];
  const apps: App[] = [];

  beforeAll(async () => {
    if (noPostgres) return;
    database = await createPostgresDatabase();
    repo = tempRoot();
    repo.write('standards/code-lists/gbt2260/test.json', TEST_REGIONS);
    writeRelease(standardsPaths(repo.root), 'test.widget', '1.0.0', widgetSchema() as never, new Date('2026-01-01T00:00:00Z'));
    // Started together: they migrate and seed the one database in turn.
    const start = () => {
      const dir = mkdtempSync(join(tmpdir(), 'suyuan-engines-'));
      dirs.push(dir);
      return createApp(loadConfig({ dataDir: dir, root: repo.root, logLevel: 'silent', mappingWorkers: 0, databaseUrl: database.url }, {}));
    };
    apps.push(...(await Promise.all([start(), start()])));
  }, 60_000);
  afterAll(async () => {
    if (noPostgres) return;
    for (const app of apps) await app.close();
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    repo.cleanup();
  });

  it.skipIf(noPostgres)('numbers versions published at the same moment from both without a clash', async () => {
    const [one, two] = apps as [App, App];
    const numbers: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const a = `1.${2 * round + 1}.0`;
      const b = `1.${2 * round + 2}.0`;
      await one.registry.createDraft('test', 'test.widget', a, widgetSchema(a));
      await two.registry.createDraft('test', 'test.widget', b, widgetSchema(b));
      const published = await Promise.all([one.registry.setStatus('test', 'test.widget', a, 'published'), two.registry.setStatus('test', 'test.widget', b, 'published')]);
      numbers.push(...published.map((v) => v.number ?? 0));
    }
    expect([...numbers].sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.skipIf(noPostgres)('shows a version one process published to the other, without a restart', async () => {
    const [one, two] = apps as [App, App];
    await one.registry.createDraft('test', 'test.widget', '2.0.0', widgetSchema('2.0.0'));
    await one.registry.setStatus('test', 'test.widget', '2.0.0', 'published');
    const seen = async () => two.registry.source.all().find((v) => v.subject === 'test.widget' && v.version === '2.0.0')?.status;
    expect(await until(async () => (await seen()) === 'published', 30_000, 100)).toBe(true);
  });
});
