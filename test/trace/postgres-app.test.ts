/** The hub with SUYUAN_DATABASE_URL: the trace store in PostgreSQL, beside the hub's other tables; no embedded database. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createPostgresDatabase, postgresAvailable } from '../helpers/postgres.ts';
import { EVENTS, PIG1, identified } from './chain.ts';

it.skipIf(!postgresAvailable())('stores and traces events in PostgreSQL when SUYUAN_DATABASE_URL is set', async () => {
  const database = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'suyuan-trace-pg-'));
  try {
    const app = await createApp(loadConfig({ port: 0, dataDir, logLevel: 'silent', mappingWorkers: 0 }, { SUYUAN_DATABASE_URL: database.url }));
    try {
      const { url } = await app.listen();
      await app.events.putAll(Object.keys(EVENTS).map((n) => identified(n)));
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ n: string }>('select count(*) as n from trace_store_events');
      const versions = await client.query<{ n: string }>('select count(*) as n from registry_versions');
      await client.end();
      expect(Number(rows[0]?.n)).toBe(Object.keys(EVENTS).length);
      expect(Number(versions.rows[0]?.n)).toBeGreaterThan(0);
      expect(existsSync(join(dataDir, 'suyuan.db'))).toBe(false);
      const trace = await (await fetch(`${url}/v1/trace/${encodeURIComponent(PIG1)}`)).json() as { hops: unknown[] };
      expect(trace.hops).toHaveLength(11);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  }
});

it('refuses a SUYUAN_DATABASE_URL that is not PostgreSQL', () => {
  expect(() => loadConfig({}, { SUYUAN_DATABASE_URL: 'mysql://x' })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
});
