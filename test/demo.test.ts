/**
 * `suyuan demo`: the built-in day goes through the hub's real transports (HTTP push, SOAP over a socket,
 * file drop, poll of the stand-in tax gateway), every message is accepted except exactly the ones broken
 * on purpose, and the codes it prints are stored and linked across departments.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TAX_TOKEN, demoDay, startDemo, type RunningDemo } from '../src/demo/index.ts';
import { checkGtin, checkRegion, checkUscc, latestRegionVersion } from '../src/standards/identifiers/index.ts';
import { codeOfInput } from '../src/trace/identifiers.ts';
import { runCli } from './helpers/cli.ts';

let dataDir: string;
let demo: RunningDemo;

/** Every stored event, with the feed that brought it. */
const storedEvents = async (): Promise<Array<{ hash: string; feed: string; event: Record<string, unknown> }>> =>
  [...(await demo.app.events.events({}, { perPage: 10_000 })).events];
/** The feeds whose stored events name `code`, in any role. */
const feedsNaming = async (code: string): Promise<string[]> =>
  [...new Set((await demo.app.events.naming([codeOfInput(code)])).map((e) => e.feed))].sort();

beforeAll(async () => {
  process.env.SUYUAN_TAX_EINVOICE_TOKEN = DEMO_TAX_TOKEN;
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-demo-test-'));
  demo = await startDemo({ taxToken: DEMO_TAX_TOKEN, config: { dataDir, port: 0, logLevel: 'silent', mappingWorkers: 0 } });
}, 180_000);
afterAll(async () => {
  await demo?.close();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.SUYUAN_TAX_EINVOICE_TOKEN;
});

