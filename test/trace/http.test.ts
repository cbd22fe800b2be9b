/** The trace store over HTTP: the EPCIS query interface, traces and recalls by role, and the public look-up showing public fields only. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { eventHash } from '../../src/standards/event-hash.ts';
import { REPO_ROOT } from '../../src/standards/index.ts';
import { classifiedPaths } from '../../src/trace/index.ts';
import { CARCASS, EVENTS, LOT, MARKET, PIG1, R1, identified } from './chain.ts';

const ADMIN = 'trace-http-admin-key-0001';
const EXAMPLES = join(REPO_ROOT, 'standards/trace.event/2.0.0/examples/valid');
const examples = readdirSync(EXAMPLES).map((f) => JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8')) as Record<string, unknown>);

let app: App;
let dataDir: string;
let base: string;
let regulator: string;
let taxRegulator: string;

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const json = async (res: Response): Promise<any> => res.json();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-trace-http-'));
  // The chain and the examples are trace.event 2.0.0 events: the hub stores (and views) that version.
  app = await createApp(loadConfig({ port: 0, dataDir, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0, canonical: { 'trace.event': '2.0.0' } }, {}));
  base = (await app.listen()).url;
  regulator = (await app.keys.create({ name: '海关 customs', roles: ['regulator'], scopes: ['customs'] })).key;
  taxRegulator = (await app.keys.create({ name: '税务 tax', roles: ['regulator'], scopes: ['tax'] })).key;
  await app.events.putAll(Object.keys(EVENTS).map((n) => identified(n)));
  await app.events.putAll(examples.map((e, i) => ({ hash: eventHash(e), event: e, feed: 'examples', messageId: 'examples', recordIndex: i })));
});
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /epcis/events', () => {
  it('answers an EPCIS query document page by page, following the Link header', async () => {
    const first = await get('/epcis/events?eventType=ObjectEvent&EQ_bizStep=receiving&perPage=3', { authorization: `Bearer ${regulator}` });
    expect(first.status).toBe(200);
    expect(first.headers.get('gs1-epcis-version')).toBe('2.0.0');
    const doc = await json(first);
    expect(doc).toMatchObject({ type: 'EPCISQueryDocument', epcisBody: { queryResults: { queryName: 'SimpleEventQuery' } } });
    const page1 = doc.epcisBody.queryResults.resultsBody.eventList as Array<Record<string, unknown>>;
    expect(page1).toHaveLength(3);
    const all = [...page1];
    let link = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(link).toBeDefined();
    while (link) {
      const res = await get(link, { authorization: `Bearer ${regulator}` });
      all.push(...((await json(res)).epcisBody.queryResults.resultsBody.eventList as Array<Record<string, unknown>>));
      link = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(all).toHaveLength(7); // six in the chain, one example (object-receiving-urn-forms)
    expect(new Set(all.map((e) => JSON.stringify(e))).size).toBe(7);
    for (const e of all) expect(String(e.bizStep)).toMatch(/receiving$/);
  });

  it('matches identifiers in any form and by business transaction type', async () => {
    const byDl = await json(await get(`/epcis/events?MATCH_anyEPC=${encodeURIComponent('https://id.gs1.org/01/06923456100015/21/PIG1')}`, { authorization: `Bearer ${regulator}` }));
    expect(byDl.epcisBody.queryResults.resultsBody.eventList).toHaveLength(3);
    const byBt = await json(await get(`/epcis/events?EQ_bizTransaction_desadv=${encodeURIComponent('urn:suyuan:bt:desadv:DA-1')}`, { authorization: `Bearer ${regulator}` }));
    expect(byBt.epcisBody.queryResults.resultsBody.eventList.map((e: { type: string }) => e.type)).toEqual(['ObjectEvent', 'TransactionEvent']);
    const anonymous = await get(`/epcis/events?EQ_bizTransaction_desadv=x`);
    expect(anonymous.status).toBe(403);
  });

  it('refuses an unknown parameter or a bad value with a QueryParameterException naming it', async () => {
    for (const [query, parameter] of [['colour=red', 'colour'], ['GE_eventTime=yesterday', 'GE_eventTime'], ['perPage=0', 'perPage'], ['nextPageToken=zzz', 'nextPageToken']]) {
      const res = await get(`/epcis/events?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await json(res)).toMatchObject({ type: 'epcisException:QueryParameterException', code: 'QUERY_PARAMETER_INVALID', parameter });
    }
  });

  it('orders by event or record time either way, limits the count across pages, and says when a page token expires', async () => {
    const admin = { authorization: `Bearer ${ADMIN}` };
    const pages = async (query: string): Promise<{ events: Array<Record<string, unknown>>; sizes: number[]; expires: Array<string | null> }> => {
      const events: Array<Record<string, unknown>> = [];
      const sizes: number[] = [];
      const expires: Array<string | null> = [];
      let next: string | undefined = `/epcis/events?${query}`;
      while (next) {
        const res = await get(next, admin);
        expect(res.status, next).toBe(200);
        const list = (await json(res)).epcisBody.queryResults.resultsBody.eventList as Array<Record<string, unknown>>;
        events.push(...list);
        sizes.push(list.length);
        next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
        expires.push(res.headers.get('gs1-next-page-token-expires'));
      }
      return { events, sizes, expires };
    };
    const times = (events: Array<Record<string, unknown>>) => events.map((e) => Date.parse(String(e.eventTime)));
    const filter = 'eventType=ObjectEvent&EQ_bizStep=receiving';
    const stored = await pages(`${filter}&perPage=100`);
    expect(stored.events).toHaveLength(7);

    const asc = await pages(`${filter}&orderBy=eventTime&orderDirection=ASC&perPage=2`);
    expect(asc.sizes).toEqual([2, 2, 2, 1]);
    expect(times(asc.events)).toEqual([...times(stored.events)].sort((a, b) => a - b));
    // Every page but the last tells when its token expires: about an hour on.
    expect(asc.expires.slice(0, -1).every((e) => e !== null && Math.abs(Date.parse(e) - Date.now() - 3_600_000) < 600_000)).toBe(true);
    expect(asc.expires.at(-1)).toBeNull();
    const desc = await pages(`${filter}&orderBy=eventTime&perPage=3`); // DESC unless told
    expect(times(desc.events)).toEqual([...times(stored.events)].sort((a, b) => b - a));
    expect(new Set(desc.events.map((e) => JSON.stringify(e))).size).toBe(7);
    const byRecord = await pages(`${filter}&orderBy=recordTime&orderDirection=DESC&perPage=2`);
    const byRecordAsc = await pages(`${filter}&orderBy=recordTime&orderDirection=ASC&perPage=3`);
    expect(byRecord.events).toEqual([...byRecordAsc.events].reverse());
    expect(new Set(byRecord.events.map((e) => JSON.stringify(e)))).toEqual(new Set(stored.events.map((e) => JSON.stringify(e))));

    const limited = await pages(`${filter}&orderBy=eventTime&orderDirection=ASC&eventCountLimit=5&perPage=2`);
    expect(limited.sizes).toEqual([2, 2, 1]);
    expect(limited.events).toEqual(asc.events.slice(0, 5));
    expect((await pages(`${filter}&eventCountLimit=3`)).events).toEqual(stored.events.slice(0, 3));

    const future = encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString());
    expect((await pages(`${filter}&GE_recordTime=${future}`)).events).toHaveLength(0);
    expect((await pages(`${filter}&LT_recordTime=${future}`)).events).toHaveLength(7);

    const first = await get(`/epcis/events?${filter}&orderBy=eventTime&perPage=2`, admin);
    const token = new URL(/<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '', base).searchParams.get('nextPageToken') ?? '';
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    const expired = Buffer.from(JSON.stringify({ ...state, expires: '2020-01-01T00:00:00.000Z' }), 'utf8').toString('base64url');
    for (const [query, parameter, says] of [
      ['orderBy=bizStep', 'orderBy', 'bizStep'], ['orderDirection=UP', 'orderDirection', 'UP'], ['eventCountLimit=0', 'eventCountLimit', 'positive'],
      [`orderBy=recordTime&nextPageToken=${token}`, 'nextPageToken', 'recordTime'], [`orderBy=eventTime&nextPageToken=${expired}`, 'nextPageToken', 'expired'],
      ['maxEventCount=3', 'maxEventCount', 'maxEventCount'],
    ] as const) {
      const res = await get(`/epcis/events?${query}`);
      expect(res.status, query).toBe(400);
      const body = await json(res);
      expect(body, query).toMatchObject({ type: 'epcisException:QueryParameterException', parameter });
      expect(body.detail, query).toContain(says);
    }
  });

  it('reads event times with their zone, even when the + arrives unencoded', async () => {
    const count = async (q: string) => (await json(await get(`/epcis/events?${q}`))).epcisBody.queryResults.resultsBody.eventList.length;
    expect(await count('GE_eventTime=2024-03-15T10:00:00+08:00&LT_eventTime=2024-03-15T10:30:00%2B08:00')).toBe(2);
    expect(await count('GE_eventTime=2024-03-15T02:00:00Z&LT_eventTime=2024-03-15T02:30:00Z')).toBe(2);
  });

  it('answers XML when asked', async () => {
    const res = await get('/epcis/events?eventType=TransformationEvent', { accept: 'application/xml', authorization: `Bearer ${regulator}` });
    expect(res.headers.get('content-type')).toContain('application/xml');
    const xml = await res.text();
    expect(xml).toContain('epcisq:EPCISQueryDocument');
    expect(xml).toContain('<TransformationEvent>');
    const publicXml = await get('/epcis/events?eventType=ObjectEvent', { accept: 'application/xml' });
    expect(publicXml.status).toBe(200);
    const text = await publicXml.text();
    expect(text).toMatch(/<quantityElement>\s*<epcClass>[^<]+<\/epcClass>\s*<\/quantityElement>/);
    expect(text).not.toContain('<quantity>');
  });

  it('takes a Digital Link in the trace path as it is or percent-encoded', async () => {
    const plain = await json(await get(`/v1/trace/https://id.gs1.org/01/06901234567892/10/${LOT}`, { authorization: `Bearer ${regulator}` }));
    const encoded = await json(await get(`/v1/trace/${encodeURIComponent(CARCASS)}`, { authorization: `Bearer ${regulator}` }));
    expect(plain.hops.length).toBeGreaterThan(5);
    expect(plain.hops).toEqual(encoded.hops);
  });

  it('shows each reader what its roles and departments may see', async () => {
    const q = `/epcis/events?EQ_eventID=${encodeURIComponent('urn:uuid:6b1f0d2e-3c4a-4f5b-9e8d-7a6c5b4d3e21')}`;
    const anon = (await json(await get(q))).epcisBody.queryResults.resultsBody.eventList[0];
    expect(anon).not.toHaveProperty('sy:operator');
    expect(anon).not.toHaveProperty('transformationID');
    const reg = (await json(await get(q, { authorization: `Bearer ${regulator}` }))).epcisBody.queryResults.resultsBody.eventList[0];
    expect(reg['sy:operator']).toMatchObject({ 'sy:uscc': '91320115MA1R2K3P2E' });
    const invoice = async (key: string) => (await json(await get(`/epcis/events?eventType=TransactionEvent&EQ_bizTransaction_inv=${encodeURIComponent('urn:suyuan:bt:inv:INV-1')}`, { authorization: `Bearer ${key}` }))).epcisBody.queryResults.resultsBody.eventList[0];
    expect((await invoice(taxRegulator)).bizTransactionList[0]).toHaveProperty('sy:amount', 5400);
    expect((await invoice(regulator)).bizTransactionList[0]).not.toHaveProperty('sy:amount');
  });
});

describe('traces and recalls', () => {
  it('traces a code for a regulator with parties, and for the public without them', async () => {
    const reg = await json(await get(`/v1/trace/${encodeURIComponent(PIG1)}`, { authorization: `Bearer ${regulator}` }));
    expect(reg.hops.find((h: { bizStep: string; party?: { id: string } }) => h.bizStep === 'receiving' && h.party?.id === R1)).toMatchObject({ direction: 'destination', region: '320102' });
    const anon = await json(await get(`/v1/trace/${encodeURIComponent(PIG1)}`));
    expect(anon.hops).toHaveLength(reg.hops.length);
    for (const hop of anon.hops) { expect(hop).not.toHaveProperty('party'); expect(hop.destinations).toEqual([]); }
    expect((await get('/v1/trace/urn:epc:id:sgtin:6923456.010001.NONE')).status).toBe(404);
  });

  it('answers the recall impact of a lot to regulators only', async () => {
    expect((await get(`/v1/recall-impact?lot=${LOT}`)).status).toBe(401);
    const res = await get(`/v1/recall-impact?lot=${LOT}`, { authorization: `Bearer ${regulator}` });
    expect(res.status).toBe(200);
    const impact = await json(res);
    expect(impact.identifiers).toContain(CARCASS); // and the example slaughter's lot of the same number
    expect(impact.recipients.map((r: { party: { id: string } }) => r.party.id)).toEqual(expect.arrayContaining([MARKET, R1]));
    expect((await get(`/v1/recall-impact?lot=${LOT}&code=x`, { authorization: `Bearer ${regulator}` })).status).toBe(400);
  });
});

describe('the public look-up', () => {
  /** Every field of every event in a public answer, with its classification. */
  const assertPublic = (events: unknown[]): number => {
    const schema = app.registry.standards.catalog.get('trace.event', '2.0.0').schema;
    let fields = 0;
    for (const event of events) {
      for (const { path, classification } of classifiedPaths(schema, event)) { expect(classification, path).toBe('public'); fields += 1; }
    }
    return fields;
  };

  it('shows only public fields of every event, for every code of the chain and of the examples', async () => {
    const codes = [PIG1, LOT, CARCASS, '81002131234567899001', 'urn:epc:id:sscc:6945678.0000000101', ...examples.flatMap((e) => (Array.isArray(e.epcList) ? e.epcList.slice(0, 1) : []))];
    let fields = 0;
    for (const code of codes) {
      const res = await get(`/t/${encodeURIComponent(String(code))}`, { accept: 'application/json' });
      expect(res.status, String(code)).toBe(200);
      const body = await json(res);
      expect(body.hops.length, String(code)).toBeGreaterThan(0);
      fields += assertPublic(body.hops.map((h: { event: unknown }) => h.event));
      for (const hop of body.hops) { expect(hop).not.toHaveProperty('party'); expect(hop).not.toHaveProperty('code'); }
      expect(JSON.stringify(body)).not.toMatch(/sy:operator|sy:amount|bizTransactionList|sourceList|destinationList|"quantity"/);
    }
    expect(fields).toBeGreaterThan(100);
  });

  it('resolves GS1 Digital Link URIs to a self-contained page in Chinese and English', async () => {
    const res = await get(`/01/06901234567892/10/${LOT}`, { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('追溯查询 / Trace');
    expect(html).toContain('屠宰 / Slaughtered');
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
    expect(html).not.toContain(EVENTS.atR1?.['sy:operator'] && '企业341L'); // names are shared, not public
    const missing = await get('/01/06901234567892/10/NOSUCHLOT', { accept: 'text/html' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No records');
    const asJson = await json(await get(`/01/06901234567892/10/${LOT}`));
    expect(asJson.hops.length).toBeGreaterThan(5);
  });
});
