/**
 * bench:trace — loads at least a million synthetic but realistic standard events into the SQLite
 * trace store (lots commissioned at producers, packed on pallets, shipped to distributors, unpacked,
 * and fanned out to retailers: most lots to a few dozen, a few "hot" lots to thousands), then times,
 * interleaved, for the same codes:
 *
 * - `lookup`: the store's plain indexed look-up (one identifier → its events, `store.naming`);
 * - `trace`: the whole chain of the code (`traceOf`);
 * - `recall`: the recall impact of the lot (`recallImpact`).
 *
 * Prints medians and p99 per kind and their ratios to the look-up; the last line is one JSON object.
 * `BENCH_EVENTS` (default 1,000,000), `BENCH_ROUNDS` (default 30), `BENCH_DB` (reuse a loaded file).
 * Event hashes here are sha-256 of a counter, not CBV hashes: loading is not what is measured.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openSqlite } from '../src/db/index.ts';
import type { IdentifiedEvent } from '../src/pipeline/events.ts';
import { recallImpact, sqliteTraceStore, traceOf, type TraceStore } from '../src/trace/index.ts';
import { random as seeded } from './fixtures/pipeline-fixtures.ts';

const TARGET = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const HOT_LOTS = 3;
const HOT_RETAILERS = 3000;
const RETAILERS = 20_000;
const REGIONS = ['320102', '320104', '320105', '320106', '320111', '320113', '320114', '320115', '320205', '320206', '320302', '320402', '320505', '320506', '320602', '320706', '320803', '320902', '321002', '321102', '321202', '321302'];

const random = seeded(20261129);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const uscc = (kind: string, n: number): string => `91${pick(REGIONS)}${kind}${String(n).padStart(8, '0')}X`.slice(0, 18);
const gtin = (n: number): string => `069${String(n).padStart(10, '0')}`.slice(0, 13) + '0';
const lotClass = (product: number, lot: string): string => `https://id.gs1.org/01/${gtin(product)}/10/${lot}`;

let counter = 0;
const hash = (): string => `ni:///sha-256;${createHash('sha256').update(String(counter++)).digest('hex')}?ver=CBV2.0`;
const at = (day: number, minute: number): string => new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + minute * 60_000).toISOString().replace('.000Z', '+00:00');
const operator = (id: string, region: string) => ({ 'sy:operator': { 'sy:uscc': id, 'sy:name': `企业${id.slice(-6)}` }, 'sy:place': { 'sy:region': region } });
const ev = (event: Record<string, unknown>): IdentifiedEvent => ({ hash: hash(), event: { eventTimeZoneOffset: '+08:00', ...event }, feed: 'bench', messageId: 'bench', recordIndex: 0 });

interface Lot { readonly lot: string; readonly cls: string; readonly retailers: number }

/** The events of one lot, from its commissioning to its retailers' receipts. */
function lotEvents(index: number, retailers: number): { lot: Lot; events: IdentifiedEvent[] } {
  const product = index % 5000;
  const lot = `L${String(index).padStart(7, '0')}`;
  const cls = lotClass(product, lot);
  const producer = uscc('MA', product);
  const distributor = uscc('MB', index % 400);
  const day = index % 300;
  const region = pick(REGIONS);
  const total = retailers * 10;
  const events: IdentifiedEvent[] = [ev({
    type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', eventTime: at(day, 0), quantityList: [{ epcClass: cls, quantity: total, uom: 'KGM' }],
    ilmd: { 'sy:lotNumber': lot, 'sy:productionDate': at(day, 0).slice(0, 10) }, bizLocation: { id: `urn:suyuan:loc:${producer}:plant` }, ...operator(producer, region),
  })];
  const pallets = Math.max(1, Math.ceil(retailers / 200));
  for (let p = 0; p < pallets; p++) {
    const sscc = `https://id.gs1.org/00/06900000${String(index).padStart(7, '0')}${String(p).padStart(3, '0')}`.slice(0, 40);
    const share = [{ epcClass: cls, quantity: total / pallets, uom: 'KGM' }];
    events.push(
      ev({ type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', eventTime: at(day, 30 + p), parentID: sscc, childQuantityList: share, ...operator(producer, region) }),
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', eventTime: at(day, 120 + p), epcList: [sscc], destinationList: [{ type: 'owning_party', destination: `urn:suyuan:party:${distributor}` }], bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:suyuan:bt:desadv:${lot}-${p}` }], ...operator(producer, region) }),
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', eventTime: at(day + 1, p), epcList: [sscc], bizLocation: { id: `urn:suyuan:loc:${distributor}:dc` }, ...operator(distributor, '320106') }),
      ev({ type: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking', eventTime: at(day + 1, 60 + p), parentID: sscc, childQuantityList: share, ...operator(distributor, '320106') }),
    );
  }
  for (let r = 0; r < retailers; r++) {
    const retailer = uscc('MC', (index * 7919 + r * 104_729) % RETAILERS);
    const retailRegion = REGIONS[(index + r) % REGIONS.length] as string;
    const q = [{ epcClass: cls, quantity: 10, uom: 'KGM' }];
    events.push(
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', eventTime: at(day + 2, r % 1440), quantityList: q, destinationList: [{ type: 'owning_party', destination: `urn:suyuan:party:${retailer}` }], ...operator(distributor, '320106') }),
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', eventTime: at(day + 3, r % 1440), quantityList: q, bizLocation: { id: `urn:suyuan:loc:${retailer}:shop` }, ...operator(retailer, retailRegion) }),
    );
  }
  return { lot: { lot, cls, retailers }, events };
}

async function load(store: TraceStore): Promise<Lot[]> {
  const lots: Lot[] = [];
  let loaded = 0;
  let batch: IdentifiedEvent[] = [];
  const started = performance.now();
  for (let i = 0; loaded + batch.length < TARGET; i++) {
    const { lot, events } = lotEvents(i, i < HOT_LOTS ? HOT_RETAILERS : 10 + Math.floor(random() * 40));
    lots.push(lot);
    batch.push(...events);
    if (batch.length >= 5000) {
      await store.putAll(batch);
      loaded += batch.length;
      batch = [];
      if (loaded % 100_000 < 5000) process.stderr.write(`loaded ${loaded} events (${Math.round((performance.now() - started) / 1000)} s)\n`);
    }
  }
  await store.putAll(batch);
  return lots;
}

/** The lots of a loaded file: the same seeded generator, run again without storing. */
function regenerate(): Lot[] {
  const lots: Lot[] = [];
  for (let i = 0, n = 0; n < TARGET; i++) {
    const { lot, events } = lotEvents(i, i < HOT_LOTS ? HOT_RETAILERS : 10 + Math.floor(random() * 40));
    lots.push(lot);
    n += events.length;
  }
  return lots;
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? NaN;
};
const ms = (x: number): number => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const dir = process.env.BENCH_DB ? undefined : mkdtempSync(join(tmpdir(), 'suyuan-bench-trace-'));
  const file = process.env.BENCH_DB ?? join(dir ?? '', 'trace.db');
  const fresh = !existsSync(file);
  const db = openSqlite<unknown>(file);
  // A page cache that holds the index's hot pages while a million events go in (SQLite's default is 2 MB).
  await sql`pragma cache_size = -524288`.execute(db);
  const store = await sqliteTraceStore(db, { migrate: true });
  let lots: Lot[];
  const loadStart = performance.now();
  if (fresh || (await store.count()) === 0) lots = await load(store);
  else lots = regenerate();
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const events = await store.count();
  process.stderr.write(`${events} events in the store (${Math.round(loadSeconds)} s)\n`);

  const hot = lots.slice(0, HOT_LOTS);
  const normal = Array.from({ length: ROUNDS }, () => lots[HOT_LOTS + Math.floor(random() * (lots.length - HOT_LOTS))] as Lot);
  const times: Record<string, number[]> = { lookup: [], trace: [], recall: [], hotLookup: [], hotRecall: [] };
  const kinds: Array<[string, (l: Lot) => Promise<unknown>]> = [
    ['lookup', (l) => store.naming([l.cls])],
    ['trace', (l) => traceOf(store, l.cls)],
    ['recall', (l) => recallImpact(store, l.lot)],
  ];
  let recipients = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const lot = normal[round] as Lot;
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const [name, run] of order) {
      const t = performance.now();
      await run(lot);
      times[name]?.push(performance.now() - t);
    }
    const h = hot[round % hot.length] as Lot;
    const pair: Array<[string, () => Promise<unknown>]> = [['hotLookup', () => store.naming([h.cls])], ['hotRecall', async () => { recipients = (await recallImpact(store, h.lot)).recipients.length; }]];
    for (const [name, run] of round % 2 === 0 ? pair : [...pair].reverse()) {
      const t = performance.now();
      await run();
      times[name]?.push(performance.now() - t);
    }
  }
  const figures = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { medianMs: ms(quantile(xs, 0.5)), p99Ms: ms(quantile(xs, 0.99)) }]));
  const ratio = (a: string, b: string, q: number) => ms(quantile(times[a] ?? [], q) / quantile(times[b] ?? [], q));
  const result = {
    bench: 'trace', events, lots: lots.length, hotLotRetailers: HOT_RETAILERS, hotLotRecipients: recipients, rounds: ROUNDS, loadSeconds: Math.round(loadSeconds),
    ...figures,
    ratios: {
      traceOverLookupMedian: ratio('trace', 'lookup', 0.5), traceOverLookupP99: ratio('trace', 'lookup', 0.99),
      recallOverLookupMedian: ratio('recall', 'lookup', 0.5), recallOverLookupP99: ratio('recall', 'lookup', 0.99),
      hotRecallOverHotLookupMedian: ratio('hotRecall', 'hotLookup', 0.5), hotRecallOverHotLookupP99: ratio('hotRecall', 'hotLookup', 0.99),
    },
  };
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(10)} median ${String(v.medianMs).padStart(8)} ms   p99 ${String(v.p99Ms).padStart(8)} ms`);
  await db.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}

await main();
