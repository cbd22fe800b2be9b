// The trace store contract suite: the same tests against every engine (SQLite in a hub database file, PostgreSQL for real).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/db/index.ts';
import { eventHash } from '../../src/standards/event-hash.ts';
import { recallImpact, traceOf } from '../../src/trace/answers.ts';
import type { TraceStore } from '../../src/trace/contract.ts';
import { postgresTraceStore, sqliteTraceStore } from '../../src/trace/engines.ts';
import { createPostgresDatabase, postgresAvailable, type PostgresDatabase } from '../helpers/postgres.ts';
import { CARCASS, CASE, DRUG1, DRUG2, EVENTS, LOT, MARKET, PIG1, R1, R2, SLAUGHTER, hashOf, identified } from './chain.ts';

interface Engine { open(): Promise<TraceStore>; teardown(): Promise<void> }

function sqliteEngine(): Engine {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-trace-'));
  let db: Kysely<unknown> | undefined;
  return {
    async open() { db = openSqlite(join(dir, 'hub.db')); return sqliteTraceStore(db, { migrate: true }); },
    async teardown() { await db?.destroy(); rmSync(dir, { recursive: true, force: true }); },
  };
}

function postgresEngine(): Engine {
  let database: PostgresDatabase | undefined;
  let store: TraceStore | undefined;
  return {
    async open() { database = await createPostgresDatabase(); store = await postgresTraceStore(database.url); return store; },
    async teardown() { await store?.close(); await database?.drop(); },
  };
}

const ENGINES: Array<[string, () => Engine, string | undefined]> = [
  ['sqlite', sqliteEngine, undefined],
  ['postgres', postgresEngine, postgresAvailable() ? undefined : 'no PostgreSQL'],
];

const ALL = Object.keys(EVENTS);

