/** The hospital procurement platform over real SOAP: its WSDL, both operations in SOAP 1.1 and 1.2, faults, and recalls to a stand-in hospital. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { parseSoap } from '../src/formats/soap.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const ADAPTER = join(REPO_ROOT, 'adapters/hospital-procurement');
const fixture = (path: string): string => readFileSync(join(ADAPTER, 'fixtures', path), 'utf8');
const recall = JSON.parse(fixture('outbound/recall/authority-level-1-ceftriaxone.input.json')) as Record<string, unknown>;

let repo: TempRoot;
let dataDir: string;
let app: App;
let base: string;
let key: string;
let other: string;
let hospital: Server;
/** What the stand-in hospital received, and how it answers next. */
const received: Array<{ args: Record<string, unknown>; authorization: string | undefined }> = [];
let hospitalAnswer: 'ok' | 'client-fault' | 'server-fault' = 'ok';

async function standInHospital(): Promise<string> {
  hospital = createServer((_req, res) => { res.statusCode = 404; res.end(); });
  await new Promise<void>((resolve) => hospital.listen(0, '127.0.0.1', resolve));
  const service = {
    HospitalRecallService: {
      HospitalRecallSoap: {
        NotifyRecall: (args: Record<string, unknown>, _cb: unknown, _headers: unknown, req: { headers: Record<string, string> }) => {
          if (hospitalAnswer === 'client-fault') throw { Fault: { faultcode: 'soap:Client', faultstring: '召回编号重复 / duplicate recall id' } };
          if (hospitalAnswer === 'server-fault') throw { Fault: { faultcode: 'soap:Server', faultstring: '系统繁忙 / busy' } };
          received.push({ args, authorization: req.headers.authorization });
          return { 结果代码: '0000', 结果说明: '已接收' };
        },
      },
    },
  };
  soap.listen(hospital, '/ws/recall', service, readFileSync(join(ADAPTER, 'hospital-recall.wsdl'), 'utf8'));
  return `http://127.0.0.1:${(hospital.address() as AddressInfo).port}/ws/recall`;
}

beforeAll(async () => {
  const url = await standInHospital();
  repo = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
  cpSync(ADAPTER, join(repo.root, 'adapters/hospital-procurement'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(ADAPTER, 'adapter.json'), 'utf8')) as { outbound: { transport: { url: string } } };
  manifest.outbound.transport.url = url;
  repo.write('adapters/hospital-procurement/adapter.json', manifest);
  process.env.HOSPITAL_RECALL_USER = 'suyuan';
  process.env.HOSPITAL_RECALL_PASSWORD = 'recall-test-password';
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-soap-'));
  app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0 }, {}));
  base = (await app.listen()).url;
  key = (await app.keys.create({ name: '药品集中采购平台 procurement', roles: ['integrator'], scopes: ['hospital-procurement'] })).key;
  other = (await app.keys.create({ name: 'another feed', roles: ['integrator'], scopes: ['another-feed'] })).key;
});
afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => hospital.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
  repo.cleanup();
});

const post = (body: string, contentType: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/soap/hospital-procurement`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${key}`, ...headers }, body });

const note = {
  配送单号: 'PS20250501-0001', 采购订单号: 'JSYC-DD-20250430-0007',
  配送企业: { 统一社会信用代码: '91320104MA1XK7R258', 名称: '江苏华康医药有限公司' }, 发货仓库编码: 'dc-nj01',
  医疗机构: { 统一社会信用代码: '123201154660023151', 名称: '南京市江宁区人民医院' }, 发货时间: '2025-05-01 09:00:00',
  明细: [{ 行号: 1, 通用名: '阿莫西林胶囊', 药品标识码: '8100213', 批号: '20250108', 有效期至: '2027-01-07', 数量: 2, 单位: '盒',
    追溯码: ['81002131234567899001', '81002131234567899002'] }],
};

