/**
 * The console over HTTP: the page and its files served by the hub (language from Accept-Language, a
 * policy that keeps every request at the hub), and the playground API — a dry run of an adapter's
 * inbound path that answers every event and problem, stores nothing, and hides others' adapters.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { CONSOLE_ASSETS } from '../src/console/index.ts';
import { REPO_ROOT } from '../src/standards/index.ts';

const FIXTURES = join(REPO_ROOT, 'adapters/drug-supervision/fixtures/inbound/production');
let app: App;
let base: string;
let dataDir: string;
let drug: string;
let customs: string;
let operator: string;

const call = (path: string, key: string | undefined, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...init.headers } });
const dryRun = async (file: string, key = drug, adapter = 'drug-supervision') => {
  const res = await call(`/v1/playground/${adapter}?type=production`, key, { method: 'POST', body: readFileSync(join(FIXTURES, file)), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-console-'));
  app = await createApp(loadConfig({ port: 0, dataDir, logLevel: 'silent', mappingWorkers: 0 }, {}));
  base = (await app.listen()).url;
  drug = (await app.keys.create({ name: '药监 integrator', roles: ['integrator'], scopes: ['drug-supervision'] })).key;
  customs = (await app.keys.create({ name: '海关 integrator', roles: ['integrator'], scopes: ['customs'] })).key;
  operator = (await app.keys.create({ name: '值班 operator', roles: ['operator'] })).key;
}, 60_000);
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the console page', () => {
  it('is served at /console/ in the language the browser asks for, under a policy that allows only the hub', async () => {
    const moved = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('/console/');
    const en = await fetch(`${base}/console/`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.status).toBe(200);
    expect(await en.text()).toContain('<html lang="en">');
    const zh = await fetch(`${base}/console/`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    expect(await zh.text()).toContain('<html lang="zh-CN">');
    const csp = zh.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("script-src 'self'");
  });

  it('serves every file the page loads, and nothing it names lives elsewhere', async () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
    for (const file of files(CONSOLE_ASSETS)) {
      const path = file.slice(CONSOLE_ASSETS.length).replace(/\\/g, '/');
      const res = await fetch(`${base}/console${path}`);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text, path).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//);
      expect(text, path).not.toMatch(/import[^;]*from\s+["'](?:https?:)?\/\//);
    }
    expect((await fetch(`${base}/console/js/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  });
});

describe('the console strings', () => {
  it('has every key in both languages, and every key the pages use', async () => {
    const load = async (name: string): Promise<Record<string, string>> => ((await import(pathToFileURL(join(CONSOLE_ASSETS, 'js/i18n', `${name}.js`)).href)) as Record<string, Record<string, string>>)[name] ?? {};
    const en = await load('en');
    const zh = await load('zh');
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const sources = ['app.js', 'pages/feeds.js', 'pages/message.js', 'pages/dead-letters.js', 'pages/standards.js', 'pages/playground.js', 'pages/trace.js', 'pages/sign-in.js']
      .map((f) => readFileSync(join(CONSOLE_ASSETS, 'js', f), 'utf8')).join('\n') + readFileSync(join(CONSOLE_ASSETS, 'index.html'), 'utf8');
    const used = [...sources.matchAll(/\bt\('([a-zA-Z.-]+)'/g), ...sources.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((k) => !(k in en) || !(k in zh))).toEqual([]);
    for (const [key, text] of Object.entries(zh)) expect(text.trim(), key).not.toBe('');
  });
});

describe('the playground API', () => {
  it('lists only the adapters the caller may try, with their message types and samples', async () => {
    const mine = (await (await call('/v1/playground', drug)).json()) as any;
    expect(mine.adapters.map((a: any) => a.id)).toEqual(['drug-supervision']);
    expect(mine.adapters[0].messages.map((m: any) => m.type)).toContain('production');
    expect(mine.adapters[0].samples).toContainEqual(expect.objectContaining({ type: 'production', name: 'preparation-lot', expect: 'accepted' }));
    const all = (await (await call('/v1/playground', operator)).json()) as any;
    expect(all.adapters.map((a: any) => a.id)).toEqual(expect.arrayContaining(['customs', 'drug-supervision', 'hospital-procurement', 'meat-vegetable-circulation', 'tax']));
    expect((await call('/v1/playground', undefined)).status).toBe(401);
  });

  it('maps an accepted message to its standard events, with every step, and stores nothing', async () => {
    const { status, body } = await dryRun('two-lots-one-message.input.json');
    expect(status).toBe(200);
    expect(body.status).toBe('accepted');
    expect(body.type).toBe('production');
    expect(body.mapping).toMatch(/@/);
    expect(body.problems).toEqual([]);
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'two-lots-one-message.expected.json'), 'utf8')) as unknown[];
    const events = body.records.flatMap((r: any) => r.events.map((e: any) => e.event));
    expect(events).toHaveLength(expected.length);
    expect(events.map((e: any) => e.bizStep)).toEqual(expected.map((e: any) => e.bizStep));
    expect(body.steps.map((s: any) => s.step)).toEqual(expect.arrayContaining(['receive', 'decode', 'parse', 'split', 'map', 'validate', 'identify']));
    const kept = (await (await call('/v1/messages', operator)).json()) as any;
    expect(kept.messages).toEqual([]);
    expect(await app.events.put({ hash: body.records[0].events[0].hash, event: {}, messageId: 'x', recordIndex: 0, feed: 'x' })).toBe('stored');
  });

  it('answers every problem of every record of a message that does not fit', async () => {
    const { status, body } = await dryRun('rejected-bad-uscc-and-short-code.input.json');
    expect(status).toBe(200);
    expect(body.status).not.toBe('accepted');
    const codes = body.problems.map((p: any) => `${p.problem ?? p.code}@${p.record}`);
    expect(codes).toEqual(expect.arrayContaining(['USCC_CHECK@1', 'DRUG_TRACE_CODE_SYNTAX@2']));
  });

  it('says why a message cannot be read at all', async () => {
    const res = await call('/v1/playground/drug-supervision?type=production', drug, { method: 'POST', body: '{"records": [', headers: { 'content-type': 'application/json' } });
    const body = (await res.json()) as any;
    expect(body.status).toBe('rejected');
    expect(body.error.code).toBe('PARSE_JSON');
  });

  it('reads edited text sent as UTF-8 with a byte-order mark on a feed that declares another encoding', async () => {
    const csv = readFileSync(join(REPO_ROOT, 'adapters/meat-vegetable-circulation/fixtures/inbound/slaughter/one-lot-kunshan.input.csv'));
    const text = new TextDecoder('gbk').decode(csv);
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const res = await call('/v1/playground/meat-vegetable-circulation?type=slaughter', operator, { method: 'POST', body });
    const answer = (await res.json()) as any;
    expect(answer.status).toBe('accepted');
    expect(answer.steps.find((s: any) => s.step === 'decode').detail.encoding).toBe('utf-8');
  });

  it('hides another integrator\'s adapter: not found, never forbidden', async () => {
    const { status, body } = await dryRun('preparation-lot.input.json', customs);
    expect(status).toBe(404);
    expect(body.code).toBe('ADAPTER_NOT_FOUND');
    expect((await call('/v1/playground/drug-supervision/sample?type=production&name=preparation-lot', customs)).status).toBe(404);
  });

  it('serves a sample byte for byte', async () => {
    const res = await call('/v1/playground/drug-supervision/sample?type=production&name=preparation-lot', drug);
    expect(res.status).toBe(200);
    expect((await call('/v1/playground/drug-supervision/sample?type=production&name=no-such-case', drug)).status).toBe(404);
    expect((await call('/v1/playground/drug-supervision/sample', drug)).status).toBe(400);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(join(FIXTURES, 'preparation-lot.input.json')));
  });
});