describe('the demo day, loaded through the real transports', () => {
  it('brings messages to every inbound feed of the five department adapters', () => {
    expect(demo.summary.feeds.map((f) => [f.feed, f.transport])).toEqual([
      ['customs', 'http-push'], ['drug-supervision', 'http-push'], ['hospital-procurement', 'soap-server'],
      ['meat-vegetable-circulation', 'file-drop'], ['tax', 'poll'],
    ]);
    for (const f of demo.summary.feeds) expect(f.messages, f.feed).toBeGreaterThan(1);
  });

  it('accepts every message but exactly the ones broken on purpose, which are kept with their problems', async () => {
    const { broken } = demo.day;
    expect(broken.length).toBe(3);
    for (const f of demo.summary.feeds) {
      const own = broken.filter((b) => b.feed === f.feed);
      expect(f.accepted, f.feed).toBe(f.messages - own.length);
      expect(f.recordsInvalid, f.feed).toBe(own.length);
    }
    expect(demo.summary.problems.map((p) => [p.feed, p.status, p.code]).sort()).toEqual(broken.map((b) => [b.feed, b.status, b.code]).sort());
    for (const p of demo.summary.problems) {
      const kept = await demo.app.feeds.message(p.messageId);
      const records = (kept?.outcome as { records: Array<{ status: string; error?: { detail: Record<string, unknown> } }> }).records;
      const bad = records.filter((r) => r.status === 'invalid');
      expect(bad.length).toBe(1);
      const expected = broken.find((b) => b.feed === p.feed)?.problem;
      expect([bad[0]?.error?.detail.problem, bad[0]?.error?.detail.jsonataCode]).toContain(expected);
    }
  });

  it('answered each push and SOAP call as a department would see it', () => {
    const refused = demo.deliveries.filter((d) => d.status !== 202 && d.status !== 200);
    expect(refused.map((d) => [d.adapter, d.status])).toEqual([['drug-supervision', 422]]);
    expect(demo.deliveries.filter((d) => d.adapter === 'hospital-procurement').map((d) => d.status)).toEqual([200, 200, 200, 200]);
  });

  it('moved every dropped file to done/, but the one with a bad row to failed/ with its report', () => {
    const drops = join(dataDir, 'drops', 'meat-vegetable-circulation');
    const files = (dir: string) => readdirSync(join(drops, dir)).filter((n) => !n.endsWith('.report.json')).sort();
    expect(readdirSync(drops).filter((n) => n !== 'done' && n !== 'failed')).toEqual([]);
    const failed = files('failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/_LS_\d{14}\.csv$/);
    expect(files('done')).toEqual(demo.day.files.map((f) => f.name).filter((n) => n !== failed[0]).sort());
    const report = JSON.parse(readFileSync(join(drops, 'failed', `${failed[0]}.report.json`), 'utf8')) as { status: string };
    expect(report.status).toBe('partial');
  });

  it('stores the codes it prints, and each is named by the departments it passed through', async () => {
    const [carcass, drugUnit, drugLot, wine] = demo.day.lookups.map((l) => l.code);
    expect(await feedsNaming(carcass ?? '')).toEqual(['meat-vegetable-circulation', 'tax']);
    expect(await feedsNaming(drugUnit ?? '')).toEqual(['drug-supervision', 'hospital-procurement']);
    expect(await feedsNaming(drugLot ?? '')).toEqual(['tax']);
    expect(await feedsNaming(wine ?? '')).toEqual(['customs', 'tax']);
  });

  it('answers a trace for every printed code, publicly and with the printed key, reaching the departments it passed', async () => {
    const [carcass, drugUnit, drugLot, wine] = demo.day.lookups.map((l) => l.code);
    const feedsOfTrace = async (code: string): Promise<string[]> => {
      const res = await fetch(`${demo.url}/v1/trace/${encodeURIComponent(code)}`, { headers: { authorization: `Bearer ${demo.operatorKey}` } });
      expect(res.status, code).toBe(200);
      const hops = ((await res.json()) as { hops: Array<{ hash: string }> }).hops;
      const feedOf = new Map((await storedEvents()).map((e) => [e.hash, e.feed]));
      return [...new Set(hops.map((h) => feedOf.get(h.hash) ?? '?'))].sort();
    };
    expect(await feedsOfTrace(carcass ?? '')).toEqual(['meat-vegetable-circulation', 'tax']);
    expect(await feedsOfTrace(drugUnit ?? '')).toEqual(['drug-supervision', 'hospital-procurement', 'tax']);
    expect(await feedsOfTrace(drugLot ?? '')).toEqual(['drug-supervision', 'hospital-procurement', 'tax']);
    expect(await feedsOfTrace(wine ?? '')).toEqual(['customs', 'tax']);
    // The wine lot's Digital Link, as customs writes it, reaches the tax invoice naming the lot as a local class URN.
    const customs = (await storedEvents()).filter((e) => e.feed === 'customs').map((e) => JSON.stringify(e.event)).join('\n');
    const link = new RegExp(`https://id\\.gs1\\.org/01/\\d{14}/10/${wine ?? ''}`).exec(customs)?.[0];
    expect(link).toBeDefined();
    expect(await feedsOfTrace(link ?? '')).toEqual(['customs', 'tax']);
    for (const l of demo.day.lookups) {
      const res = await fetch(`${demo.url}/t/${encodeURIComponent(l.code)}`, { headers: { accept: 'application/json' } });
      expect(res.status, l.code).toBe(200);
      expect(((await res.json()) as { hops: unknown[] }).hops.length, l.code).toBeGreaterThan(0);
    }
  });

  it('assesses a recall of each printed lot: the drug lot reached the distributor and both hospitals', async () => {
    const { cast } = demo.day;
    const lots = demo.day.lookups.filter((l) => l.lot !== undefined);
    expect(lots).toHaveLength(2);
    const recipientsOf = async (lot: string): Promise<string[]> => {
      const res = await fetch(`${demo.url}/v1/recall-impact?lot=${encodeURIComponent(lot)}`, { headers: { authorization: `Bearer ${demo.operatorKey}` } });
      expect(res.status, lot).toBe(200);
      return ((await res.json()) as { recipients: Array<{ party: { id: string } }> }).recipients.map((r) => r.party.id).sort();
    };
    const [carcass, drug] = lots;
    expect(await recipientsOf(drug?.lot ?? '')).toEqual([cast.distributor.uscc, ...cast.hospitals.map((h) => h.uscc)].sort());
    // The carcass lot went from its plant to the Suzhou market and on to its three shops and the supermarket.
    expect(await recipientsOf(carcass?.lot ?? '')).toEqual([cast.markets[0]?.uscc, ...cast.shops.slice(0, 3).map((s) => s.uscc), cast.supermarket.uscc].sort());
  });

  it('links the farm to the slaughter: the live lot shipped is the lot slaughtered', async () => {
    const events = (await storedEvents()).map((e) => e.event);
    const shipped = events.filter((e) => e.bizStep === 'shipping' && e['sy:category'] === 'meat-poultry')
      .flatMap((e) => (e.quantityList as Array<{ epcClass: string }>).map((q) => q.epcClass)).sort();
    const slaughtered = events.filter((e) => e.type === 'TransformationEvent')
      .flatMap((e) => (e.inputQuantityList as Array<{ epcClass: string }>).map((q) => q.epcClass)).sort();
    expect(shipped).toHaveLength(3);
    expect(slaughtered).toEqual(shipped);
  });
});

describe('the demo day', () => {
  it('is the same bytes for the same seed, and another day for another seed', () => {
    const a = demoDay(7);
    const b = demoDay(7);
    expect(b.files.map((f) => Buffer.from(f.bytes).toString('base64'))).toEqual(a.files.map((f) => Buffer.from(f.bytes).toString('base64')));
    expect(b.pushes).toEqual(a.pushes);
    expect(b.soap).toEqual(a.soap);
    expect(b.invoices).toEqual(a.invoices);
    expect(demoDay(8).invoices).not.toEqual(a.invoices);
  });

  it("gives every party a credit code, region and GTIN that pass the standard's checks", () => {
    const { cast } = demoDay();
    const parties = [...cast.farms, ...cast.plants, ...cast.markets, ...cast.shops, cast.supermarket, cast.drugMaker, cast.distributor, ...cast.hospitals, cast.importer];
    for (const p of parties) {
      expect(checkUscc(p.uscc), p.name).toBeNull();
      expect(checkRegion(p.region, latestRegionVersion()), p.name).toBeNull();
      expect(p.uscc.slice(2, 8)).toBe(p.region);
    }
    for (const gtin of [...cast.plants.map((p) => p.carcassGtin), cast.drugMaker.drug.gtin, cast.drugMaker.gln, cast.distributor.gln]) expect(checkGtin(gtin)).toBeNull();
  });
});

describe('suyuan demo --once', () => {
  it('stops with a clear message and status 2 when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-demo-busy-'));
    try {
      const { code, stdout, stderr } = await runCli(['demo', '--once', '--port', String(port), '--host', '127.0.0.1', '--data', dir, '--log-level', 'silent'], { SUYUAN_MAPPING_WORKERS: '0' });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('error PORT_IN_USE');
      expect(stderr).toContain(`port ${port}`);
      expect(stderr).toContain('--port');
      expect(stderr).not.toMatch(/\n\s+at /); // no stack
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);


  it('prints the messages per feed, the events stored, the codes to look up and the URLs to open, then exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suyuan-demo-cli-'));
    try {
      const { code, stdout, stderr } = await runCli(['demo', '--once', '--port', '0', '--data', dir], { SUYUAN_MAPPING_WORKERS: '0' });
      // The log (stderr, at warn) names the three messages kept with their problems, and nothing else.
      expect(stderr.trim().split('\n').map((l) => (JSON.parse(l) as { level: string; feed: string }).feed).sort()).toEqual(['drug-supervision', 'meat-vegetable-circulation', 'tax']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^meat-vegetable-circulation\s+file-drop\s+15\s+14\s+1\s+0\s+\d+$/m);
      expect(stdout).toMatch(/^tax\s+poll\s+3\s+2\s+1\s+0\s+\d+$/m);
      expect(stdout).toMatch(new RegExp(`^events stored: ${demo.summary.events}$`, 'm'));
      const url = /^hub (http:\/\/127\.0\.0\.1:\d+)/m.exec(stdout)?.[1];
      expect(url).toBeDefined();
      for (const l of demo.day.lookups) {
        expect(stdout).toContain(`${url ?? ''}/t/${encodeURIComponent(l.code)}`);
        expect(stdout).toContain(`${url ?? ''}/v1/trace/${encodeURIComponent(l.code)}`);
        if (l.lot !== undefined) expect(stdout).toContain(`${url ?? ''}/v1/recall-impact?lot=${l.lot}`);
      }
      expect(stdout).toContain(`${url ?? ''}/docs`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
