/** Replaying kept messages: a dead letter, once its cause is fixed, runs again as a new message linked to it. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { runCli } from './helpers/cli.ts';
import { SLAUGHTER_HEADER, slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { hubEngines, type HubDatabase } from './helpers/hub-engines.ts';

const ADMIN = 'replay-test-admin-key-0001';
const csv = (...lots: string[]) => slaughterCsv(...lots.map((lot) => slaughterRow(lot)));
const manifest = slaughterManifest('test-slaughter-map');
const EXAMPLE = join(REPO_ROOT, 'mappings/example-slaughter');
const mappingJson = { ...JSON.parse(readFileSync(join(EXAMPLE, 'mapping.json'), 'utf8')) as object, id: 'test-slaughter-map' };
const fixed = readFileSync(join(EXAMPLE, 'mapping.jsonata'), 'utf8');
// The first mapping read the lot from a column the department does not send: every record fails.
const broken = fixed.replace("$need('批次号')", "$need('生产批次号')");

describe.each(hubEngines())('replay on %s', (_label, engine) => {
  let database: HubDatabase;
  /** Every test of the suite, skipped (loudly, see `hubEngines`) where the engine is not available. */
  const it = engine.skip ? test.skip : test;
  let repo: TempRoot;
  let dataDir: string;
  let app: App;
  let base: string;
  let integrator: string;
  let operator: string;
  let other: string;
  const ids: Record<string, string> = {};
  let between = '';

  const boot = async (): Promise<void> => {
    app = await createApp(loadConfig({ ...database.config, port: 0, dataDir, root: repo.root, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0 }, {}));
    base = (await app.listen()).url;
  };
  const call = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } });
  const push = async (body: Uint8Array): Promise<string> => {
    const res = await call('/v1/feeds/test-slaughter/messages', integrator, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    return ((await res.json()) as { messageId?: string; detail?: { messageId: string } }).messageId ?? '';
  };

  beforeAll(async () => {
    if (engine.skip) return;
    database = await engine.open();
    repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/test-slaughter/adapter.json', manifest);
    repo.write('mappings/test-slaughter-map/mapping.json', mappingJson);
    repo.write('mappings/test-slaughter-map/mapping.jsonata', broken);
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-replay-'));
    await boot();
    integrator = (await app.keys.create({ name: '屠宰场 slaughterhouse', roles: ['integrator'], scopes: ['test-slaughter'] })).key;
    operator = (await app.keys.create({ name: '值班 operator', roles: ['operator'] })).key;
    other = (await app.keys.create({ name: 'another feed', roles: ['integrator'], scopes: ['another-feed'] })).key;
    ids.a = await push(csv('KS1', 'KS2'));
    ids.b = await push(csv('KS3'));
    await new Promise((r) => setTimeout(r, 20));
    between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    ids.c = await push(Buffer.concat([iconv.encode(`${SLAUGHTER_HEADER}\n`, 'gbk'), Buffer.from([0xff, 0x41])]));
    ids.d = await push(csv('KS4'));
    // The department corrects its mapping; the hub restarts on the same data folder.
    await app.close();
    repo.write('mappings/test-slaughter-map/mapping.jsonata', fixed);
    await boot();
  }, 60_000);
  afterAll(async () => {
    if (engine.skip) return;
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
    await database.drop();
  });

  interface Detail { id: string; status: string; stage: string | null; feed: string; replayOf: string | null; replays: Array<{ id: string; status: string }>; path: Array<{ step: string }>; outcome: { records: Array<{ events: Array<{ hash: string }> }> } }

  describe('kept messages over the API', () => {
    it('kept every refused message with its error code', async () => {
      const res = await call('/v1/messages?feed=test-slaughter&status=rejected&limit=2', operator);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { messages: Array<{ id: string; errorCode: string }>; next?: number };
      expect(page.messages.map((m) => m.id)).toEqual([ids.a, ids.b]);
      expect(page.messages.map((m) => m.errorCode)).toEqual(['MAPPING_FAILED', 'MAPPING_FAILED']);
      expect(page.next).toBe(2);
      const rest = (await (await call('/v1/messages?feed=test-slaughter&offset=2', operator)).json()) as { messages: Array<{ id: string; errorCode: string }> };
      expect(rest.messages.map((m) => [m.id, m.errorCode])).toEqual([[ids.c, 'DECODE_INVALID'], [ids.d, 'MAPPING_FAILED']]);
    });

    it('gives back the original bytes as they arrived', async () => {
      const res = await call(`/v1/messages/${ids.b}/original`, integrator);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(csv('KS3'))).toBe(true);
    });

    it('replays a dead letter by id: accepted, linked to the original, its events stored, audited', async () => {
      const res = await call(`/v1/messages/${ids.a}/replay`, integrator, { method: 'POST' });
      expect(res.status).toBe(201);
      const result = (await res.json()) as { original: string; messageId: string; status: string };
      expect(result).toMatchObject({ original: ids.a, status: 'accepted' });
      const original = (await (await call(`/v1/messages/${ids.a}`, integrator)).json()) as Detail;
      expect(original).toMatchObject({ status: 'rejected', replayOf: null, replays: [{ id: result.messageId, status: 'accepted' }] });
      expect(original.stage).toBe('map');
      const replay = (await (await call(`/v1/messages/${result.messageId}`, integrator)).json()) as Detail;
      expect(replay).toMatchObject({ status: 'accepted', stage: null, feed: 'test-slaughter', replayOf: ids.a });
      const hashes = replay.outcome.records.flatMap((r) => r.events.map((e) => e.hash));
      expect(hashes).toHaveLength(2);
      for (const hash of hashes) expect(await app.events.get(hash)).toMatchObject({ type: 'TransformationEvent' });
      expect(await app.audit.list({ targetPrefix: `message:${ids.a}` })).toEqual([expect.objectContaining({ action: 'message.replay' })]);
    });

    it('answers 404, never 403, to an integrator of another adapter', async () => {
      expect((await call(`/v1/messages/${ids.a}`, other)).status).toBe(404);
      expect((await call(`/v1/messages/${ids.a}/original`, other)).status).toBe(404);
      expect((await call(`/v1/messages/${ids.b}/replay`, other, { method: 'POST' })).status).toBe(404);
      const replay = await call('/v1/messages/replay', other, { method: 'POST', body: JSON.stringify({ feed: 'test-slaughter' }) });
      expect(replay.status).toBe(404);
      expect(((await (await call('/v1/messages', other)).json()) as { messages: unknown[] }).messages).toEqual([]);
      expect((await call('/v1/messages/no-such-message', operator)).status).toBe(404);
    });

    it('replays by filter: adapter, error code and time range, skipping what was already replayed', async () => {
      const body = { feed: 'test-slaughter', code: 'MAPPING_FAILED', until: between };
      const res = await call('/v1/messages/replay', operator, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { replayed: unknown[] }).replayed).toEqual([expect.objectContaining({ original: ids.b, status: 'accepted' })]);
      const again = await call('/v1/messages/replay', operator, { method: 'POST', body: JSON.stringify(body) });
      expect(((await again.json()) as { replayed: unknown[] }).replayed).toEqual([]);
      const forced = await call('/v1/messages/replay', operator, { method: 'POST', body: JSON.stringify({ ...body, force: true }) });
      expect(((await forced.json()) as { replayed: Array<{ original: string }> }).replayed.map((r) => r.original)).toEqual([ids.a, ids.b]);
      const bad = await call('/v1/messages/replay', operator, { method: 'POST', body: JSON.stringify({ since: 'yesterday' }) });
      expect(bad.status).toBe(400);
    });
  });

  describe('suyuan replay', () => {
    const env = () => ({ SUYUAN_ROOT: repo.root, ...database.env });

    it('replays the dead letters of a feed with an error code, one line each', async () => {
      const out = await runCli(['replay', '--feed', 'test-slaughter', '--code', 'MAPPING_FAILED', '--data', dataDir], env());
      expect(out.code).toBe(0);
      expect(out.stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${ids.d} → \\S+ accepted$`))]);
      expect(((await (await call(`/v1/messages/${ids.d}`, operator)).json()) as Detail).replays).toEqual([expect.objectContaining({ status: 'accepted' })]);
    }, 60_000);

    it('exits 1 when a replay still fails', async () => {
      const out = await runCli(['replay', ids.c ?? '', '--data', dataDir], env());
      expect(out.code).toBe(1);
      expect(out.stdout).toMatch(new RegExp(`^${ids.c} → \\S+ rejected DECODE_INVALID`));
    }, 60_000);
  });
});
