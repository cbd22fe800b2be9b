/**
 * Bridges between major versions of the standard: every bridge case, the 1 → 2 → 1 round trip over
 * every valid 1.0.0 example, chains of bridges, and the hub storing trace.event 2.0.0 (a draft, as
 * canonical) from an adapter still on 1.x over HTTP, then giving a 1.x consumer back the 1.x event.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadBridges, type Bridge } from '../src/mapping/bridges.ts';
import { loadMapping, MappingEngine, runCase } from '../src/mapping/index.ts';
import { VersionBridge } from '../src/pipeline/bridge.ts';
import { loadStandards, REPO_ROOT } from '../src/standards/index.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const engine = new MappingEngine();
const standards = await loadStandards();
const bridges = loadBridges();
const up = bridges.bridgePath('trace.event', 1, 2) ?? [];
const down = bridges.bridgePath('trace.event', 2, 1) ?? [];
const now = new Date('2026-01-01T00:00:00+08:00');
const carry = async (path: readonly Bridge[], value: unknown): Promise<unknown> => {
  let v = value;
  for (const b of path) v = await engine.evaluate(b, v, { now });
  return v;
};
const examples = (version: string): Array<[string, unknown]> => {
  const dir = join(REPO_ROOT, 'standards/trace.event', version, 'examples/valid');
  return readdirSync(dir).sort().map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown]);
};
/** The 2.0.0 shape of a 1.x event, written out by hand: what the bridge must give. */
const asV2 = (event: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(event).map(([k, v]) =>
  k === 'sy:region' ? ['sy:place', { 'sy:region': v }] : k === 'sy:operator' ? ['sy:operator', { 'sy:uscc': v }] : [k, v]));

