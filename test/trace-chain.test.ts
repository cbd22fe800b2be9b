/**
 * A chain across four departments in three formats, through the real adapters and transports: a pig
 * farm → slaughterhouse → wholesale market → two shops (commerce, GBK CSV files dropped), a drug from
 * its maker to a distributor (drug supervision, JSON pushed) and on to a hospital (health, SOAP over a
 * socket), with the invoices behind both (tax, e-invoice XML polled from a stand-in gateway). The trace
 * and the recall impact answer exactly the hops and parties of that chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { DEMO_TAX_TOKEN, loadDay, startEInvoiceGateway, type EInvoiceGateway } from '../src/demo/index.ts';
import { summarize } from '../src/demo/summary.ts';
import {
  CARCASS_LOT, CARCASS_LOT_NUMBER, CHAIN, DELIVERED, DISTRIBUTOR, DRUG_CODES, DRUG_LOT_NUMBER, FARM, HOSPITAL, LIVE_LOT, MAKER, MARKET, PLANT, SHOP1, SHOP2,
} from './helpers/trace-chain.ts';

interface HopJson {
  direction: string; via: string; type: string; eventTime: string; bizStep?: string;
  party?: { id: string }; location?: string; region?: string;
  sources: Array<{ type: string; id: string }>; destinations: Array<{ type: string; id: string }>;
}
interface RecipientJson { party: { id: string }; locations: string[]; regions: string[]; quantities: Record<string, number>; events: string[]; path: string[] }

let dataDir: string;
let gateway: EInvoiceGateway;
let app: App;
let base: string;
let regulator: string;

const loc = (party: { uscc: string }, site: string): string => `urn:suyuan:loc:${party.uscc}:${site}`;
const get = async <T>(path: string, key?: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
};
/** A hop as a regulator reads it: when, what, who, where, and how it was reached. */
const brief = (h: HopJson) => [h.eventTime.slice(11, 16), h.type, h.bizStep ?? '', h.party?.id ?? '', h.direction, h.via];
const feedOf = async (hash: string): Promise<string> => (await app.events.events({}, { perPage: 1000 })).events.find((e) => e.hash === hash)?.feed ?? '';

beforeAll(async () => {
  process.env.SUYUAN_TAX_EINVOICE_TOKEN = DEMO_TAX_TOKEN;
  gateway = await startEInvoiceGateway(CHAIN.invoices, DEMO_TAX_TOKEN);
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-chain-'));
  app = await createApp(loadConfig({ port: 0, dataDir, logLevel: 'silent', mappingWorkers: 0, inboundUrls: { tax: gateway.url } }, {}));
  base = (await app.listen()).url;
  await loadDay(app, CHAIN, { url: base });
  regulator = (await app.keys.create({ name: 'market regulator', roles: ['regulator'], scopes: ['commerce', 'drug-supervision', 'health', 'tax'] })).key;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await gateway?.close();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.SUYUAN_TAX_EINVOICE_TOKEN;
});

