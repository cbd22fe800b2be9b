/** The tax adapter end to end: the hub polls a stand-in e-invoice service in pages by cursor, resumes after a restart, and rides out an outage. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { readPollCursor } from '../src/transports/poll.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { hubEngines, type HubDatabase } from './helpers/hub-engines.ts';

const FIXTURES = join(REPO_ROOT, 'adapters/tax/fixtures/inbound/e-invoice');
const TOKEN = 'tax-stand-in-token-0001';

/** The invoices of a fixture page, as the stand-in serves them one by one. */
const invoicesOf = (name: string): string[] =>
  [...readFileSync(join(FIXTURES, `${name}.input.xml`), 'utf8').matchAll(/<EInvoice>[\s\S]*?<\/EInvoice>/g)].map((m) => m[0]);
const pageOf = (invoices: readonly string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<EInvoicePage xmlns="urn:suyuan:ns:jiangsu-tax:einvoice:1">\n${invoices.join('\n')}\n</EInvoicePage>\n`;

/**
 * A stand-in tax e-invoice service: invoices in issue order, two a page; `since` is the index after the
 * last invoice served. It counts the pages with invoices it serves, by cursor, and can be taken down.
 */
class TaxService {
  readonly invoices: string[] = [];
  readonly served = new Map<string, number>();
  down = false;
  url = '';
  #server: Server | undefined;

  async start(): Promise<void> {
    const app = express();
    app.get('/v1/invoices', (req, res) => {
      // A fresh connection per poll, as the department's gateway does: a request aborted when a hub
      // stops cannot leave a pooled connection behind for the client to retry on.
      res.set('connection', 'close');
      if (req.get('authorization') !== `Bearer ${TOKEN}`) return void res.status(401).end();
      if (this.down) return void res.status(503).end();
      const since = typeof req.query.since === 'string' ? Number(req.query.since) : 0;
      const page = this.invoices.slice(since, since + 2);
      if (page.length === 0) return void res.status(204).end();
      const cursor = String(req.query.since ?? '');
      this.served.set(cursor, (this.served.get(cursor) ?? 0) + 1);
      res.set('x-next-cursor', String(since + page.length)).type('application/xml').send(pageOf(page));
    });
    await new Promise<void>((resolve) => { this.#server = app.listen(0, '127.0.0.1', () => resolve()); });
    this.url = `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}/v1/invoices`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => { this.#server?.close(() => resolve()); this.#server?.closeAllConnections(); });
  }
}

const until = async (check: () => Promise<boolean> | boolean, ms = 4000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each(hubEngines())('the tax adapter on %s', (_label, engine) => {
  let database: HubDatabase;
  /** Every test of the suite, skipped (loudly, see `hubEngines`) where the engine is not available. */
  const it = engine.skip ? test.skip : test;
  let repo: TempRoot;
  let dataDir: string;
  let service: TaxService;
  let app: App;
  let base: string;
  const boot = async (): Promise<App> => {
    const hub = await createApp(loadConfig({ ...database.config, port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0 }, {}));
    base = (await hub.listen()).url;
    return hub;
  };
  const cursor = async () => (await readPollCursor(app.db, 'tax'))?.cursor;

  beforeAll(async () => {
    if (engine.skip) return;
    database = await engine.open();
    process.env.SUYUAN_TEST_TAX_TOKEN = TOKEN;
    service = new TaxService();
    await service.start();
    service.invoices.push(...invoicesOf('drug-wholesale-desadv'), ...invoicesOf('vinegar-two-lines-po-gln'), ...invoicesOf('page-blue-and-partial-red'));
    repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'adapters/tax/adapter.json'), 'utf8')) as { inbound: { transport: Record<string, unknown> } };
    manifest.inbound.transport = { kind: 'poll', url: service.url, credentials: { token: 'env:SUYUAN_TEST_TAX_TOKEN' } };
    repo.write('adapters/tax/adapter.json', { ...manifest, schedule: { everySeconds: 1 } });
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-tax-'));
    app = await boot();
  });
  afterAll(async () => {
    if (engine.skip) return;
    await app.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
    delete process.env.SUYUAN_TEST_TAX_TOKEN;
    await database.drop();
  });

  describe('the tax adapter, polling the e-invoice service', () => {
    it('fetches every page at once, stores one TransactionEvent per invoice, and keeps the cursor', async () => {
      await until(async () => (await cursor()) === '4');
      expect(await app.events.count()).toBe(4);
      expect([...service.served.keys()]).toEqual(['', '2']);
      const rows = await app.db.selectFrom('messages').selectAll().where('feed', '=', 'tax').execute();
      expect(rows.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    });

    it('resumes from its cursor after a restart: the pages before it are not fetched again', async () => {
      await app.close();
      service.invoices.push(...invoicesOf('red-letter-full-return'));
      app = await boot();
      await until(async () => (await cursor()) === '5');
      expect(await app.events.count()).toBe(5);
      // Polling is at-least-once: a page fetched while the hub stopped may come again, never an older one.
      expect(service.served.get('')).toBe(1);
      expect(service.served.get('2')).toBe(1);
      expect(service.served.get('4')).toBeGreaterThanOrEqual(1);
    });

    it('keeps answering while the service is down, and picks up when it is back', async () => {
      service.down = true;
      service.invoices.push(...invoicesOf('vegetables-nine-percent-with-freight'));
      const before = (await readPollCursor(app.db, 'tax'))?.polled_at ?? '';
      await new Promise((r) => setTimeout(r, 1300));
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(await cursor()).toBe('5');
      service.down = false;
      await until(async () => (await cursor()) === '6');
      expect((await readPollCursor(app.db, 'tax'))?.polled_at ?? '').not.toBe(before);
      expect(await app.events.count()).toBe(6);
    });

    it('keeps a bad invoice with its problems, stores the good one of its page, and moves on', async () => {
      service.invoices.push(...invoicesOf('page-with-red-letter-of-positive-amounts'));
      await until(async () => (await cursor()) === '8');
      const row = await app.db.selectFrom('messages').selectAll().where('feed', '=', 'tax').where('status', '=', 'partial').executeTakeFirst();
      const kept = await app.feeds.message(row?.id ?? '');
      expect(kept).toMatchObject({ status: 'partial', type: 'e-invoice' });
      const records = (kept?.outcome as { records: Array<{ status: string; error?: { code: string; detail: { jsonataCode?: string } } }> }).records;
      expect(records.map((r) => r.status)).toEqual(['stored', 'invalid']);
      expect(records[1]?.error).toMatchObject({ code: 'MAPPING_FAILED', detail: { jsonataCode: 'D3137' } });
      expect(await app.events.count()).toBe(7);
    });
  });
});
