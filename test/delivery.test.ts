/**
 * Delivery through a running hub: subscriptions over the API, routing of stored events to the
 * subscribers' outbound adapters with idempotency keys, pausing feeds, a destination down for the whole
 * test (dead letters after the retries, its circuit opened), and its messages replayed once it is back.
 * On each of the hub's database engines: SQLite, and PostgreSQL (`SUYUAN_DATABASE_URL`).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { runCli } from './helpers/cli.ts';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { hubEngines, type HubDatabase } from './helpers/hub-engines.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const ADMIN = 'delivery-test-admin-key-01';
const COOLDOWN_MS = 80;
describe.each(hubEngines())('delivery on %s', (_label, engine) => {
  let repo: TempRoot;
  let dataDir: string;
  let app: App;
  let base: string;
  let operator: string;
  let integrator: string;
  let a: Destination;
  let b: Destination;
  let database: HubDatabase;
  /** Every test of the suite, skipped (loudly, see `hubEngines`) where the engine is not available. */
  const it = engine.skip ? test.skip : test;

  const call = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } });
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  const push = (...lots: string[]) => call('/v1/feeds/test-slaughter/messages', integrator, { method: 'POST', body: slaughterCsv(...lots.map((l) => slaughterRow(l))), headers: { 'content-type': 'text/csv' } });
  const keyOf = (hash: string, adapter: string) => `${/sha-256;([0-9a-f]{64})/.exec(hash)?.[1] ?? ''}:${adapter}/event`;
  /** Pushes lots and answers their events' hashes. */
  const pushed = async (...lots: string[]): Promise<string[]> => {
    const res = await push(...lots);
    expect(res.status).toBe(202);
    return (await json<{ records: Array<{ events: Array<{ hash: string }> }> }>(res)).records.flatMap((r) => r.events.map((e) => e.hash));
  };

  async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  beforeAll(async () => {
    if (engine.skip) return;
    a = await startDestination();
    b = await startDestination();
    repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
    repo.write('adapters/dest-a/adapter.json', destinationManifest('dest-a', a.url));
    repo.write('adapters/dest-b/adapter.json', destinationManifest('dest-b', b.url));
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-delivery-'));
    database = await engine.open();
    app = await createApp(loadConfig({
      ...database.config, port: 0, dataDir, root: repo.root, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0,
      workers: true, breakerThreshold: 3, breakerCooldownMs: COOLDOWN_MS, deliveryRate: 1000,
    }, {}));
    base = (await app.listen()).url;
    operator = (await app.keys.create({ name: '值班 operator', roles: ['operator'] })).key;
    integrator = (await app.keys.create({ name: '屠宰场', roles: ['integrator'], scopes: ['test-slaughter'] })).key;
  }, 60_000);
  afterAll(async () => {
    if (engine.skip) return;
    await app.close();
    await database.drop();
    await a.close();
    await b.close();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
  });

  describe('subscriptions over the API', () => {
    it('answers every problem of a bad subscription at once, naming each field', async () => {
      const res = await call('/v1/subscriptions', operator, { method: 'POST', body: JSON.stringify({
        subscriber: '', adapter: 'no-such-adapter', filter: { regions: ['32'], eventTypes: ['Event'], colour: ['red'] },
      }) });
      expect(res.status).toBe(422);
      const problem = await json<{ code: string; problems: Array<{ code: string; path: string }> }>(res);
      expect(problem.code).toBe('SUBSCRIPTION_INVALID');
      expect(problem.problems.map((p) => p.path).sort()).toEqual(['/adapter', '/filter/colour', '/filter/eventTypes/0', '/filter/regions/0', '/subscriber']);
    });

    it('creates, lists, replaces and deletes a subscription; operators only; audited', async () => {
      expect((await call('/v1/subscriptions', integrator)).status).toBe(403);
      const created = await call('/v1/subscriptions', operator, { method: 'POST', body: JSON.stringify({ subscriber: '苏州市市场监管局', adapter: 'dest-a', filter: { regions: ['320500'] } }) });
      expect(created.status).toBe(201);
      const sub = await json<{ id: string; type: string; active: boolean }>(created);
      expect(sub).toMatchObject({ type: 'event', active: true });
      const list = await json<{ subscriptions: Array<{ id: string }> }>(await call('/v1/subscriptions?adapter=dest-a', operator));
      expect(list.subscriptions.map((s) => s.id)).toContain(sub.id);
      const replaced = await call(`/v1/subscriptions/${sub.id}`, operator, { method: 'PUT', body: JSON.stringify({ subscriber: '苏州市市场监管局', adapter: 'dest-a', filter: { regions: ['320500'] }, active: false }) });
      expect(await json(replaced)).toMatchObject({ id: sub.id, active: false });
      expect((await call(`/v1/subscriptions/${sub.id}`, operator, { method: 'DELETE' })).status).toBe(204);
      const gone = await call(`/v1/subscriptions/${sub.id}`, operator);
      expect(gone.status).toBe(404);
      expect((await json<{ code: string }>(gone)).code).toBe('SUBSCRIPTION_NOT_FOUND');
      const audit = await app.audit.list({ targetPrefix: `subscription:${sub.id}` });
      expect(audit.map((e) => e.action).sort()).toEqual(['subscription.create', 'subscription.delete', 'subscription.update']);
    });
  });

  describe('routing and delivery', () => {
    it('delivers each stored event to the subscribers it matches, with the idempotency key, once', async () => {
      const subscribe = (body: unknown) => call('/v1/subscriptions', operator, { method: 'POST', body: JSON.stringify(body) });
      expect((await subscribe({ subscriber: '苏州市', adapter: 'dest-a', filter: { regions: ['320500'], bizSteps: ['urn:suyuan:bizstep:slaughtering'] } })).status).toBe(201);
      expect((await subscribe({ subscriber: '南京市', adapter: 'dest-b', filter: { regions: ['320100'] } })).status).toBe(201);
      expect((await subscribe({ subscriber: '某平台', adapter: 'dest-b', filter: { parties: ['91110000600037341L'], categories: ['meat-poultry'] } })).status).toBe(201);
      const hashes = await pushed('RT-1', 'RT-2', 'RT-3');
      expect(hashes).toHaveLength(3);
      await until(() => hashes.every((h) => a.processed.has(keyOf(h, 'dest-a'))));
      for (const h of hashes) {
        const body = JSON.parse(a.processed.get(keyOf(h, 'dest-a')) ?? '{}') as Record<string, unknown>;
        expect(body).toMatchObject({ type: 'TransformationEvent', 'sy:region': '320583', 'sy:category': 'meat-poultry' });
      }
      // Kunshan (320583) is in Suzhou, not Nanjing; the platform's party is not in these events.
      const counts = await until(async () => {
        const c = (await json<{ queues: Record<string, { waiting: number; active: number; done: number }> }>(await call('/v1/delivery', operator))).queues;
        return c.route!.waiting + c.route!.active === 0 && c['deliver-dest-a']!.done >= 3 && c;
      });
      expect(counts['deliver-dest-b']!.done).toBe(0);
      expect(b.receipts).toHaveLength(0);
      // The same events again are duplicates: stored once, routed once.
      const before = a.receipts.length;
      await push('RT-1', 'RT-2', 'RT-3');
      await new Promise((r) => setTimeout(r, 300));
      expect(a.receipts.length).toBe(before);
    });

    it('holds a paused feed\'s deliveries until it is resumed, and refuses its inbound messages whatever their transport', async () => {
      const pause = await call('/v1/feeds/dest-a/pause', operator, { method: 'POST', body: JSON.stringify({ reason: '对方系统升级 / upgrade' }) });
      expect(pause.status).toBe(200);
      expect(await json(pause)).toMatchObject({ status: 'paused', paused: { reason: '对方系统升级 / upgrade' } });
      await new Promise((r) => setTimeout(r, 700));
      const hashes = await pushed('PA-1', 'PA-2');
      await until(async () => (await json<{ queues: Record<string, { waiting: number }> }>(await call('/v1/delivery', operator))).queues['deliver-dest-a']!.waiting === 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(hashes.some((h) => a.processed.has(keyOf(h, 'dest-a')))).toBe(false);
      expect((await call('/v1/feeds/dest-a/resume', operator, { method: 'POST' })).status).toBe(200);
      await until(() => hashes.every((h) => a.processed.has(keyOf(h, 'dest-a'))));

      expect((await call('/v1/feeds/test-slaughter/pause', operator, { method: 'POST', body: '{}' })).status).toBe(200);
      const refused = await push('PA-3');
      expect(refused.status).toBe(503);
      expect((await json<{ code: string }>(refused)).code).toBe('FEED_PAUSED');
      // What the SOAP server, a file drop or a poll hands the feeds is refused the same way (and left where it is).
      const direct = await app.feeds.receive('test-slaughter', slaughterCsv(slaughterRow('PA-3'))).then(() => 'received', (e: { code?: string }) => e.code);
      expect(direct).toBe('FEED_PAUSED');
      expect((await call('/v1/feeds/test-slaughter/resume', operator, { method: 'POST' })).status).toBe(200);
      expect((await push('PA-3')).status).toBe(202);
    });

    it('reports deliveries, queue depths and circuits in the metrics', async () => {
      const res = await call('/metrics', operator);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/suyuan_feed_messages_total\{adapter="dest-a",direction="out",outcome="ok"\} [1-9]/);
      expect(text).toMatch(/suyuan_queue_jobs\{queue="deliver-dest-a",state="done"\} [1-9]/);
      expect(text).toContain('suyuan_queue_alerts_total');
    });

    it('puts a message the destination refuses in dead letters at once, without retrying it or opening its circuit', async () => {
      a.refusing = true;
      const [hash] = await pushed('RF-1');
      type Letter = { eventHash: string; code: string; stage: string; reason: string; attempts: Array<{ outcome: string; code: string }> };
      const letter = await until(async () => (await json<{ deadLetters: Letter[] }>(await call('/v1/dead-letters?adapter=dest-a&code=DELIVERY_REFUSED', operator))).deadLetters.find((l) => l.eventHash === hash));
      a.refusing = false;
      expect(letter).toMatchObject({ code: 'DELIVERY_REFUSED', stage: 'send', attempts: [{ outcome: 'dead', code: 'DELIVERY_REFUSED' }] });
      expect(letter.reason).toContain('422');
      expect(await app.delivery.breakers.state('dest-a')).toBe('closed');
    });

    it('puts every message to a destination down for the whole test in dead letters after the retries, not hammering it; replays them when it is back', async () => {
      const sub = await call('/v1/subscriptions', operator, { method: 'POST', body: JSON.stringify({ subscriber: '省平台', adapter: 'dest-b', filter: { categories: ['meat-poultry'] } }) });
      expect(sub.status).toBe(201);
      b.down = true;
      const hashes = await pushed('DN-1', 'DN-2', 'DN-3', 'DN-4', 'DN-5', 'DN-6');
      type Letter = { id: string; adapter: string; code: string; stage: string; reason: string; eventHash: string; idempotencyKey: string; attempts: Array<{ outcome: string; code: string }>; replays: unknown[] };
      const letters = await until(async () => {
        const page = await json<{ deadLetters: Letter[] }>(await call('/v1/dead-letters?adapter=dest-b', operator));
        return page.deadLetters.length === 6 && page.deadLetters;
      }, 60_000);
      expect(letters.map((l) => l.eventHash).sort()).toEqual([...hashes].sort());
      for (const l of letters) {
        expect(l).toMatchObject({ adapter: 'dest-b', code: 'IO_FAILED', stage: 'send', idempotencyKey: keyOf(l.eventHash, 'dest-b') });
        expect(l.reason).toContain('503');
        expect(l.attempts.map((t) => t.outcome)).toEqual(['retry', 'retry', 'dead']);
      }
      expect(b.processed.size).toBe(0);
      expect(await (await call('/metrics', operator)).text()).toMatch(/suyuan_dead_letters_total\{adapter="dest-b",direction="out"\} 6/);
      // Once its circuit opened (3 failures in a row), the destination was called once per cooldown at most:
      // before it opened, up to 3 + 3 calls could go (3 failures, and 3 more of the 4 jobs run at once).
      const calls = b.receipts.map((r) => r.at);
      expect(calls.length).toBeGreaterThan(8);
      for (let i = 6; i < calls.length; i += 1) expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(COOLDOWN_MS - 5);

      const shown = await json<Letter & { event: Record<string, unknown>; messageId: string }>(await call(`/v1/dead-letters/${letters[0]!.id}`, operator));
      expect(shown.event).toMatchObject({ type: 'TransformationEvent', 'sy:category': 'meat-poultry' });
      expect((await call(`/v1/messages/${shown.messageId}`, operator)).status).toBe(200);
      expect((await json<{ deadLetters: unknown[] }>(await call('/v1/dead-letters?adapter=dest-b&code=DELIVERY_REFUSED', operator))).deadLetters).toHaveLength(0);
      expect((await json<{ deadLetters: unknown[] }>(await call('/v1/dead-letters?adapter=dest-b&until=2020-01-01T00:00:00Z', operator))).deadLetters).toHaveLength(0);
      expect((await call('/v1/dead-letters/no-such-job', operator)).status).toBe(404);
      // The console's word for the adapter is "feed"; a feed that sends nothing has no delivery dead letters.
      expect((await json<{ deadLetters: unknown[] }>(await call('/v1/dead-letters?feed=dest-b', operator))).deadLetters).toHaveLength(6);
      expect((await json<{ deadLetters: unknown[] }>(await call('/v1/dead-letters?feed=test-slaughter', operator))).deadLetters).toHaveLength(0);

      b.down = false;
      // One replayed with the command line, on the same data folder; the rest by filter over the API.
      const cli = await runCli(['replay', letters[0]!.id, '--data', dataDir], { SUYUAN_ROOT: repo.root, ...database.env });
      expect(cli.stdout).toContain(`${letters[0]!.id} → `);
      expect(cli.code).toBe(0);
      const res = await call('/v1/dead-letters/replay', operator, { method: 'POST', body: JSON.stringify({ adapter: 'dest-b', code: 'IO_FAILED' }) });
      const { replayed } = await json<{ replayed: Array<{ original: string; replay: string; status: string }> }>(res);
      expect(replayed.map((r) => r.original).sort()).toEqual(letters.slice(1).map((l) => l.id).sort());
      expect(replayed.every((r) => r.status === 'queued')).toBe(true);
      await until(() => hashes.every((h) => b.processed.has(keyOf(h, 'dest-b'))), 60_000);
      const again = await json<{ replayed: unknown[] }>(await call('/v1/dead-letters/replay', operator, { method: 'POST', body: JSON.stringify({ adapter: 'dest-b' }) }));
      expect(again.replayed).toHaveLength(0);
      const cliAgain = await runCli(['replay', '--dead-letters', '--adapter', 'dest-b', '--data', dataDir], { SUYUAN_ROOT: repo.root, ...database.env });
      expect(cliAgain).toMatchObject({ code: 0, stdout: 'nothing to replay\n' });
      const after = await json<{ deadLetters: Letter[] }>(await call('/v1/dead-letters?adapter=dest-b', operator));
      expect(after.deadLetters.every((l) => l.replays.length === 1)).toBe(true);
    }, 120_000);
  });
});
