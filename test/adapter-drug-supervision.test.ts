/**
 * The drug supervision adapter end to end over real sockets: the department pushes its JSON messages
 * (production, packaging, shipping and receiving) and the hub stores the events or answers every
 * problem; a recall notice goes out through the HTTP client to a stand-in of the department's server.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedAdapter } from '../src/adapters/manifest.ts';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const ID = 'drug-supervision';
const TOKEN_ENV = 'DRUG_SUPERVISION_TOKEN';
const FIXTURES = join(REPO_ROOT, 'adapters', ID, 'fixtures');
const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');
const json = <T = unknown>(path: string): T => JSON.parse(fixture(path)) as T;

interface Received { readonly body: unknown; readonly idempotencyKey: string | undefined; readonly authorization: string | undefined }

let repo: TempRoot;
let dataDir: string;
let app: App;
let base: string;
let key: string;
let department: Server;
const received: Received[] = [];
const savedToken = process.env[TOKEN_ENV];

/** The department's recall endpoint: answers 200 with its own receipt, or 400 to a notice it already has. */
async function standIn(): Promise<string> {
  const server = express();
  server.post('/api/v1/recall/notices', express.json(), (req, res) => {
    const body = req.body as Record<string, unknown>;
    received.push({ body, idempotencyKey: req.get('idempotency-key'), authorization: req.get('authorization') });
    res.status(200).json({ code: '0000', message: '接收成功', 回执号: `HZ-${String(body['召回编号'])}` });
  });
  department = await new Promise<Server>((resolve) => {
    const s = server.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(department.address() as AddressInfo).port}/api/v1/recall/notices`;
}

/** A repository root with the released standard, the mappings and this adapter, its outbound URL the stand-in's. */
function repository(url: string): TempRoot {
  const root = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(root.root, dir), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'adapters', ID, 'adapter.json'), 'utf8')) as { outbound: { transport: { url: string } } };
  manifest.outbound.transport.url = url;
  root.write(`adapters/${ID}/adapter.json`, manifest);
  return root;
}

function adapter(): LoadedAdapter {
  const found = app.adapters.find((a) => a.manifest.id === ID);
  if (!found) throw new Error(`${ID} is not loaded`);
  return found;
}

const push = (body: string, type?: string) =>
  fetch(`${base}/v1/feeds/${ID}/messages${type ? `/${type}` : ''}`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json; charset=utf-8' }, body,
  });

beforeAll(async () => {
  process.env[TOKEN_ENV] = 'drug-supervision-test-token';
  repo = repository(await standIn());
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-drug-'));
  app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0 }, {}));
  base = (await app.listen()).url;
  key = (await app.keys.create({ name: '药品追溯监管系统 drug supervision', roles: ['integrator'], scopes: [ID] })).key;
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => department.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
  repo.cleanup();
  if (savedToken === undefined) delete process.env[TOKEN_ENV];
  else process.env[TOKEN_ENV] = savedToken;
});

describe('the drug supervision system pushes its messages', () => {
  it.each([
    ['production', 'inbound/production/two-lots-one-message'],
    ['packaging', 'inbound/packaging/case-box-unit-hierarchy'],
    ['shipment', 'inbound/shipment/ship-and-receive-in-one-message'],
  ])('%s: 202, and the events are stored as the fixture expects', async (type, name) => {
    const expected = json<unknown[]>(`${name}.expected.json`);
    const res = await push(fixture(`${name}.input.json`), type);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { messageId: string; type: string; records: Array<{ status: string; events: Array<{ hash: string }> }> };
    expect(body.type).toBe(type);
    const hashes = body.records.flatMap((r) => r.events.map((e) => e.hash));
    expect(hashes).toHaveLength(expected.length);
    for (const [i, hash] of hashes.entries()) expect(await app.events.get(hash)).toMatchObject(expected[i] as object);
    expect((await app.feeds.message(body.messageId))?.status).toBe('accepted');
  });

  it('stores an event once when the same message comes again', async () => {
    const before = await app.events.count();
    const res = await push(fixture('inbound/production/two-lots-one-message.input.json'), 'production');
    expect(res.status).toBe(202);
    const body = (await res.json()) as { records: Array<{ status: string }> };
    expect(body.records.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await app.events.count()).toBe(before);
  });

  it('answers 422 naming every problem of every record, keeps the message, and stores the record that fits', async () => {
    const before = await app.events.count();
    const res = await push(fixture('inbound/production/rejected-bad-uscc-and-short-code.input.json'), 'production');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; messageId: string; problems: Array<{ code: string; record: number }> };
    expect(problem.code).toBe('MESSAGE_REJECTED');
    expect(problem.problems.map((p) => [p.code, p.record])).toEqual([['MAPPING_FAILED', 1], ['MAPPING_FAILED', 2]]);
    expect(await app.feeds.message(problem.messageId)).toMatchObject({ feed: ID, type: 'production', status: 'partial' });
    expect(await app.events.count()).toBe(before); // record 0 is the lot stored above: a duplicate
  });

  it('lists each standard problem with its path and the department field it came from', async () => {
    const message = json<{ records: Array<Record<string, unknown>> }>('inbound/production/rejected-preparation-without-approval.input.json');
    const second = { ...message.records[0], 生产批号: '240401', 生产日期: '2024-04-01', 有效期至: '2024-03-01', 追溯码: ['86123470240401000001'] };
    const res = await push(JSON.stringify({ ...message, records: [...message.records, second] }), 'production');
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { messageId: string; problems: Array<{ code: string; record: number; path: string; source?: string }> };
    expect(problem.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'SCHEMA_REQUIRED', record: 0, path: '/ilmd', source: '/records/0/药品类别' }),
      expect.objectContaining({ code: 'SCHEMA_REQUIRED', record: 1, path: '/ilmd' }),
      expect.objectContaining({ code: 'RULE_EXPIRY_BEFORE_PRODUCTION', record: 1 }),
    ]));
    expect((await app.feeds.message(problem.messageId))?.status).toBe('rejected');
  });

  it('answers 400 to a message that is not JSON, and keeps it', async () => {
    const res = await push(fixture('inbound/packaging/rejected-not-json.input.json'), 'packaging');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; messageId: string };
    expect(problem.code).toBe('PARSE_JSON');
    expect((await app.feeds.message(problem.messageId))?.status).toBe('rejected');
  });

  // The adapter chooses the message type by the JSON field /msgType (adapter.json `match`), and the
  // offline fixtures choose by folder. Over HTTP push the hub does not yet hand the parsed body to
  // chooseMessage (MessageHints.json), so a push without the type in its path is not matched: see the report.
  it('chooses the message type by msgType when the path names none', async () => {
    const res = await push(fixture('inbound/shipment/wholesaler-ships-to-hospital.input.json'));
    expect(res.status).toBe(202);
    expect(((await res.json()) as { type: string }).type).toBe('shipment');
  });
});

describe('recall notices go to the drug supervision system', () => {
  it('delivers the department-shaped recall with its idempotency key and bearer token', async () => {
    const notice = json('outbound/recall/enterprise-level-2.input.json');
    const result = await app.outbound.deliver(adapter(), 'recall', notice, 'recall-RZ-ZH-2025-002');
    expect(result).toEqual({ status: 200, response: { code: '0000', message: '接收成功', 回执号: 'HZ-RZ-ZH-2025-002' } });
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual({
      body: json('outbound/recall/enterprise-level-2.expected.json'),
      idempotencyKey: 'recall-RZ-ZH-2025-002',
      authorization: 'Bearer drug-supervision-test-token',
    });
  });

  it('refuses a notice that is not a drug recall before sending anything', async () => {
    await expect(app.outbound.deliver(adapter(), 'recall', json('outbound/recall/rejected-food-recall.input.json'), 'recall-FD-2025-01'))
      .rejects.toMatchObject({ code: 'MAPPING_FAILED' });
    await expect(app.outbound.deliver(adapter(), 'recall', json('outbound/recall/rejected-not-a-recall-notice.input.json'), 'recall-x'))
      .rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(received).toHaveLength(1);
  });
});