describe('a chain across four departments and three formats', () => {
  it('arrives whole: every message of every feed accepted', async () => {
    const summary = await summarize(app);
    expect(summary.feeds.map((f) => [f.feed, f.transport, f.messages, f.accepted])).toEqual([
      ['drug-supervision', 'http-push', 3, 3],
      ['hospital-procurement', 'soap-server', 2, 2],
      ['meat-vegetable-circulation', 'file-drop', 6, 6],
      ['tax', 'poll', 1, 1],
    ]);
    expect(summary.events).toBe(14);
  });

  it('traces the carcass lot back to the farm through the slaughter, and forward through the market to both shops', async () => {
    const { status, body } = await get<{ identifiers: string[]; hops: HopJson[] }>(`/v1/trace/${encodeURIComponent(CARCASS_LOT)}`, regulator);
    expect(status).toBe(200);
    expect(body.identifiers).toEqual([CARCASS_LOT]);
    expect(body.hops.map(brief)).toEqual([
      ['03:30', 'ObjectEvent', 'shipping', FARM.uscc, 'source', 'transformation'],
      ['05:40', 'TransformationEvent', 'urn:suyuan:bizstep:slaughtering', PLANT.uscc, 'self', 'code'],
      ['09:10', 'ObjectEvent', 'urn:suyuan:bizstep:market_entering', MARKET.uscc, 'self', 'code'],
      ['10:30', 'ObjectEvent', 'urn:suyuan:bizstep:market_exiting', MARKET.uscc, 'self', 'code'],
      ['10:35', 'TransactionEvent', '', PLANT.uscc, 'self', 'code'],
      ['10:40', 'ObjectEvent', 'urn:suyuan:bizstep:market_exiting', MARKET.uscc, 'self', 'code'],
      ['16:02', 'ObjectEvent', 'retail_selling', SHOP1.uscc, 'self', 'code'],
      ['17:15', 'ObjectEvent', 'retail_selling', SHOP2.uscc, 'self', 'code'],
    ]);
    const [farm, , entry, toShop1, invoice, toShop2, sale1, sale2] = body.hops;
    expect(farm?.location).toBe(loc(FARM, 'farm'));
    expect(farm?.destinations).toEqual([{ type: 'owning_party', id: loc(PLANT, 'plant') }]);
    expect(entry?.sources).toEqual([{ type: 'possessing_party', id: loc(PLANT, 'plant') }]);
    expect(toShop1?.destinations).toEqual([{ type: 'owning_party', id: loc(SHOP1, 'shop') }]);
    expect(toShop2?.destinations).toEqual([{ type: 'owning_party', id: loc(SHOP2, 'shop') }]);
    expect(invoice?.destinations).toEqual([{ type: 'owning_party', id: `urn:suyuan:party:${SHOP1.uscc}` }]);
    expect([sale1?.location, sale2?.location]).toEqual([loc(SHOP1, 'shop'), loc(SHOP2, 'shop')]);
    expect([sale1?.region, sale2?.region]).toEqual(['320508', '320506']);
  });

  it('traces the live lot forward from the farm to the carcass lot and where it went', async () => {
    const { body } = await get<{ hops: HopJson[] }>(`/v1/trace/${encodeURIComponent(LIVE_LOT)}`, regulator);
    expect(body.hops.map((h) => [h.party?.id, h.direction])).toEqual([
      [FARM.uscc, 'self'], [PLANT.uscc, 'destination'],
      [MARKET.uscc, 'destination'], [MARKET.uscc, 'destination'], [PLANT.uscc, 'destination'], [MARKET.uscc, 'destination'],
      [SHOP1.uscc, 'destination'], [SHOP2.uscc, 'destination'],
    ]);
  });

  it('traces a drug trace code from its maker through the distributor to the hospital, across three departments', async () => {
    const { status, body } = await get<{ identifiers: string[]; hops: Array<HopJson & { hash: string }> }>(`/v1/trace/${DELIVERED[0] ?? ''}`, regulator);
    expect(status).toBe(200);
    expect(body.identifiers).toEqual([`urn:suyuan:id:drug:${DELIVERED[0] ?? ''}`]);
    expect(body.hops.map(brief)).toEqual([
      ['07:30', 'ObjectEvent', 'commissioning', MAKER.uscc, 'self', 'code'],
      ['09:00', 'ObjectEvent', 'shipping', MAKER.uscc, 'self', 'code'],
      ['09:05', 'TransactionEvent', '', MAKER.uscc, 'self', 'transaction'],
      ['13:10', 'ObjectEvent', 'receiving', DISTRIBUTOR.uscc, 'self', 'code'],
      ['15:00', 'ObjectEvent', 'shipping', DISTRIBUTOR.uscc, 'self', 'code'],
      ['17:20', 'ObjectEvent', 'receiving', HOSPITAL.uscc, 'self', 'code'],
    ]);
    expect(await Promise.all(body.hops.map((h) => feedOf(h.hash)))).toEqual([
      'drug-supervision', 'drug-supervision', 'tax', 'drug-supervision', 'hospital-procurement', 'hospital-procurement',
    ]);
    const delivery = body.hops[4];
    expect(delivery?.destinations).toEqual([
      { type: 'owning_party', id: `urn:suyuan:party:${HOSPITAL.uscc}` }, { type: 'location', id: loc(HOSPITAL, 'pharmacy') },
    ]);
  });

  it('answers the public look-up of the same code without naming a party the public may not see', async () => {
    const { status, body } = await get<{ hops: Array<Record<string, unknown>> }>(`/t/${DELIVERED[0] ?? ''}`);
    expect(status).toBe(200);
    expect(body.hops).toHaveLength(6);
  });
});

describe('recall impact', () => {
  it('of the carcass lot: the market and both shops, with where and how the meat got there', async () => {
    const { status, body } = await get<{ identifiers: string[]; recipients: RecipientJson[]; regions: Array<{ region: string; parties: number }> }>(
      `/v1/recall-impact?lot=${CARCASS_LOT_NUMBER}`, regulator);
    expect(status).toBe(200);
    expect(body.identifiers).toEqual([CARCASS_LOT]);
    const byParty = new Map(body.recipients.map((r) => [r.party.id, r]));
    expect([...byParty.keys()].sort()).toEqual([MARKET.uscc, SHOP2.uscc, SHOP1.uscc].sort());
    expect(byParty.get(MARKET.uscc)?.locations).toEqual([loc(MARKET, 'market')]);
    expect(byParty.get(SHOP1.uscc)?.regions).toEqual(['320508']);
    expect(byParty.get(SHOP2.uscc)?.regions).toEqual(['320506']);
    expect(body.regions).toEqual([{ region: '320506', parties: 1 }, { region: '320508', parties: 2 }]);
    for (const r of body.recipients) expect(r.path.length, r.party.id).toBeGreaterThan(0);
  });

  it('of the drug lot: the distributor and the hospital, with the units each received', async () => {
    const { status, body } = await get<{ identifiers: string[]; recipients: RecipientJson[] }>(`/v1/recall-impact?lot=${DRUG_LOT_NUMBER}`, regulator);
    expect(status).toBe(200);
    expect(body.recipients.map((r) => [r.party.id, r.regions, r.quantities.EA]).sort()).toEqual([
      [HOSPITAL.uscc, ['320106'], DELIVERED.length],
      [DISTRIBUTOR.uscc, ['320104'], DRUG_CODES.length],
    ].sort());
  });

  it('is for regulators and operators only', async () => {
    expect((await get(`/v1/recall-impact?lot=${CARCASS_LOT_NUMBER}`)).status).toBe(401);
  });
});
