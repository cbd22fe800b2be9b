/**
 * A real PostgreSQL database for one test suite: a randomly named database created on the server of
 * `SUYUAN_TEST_POSTGRES_URL` (a role allowed to create databases) and dropped after. Without that URL,
 * a throwaway server is started when `initdb` is on PATH and we are not root; otherwise the PostgreSQL
 * tests are skipped with a loud notice — except under CI (`CI` set), where that fails the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface PostgresDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** How the suite reaches PostgreSQL: a server URL, a local temp server, or nothing (skip). */
export function postgresAvailable(): 'url' | 'local' | false {
  if (process.env.SUYUAN_TEST_POSTGRES_URL) return 'url';
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root && spawnSync('initdb', ['--version'], { stdio: 'ignore' }).status === 0) return 'local';
  if (process.env.CI) throw new Error('PostgreSQL is not reachable (set SUYUAN_TEST_POSTGRES_URL), and CI must not skip the PostgreSQL tests');
  console.warn('\n*** NOTICE: no PostgreSQL (SUYUAN_TEST_POSTGRES_URL unset, no initdb usable): the PostgreSQL tests are SKIPPED ***\n');
  return false;
}

/** A throwaway server in a temp dir (for machines without a PostgreSQL service); stopped by `drop`. */
async function localServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-pg-'));
  const data = join(dir, 'data');
  const init = spawnSync('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], { stdio: 'ignore' });
  if (init.status !== 0) throw new Error('initdb failed');
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -h 127.0.0.1`, 'start'], { stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error('pg_ctl start failed'))));
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      spawnSync('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a database named `suyuan_test_<random>` and answers its URL. */
export async function createPostgresDatabase(): Promise<PostgresDatabase> {
  const local = process.env.SUYUAN_TEST_POSTGRES_URL ? undefined : await localServer();
  const serverUrl = process.env.SUYUAN_TEST_POSTGRES_URL ?? local?.url ?? '';
  const name = `suyuan_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try { await admin.query(`create database ${name}`); } finally { await admin.end(); }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try { await c.query(`drop database if exists ${name} with (force)`); } finally { await c.end(); }
      await local?.stop();
    },
  };
}