describe.each(ENGINES)('trace store on %s', (_name, makeEngine, skip) => {
  let engine: Engine;
  let store: TraceStore;
  beforeAll(async () => {
    if (skip) return;
    engine = makeEngine();
    store = await engine.open();
    expect(await store.putAll(ALL.map((n) => identified(n)))).toEqual(ALL.map(() => 'stored'));
  });
  afterAll(async () => { if (!skip) await engine.teardown(); });

  it.skipIf(skip)('stores each event once by hash, whichever feed brings it again', async () => {
    expect(await store.count()).toBe(ALL.length);
    expect(await store.put(identified('toMarket', 'another-feed'))).toBe('duplicate');
    expect(await store.putAll([identified('atR1'), identified('atR1')])).toEqual(['duplicate', 'duplicate']);
    expect(await store.count()).toBe(ALL.length);
    expect(await store.get(hashOf('slaughter'))).toEqual(EVENTS.slaughter);
    expect(await store.get('ni:///sha-256;0000?ver=CBV2.0')).toBeUndefined();
  });

  it.skipIf(skip)('finds events by every identifier they name, in any of its forms', async () => {
    const hashes = async (values: string[], roles?: string[]) => (await store.naming(values, roles)).map((e) => e.hash);
    expect(await hashes([PIG1])).toEqual([hashOf('pigsBorn'), hashOf('pigsShipped'), hashOf('slaughter')]);
    expect(await hashes(['https://id.gs1.org/01/06923456100015/21/PIG1'])).toEqual(await hashes([PIG1])); // the EPC URN's Digital Link
    expect(await hashes([CASE])).toEqual([hashOf('packed'), hashOf('caseShipped'), hashOf('caseReceived')]);
    expect(await hashes([CASE], ['parent'])).toEqual([hashOf('packed')]);
    expect(await hashes([DRUG2], ['child'])).toEqual([hashOf('packed')]);
    expect(await hashes([PIG1], ['input'])).toEqual([hashOf('slaughter')]);
    expect(await hashes([CARCASS], ['output_class'])).toEqual([hashOf('slaughter')]);
    expect(await hashes([LOT], ['lot'])).toContain(hashOf('atR1'));
    expect(await hashes(['urn:suyuan:bt:desadv:DA-1'], ['bt:desadv'])).toEqual([hashOf('toMarket'), hashOf('invoice')]);
    expect(await hashes([`urn:suyuan:party:${R2}`], ['dest:owning_party'])).toEqual([hashOf('toR2')]);
    expect(await hashes([R1], ['party'])).toEqual([hashOf('atR1')]);
    expect(await hashes(['320205'], ['region'])).toEqual([hashOf('atR2')]);
    expect(await hashes([`urn:suyuan:loc:${MARKET}:hall-2`], ['biz_location'])).toEqual([hashOf('atMarket')]);
  });

  it.skipIf(skip)('filters events like the EPCIS query interface and pages through them', async () => {
    const page1 = await store.events({ types: ['ObjectEvent'], bizSteps: ['urn:epcglobal:cbv:bizstep:receiving'] }, { perPage: 2 });
    expect(page1.events).toHaveLength(2);
    expect(page1.next).toBeDefined();
    const rest = await store.events({ types: ['ObjectEvent'], bizSteps: ['receiving'] }, { perPage: 100, ...(page1.next !== undefined ? { after: page1.next } : {}) });
    expect([...page1.events, ...rest.events].map((e) => e.hash).sort()).toEqual(['atMarket', 'atR1', 'atR2', 'otherLot', 'mistaken', 'caseReceived'].map(hashOf).sort());
    expect(rest.next).toBeUndefined();
    const timed = await store.events({ geEventTime: '2024-03-15T02:00:00.000Z', ltEventTime: '2024-03-15T03:00:00.000Z' }, { perPage: 10 });
    expect(timed.events.map((e) => e.hash)).toEqual([hashOf('toR1'), hashOf('toR2')]);
    const byEpc = await store.events({ ids: [{ roles: ['epc', 'child'], values: [DRUG1] }] }, { perPage: 10 });
    expect(byEpc.events.map((e) => e.hash)).toEqual([hashOf('drugsMade'), hashOf('packed')]);
    // MATCH_anyEPCClass: a lot is the same lot in each of its spellings.
    const anyClass = ['class', 'child_class', 'input_class', 'output_class'];
    const byClass = async (value: string) => (await store.events({ ids: [{ roles: anyClass, values: [value] }] }, { perPage: 50 })).events.map((e) => e.hash);
    const carcass = await byClass(CARCASS);
    expect(carcass).toContain(hashOf('slaughter'));
    expect(carcass).not.toContain(hashOf('otherLot'));
    expect(await byClass(`urn:suyuan:class:lot:06901234567892.${LOT}`)).toEqual(carcass);
    expect(await byClass(`urn:suyuan:class:lot:6901234567892.${LOT}`)).toEqual(carcass);
    expect(await byClass(`urn:epc:class:lgtin:6901234.056789.${LOT}`)).toEqual(carcass);
  });

  it.skipIf(skip)('pages in event or record time order, either way, with a keyset cursor', async () => {
    const all = async (order: { by: 'seq' | 'eventTime' | 'recordTime'; direction: 'ASC' | 'DESC' }): Promise<string[]> => {
      const out: string[] = [];
      let cursor: { seq: number; time?: string } | undefined;
      for (let i = 0; i < 100; i += 1) {
        const page = await store.events({}, { perPage: 4, order, ...(cursor ? { cursor } : {}) });
        out.push(...page.events.map((e) => e.hash));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return out;
    };
    const byTime = (n: string) => Date.parse(String(EVENTS[n]?.eventTime));
    const names = Object.keys(EVENTS);
    const ascending = await all({ by: 'eventTime', direction: 'ASC' });
    expect(ascending).toHaveLength(names.length);
    expect(ascending).toEqual([...names].sort((a, b) => byTime(a) - byTime(b)).map(hashOf));
    expect(await all({ by: 'eventTime', direction: 'DESC' })).toEqual([...ascending].reverse());
    const storage = await all({ by: 'seq', direction: 'ASC' });
    expect(await all({ by: 'seq', direction: 'DESC' })).toEqual([...storage].reverse());
    // One putAll: one record time for all, so record order is storage order.
    expect(await all({ by: 'recordTime', direction: 'DESC' })).toEqual([...storage].reverse());
  });

  it.skipIf(skip)('follows a pig forward through slaughter to the retailers, and a lot back to the farm', async () => {
    const fromPig = await traceOf(store, PIG1);
    const names = (hashes: readonly string[]) => hashes.map((h) => ALL.find((n) => hashOf(n) === h));
    expect(names(fromPig.hops.map((h) => h.hash))).toEqual(['pigsBorn', 'pigsShipped', 'slaughter', 'toMarket', 'atMarket', 'invoice', 'toR1', 'toR2', 'atR1', 'atR2', 'mistaken']);
    expect(fromPig.hops.find((h) => h.hash === hashOf('atR2'))).toMatchObject({ direction: 'destination', party: { id: R2 }, region: '320205', bizStep: 'receiving' });
    expect(fromPig.hops.find((h) => h.hash === hashOf('invoice'))).toMatchObject({ via: 'transaction' });
    const fromLot = await traceOf(store, LOT);
    expect(fromLot.identifiers).toEqual([CARCASS]);
    expect(fromLot.hops.find((h) => h.hash === hashOf('pigsBorn'))).toMatchObject({ direction: 'source', party: { id: '91320115MA1R2K3P2E' } });
    expect(fromLot.hops.map((h) => h.hash)).not.toContain(hashOf('otherLot'));
    const drug = await traceOf(store, '81002131234567899002'); // a bare drug trace code
    expect(names(drug.hops.map((h) => h.hash))).toEqual(['drugsMade', 'packed', 'caseShipped', 'caseReceived']);
    await expect(traceOf(store, 'urn:epc:id:sgtin:6923456.010001.NOPE')).rejects.toMatchObject({ code: 'TRACE_CODE_UNKNOWN' });
  });

  it.skipIf(skip)('answers a recall with every receiving party, its quantities, region and path; declared errors drop out', async () => {
    const before = await recallImpact(store, LOT);
    expect(before.recipients.map((r) => r.party.id)).toContain('91320200MA1YYYYY0Y');
    const mistaken = { ...EVENTS.mistaken, errorDeclaration: { declarationTime: '2024-03-16T00:00:00Z', reason: 'incorrect_data' } };
    expect(await store.put({ ...identified('mistaken'), event: mistaken })).toBe('duplicate');
    expect(await store.get(hashOf('mistaken'))).toMatchObject({ errorDeclaration: { reason: 'incorrect_data' } });
    expect((await store.events({ errorDeclared: true }, { perPage: 10 })).events.map((e) => e.hash)).toEqual([hashOf('mistaken')]);
    const impact = await recallImpact(store, LOT);
    const byParty = Object.fromEntries(impact.recipients.map((r) => [r.party.id, r]));
    expect(Object.keys(byParty).sort()).toEqual([MARKET, R1, R2].sort());
    expect(byParty[R1]).toMatchObject({ quantities: { KGM: 100 }, regions: ['320102'], locations: [`urn:suyuan:loc:${R1}:shop`] });
    expect(byParty[MARKET]?.quantities).toEqual({ KGM: 180 });
    expect(byParty[R2]?.path).toEqual(['toMarket', 'atMarket', 'toR2', 'atR2'].map(hashOf));
    expect(byParty[R2]?.party.name).toBe(EVENTS.atR2?.['sy:operator'] && `企业${R2.slice(-4)}`);
    expect(impact.regions).toEqual([{ region: '320102', parties: 1 }, { region: '320114', parties: 1 }, { region: '320205', parties: 1 }]);
    expect(JSON.stringify(impact)).not.toContain(SLAUGHTER + '"'); // upstream parties are not recipients
  });

  it.skipIf(skip)('takes a lot written as a Digital Link and as a local lot class URN as one lot, and one party named by PGLN and credit code as one recipient', async () => {
    const lot = 'WN2024A';
    const link = `https://id.gs1.org/01/06901234567892/10/${lot}`;
    const importer = '91310000MA1FL2AB3C';
    const supermarket = '91320100MA1WQ0HM3E';
    const supermarketPgln = 'urn:epc:id:pgln:6901234.00001';
    const stranger = 'urn:epc:id:pgln:6901234.00002';
    const at = (time: string, operator: string) => ({ eventTime: `2024-04-${time}+08:00`, eventTimeZoneOffset: '+08:00', 'sy:operator': { 'sy:uscc': operator, 'sy:name': `企业${operator.slice(-4)}` } });
    const wine = (quantity: number) => ({ quantityList: [{ epcClass: link, quantity, uom: 'H87' }] });
    const events: Record<string, Record<string, unknown>> = {
      // customs: the lot as its Digital Link
      released: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', ...wine(600), ...at('01T09:00:00', importer) },
      toSupermarket: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', ...wine(240), destinationList: [{ type: 'owning_party', destination: supermarketPgln }], ...at('02T09:00:00', importer) },
      // tax: the same lot as a local class URN, the GTIN in 13 digits
      invoiced: { type: 'TransactionEvent', action: 'ADD', bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:suyuan:bt:inv:WINE-INV-1' }], quantityList: [{ epcClass: `urn:suyuan:class:lot:6901234567892.${lot}`, quantity: 240, uom: 'H87' }], destinationList: [{ type: 'owning_party', destination: `urn:suyuan:party:${supermarket}` }], ...at('02T10:00:00', importer) },
      // the supermarket's receipt names it both ways: its credit code as operator, its PGLN as the owning party
      received: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', ...wine(240), destinationList: [{ type: 'owning_party', destination: supermarketPgln }], ...at('02T15:00:00', supermarket) },
      // nothing says this PGLN is anyone else
      toStranger: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', ...wine(60), destinationList: [{ type: 'owning_party', destination: stranger }], ...at('03T09:00:00', importer) },
    };
    const hash = (name: string): string => eventHash(events[name]);
    expect(await store.putAll(Object.keys(events).map((name) => ({ hash: hash(name), event: events[name] as Record<string, unknown>, messageId: `m-${name}`, recordIndex: 0, feed: name === 'invoiced' ? 'tax' : 'customs' }))))
      .toEqual(Object.keys(events).map(() => 'stored'));

    for (const code of [link, `urn:suyuan:class:lot:06901234567892.${lot}`]) {
      const trace = await traceOf(store, code);
      expect(trace.hops.map((h) => h.hash).sort(), code).toEqual(Object.keys(events).map(hash).sort());
    }
    // The lot number alone finds both forms too.
    expect((await traceOf(store, lot)).hops.map((h) => h.hash)).toContain(hash('invoiced'));

    const impact = await recallImpact(store, link);
    const byParty = Object.fromEntries(impact.recipients.map((r) => [r.party.id, r]));
    expect(Object.keys(byParty).sort()).toEqual([supermarket, stranger].sort());
    expect(byParty[supermarket]).toMatchObject({ quantities: { H87: 240 }, events: [hash('received')], party: { name: `企业${supermarket.slice(-4)}` } });
    expect(byParty[stranger]?.quantities).toEqual({ H87: 60 });
    // From the local URN, the same recipients.
    expect((await recallImpact(store, `urn:suyuan:class:lot:6901234567892.${lot}`)).recipients.map((r) => r.party.id).sort()).toEqual([supermarket, stranger].sort());
  });

  it.skipIf(skip)('traces a bare 32-digit pesticide label code from its maker to the dealer that received it', async () => {
    const code = `1${'3'.repeat(31)}`;
    const maker = '91320500MA1PEST00C';
    const dealer = '91320100MA1AGRI00D';
    const at = (time: string, uscc: string, region: string) => ({ eventTime: `2024-04-${time}+08:00`, eventTimeZoneOffset: '+08:00', 'sy:operator': { 'sy:uscc': uscc }, 'sy:place': { 'sy:region': region } });
    const shipped = { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: [`urn:suyuan:id:pesticide:${code}`], destinationList: [{ type: 'owning_party', destination: `urn:suyuan:party:${dealer}` }], ...at('02T09:00:00', maker, '320505') };
    const received = { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', epcList: [`urn:suyuan:id:pesticide:${code}`], ...at('02T16:00:00', dealer, '320102') };
    for (const [i, event] of [shipped, received].entries()) {
      expect(await store.put({ hash: eventHash(event), event, messageId: `m-pesticide-${i}`, recordIndex: 0, feed: 'test' })).toBe('stored');
    }
    const trace = await traceOf(store, code);
    expect(trace.hops.map((h) => [h.bizStep, h.party?.id, h.region])).toEqual([['shipping', maker, '320505'], ['receiving', dealer, '320102']]);
  });
});
