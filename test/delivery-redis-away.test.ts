/**
 * The hub on Redis while Redis is away or refuses writes: a message that comes in then is refused with
 * IO_FAILED (not left hanging) and kept; an event stored whose routing was refused is routed and
 * delivered, once, by the replay of its message; the hub answers all along and closes with Redis away.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { redisAvailable, startRedis, type RedisServer } from './helpers/redis.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { until } from './helpers/until.ts';

const skip = !redisAvailable();
const ADMIN = 'redis-away-test-admin-key-01';
let redis: RedisServer;
let repo: TempRoot;
let dataDir: string;
let app: App | undefined;
let base: string;
let operator: string;
let dest: Destination;

const call = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json', ...init.headers } });
const push = (lot: string) => call('/v1/feeds/test-slaughter/messages', { method: 'POST', body: slaughterCsv(slaughterRow(lot)), headers: { 'content-type': 'text/csv' } });

beforeAll(async () => {
  if (skip) return;
  redis = await startRedis();
  dest = await startDestination();
  repo = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
  repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
  repo.write('adapters/dest-a/adapter.json', destinationManifest('dest-a', dest.url));
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-redis-away-'));
  app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0, workers: true, redisUrl: redis.url, deliveryRate: 1000 }, {}));
  base = (await app.listen()).url;
  operator = (await app.keys.create({ name: 'operator', roles: ['operator'] })).key;
  const sub = await call('/v1/subscriptions', { method: 'POST', body: JSON.stringify({ subscriber: '苏州市', adapter: 'dest-a', filter: { categories: ['meat-poultry'] } }) });
  expect(sub.status).toBe(201);
}, 60_000);
afterAll(async () => {
  if (skip) return;
  redis.thaw();
  await app?.close();
  await dest.close();
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
  repo.cleanup();
});

describe.skipIf(skip)('Redis away', () => {
  it('refuses a message with IO_FAILED, kept, while Redis does not answer; the hub answers all along', async () => {
    expect((await push('RA-1')).status).toBe(202);
    await until(async () => dest.processed.size === 1);
    redis.freeze();
    try {
      const refused = await push('RA-2');
      expect(refused.status).toBe(422);
      const problem = (await refused.json()) as { code: string; messageId: string };
      expect(problem).toMatchObject({ code: 'MESSAGE_REJECTED', problems: [{ code: 'IO_FAILED' }] });
      expect((await call(`/v1/messages/${problem.messageId}`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain('redis');
    } finally {
      redis.thaw();
    }
    // Redis kept the job it was sent while frozen: the event is delivered all the same, once.
    await until(async () => dest.processed.size === 2);
  }, 90_000);

  it('an event stored whose routing Redis refused is routed by the replay of its message, and delivered once', async () => {
    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'maxmemory', '1'); // out of memory: Redis refuses every write
      const refused = await push('RA-3');
      const problem = (await refused.json()) as { messageId: string; problems: Array<{ code: string }> };
      expect(problem.problems.map((p) => p.code)).toEqual(['IO_FAILED']);
      expect(await app?.events.count()).toBe(3); // stored before its routing was refused
      await admin.config('SET', 'maxmemory', '0');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(dest.processed.size).toBe(2); // nothing routed it

      const replay = await call(`/v1/messages/${problem.messageId}/replay`, { method: 'POST' });
      expect(replay.status).toBeLessThan(300);
      await until(async () => dest.processed.size === 3);
      // Again, and a duplicate of an event delivered long ago: nothing new reaches the destination.
      await call(`/v1/messages/${problem.messageId}/replay`, { method: 'POST' });
      expect((await push('RA-1')).status).toBe(202);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(dest.processed.size).toBe(3);
      expect(dest.receipts.map((r) => r.status)).toEqual([201, 201, 201]);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  }, 90_000);

  it('closes even while Redis is away', async () => {
    redis.freeze();
    await app?.close();
    app = undefined;
    redis.thaw();
  }, 60_000);
});
