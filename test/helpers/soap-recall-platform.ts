/**
 * A stand-in hospital recall service implementing `adapters/hospital-procurement/hospital-recall.wsdl`
 * (`NotifyRecall`, SOAP 1.1, or 1.2 for an adapter that says so) on port 0: it checks Basic credentials and the SOAPAction, reads the
 * envelope with the hub's SOAP format and checks the request by hand against the WSDL (required
 * elements, decimal and date values, check characters of credit codes, GTINs and Digital Links).
 * It keeps notices by 召回编号: a repeat is answered `结果代码` 1 ("重复通知"). Flaws make it break
 * one rule each.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSoapEnvelope, buildSoapFault, parseSoap, soapContentType, soapFaultStatus } from '../../src/formats/soap.ts';
import { localName } from '../../src/formats/xml-guard.ts';
import { checkDigitalLink, checkGtin, checkUscc } from '../../src/standards/identifiers/index.ts';

export interface RecallFlaws {
  /** The SOAP version the service speaks (default 1.1): 1.2 takes the action from the media type and answers `Sender`/`Receiver` faults. */
  readonly version?: '1.1' | '1.2';
  /** Accepts a request that lacks a required element. */
  readonly acceptMissing?: boolean;
  /** Answers a wrong check character with a `Server` fault instead of a `Client` one. */
  readonly serverFaultOnCheckDigit?: boolean;
  /** Refuses with a bare HTTP 500 and a text body, no SOAP fault. */
  readonly bare500?: boolean;
  /** Answers a valid notice with a Body that is not `NotifyRecallResponse` (a bare `Ack`). */
  readonly wrongOutput?: boolean;
  /** Answers a repeated notice with a `Client` fault. */
  readonly faultOnDuplicate?: boolean;
}

export interface RecallPlatform {
  /** The service's endpoint. */
  readonly url: string;
  /** Notices stored, by 召回编号. */
  readonly stored: Map<string, unknown>;
  /** Every request's headers and outcome. */
  readonly seen: Array<{ soapAction: string | undefined; idempotencyKey: string | undefined; outcome: string }>;
  close(): Promise<void>;
}

const NS = 'urn:js-yycg:ws:hospital-recall:2024';
const ACTION = `"${NS}/NotifyRecall"`;
const REQUIRED = ['召回编号', '发布单位统一社会信用代码', '发布单位名称', '发布单位类型', '召回级别', '召回原因', '召回药品', '要求措施', '发布时间', '状态'];
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:Z|[+-]\d{2}:\d{2})?$/;

type Obj = Record<string, unknown>;
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as Obj)['#text'] === 'string' ? (v as Obj)['#text'] as string : '');
const childOf = (parent: unknown, name: string): unknown => {
  if (typeof parent !== 'object' || parent === null) return undefined;
  const key = Object.keys(parent).find((k) => localName(k) === name);
  return key === undefined ? undefined : (parent as Obj)[key];
};

