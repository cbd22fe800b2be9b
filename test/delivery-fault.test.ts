/**
 * The fault test: worker processes (`suyuan worker`, run through tsx) deliver 1,000 events to a stand-in
 * destination that answers 503 now and then; one worker is SIGKILLed in the middle of the batch and
 * another started. Afterwards every event was delivered, none was lost, and no idempotency key was
 * processed twice. On the embedded queue, and on BullMQ with a real Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { deliveryKey } from '../src/delivery/index.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { redisAvailable, startRedis, type RedisServer } from './helpers/redis.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { until } from './helpers/until.ts';

const BIN = fileURLToPath(new URL('../bin/suyuan.js', import.meta.url));
const EVENTS = 1_000;
const BATCH = 250;


interface Worker { readonly child: ChildProcess; readonly exited: Promise<number | null> }

describe.each([
  ['embedded queue (SQLite)', false],
  ['BullMQ on Redis', true],
] as const)('a worker killed mid-batch: %s', (_label, redis) => {
  const skip = redis && !redisAvailable();
  let server: RedisServer | undefined;
  let repo: TempRoot;
  let dataDir: string;
  let destination: Destination;
  let app: App;
  const workers: Worker[] = [];
  let env: Record<string, string>;

  const startWorker = async (): Promise<Worker> => {
    const child = spawn(process.execPath, [BIN, 'worker', '--data', dataDir, '--concurrency', '8'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('worker ready')) resolve(); });
      void exited.then(() => reject(new Error('the worker exited before it was ready')));
    });
    const worker = { child, exited };
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    if (skip) return;
    if (redis) server = await startRedis();
    destination = await startDestination({ failRate: 0.1, seed: 2026, delayMs: 2 });
    repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
    repo.write('adapters/dest-f/adapter.json', destinationManifest('dest-f', destination.url, { maxAttempts: 30, initialDelayMs: 5, maxDelayMs: 100, jitter: 0.5 }));
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-fault-'));
    env = {
      SUYUAN_ROOT: repo.root, SUYUAN_LOG_LEVEL: 'silent', SUYUAN_MAPPING_WORKERS: '0', SUYUAN_QUEUE_LEASE_MS: '1500',
      SUYUAN_BREAKER_FAILURES: '1000', SUYUAN_DELIVERY_RATE: '100000', SUYUAN_REDIS_URL: server?.url ?? '',
    };
    app = await createApp(loadConfig({ dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0, workers: false, ...(server ? { redisUrl: server.url } : {}) }, {}));
    await app.delivery.subscriptions.create({ subscriber: '省追溯平台', adapter: 'dest-f', filter: {} });
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await app.close();
    await destination.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
  });

  (skip ? it.skip : it)(`delivers every one of ${EVENTS} events, none lost, no key processed twice`, async () => {
    // The events come in as department messages and are stored; routing and delivery are left to the workers.
    const lots = new Map<string, string>();
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, i) => `F-${String(start + i).padStart(5, '0')}`);
      const received = await app.feeds.receive('test-slaughter', slaughterCsv(...batch.map((lot) => slaughterRow(lot))));
      expect(received.status).toBe('accepted');
      received.records.forEach((r, i) => { for (const e of r.events) lots.set(deliveryKey(e.hash, 'dest-f', 'event'), batch[i]!); });
    }
    expect(lots.size).toBe(EVENTS);

    const first = await startWorker();
    await until(() => destination.processed.size >= EVENTS / 4, 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = destination.processed.size;
    expect(atKill).toBeLessThan(EVENTS);

    const second = await startWorker();
    await until(() => destination.processed.size >= EVENTS, 240_000);
    // Route jobs the first worker held when it died may have made their deliveries already; the second takes
    // them back once their lease lapses and finds those deliveries made (nothing is sent again).
    await until(async () => (await app.delivery.queue('route').counts()).done >= EVENTS || undefined, 60_000);
    // A graceful stop: the worker finishes what it holds and exits 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    expect([...destination.processed.keys()].sort()).toEqual([...lots.keys()].sort());
    for (const [key, body] of destination.processed) {
      expect((JSON.parse(body) as { ilmd: Record<string, string> }).ilmd['sy:lotNumber']).toBe(lots.get(key));
    }
    // The destination failed now and then; the queue made one delivery job per event and destination, each done once.
    expect(destination.receipts.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    const counts = await app.delivery.counts();
    expect(counts['deliver-dest-f']).toMatchObject({ done: EVENTS, dead: 0, waiting: 0, active: 0, delayed: 0 });
    expect(counts.route).toMatchObject({ done: EVENTS, dead: 0 });
  }, 400_000);
});