describe('the hospital procurement SOAP service', () => {
  it('serves its WSDL at its own address, and a real SOAP 1.1 client delivers a note whose events are stored', async () => {
    const res = await fetch(`${base}/soap/hospital-procurement?wsdl`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`location="${base}/soap/hospital-procurement"`);
    const client = await soap.createClientAsync(`${base}/soap/hospital-procurement?wsdl`);
    client.setSecurity(new soap.BasicAuthSecurity('platform', key));
    const [result] = (await client.SubmitDeliveryNoteAsync({ 配送单: [note] })) as [{ messageId: string; status: string; record: Array<{ status: string; eventHash: string[] }> }];
    expect(result.status).toBe('accepted');
    expect(result.record[0]?.status).toBe('stored');
    expect(await app.events.get(result.record[0]?.eventHash[0] ?? '')).toMatchObject({ bizStep: 'shipping', epcList: ['urn:suyuan:id:drug:81002131234567899001', 'urn:suyuan:id:drug:81002131234567899002'] });
    expect(await app.feeds.message(result.messageId)).toMatchObject({ status: 'accepted', type: 'delivery-note' });
  });

  it('takes a receipt over SOAP 1.2 from a real client and as a raw envelope', async () => {
    const client = await soap.createClientAsync(`${base}/soap/hospital-procurement?wsdl`, { forceSoap12Headers: true });
    client.setSecurity(new soap.BearerSecurity(key));
    const receipt = { 入库单号: 'RK20250502-0001', 配送单号: note.配送单号, 医疗机构: note.医疗机构, 药库编码: 'yk-01', 配送企业: note.配送企业,
      验收时间: '2025-05-02 10:00:00', 明细: [{ 行号: 1, 通用名: '阿莫西林胶囊', 药品标识码: '8100213', 批号: '20250108', 有效期至: '2027-01-07', 实收数量: 2, 单位: '盒', 验收结论: '合格', 追溯码: note.明细[0]?.追溯码 }] };
    const [result] = (await client.SubmitReceiptAsync({ 入库验收单: [receipt] })) as [{ status: string; record: Array<{ eventHash: string[] }> }];
    expect(result.status).toBe('accepted');
    expect(await app.events.get(result.record[0]?.eventHash[0] ?? '')).toMatchObject({ bizStep: 'receiving', 'sy:operator': '123201154660023151' });

    const res = await post(fixture('inbound/receipt/partly-refused-soap12.input.xml'), 'application/soap+xml; charset=utf-8');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/soap+xml');
    const answer = parseSoap(await res.text());
    expect(answer).toMatchObject({ version: '1.2', operation: 'SubmitReceiptResponse' });
  });

  it('answers input that breaks the standard with a Client/Sender fault naming every problem, and keeps the message', async () => {
    const bad = fixture('inbound/delivery-note/codes-short-of-quantity.input.xml');
    const res = await post(bad, 'text/xml; charset=utf-8', { soapaction: '"urn:js-yycg:ws:procurement:2024/SubmitDeliveryNote"' });
    expect(res.status).toBe(500);
    const fault = parseSoap(await res.text()).fault;
    expect(fault?.code).toBe('Client');
    const rejection = (fault?.detail as Record<string, { messageId: string; code: string; problem: Array<{ code: string; record: string }> }>)['tns:Rejection'];
    expect(rejection?.code).toBe('MESSAGE_REJECTED');
    expect(rejection?.problem.map((p) => p.record)).toEqual(['0', '1']);
    expect(await app.feeds.message(rejection?.messageId ?? '')).toMatchObject({ status: 'rejected' });

    const res12 = await post(bad.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'), 'application/soap+xml');
    expect(res12.status).toBe(400);
    expect(parseSoap(await res12.text()).fault?.code).toBe('Sender');

    const client = await soap.createClientAsync(`${base}/soap/hospital-procurement?wsdl`);
    client.setSecurity(new soap.BearerSecurity(key));
    const refused = await client.SubmitDeliveryNoteAsync({ 配送单: [{ ...note, 配送企业: { ...note.配送企业, 统一社会信用代码: '91320104MA1XK7R259' } }] }).catch((e: unknown) => e);
    expect((refused as { root: { Envelope: { Body: { Fault: { faultcode: string } } } } }).root.Envelope.Body.Fault.faultcode).toBe('soap:Client');
  });

  it('refuses callers without a key (401) and keys of other feeds (404)', async () => {
    const envelope = fixture('inbound/delivery-note/coded-amoxicillin.input.xml');
    const none = await fetch(`${base}/soap/hospital-procurement`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: envelope });
    expect(none.status).toBe(401);
    expect(parseSoap(await none.text()).fault?.code).toBe('Client');
    expect((await post(envelope, 'text/xml', { authorization: `Bearer ${other}` })).status).toBe(404);
  });
});

describe('recall notices to hospitals', () => {
  it('calls NotifyRecall on the hospital with the mapped notice and Basic credentials', async () => {
    const result = await app.outbound.deliver(app.adapters.find((a) => a.manifest.id === 'hospital-procurement') as never, 'recall', recall, 'recall-1');
    expect(result.response).toMatchObject({ 结果代码: '0000' });
    const got = received.at(-1);
    expect(got?.authorization).toBe(`Basic ${Buffer.from('suyuan:recall-test-password').toString('base64')}`);
    expect(got?.args).toMatchObject({ 召回通知: { 召回编号: '苏药监械召〔2025〕12号', 召回级别: '一级', 召回药品: [{ 药品标识码: '8613579', 追溯码: ['https://id.gs1.org/01/06923456000131/21/T0000917', '86135792409150000101'] }] } });
  });

  it('turns a Client fault into DELIVERY_REFUSED and a Server fault into IO_FAILED', async () => {
    const adapter = app.adapters.find((a) => a.manifest.id === 'hospital-procurement');
    if (!adapter) throw new Error('no adapter');
    hospitalAnswer = 'client-fault';
    await expect(app.outbound.deliver(adapter, 'recall', recall)).rejects.toMatchObject({ code: 'DELIVERY_REFUSED', kind: 'user' });
    hospitalAnswer = 'server-fault';
    await expect(app.outbound.deliver(adapter, 'recall', recall)).rejects.toMatchObject({ code: 'IO_FAILED', kind: 'operational' });
    hospitalAnswer = 'ok';
  });
});