/** The request's problems: `kind` says whether it is the schema's or a check character's. */
function problemsOf(notice: unknown): Array<{ kind: 'missing' | 'type' | 'check'; message: string }> {
  const out: Array<{ kind: 'missing' | 'type' | 'check'; message: string }> = [];
  if (notice === undefined) return [{ kind: 'missing', message: '缺少 召回通知' }];
  for (const name of REQUIRED) if (list(childOf(notice, name)).length === 0) out.push({ kind: 'missing', message: `缺少 ${name}` });
  for (const name of ['生产日期起', '生产日期止', '完成期限']) {
    for (const v of list(childOf(notice, name))) if (!DATE.test(text(v))) out.push({ kind: 'type', message: `${name} 不是日期: ${text(v)}` });
  }
  const uscc = text(childOf(notice, '发布单位统一社会信用代码'));
  if (uscc !== '' && checkUscc(uscc)) out.push({ kind: 'check', message: `发布单位统一社会信用代码校验位错误: ${uscc}` });
  for (const product of list(childOf(notice, '召回药品'))) {
    if (list(childOf(product, '药品名称')).length === 0) out.push({ kind: 'missing', message: '召回药品缺少 药品名称' });
    for (const v of list(childOf(product, '涉及数量'))) if (!DECIMAL.test(text(v))) out.push({ kind: 'type', message: `涉及数量 不是数字: ${text(v)}` });
    for (const v of list(childOf(product, '商品条码'))) if (checkGtin(text(v))) out.push({ kind: 'check', message: `商品条码校验位错误: ${text(v)}` });
    for (const v of list(childOf(product, '追溯码'))) if (text(v).startsWith('https://') && checkDigitalLink(text(v))) out.push({ kind: 'check', message: `追溯码校验位错误: ${text(v)}` });
  }
  return out;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRecallPlatform(credentials: { user: string; password: string }, flaws: RecallFlaws = {}): Promise<RecallPlatform> {
  const stored = new Map<string, unknown>();
  const seen: RecallPlatform['seen'] = [];
  const version = flaws.version ?? '1.1';
  const answer = (res: ServerResponse, status: number, xml: string): void => {
    res.writeHead(status, { 'content-type': soapContentType(version) }).end(xml);
  };
  const fault = (res: ServerResponse, code: 'Client' | 'Server', reason: string): void => {
    if (flaws.bare500) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error');
      return;
    }
    if (version === '1.1') answer(res, 500, buildSoapFault('1.1', { code, reason }));
    else {
      const code12 = code === 'Client' ? 'Sender' : 'Receiver';
      answer(res, soapFaultStatus('1.2', code12), buildSoapFault('1.2', { code: code12, reason }));
    }
  };
  const server = createServer((req, res) => {
    void (async () => {
      const action = version === '1.1' ? req.headers.soapaction as string | undefined : /;\s*action=("[^"]*")/.exec(req.headers['content-type'] ?? '')?.[1];
      const record = (outcome: string): void => { seen.push({ soapAction: action, idempotencyKey: req.headers['idempotency-key'] as string | undefined, outcome }); };
      if (req.method !== 'POST' || req.url !== '/ws/recall') {
        res.writeHead(404).end();
        return;
      }
      const basic = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
      if (req.headers.authorization !== basic) {
        record('unauthorised');
        res.writeHead(401, { 'www-authenticate': 'Basic' }).end();
        return;
      }
      const xml = await bodyOf(req);
      if (action !== ACTION) {
        record('wrong action');
        fault(res, 'Client', `未知的 SOAPAction ${String(action)}`);
        return;
      }
      let notice: unknown;
      try {
        const message = parseSoap(xml);
        if (message.version !== version || message.operation !== 'NotifyRecall') throw new Error(`not a SOAP ${version} NotifyRecall: ${message.version} ${message.operation}`);
        notice = childOf(childOf(message.body, 'NotifyRecall'), '召回通知');
      } catch (error) {
        record('unreadable');
        fault(res, 'Client', `请求无法读取 / unreadable: ${(error as Error).message}`);
        return;
      }
      const problems = problemsOf(notice).filter((p) => !(flaws.acceptMissing && p.kind === 'missing'));
      if (problems.length > 0) {
        const check = problems.every((p) => p.kind === 'check');
        record(`refused: ${problems.map((p) => p.message).join('; ')}`);
        fault(res, check && flaws.serverFaultOnCheckDigit ? 'Server' : 'Client', problems.map((p) => p.message).join('；'));
        return;
      }
      const id = text(childOf(notice, '召回编号'));
      const repeat = stored.has(id);
      if (repeat && flaws.faultOnDuplicate) {
        record('duplicate refused');
        fault(res, 'Client', `召回编号重复 / duplicate recall id ${id}`);
        return;
      }
      stored.set(id, notice);
      record(repeat ? 'duplicate' : 'stored');
      if (flaws.wrongOutput) {
        answer(res, 200, buildSoapEnvelope(version, { 'tns:Ack': { '@_xmlns:tns': NS, ok: 'true' } }));
        return;
      }
      answer(res, 200, buildSoapEnvelope(version, {
        'tns:NotifyRecallResponse': { '@_xmlns:tns': NS, 结果代码: repeat ? '1' : '0', 结果说明: repeat ? '重复通知，已忽略' : '已接收' },
      }));
    })().catch((error: unknown) => { res.writeHead(500).end(String(error)); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ws/recall`, stored, seen,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
