/** The GS1 EPCIS 2.0 capture interface over a real socket: jobs, duplicates, error declarations, rollback or proceed, limits. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { epcisFormat, epcisJsonToXml } from '../src/formats/index.ts';
import { identifyStep } from '../src/pipeline/steps.ts';
import { hubEngines, type HubDatabase } from './helpers/hub-engines.ts';

const ADMIN = 'epcis-capture-test-admin-0001';
const GS1 = join(import.meta.dirname, 'fixtures', 'gs1');
const GS1_XML = join(import.meta.dirname, 'fixtures', 'gs1-xml');
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

type Json = Record<string, any>;
interface Job { captureID: string; running: boolean; success: boolean; captureErrorBehaviour: string; createdAt: string; finishedAt?: string; messageId?: string; errors: Json[] }

describe.each(hubEngines())('EPCIS capture on %s', (_label, engine) => {
  let database: HubDatabase;
  /** Every test of the suite, skipped (loudly, see `hubEngines`) where the engine is not available. */
  const it = engine.skip ? test.skip : test;
  let dataDir: string;
  let app: App;
  let base: string;
  let platform: string;
  let otherPlatform: string;
  let regulator: string;

  const gs1 = (file: string): string => readFileSync(join(GS1, file), 'utf8');
  const documentOf = (events: unknown[]): Json => ({ '@context': [CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-03-15T09:00:00+08:00', epcisBody: { eventList: events } });
  /** The CBV 2.0 event hashes of a document's events, as the hub computes them. */
  const hashesOf = (text: string): string[] => epcisFormat.split(epcisFormat.parse(text)).map((r) => identifyStep(r.value));

  /** 苏州 — a meat processor in Kunshan ships a pallet of 白条猪肉 (GTIN 06937528100018). */
  const shipping = (serial: string, time = '2024-03-15T08:30:00+08:00'): Json => ({
    type: 'ObjectEvent', action: 'OBSERVE', eventTime: time, eventTimeZoneOffset: '+08:00',
    epcList: [`urn:epc:id:sgtin:6937528.010001.${serial}`], bizStep: 'shipping', disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:6937528.00001.0' },
  });

  async function post(body: string, options: { key?: string | undefined; type?: string; behaviour?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': options.type ?? 'application/ld+json', 'GS1-EPCIS-Version': '2.0.0' };
    const key = 'key' in options ? options.key : platform;
    if (key) headers.authorization = `Bearer ${key}`;
    if (options.behaviour) headers['GS1-Capture-Error-Behaviour'] = options.behaviour;
    return fetch(`${base}/epcis/capture`, { method: 'POST', headers, body });
  }

  async function get(path: string, key = platform): Promise<Response> {
    return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  }

  /** Polls the job the 202 points to until it has finished. */
  async function finished(res: Response, key = platform): Promise<Job> {
    expect(res.status).toBe(202);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/epcis\/capture\/[\w-]+$/);
    for (;;) {
      const job = (await (await get(location, key)).json()) as Job;
      if (!job.running) return job;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const capture = async (body: string, options: Parameters<typeof post>[1] = {}): Promise<Job> => finished(await post(body, options), options.key ?? platform);
  const storedHashes = async (job: Job): Promise<string[]> => {
    const message = (await app.feeds.message(job.messageId ?? '')) as { outcome: { records: Array<{ events: Array<{ hash: string; stored: string }> }> } };
    return message.outcome.records.flatMap((r) => r.events.map((e) => e.hash));
  };

  beforeAll(async () => {
    if (engine.skip) return;
    database = await engine.open();
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-epcis-'));
    app = await createApp(loadConfig({ ...database.config, port: 0, dataDir, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0 }, {}));
    base = (await app.listen()).url;
    platform = (await app.keys.create({ name: '苏州某追溯平台 trace platform', roles: ['integrator'], scopes: ['suzhou-platform'] })).key;
    otherPlatform = (await app.keys.create({ name: '南京某企业平台', roles: ['integrator'], scopes: [] })).key;
    regulator = (await app.keys.create({ name: '市场监管 regulator', roles: ['regulator'], scopes: [] })).key;
  });
  afterAll(async () => {
    if (engine.skip) return;
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  describe('EPCIS capture: access and discovery', () => {
    it('needs an integrator or operator key: 401 without one, 403 for another role, as GS1 security problems', async () => {
      const none = await post(gs1('Example_9.6.2-ObjectEvent.jsonld'), { key: undefined });
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toContain('application/problem+json');
      expect(await none.json()).toMatchObject({ type: 'epcisException:SecurityException', status: 401, code: 'UNAUTHENTICATED' });
      expect((await post(gs1('Example_9.6.2-ObjectEvent.jsonld'), { key: 'not-a-key' })).status).toBe(401);
      expect((await post(gs1('Example_9.6.2-ObjectEvent.jsonld'), { key: regulator })).status).toBe(403);
      expect((await fetch(`${base}/epcis/capture`)).status).toBe(401);
    });

    it('tells its limits and behaviours on OPTIONS', async () => {
      const res = await fetch(`${base}/epcis/capture`, { method: 'OPTIONS', headers: { authorization: `Bearer ${platform}` } });
      expect(res.status).toBe(204);
      expect(res.headers.get('gs1-epcis-capture-limit')).toBe('500');
      expect(Number(res.headers.get('gs1-epcis-capture-file-size-limit'))).toBeGreaterThan(0);
      expect(res.headers.get('gs1-capture-error-behaviour')).toBe('all');
      expect(res.headers.get('gs1-epcis-version')).toBe('2.0.0');
    });
  });

  describe('EPCIS capture: documents', () => {
    it('gives the same hashes for a document in JSON-LD and in XML: the second capture is a duplicate', async () => {
      const jsonld = gs1('Example_9.6.3-AggregationEvent.jsonld');
      const first = await capture(jsonld);
      expect(first).toMatchObject({ running: false, success: true, captureErrorBehaviour: 'rollback', errors: [] });
      expect(first.finishedAt).toBeDefined();
      const hashes = await storedHashes(first);
      expect(hashes).toEqual(hashesOf(jsonld));
      const count = await app.events.count();

      const second = await capture(epcisJsonToXml(JSON.parse(jsonld)), { type: 'application/xml' });
      expect(second.success).toBe(false);
      expect(second.errors).toEqual(hashes.map((hash, index) => expect.objectContaining({
        type: 'epcisException:ResourceAlreadyExistsException', status: 409, eventHash: hash, event: expect.objectContaining({ index }),
      })));
      expect(await app.events.count()).toBe(count);
    });

    it('reads GS1\'s own XML as its JSON-LD: with proceed, the event already captured is a duplicate and the other is stored', async () => {
      const jsonld = gs1('Example_9.6.1-ObjectEvent.jsonld');
      const [firstHash] = hashesOf(jsonld);
      expect((await capture(jsonld)).success).toBe(true);
      const xml = readFileSync(join(GS1_XML, 'Example_9.6.1-ObjectEvent-2020_06_18a.xml'), 'utf8');
      const job = await capture(xml, { type: 'text/xml; charset=utf-8', behaviour: 'proceed' });
      // GS1's XML #2 binds `example` to another namespace than its JSON-LD: a different event, stored.
      expect(job).toMatchObject({ success: false, captureErrorBehaviour: 'proceed' });
      expect(job.errors).toEqual([expect.objectContaining({ type: 'epcisException:ResourceAlreadyExistsException', eventHash: firstHash, event: expect.objectContaining({ index: 0, position: expect.stringMatching(/ObjectEvent\[1\]$/) }) })]);
      const [, secondHash] = hashesOf(xml);
      expect(await app.events.get(secondHash ?? '')).toMatchObject({ type: 'ObjectEvent' });
    });

    it('captures every GS1 example document and stores each event once', async () => {
      const files = readdirSync(GS1).filter((f) => f.endsWith('.jsonld') && f !== 'SensorDataExample17.jsonld' && !f.startsWith('ErrorDeclaration')).sort();
      for (const file of files) {
        const text = gs1(file);
        const hashes = hashesOf(text);
        const events = epcisFormat.split(epcisFormat.parse(text)).map((r) => r.value as Json);
        // New, or (AssociationEvent-g) the error declaration of an event captured before.
        const fresh = await Promise.all(hashes.map(async (h, i) => {
          const stored = (await app.events.get(h)) as Json | undefined;
          return stored === undefined || (events[i]?.errorDeclaration !== undefined && stored.errorDeclaration === undefined);
        }));
        const job = await capture(text);
        expect(job.success, file).toBe(fresh.every(Boolean) && new Set(hashes).size === hashes.length);
        if (!job.success) expect(job.errors.every((e) => e.status === 409), file).toBe(true);
        for (const hash of hashes) expect(await app.events.get(hash), file).toBeDefined();
      }
      const all = new Set(files.flatMap((f) => hashesOf(gs1(f))));
      expect(await app.events.count()).toBeGreaterThanOrEqual(all.size);
    });

    it('answers a document that does not fit with a failed job naming every failing event and every problem', async () => {
      const broken = { ...shipping('KS240315009'), action: 'JUMP' } as Json;
      delete broken.eventTime;
      const sensor = JSON.parse(gs1('SensorDataExample17.jsonld')) as Json;
      const document = documentOf([shipping('KS240315008'), broken, { ...sensor.epcisBody.eventList[0], eventID: 'urn:uuid:8a1f6c1e-7d3b-4c55-9f0e-2b6f0c4a1d17' }]);
      const job = await capture(JSON.stringify(document));
      expect(job.success).toBe(false);
      expect(job.errors).toHaveLength(2);
      expect(job.errors[0]).toMatchObject({ type: 'epcisException:ValidationException', code: 'VALIDATION_FAILED', event: { index: 1, position: '/epcisBody/eventList/1' } });
      expect(job.errors[0]?.problems.map((p: Json) => `${p.code} ${p.path}`).sort()).toEqual(['SCHEMA_ENUM /action', 'SCHEMA_REQUIRED ']);
      expect(job.errors[1]).toMatchObject({ instance: 'urn:uuid:8a1f6c1e-7d3b-4c55-9f0e-2b6f0c4a1d17', event: { index: 2 }, problems: [expect.objectContaining({ code: 'EPC_NOT_INSTANCE', path: '/epcList/0' })] });
      expect(await app.feeds.message(job.messageId ?? '')).toMatchObject({ feed: 'epcis-capture', status: 'rejected' });
    });

    it('stores nothing when an event fails under rollback, and the events that fit under proceed', async () => {
      const bad = { ...shipping('KS240315011'), action: 'JUMP' };
      const document = JSON.stringify(documentOf([shipping('KS240315010'), bad]));
      const [goodHash] = hashesOf(document);
      const rolledBack = await capture(document);
      expect(rolledBack).toMatchObject({ success: false, captureErrorBehaviour: 'rollback' });
      expect(rolledBack.errors.map((e) => e.event.index)).toEqual([1]);
      expect(await app.events.get(goodHash ?? '')).toBeUndefined();

      const proceeded = await capture(document, { behaviour: 'proceed' });
      expect(proceeded).toMatchObject({ success: false, captureErrorBehaviour: 'proceed' });
      expect(proceeded.errors.map((e) => e.event.index)).toEqual([1]);
      expect(await app.events.get(goodHash ?? '')).toMatchObject({ epcList: ['urn:epc:id:sgtin:6937528.010001.KS240315010'] });
      expect(await app.feeds.message(proceeded.messageId ?? '')).toMatchObject({ status: 'partial' });
    });

    it('accepts an error declaration of a captured event once, though it has the same event hash', async () => {
      const declared = JSON.parse(gs1('ErrorDeclarationAndCorrectiveEvent.jsonld')) as Json;
      const [withDeclaration, corrective] = declared.epcisBody.eventList as Json[];
      const { errorDeclaration: _declaration, ...original } = withDeclaration ?? {};
      const originalDocument = JSON.stringify({ ...declared, epcisBody: { eventList: [original] } });
      expect((await capture(originalDocument)).success).toBe(true);
      const count = await app.events.count();

      const job = await capture(JSON.stringify(declared));
      expect(job).toMatchObject({ success: true, errors: [] });
      expect(await app.events.count()).toBe(count + 1);
      expect(await app.events.get(hashesOf(JSON.stringify(documentOf([corrective])))[0] ?? '')).toMatchObject({ eventID: corrective?.eventID });

      const again = await capture(JSON.stringify(declared));
      expect(again.errors.map((e) => e.type)).toEqual(['epcisException:ResourceAlreadyExistsException', 'epcisException:ResourceAlreadyExistsException']);
      expect((await capture(originalDocument)).errors.map((e) => e.status)).toEqual([409]);
    });
  });

  describe('EPCIS capture: refusals and jobs', () => {
    it('refuses more events than the capture limit with 413 and no job', async () => {
      const before = ((await (await get('/epcis/capture?perPage=100')).json()) as Job[]).length;
      const events = Array.from({ length: 501 }, (_, i) => shipping(`KS24${String(i).padStart(7, '0')}`));
      const res = await post(JSON.stringify(documentOf(events)));
      expect(res.status).toBe(413);
      expect(res.headers.get('gs1-epcis-capture-limit')).toBe('500');
      expect(await res.json()).toMatchObject({ type: 'epcisException:CaptureLimitExceededException', code: 'LIMIT_EXCEEDED', events: 501 });
      expect(((await (await get('/epcis/capture?perPage=100')).json()) as Job[]).length).toBe(before);
    });

    it('refuses what cannot be read before any job: another media type, unparseable JSON, an unknown behaviour', async () => {
      expect((await post('批次号,数量', { type: 'text/csv' })).status).toBe(415);
      const unreadable = await post('{"type": "EPCISDocument",');
      expect(unreadable.status).toBe(400);
      expect(await unreadable.json()).toMatchObject({ type: 'epcisException:ValidationException', code: 'PARSE_JSON' });
      expect((await post(JSON.stringify({ type: 'Invoice' }))).status).toBe(400);
      expect((await post(gs1('Example_9.6.2-ObjectEvent.jsonld'), { behaviour: 'sometimes' })).status).toBe(400);
    });

    it('lists jobs page by page, each platform its own', async () => {
      const first = (await (await get('/epcis/capture?perPage=2')).json()) as Job[];
      expect(first).toHaveLength(2);
      const link = (await get('/epcis/capture?perPage=2')).headers.get('link') ?? '';
      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
      expect(next).toContain('nextPageToken=');
      const second = (await (await get(next)).json()) as Job[];
      expect(second.map((j) => j.captureID)).not.toContain(first[0]?.captureID);
      expect(await (await get('/epcis/capture', otherPlatform)).json()).toEqual([]);
      expect((await get(`/epcis/capture/${first[0]?.captureID ?? ''}`, otherPlatform)).status).toBe(404);
      expect((await (await get('/epcis/capture?perPage=100', ADMIN)).json() as Job[]).length).toBeGreaterThan(first.length);
    });
  });
});
