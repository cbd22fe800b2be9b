/**
 * Scale-out as deployed across machines: one `suyuan serve --no-workers` and two `suyuan worker`
 * processes, each with a data folder of its own (nothing shared through SQLite or files), sharing one
 * real Redis (the queue) and one PostgreSQL database (everything else). Messages pushed into the hub
 * reach a stand-in destination, delivered by both workers, each key processed once; a refusal becomes
 * a dead letter whose reason a worker wrote and the hub's API shows; a replay through the API delivers
 * it; and a second API process, on a folder of its own, serves the original bytes of a message the
 * first one received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { runCli } from './helpers/cli.ts';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { parseMetrics, sample } from './helpers/ops-hub.ts';
import { createPostgresDatabase, postgresAvailable, type PostgresDatabase } from './helpers/postgres.ts';
import { redisAvailable, startRedis, type RedisServer } from './helpers/redis.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { until } from './helpers/until.ts';

const BIN = fileURLToPath(new URL('../bin/suyuan.js', import.meta.url));
const ADMIN = 'scale-out-test-admin-key-01';
const TOKEN = 'scale-out-scrape-token-0123';
const BATCHES = 4;
const BATCH = 40;
const EVENTS = BATCHES * BATCH;

interface Process { readonly child: ChildProcess; readonly exited: Promise<number | null>; readonly dir: string; readonly url: string }

const skip = !(postgresAvailable() && redisAvailable());

describe('scale-out: serve --no-workers and two workers on separate folders, one Redis, one PostgreSQL', () => {
  let redis: RedisServer;
  let database: PostgresDatabase;
  let repo: TempRoot;
  let destination: Destination;
  let env: Record<string, string>;
  const processes: Process[] = [];
  let workers: Process[] = [];
  const dirs: string[] = [];
  let hub: string;
  let operator: string;
  let integrator: string;
  let second: App | undefined;

  /** Starts `suyuan <args>` and answers once its output shows `ready` (its URL taken from it). */
  const start = async (args: readonly string[], ready: RegExp): Promise<Process> => {
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-scale-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [BIN, ...args, '--data', dir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = ready.exec(out); if (m?.[1]) resolve(m[1]); });
      void exited.then((code) => reject(new Error(`suyuan ${args[0] ?? ''} exited with ${String(code)} before it was ready`)));
    });
    const started = { child, exited, dir, url };
    processes.push(started);
    return started;
  };
  const call = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${hub}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } });
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  const push = async (...lots: string[]): Promise<{ messageId: string; hashes: string[] }> => {
    const res = await call('/v1/feeds/test-slaughter/messages', integrator, { method: 'POST', body: slaughterCsv(...lots.map((l) => slaughterRow(l))), headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(202);
    const body = await json<{ messageId: string; records: Array<{ events: Array<{ hash: string }> }> }>(res);
    return { messageId: body.messageId, hashes: body.records.flatMap((r) => r.events.map((e) => e.hash)) };
  };
  const keyOf = (hash: string) => `${/sha-256;([0-9a-f]{64})/.exec(hash)?.[1] ?? ''}:dest-s/event`;
  const delivered = async (worker: Process): Promise<number> => {
    const res = await fetch(`${worker.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return sample(parseMetrics(await res.text()), 'suyuan_feed_messages_total', { adapter: 'dest-s', direction: 'out', outcome: 'ok' }) ?? 0;
  };

  beforeAll(async () => {
    if (skip) return;
    redis = await startRedis();
    database = await createPostgresDatabase();
    destination = await startDestination({ delayMs: 10 });
    repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
    repo.write('adapters/dest-s/adapter.json', destinationManifest('dest-s', destination.url, { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50, jitter: 0 }));
    env = {
      SUYUAN_ROOT: repo.root, SUYUAN_LOG_LEVEL: 'silent', SUYUAN_MAPPING_WORKERS: '0', SUYUAN_ADMIN_KEY: ADMIN, SUYUAN_METRICS_TOKEN: TOKEN,
      SUYUAN_DATABASE_URL: database.url, SUYUAN_REDIS_URL: redis.url, SUYUAN_DELIVERY_RATE: '100000', SUYUAN_BREAKER_FAILURES: '1000',
    };
    // Started together, as a deployment starts: they migrate and seed the one database in turn.
    const [serve, ...ws] = await Promise.all([
      start(['serve', '--no-workers', '--port', '0'], /listening on (\S+)/),
      start(['worker', '--concurrency', '4', '--metrics-port', '0'], /metrics on (\S+)\/metrics[\s\S]*worker ready/),
      start(['worker', '--concurrency', '4', '--metrics-port', '0'], /metrics on (\S+)\/metrics[\s\S]*worker ready/),
    ]);
    hub = serve.url;
    workers = ws;
    const key = async (body: unknown) => (await json<{ key: string }>(await call('/v1/keys', ADMIN, { method: 'POST', body: JSON.stringify(body) }))).key;
    operator = await key({ name: '值班 operator', roles: ['operator'] });
    integrator = await key({ name: '屠宰场', roles: ['integrator'], scopes: ['test-slaughter'] });
    const sub = await call('/v1/subscriptions', operator, { method: 'POST', body: JSON.stringify({ subscriber: '省追溯平台', adapter: 'dest-s', filter: {} }) });
    expect(sub.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    if (skip) return;
    for (const p of processes) p.child.kill('SIGTERM');
    // A worker's graceful stop may take its queues' close timeout (10 s).
    await Promise.all(processes.map((p) => p.exited));
    await second?.close();
    await destination.close();
    await redis.stop();
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    repo.cleanup();
  }, 60_000);

  it.skipIf(skip)(`delivers ${EVENTS} events through both workers, each key processed once`, async () => {
    const hashes: string[] = [];
    for (let b = 0; b < BATCHES; b += 1) {
      hashes.push(...(await push(...Array.from({ length: BATCH }, (_, i) => `SO-${b}-${String(i).padStart(3, '0')}`))).hashes);
    }
    expect(hashes).toHaveLength(EVENTS);
    await until(() => destination.processed.size >= EVENTS, 180_000);
    expect([...destination.processed.keys()].sort()).toEqual(hashes.map(keyOf).sort());
    // No key was sent twice: one request per key, each processed.
    expect(destination.receipts).toHaveLength(EVENTS);
    expect(destination.receipts.every((r) => r.status === 201)).toBe(true);
    // Both workers delivered, and together exactly the events (each worker counts only its own deliveries).
    const byWorker = await until(async () => {
      const counts = await Promise.all(workers.map(delivered));
      return counts.reduce((a, b) => a + b, 0) === EVENTS && counts;
    }, 30_000);
    expect(byWorker).toHaveLength(2);
    for (const n of byWorker) expect(n).toBeGreaterThan(0);
    // The hub's API sees the shared queues (it runs no consumer of its own).
    const state = await json<{ engine: string; workers: boolean; queues: Record<string, { done: number; dead: number }> }>(await call('/v1/delivery', operator));
    expect(state).toMatchObject({ engine: 'bullmq', workers: false });
    expect(state.queues['deliver-dest-s']).toMatchObject({ done: EVENTS, dead: 0 });
    // Nothing went through the processes' own folders: no SQLite database, no blobs anywhere.
    for (const p of processes) expect(readdirSync(p.dir).filter((f) => f.endsWith('.db') || f === 'blobs')).toEqual([]);
  }, 240_000);

  it.skipIf(skip)('shows a refused delivery as a dead letter with the reason a worker wrote, and delivers its replay', async () => {
    destination.refusing = true;
    const { hashes: [hash] } = await push('SO-REFUSED');
    type Letter = { id: string; eventHash: string; code: string; stage: string; reason: string; replays: Array<{ id: string; state: string }> };
    const letter = await until(async () => (await json<{ deadLetters: Letter[] }>(await call('/v1/dead-letters?adapter=dest-s', operator))).deadLetters.find((l) => l.eventHash === hash), 60_000);
    expect(letter).toMatchObject({ code: 'DELIVERY_REFUSED', stage: 'send' });
    expect(letter.reason).toContain('422');
    destination.refusing = false;
    const replay = await call(`/v1/dead-letters/${letter.id}/replay`, operator, { method: 'POST' });
    expect(replay.status).toBe(201);
    expect(await json(replay)).toMatchObject({ original: letter.id, status: 'queued' });
    await until(() => destination.processed.has(keyOf(hash ?? '')), 60_000);
    const shown = await until(async () => {
      const l = await json<Letter>(await call(`/v1/dead-letters/${letter.id}`, operator));
      return l.replays[0]?.state === 'done' && l;
    }, 60_000);
    expect(shown.replays).toHaveLength(1);
  }, 120_000);

  it.skipIf(skip)('lets another API process, on a folder of its own, serve the original bytes of a message the first received', async () => {
    const bytes = slaughterCsv(slaughterRow('SO-ORIGINAL'));
    const { messageId } = await push('SO-ORIGINAL');
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-scale-'));
    dirs.push(dir);
    second = await createApp(loadConfig({ port: 0, dataDir: dir, root: repo.root, logLevel: 'silent', mappingWorkers: 0, workers: false, databaseUrl: database.url, redisUrl: redis.url }, {}));
    const { url } = await second.listen();
    const res = await fetch(`${url}/v1/messages/${messageId}/original`, { headers: { authorization: `Bearer ${operator}` } });
    expect(res.status).toBe(200);
    const got = Buffer.from(await res.arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
  }, 120_000);
});

it('refuses a worker, or an API process without workers, of a hub on PostgreSQL without Redis: its queue is local to one machine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-scale-'));
  try {
    const env = { SUYUAN_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', SUYUAN_REDIS_URL: '', SUYUAN_LOG_LEVEL: 'silent' };
    const worker = await runCli(['worker', '--data', dir], env);
    expect(worker.code).not.toBe(0);
    expect(worker.stderr).toContain('error BAD_REQUEST');
    // Nor may the API process leave its deliveries to workers that cannot exist.
    const serve = await runCli(['serve', '--no-workers', '--port', '0', '--data', dir], env);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toContain('error BAD_REQUEST');
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
