/** HTTP push feeds: a department's own bytes in, 202 or every problem out, and every message kept. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { SLAUGHTER_HEADER, slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { hubEngines, type HubDatabase } from './helpers/hub-engines.ts';

const ADMIN = 'feeds-test-admin-key-0001';
const manifest = slaughterManifest('example-slaughter');

describe.each(hubEngines())('feeds on %s', (_label, engine) => {
  let database: HubDatabase;
  /** Every test of the suite, skipped (loudly, see `hubEngines`) where the engine is not available. */
  const it = engine.skip ? test.skip : test;
  let repo: TempRoot;
  let dataDir: string;
  let app: App;
  let base: string;
  let integrator: string;
  let other: string;

  /** A repository root holding this repository's released standard and mappings, plus the test's adapter. */
  function repository(adapter: unknown): TempRoot {
    const root = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(root.root, dir), { recursive: true });
    root.write('adapters/test-slaughter/adapter.json', adapter);
    return root;
  }

  const push = (body: Uint8Array | string, key: string, path = '/v1/feeds/test-slaughter/messages') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body });

  beforeAll(async () => {
    if (engine.skip) return;
    database = await engine.open();
    repo = repository(manifest);
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-feeds-'));
    app = await createApp(loadConfig({ ...database.config, port: 0, dataDir, root: repo.root, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0 }, {}));
    base = (await app.listen()).url;
    integrator = (await app.keys.create({ name: '屠宰场 slaughterhouse', roles: ['integrator'], scopes: ['test-slaughter'] })).key;
    other = (await app.keys.create({ name: 'another feed', roles: ['integrator'], scopes: ['another-feed'] })).key;
  });
  afterAll(async () => {
    if (engine.skip) return;
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
    await database.drop();
  });

  describe('an HTTP push feed', () => {
    it('takes a GBK CSV batch and answers 202 with the message id; the events are stored once', async () => {
      const res = await push(slaughterCsv(slaughterRow('KS1'), slaughterRow('KS2')), integrator);
      expect(res.status).toBe(202);
      const body = (await res.json()) as { messageId: string; status: string; records: Array<{ status: string; events: Array<{ hash: string }> }> };
      expect(body.status).toBe('accepted');
      expect(body.records.map((r) => r.status)).toEqual(['stored', 'stored']);
      expect(res.headers.get('location')).toBe(`/v1/messages/${body.messageId}`);
      expect(await app.events.count()).toBe(2);
      expect(await app.events.get(body.records[0]?.events[0]?.hash ?? '')).toMatchObject({ type: 'TransformationEvent' });
      expect((await app.feeds.message(body.messageId))?.status).toBe('accepted');
      expect((await app.provenance.path(body.messageId)).map((s) => s.step)).toContain('validate');
    });

    it('lists every problem of every record, keeps the message, and stores the records that fit', async () => {
      const res = await push(slaughterCsv(slaughterRow('KS3'), slaughterRow('KS4', '91320583MA1MX8T21X')), integrator);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; messageId: string; problems: Array<{ code: string; record: number; position: string }> };
      expect(problem.code).toBe('MESSAGE_REJECTED');
      expect(problem.problems).toEqual([expect.objectContaining({ code: 'MAPPING_FAILED', problem: 'USCC_CHECK', record: 1, position: '/1' })]);
      const kept = await app.feeds.message(problem.messageId);
      expect(kept).toMatchObject({ status: 'partial', feed: 'test-slaughter', type: 'slaughter' });
      expect(await app.blobs.get(kept?.original ?? '')).toBeDefined();
      expect(await app.events.count()).toBe(3);
    });

    it('refuses bytes that are not valid in the declared encoding with the byte offset, and keeps them', async () => {
      const bytes = Buffer.concat([iconv.encode(`${SLAUGHTER_HEADER}\n`, 'gbk'), Buffer.from([0xff, 0x41])]);
      const res = await push(bytes, integrator);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; offset: number; messageId: string };
      expect(problem).toMatchObject({ code: 'DECODE_INVALID', offset: Buffer.byteLength(iconv.encode(`${SLAUGHTER_HEADER}\n`, 'gbk')) });
      expect((await app.feeds.message(problem.messageId))?.status).toBe('rejected');
    });

    it('answers 404 to a key of another feed, and 401 without a key', async () => {
      expect((await push('x', other)).status).toBe(404);
      expect((await fetch(`${base}/v1/feeds/test-slaughter/messages`, { method: 'POST', body: 'x' })).status).toBe(401);
      expect((await push('x', integrator, '/v1/feeds/no-such-feed/messages')).status).toBe(404);
    });
  });

  describe('an invalid adapter manifest', () => {
    it('stops the boot, naming the file and the field', async () => {
      const bad = repository({ ...manifest, status: 'production', inbound: { ...manifest.inbound, messages: [{ type: 'slaughter', mapping: 'no-such-mapping' }] } });
      const dir = mkdtempSync(join(tmpdir(), 'suyuan-feeds-bad-'));
      try {
        await expect(createApp(loadConfig({ ...database.config, port: 0, dataDir: dir, root: bad.root, logLevel: 'silent', mappingWorkers: 0 }, {})))
          .rejects.toMatchObject({ code: 'ADAPTER_INVALID', detail: { file: 'adapters/test-slaughter/adapter.json' }, problems: [expect.objectContaining({ code: 'SCHEMA_ENUM', path: '/status' })] });
      } finally {
        rmSync(dir, { recursive: true, force: true });
        bad.cleanup();
      }
    });
  });
});