describe('the trace.event bridges', () => {
  it('are loaded as mappings with ids of their own, one each way', () => {
    expect(bridges.subjects()).toEqual(['trace.event']);
    expect(up.map((b) => `${b.id}@${b.version}`)).toEqual(['bridge:trace.event:1-to-2@1.0.0']);
    expect(down.map((b) => b.id)).toEqual(['bridge:trace.event:2-to-1']);
    expect(bridges.bridgePath('trace.event', 2, 2)).toEqual([]);
    expect(bridges.bridgePath('trace.event', 1, 3)).toBeUndefined();
  });

  const cases = [...up, ...down].flatMap((b) => b.cases.map((c) => [`${c.file}: ${c.name}`, b, c] as const));
  it.each(cases)('%s', async (_name, bridge, c) => {
    const result = await runCase(engine, bridge, c);
    expect(result.differences).toEqual([]);
    if (c.expected !== undefined) expect(standards.validate('trace.event', bridge.to === 2 ? '2.0.0' : '1.0.0', c.expected).problems).toEqual([]);
  });

  it('has accepted and rejected cases for the upgrade, and accepted ones for the downgrade', () => {
    expect(up[0]?.cases.filter((c) => c.expected !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(up[0]?.cases.filter((c) => c.expectedError !== undefined).length).toBeGreaterThanOrEqual(1);
    expect(down[0]?.cases.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples('1.0.0'))('carries the 1.0.0 example %s to a valid 2.0.0 event and back to the same event', async (_f, event) => {
    const v2 = await carry(up, event);
    expect(v2).toEqual(asV2(event as Record<string, unknown>));
    expect(standards.validate('trace.event', '2.0.0', v2).problems).toEqual([]);
    expect(JSON.stringify(await carry(down, v2))).toBe(JSON.stringify(event));
  });

  it.each(examples('2.0.0'))('carries the 2.0.0 example %s down to a valid 1.0.0 event', async (_f, event) => {
    expect(standards.validate('trace.event', '1.0.0', await carry(down, event)).problems).toEqual([]);
  });
});

describe('chains of bridges', () => {
  let root: TempRoot;
  beforeAll(() => {
    root = tempRoot();
    root.write('mappings/standards/test.widget/bridge.json', { subject: 'test.widget', version: '1.2.0', summary: 'widgets' });
    for (const name of ['1-to-2', '2-to-3', '3-to-2']) root.write(`mappings/standards/test.widget/${name}.jsonata`, '$');
  });
  afterAll(() => root.cleanup());

  it('takes the shortest chain, and none where there is none', () => {
    const set = loadBridges(root.root);
    expect(set.bridgePath('test.widget', 1, 3)?.map((b) => b.id)).toEqual(['bridge:test.widget:1-to-2', 'bridge:test.widget:2-to-3']);
    expect(set.bridgePath('test.widget', 3, 1)).toBeUndefined();
  });

  it('refuses a bridge folder without bridge.json, naming the file', () => {
    root.write('mappings/standards/test.gadget/1-to-2.jsonata', '$');
    expect(() => loadBridges(root.root)).toThrow(expect.objectContaining({ code: 'MAPPING_COMPILE', detail: expect.objectContaining({ file: 'mappings/standards/test.gadget/bridge.json' }) }));
  });
});

describe('the canonical major', () => {
  const hub = (canonical: Record<string, string>, set = bridges) => new VersionBridge({ standards: () => standards, evaluator: engine, bridges: set, canonical });

  it('is the latest published version unless configured', async () => {
    expect(hub({}).canonicalVersion('trace.event')).toBe('1.0.0');
    expect(await hub({}).upgrade('trace.event', '1.0.0', [examples('1.0.0')[0]?.[1]], now)).toBeUndefined();
    expect(hub({ 'trace.event': '2.0.0' }).canonicalVersion('trace.event')).toBe('2.0.0');
    expect(loadConfig({}, { SUYUAN_CANONICAL: 'trace.event@2.0.0' }).canonical).toEqual({ 'trace.event': '2.0.0' });
    expect(() => loadConfig({}, { SUYUAN_CANONICAL: 'trace.event@2' })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('finds the events of a profile to be trace.event events of the version the profile references', () => {
    expect(hub({}).eventSubject('profile.meat-poultry', '1.0.0')).toEqual({ subject: 'trace.event', version: '1.0.0' });
    expect(hub({}).eventSubject('notice.recall', '1.0.0')).toBeUndefined();
  });

  it('refuses to store across majors no bridge joins, with BRIDGE_NOT_FOUND', async () => {
    const none = { subjects: () => ['trace.event'], bridgePath: () => undefined };
    await expect(hub({ 'trace.event': '2.0.0' }, none).upgrade('trace.event', '1.0.0', [examples('1.0.0')[0]?.[1]], now))
      .rejects.toMatchObject({ code: 'BRIDGE_NOT_FOUND', kind: 'unexpected' });
  });
});

const slaughter = loadMapping('example-slaughter').cases.find((c) => c.expected !== undefined);
const row = slaughter?.input as Record<string, string>;
const original = slaughter?.expected as Record<string, unknown>;
const csv = (fields: Record<string, string>) => iconv.encode(`${Object.keys(fields).join(',')}\r\n${Object.values(fields).join(',')}\r\n`, 'gbk');
const adapter = (id: string, standard: string) => ({
  id, version: '1.0.0', status: 'experimental', department: 'commerce', direction: 'both',
  summary: '仍按 1.x 标准编写的屠宰场批量文件 / A slaughterhouse batch feed still written against 1.x',
  inbound: { transport: { kind: 'http-push' }, format: { kind: 'csv', encoding: 'GBK' }, messages: [{ type: 'slaughter', mapping: 'example-slaughter', standard }] },
  outbound: { transport: { kind: 'http-client', url: 'http://127.0.0.1:9/events' }, format: { kind: 'json' }, messages: [{ type: 'slaughter-out', mapping: 'identity', standard }] },
});

describe('the hub with the trace.event 2.0.0 draft as canonical, and adapters still on 1.x', () => {
  let repo: TempRoot;
  let dataDir: string;
  let app: App;
  let base: string;
  let key: string;
  let storedHash = '';
  const push = (feed: string, body: Uint8Array) => fetch(`${base}/v1/feeds/${feed}/messages`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body,
  });

  beforeAll(async () => {
    repo = tempRoot();
    for (const dir of ['registry', 'standards', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/slaughter-v1/adapter.json', adapter('slaughter-v1', 'trace.event@^1'));
    repo.write('adapters/slaughter-profile/adapter.json', adapter('slaughter-profile', 'profile.meat-poultry@^1'));
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-bridges-'));
    app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0, canonical: { 'trace.event': '2.0.0' } }, {}));
    base = (await app.listen()).url;
    key = (await app.keys.create({ name: '屠宰场 slaughterhouse', roles: ['integrator'], scopes: ['slaughter-v1', 'slaughter-profile'] })).key;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
  });

  it('stores the 2.0.0 shape of a 1.x adapter\'s event, valid against 2.0.0, with a bridge step in its provenance', async () => {
    const res = await push('slaughter-v1', csv(row));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { messageId: string; records: Array<{ events: Array<{ hash: string }> }> };
    storedHash = body.records[0]?.events[0]?.hash ?? '';
    const stored = await app.events.get(storedHash);
    expect(stored).toEqual(asV2(original));
    expect(app.registry.standards.validate('trace.event', '2.0.0', stored).problems).toEqual([]);
    const path = await app.provenance.path(body.messageId);
    expect(path.map((s) => s.step)).toEqual(['receive', 'decode', 'parse', 'split', 'map', 'validate', 'bridge', 'identify', 'store']);
    expect(path.find((s) => s.step === 'bridge')).toMatchObject({ outcome: 'ok', mapping: 'bridge:trace.event:1-to-2@1.0.0', schema: 'trace.event@2.0.0' });
  });

  it('gives a 1.x outbound consumer the stored event downgraded: the 1.x original', async () => {
    const stored = await app.events.get(storedHash);
    expect(stored).toBeDefined();
    const v1 = app.adapters.find((a) => a.manifest.id === 'slaughter-v1');
    if (!v1) throw new Error('adapter not loaded');
    const prepared = await app.outbound.prepare(v1, 'slaughter-out', stored);
    expect(prepared.value).toEqual(original);
    expect(JSON.parse(prepared.body)).toEqual(original);
  });

  it('carries the events of an adapter declaring a 1.x profile too', async () => {
    const res = await push('slaughter-profile', csv({ ...row, 批次号: 'KS240316' }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { records: Array<{ events: Array<{ hash: string }> }> };
    const stored = await app.events.get(body.records[0]?.events[0]?.hash ?? '');
    expect(stored).toMatchObject({ 'sy:operator': { 'sy:uscc': original['sy:operator'] }, 'sy:place': { 'sy:region': original['sy:region'] } });
    expect(stored).not.toHaveProperty('sy:region');
  });

  it('refuses a 1.x event the bridge cannot carry (a province-level region) with BRIDGE_FAILED, and keeps the message', async () => {
    const res = await push('slaughter-v1', csv({ ...row, 批次号: 'KS240317', 屠宰场行政区划代码: '320000' }));
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; messageId: string; problems: Array<{ code: string; record: number }> };
    expect(problem.code).toBe('MESSAGE_REJECTED');
    expect(problem.problems).toEqual([expect.objectContaining({ code: 'BRIDGE_FAILED', record: 0 })]);
    expect((await app.feeds.message(problem.messageId))?.status).toBe('rejected');
    expect((await app.provenance.path(problem.messageId)).find((s) => s.step === 'bridge')).toMatchObject({ outcome: 'invalid', errorCode: 'BRIDGE_FAILED' });
  });
});
