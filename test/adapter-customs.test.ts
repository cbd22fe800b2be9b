/**
 * The customs adapter end to end over real sockets: import declarations and inspection and quarantine
 * release results pushed as XML become stored events; a declaration that breaks the standard is refused
 * with every problem and kept; a rare-earth export event is delivered as an export declaration (XML) to a
 * stand-in of the customs system.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { xmlFormat } from '../src/formats/index.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const FIXTURES = join(REPO_ROOT, 'adapters/customs/fixtures');
const fixture = (path: string): Buffer => readFileSync(join(FIXTURES, path));
const fixtureJson = <T>(path: string): T => JSON.parse(fixture(path).toString('utf8')) as T;
const TOKEN = 'customs-export-test-token-0001';

interface Received { readonly headers: Record<string, string | string[] | undefined>; readonly body: string }
interface Summary { messageId: string; type: string; status: string; records: Array<{ status: string; events: Array<{ hash: string }> }> }

let repo: TempRoot;
let dataDir: string;
let app: App;
let base: string;
let integrator: string;
let standIn: Server;
const received: Received[] = [];
const tokenBefore = process.env.CUSTOMS_EXPORT_TOKEN;

/** A stand-in of the customs export service: takes declaration XML, refuses a declaration number sent again under another key. */
function customsStandIn(): Promise<string> {
  const seen = new Map<string, string>();
  const server = express();
  server.post('/dec/export', express.text({ type: () => true }), (req, res) => {
    received.push({ headers: req.headers, body: String(req.body) });
    const dec = (xmlFormat.parse(String(req.body)) as { DecMessage?: { DecHead?: { EntryId?: string } } }).DecMessage;
    const entryId = dec?.DecHead?.EntryId ?? '';
    const key = req.get('idempotency-key') ?? '';
    if (seen.has(entryId) && seen.get(entryId) !== key) {
      res.status(400).type('application/xml').send(`<DecResponse><ResponseCode>1</ResponseCode><ErrorMessage>报关单号重复</ErrorMessage></DecResponse>`);
      return;
    }
    seen.set(entryId, key);
    res.status(200).type('application/xml').send(`<DecResponse><ResponseCode>0</ResponseCode><EntryId>${entryId}</EntryId></DecResponse>`);
  });
  return new Promise((resolve) => {
    standIn = server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(standIn.address() as AddressInfo).port}/dec/export`));
  });
}

/** A repository root with the released standard, the mappings and the customs adapter pointed at the stand-in. */
function repository(url: string): TempRoot {
  const root = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(root.root, dir), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'adapters/customs/adapter.json'), 'utf8')) as { outbound: { transport: { url: string } } };
  manifest.outbound.transport.url = url;
  root.write('adapters/customs/adapter.json', manifest);
  return root;
}

const push = (body: Uint8Array, type: string) =>
  fetch(`${base}/v1/feeds/customs/messages${type === '' ? '' : `/${type}`}`, { method: 'POST', headers: { authorization: `Bearer ${integrator}`, 'content-type': 'application/xml' }, body });

const customs = () => {
  const adapter = app.adapters.find((a) => a.manifest.id === 'customs');
  if (!adapter) throw new Error('the customs adapter is not loaded');
  return adapter;
};

beforeAll(async () => {
  process.env.CUSTOMS_EXPORT_TOKEN = TOKEN;
  repo = repository(await customsStandIn());
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-customs-'));
  app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0 }, {}));
  base = (await app.listen()).url;
  integrator = (await app.keys.create({ name: '海关 customs', roles: ['integrator'], scopes: ['customs'] })).key;
});
afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
  repo.cleanup();
  if (tokenBefore === undefined) delete process.env.CUSTOMS_EXPORT_TOKEN;
  else process.env.CUSTOMS_EXPORT_TOKEN = tokenBefore;
});

describe('customs inbound', () => {
  it('tells the message types apart by their XML root element when the push names no type', async () => {
    const dir = join(REPO_ROOT, 'adapters/customs/fixtures/inbound');
    for (const [type, name] of [['import-declaration', 'infant-formula-gbk'], ['inspection-release', 'cheese-and-butter-mixed-results']] as const) {
      const res = await push(readFileSync(join(dir, type, `${name}.input.xml`)), '');
      expect(res.status).toBe(202);
      expect(((await res.json()) as { type: string }).type).toBe(type);
    }
  });

  it.each([
    ['import-declaration', 'olive-oil-and-wine-two-lines'],
    ['import-declaration', 'infant-formula-gbk'],
    ['inspection-release', 'cheese-and-butter-mixed-results'],
    ['inspection-release', 'oem-wine-prefixed-gln-port'],
  ])('takes a pushed %s (%s): 202, and the events stored are the standard events it becomes', async (type, name) => {
    const res = await push(fixture(`inbound/${type}/${name}.input.xml`), type);
    expect(res.status).toBe(202);
    const body = (await res.json()) as Summary;
    expect(body).toMatchObject({ type, status: 'accepted' });
    const expected = fixtureJson<unknown[]>(`inbound/${type}/${name}.expected.json`);
    const hashes = body.records.flatMap((r) => r.events.map((e) => e.hash));
    expect(hashes).toHaveLength(expected.length);
    for (const [i, hash] of hashes.entries()) expect(await app.events.get(hash)).toMatchObject(expected[i] as object);
    expect((await app.feeds.message(body.messageId))?.status).toBe('accepted');
  });

  it('refuses a declaration that breaks the standard with every problem, and keeps the message', async () => {
    const before = await app.events.count();
    const res = await push(fixture('inbound/import-declaration/breaks-the-standard.input.xml'), 'import-declaration');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; messageId: string; problems: Array<{ code: string; path: string; source?: string }> };
    expect(problem.code).toBe('MESSAGE_REJECTED');
    expect(problem.problems.map((p) => [p.code, p.path])).toEqual(expect.arrayContaining([
      ['HS_CODE_SYNTAX', '/sy:hsCode'], ['SCHEMA_PATTERN', '/sy:customsDeclaration'], ['SCHEMA_REQUIRED', '/ilmd'], ['SCHEMA_REQUIRED', ''],
    ]));
    expect(problem.problems).toHaveLength(4);
    expect(problem.problems.find((p) => p.path === '/sy:customsDeclaration')?.source).toBe('/DecMessage/DecHead/EntryId');
    expect(await app.feeds.message(problem.messageId)).toMatchObject({ status: 'rejected', feed: 'customs', type: 'import-declaration' });
    expect(await app.events.count()).toBe(before);
  });

  it('refuses XML that does not parse with 400, and keeps it', async () => {
    const res = await push(fixture('inbound/import-declaration/malformed-xml.input.xml'), 'import-declaration');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; messageId: string };
    expect(problem.code).toBe('PARSE_XML');
    expect((await app.feeds.message(problem.messageId))?.status).toBe('rejected');
  });
});

describe('customs outbound', () => {
  const event = fixtureJson<Record<string, unknown>>('outbound/rare-earth-export/dysprosium-and-terbium-oxide-two-lots.input.json');

  it('delivers a rare-earth export event as an export declaration, with the idempotency key and the token', async () => {
    const result = await app.outbound.deliver(customs(), 'rare-earth-export', event, 'export-230520241000377105-1');
    expect(result.status).toBe(200);
    const last = received.at(-1);
    expect(last?.headers['content-type']).toContain('application/xml');
    expect(last?.headers['idempotency-key']).toBe('export-230520241000377105-1');
    expect(last?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(xmlFormat.parse(last?.body ?? '', { arrayPaths: ['DecMessage/DecLists/DecList'] }))
      .toEqual(fixtureJson('outbound/rare-earth-export/dysprosium-and-terbium-oxide-two-lots.expected.json'));
  });

  it('redelivers under the same key harmlessly; the customs system refuses the declaration under another key', async () => {
    expect((await app.outbound.deliver(customs(), 'rare-earth-export', event, 'export-230520241000377105-1')).status).toBe(200);
    await expect(app.outbound.deliver(customs(), 'rare-earth-export', event, 'another-key'))
      .rejects.toMatchObject({ code: 'DELIVERY_REFUSED', kind: 'user', detail: { status: 400 } });
  });

  it('sends nothing for an event that is not a valid rare-earth export', async () => {
    const count = received.length;
    const { 'sy:customsDeclaration': _dropped, ...undeclared } = event;
    await expect(app.outbound.deliver(customs(), 'rare-earth-export', undeclared, 'k-1'))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED', problems: [expect.objectContaining({ code: 'SCHEMA_REQUIRED' })] });
    const report = fixtureJson('outbound/rare-earth-export/monthly-report-is-not-an-export.input.json');
    await expect(app.outbound.deliver(customs(), 'rare-earth-export', report, 'k-2')).rejects.toMatchObject({ code: 'MAPPING_FAILED' });
    expect(received).toHaveLength(count);
  });
});
