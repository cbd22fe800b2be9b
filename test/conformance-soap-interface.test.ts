/**
 * Interface mode for a SOAP receiver: the suite of `notice.recall@1` sent through `hospital-procurement`'s
 * outbound side (its mapping, the hub's SOAP client, `hospital-recall.wsdl`'s `NotifyRecall`) to stand-in
 * hospital services on port 0 — one that conforms, and ones with one flaw each — over real sockets;
 * through the library, the CLI binary and the hub's API.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapters, type LoadedAdapter } from '../src/adapters/manifest.ts';
import { createApp, type App } from '../src/app.ts';
import { generateSuite, reportHtml, runSoapInterface, type ConformanceReport, type Suite } from '../src/conformance/index.ts';
import { soapCases } from '../src/conformance/soap-cases.ts';
import { conforms, WsdlSchema } from '../src/conformance/xsd.ts';
import { loadConfig } from '../src/config.ts';
import { MappingEngine } from '../src/mapping/index.ts';
import { loadStandards, REPO_ROOT, type Standards } from '../src/standards/index.ts';
import { runCli } from './helpers/cli.ts';
import { startRecallPlatform, type RecallFlaws, type RecallPlatform } from './helpers/soap-recall-platform.ts';

const CREDENTIALS = { user: 'suyuan-hub', password: 'recall-test-password-7' };
const ENV = { HOSPITAL_RECALL_USER: CREDENTIALS.user, HOSPITAL_RECALL_PASSWORD: CREDENTIALS.password };
const SOAP_REQUIREMENTS = ['interface/soap/accepts-valid', 'interface/soap/refuses-invalid', 'interface/soap/fault-envelope', 'interface/soap/client-fault', 'interface/soap/duplicate-idempotent'];
const saved = { user: process.env.HOSPITAL_RECALL_USER, password: process.env.HOSPITAL_RECALL_PASSWORD };

let standards: Standards;
let suite: Suite;
let adapter: LoadedAdapter;
let good: ConformanceReport;
let goodPlatform: RecallPlatform;
let dir: string;

const run = async (flaws: RecallFlaws, keep?: (p: RecallPlatform) => void): Promise<ConformanceReport> => {
  const platform = await startRecallPlatform(CREDENTIALS, flaws);
  try {
    return await runSoapInterface({ suite, endpoint: platform.url, adapter, standards, evaluator: new MappingEngine(), platform: 'stand-in hospital' });
  } finally {
    keep?.(platform);
    await platform.close();
  }
};
const requirement = (r: ConformanceReport, id: string) => r.requirements.find((q) => q.id === id);

beforeAll(async () => {
  Object.assign(process.env, ENV);
  standards = await loadStandards();
  suite = generateSuite(standards, 'notice.recall@1');
  adapter = loadAdapters(standards, REPO_ROOT).find((a) => a.manifest.id === 'hospital-procurement') as LoadedAdapter;
  dir = mkdtempSync(join(tmpdir(), 'suyuan-conformance-soap-'));
  good = await run({}, (p) => { goodPlatform = p; });
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of [['HOSPITAL_RECALL_USER', saved.user], ['HOSPITAL_RECALL_PASSWORD', saved.password]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('SOAP interface mode', () => {
  it('passes a hospital service that conforms, as a receiver of the recall notice', () => {
    expect(good.failed).toEqual([]);
    expect(good.passed).toBe(true);
    for (const id of SOAP_REQUIREMENTS) expect(requirement(good, id)?.verdict, id).toBe('pass');
    expect(good.levels.filter((l) => l.certified).map((l) => `${l.standard} ${l.direction}`)).toEqual(['notice.recall@1.0.0 receives']);
    // The drug recall the adapter sends met its own requirement of the suite.
    expect(requirement(good, 'notice.recall@1.0.0/example/drug-level-2-enterprise')?.verdict).toBe('pass');
  });

  it('sends as the hub does: the WSDL\'s SOAPAction, the manifest\'s Basic credentials, a key per delivery', () => {
    expect(goodPlatform.seen.length).toBeGreaterThan(15);
    for (const s of goodPlatform.seen) expect(s.soapAction).toBe('"urn:js-yycg:ws:hospital-recall:2024/NotifyRecall"');
    expect(goodPlatform.seen.map((s) => s.outcome)).not.toContain('unauthorised');
    // The notice stored is the mapping's: Chinese level, the drug's identifiers as the hospital scans them.
    const stored = [...goodPlatform.stored.values()][0] as Record<string, unknown>;
    expect(stored.召回级别).toBe('二级');
    expect(JSON.stringify(stored)).toContain('药品名称');
    // The repeat carried the same Idempotency-Key as the first send, as a redelivery does.
    const keys = goodPlatform.seen.map((s) => s.idempotencyKey);
    expect(keys.at(-1)).toBe(keys.at(-2));
    expect(new Set(keys.slice(0, -1)).size).toBe(keys.length - 1);
  });

  it('derives the refused requests from the WSDL: every required element, every typed element, every check character', () => {
    const subjects = requirement(good, 'interface/soap/refuses-invalid')?.evidence.map((e) => e.subjectOf.split(' ')[0] ?? '') ?? [];
    for (const name of ['召回编号', '发布单位统一社会信用代码', '发布单位名称', '发布单位类型', '召回级别', '召回原因', '召回药品', '要求措施', '发布时间', '状态']) {
      expect(subjects, name).toContain(`missing/召回通知/${name}`);
    }
    expect(subjects).toContain('missing/召回通知/召回药品/药品名称');
    for (const optional of ['通告标题', '规格', '批号', '措施说明']) expect(subjects.some((s) => s.endsWith(`/${optional}`) && s.startsWith('missing/'))).toBe(false);
    expect(subjects).toEqual(expect.arrayContaining(['type/召回通知/召回药品/涉及数量', 'type/召回通知/生产日期起', 'type/召回通知/完成期限']));
    expect(subjects).toEqual(expect.arrayContaining(['check-digit/召回通知/发布单位统一社会信用代码', 'check-digit/召回通知/召回药品/商品条码']));
    // Evidence names the request digest, the HTTP status and the fault.
    const evidence = requirement(good, 'interface/soap/client-fault')?.evidence.find((e) => e.subjectOf.startsWith('check-digit/召回通知/发布单位统一社会信用代码'));
    expect(evidence?.evidence).toMatch(/request sha256:[0-9a-f]{16} → HTTP 500, fault Client: ".*校验位/);
    expect(evidence?.path).toBe('召回通知/发布单位统一社会信用代码');
  });

  it('reads the result code of a repeat into the evidence', () => {
    const evidence = requirement(good, 'interface/soap/duplicate-idempotent')?.evidence[0]?.evidence ?? '';
    expect(evidence).toContain('结果代码=0');
    expect(evidence).toContain('结果代码=1');
    expect(evidence).toContain('tells the repeat apart');
  });

  it('says query requirements are not applicable to a WSDL without a query operation, and what the adapter does not send', () => {
    for (const id of ['interface/query/returns-stored', 'interface/query/paging']) {
      const r = requirement(good, id);
      expect(r?.verdict).toBe('not-applicable');
      expect(r?.note).toContain('hospital-recall.wsdl has no query operation');
    }
    expect(good.summary.notApplicable).toBe(2);
    const uncovered = new Map(good.suite.uncovered.map((u) => [u.requirement, u.reason]));
    expect(uncovered.get('notice.recall@1.0.0/example/dairy-level-3-labelling#happy')).toContain('only drug recalls go to hospitals');
    expect(uncovered.get('notice.recall@1.0.0/example/level-out-of-range#fail')).toContain('the hub refuses this document before sending');
    const html = reportHtml(good);
    expect(html).toContain('不适用 / not applicable');
    expect(html).toContain('hospital-recall.wsdl has no query operation');
  });

  it.each([
    [{ acceptMissing: true }, 'interface/soap/refuses-invalid', 'accepted a request with required element'],
    [{ serverFaultOnCheckDigit: true }, 'interface/soap/client-fault', 'fault Server'],
    [{ bare500: true }, 'interface/soap/fault-envelope', 'HTTP 500, no SOAP envelope'],
    [{ faultOnDuplicate: true }, 'interface/soap/duplicate-idempotent', 'fault Client: "召回编号重复'],
  ] as const)('one flaw, one failing requirement: %o', async (flaws, expected, evidence) => {
    const report = await run(flaws);
    expect(report.passed).toBe(false);
    expect(report.failed).toEqual([expected]);
    const failing = requirement(report, expected)?.evidence.filter((e) => e.verdict === 'fail') ?? [];
    expect(failing.length).toBeGreaterThan(0);
    for (const e of failing) expect(e.evidence).toContain(evidence);
    expect(report.levels.filter((l) => l.certified)).toEqual([]);
    expect(reportHtml(report)).toContain(`<tr class="fail" id="${expected}">`);
  }, 60_000);

  it('a 2xx answer that is not the WSDL\'s output message fails the valid cases', async () => {
    const report = await run({ wrongOutput: true });
    expect(report.failed).toEqual(['interface/soap/accepts-valid', 'notice.recall@1.0.0/example/drug-level-2-enterprise']);
    expect(requirement(report, 'interface/soap/accepts-valid')?.evidence[0]?.evidence).toContain('the Body holds Ack, not NotifyRecallResponse');
    expect(report.suite.uncovered.map((u) => u.requirement)).toContain('interface/soap/duplicate-idempotent');
  }, 60_000);

  it('a Server fault on a bad check character fails only those requests, not the missing-element ones', async () => {
    const report = await run({ serverFaultOnCheckDigit: true });
    const failing = requirement(report, 'interface/soap/client-fault')?.evidence.filter((e) => e.verdict === 'fail').map((e) => e.subjectOf.split(' ')[0] ?? '');
    expect(failing?.every((s) => s?.startsWith('check-digit/'))).toBe(true);
  }, 60_000);

  it('speaks SOAP 1.2 to a service the manifest says speaks it, and then expects Sender faults', async () => {
    const spec = adapter.manifest.outbound as NonNullable<LoadedAdapter['manifest']['outbound']>;
    const soap12: LoadedAdapter = { ...adapter, manifest: { ...adapter.manifest, outbound: { ...spec, transport: { ...spec.transport, soapVersion: '1.2' } } } };
    for (const [flaws, failed] of [[{ version: '1.2' }, []], [{ version: '1.2', serverFaultOnCheckDigit: true }, ['interface/soap/client-fault']]] as const) {
      const platform = await startRecallPlatform(CREDENTIALS, flaws);
      try {
        const report = await runSoapInterface({ suite, endpoint: platform.url, adapter: soap12, standards, evaluator: new MappingEngine() });
        expect(report.failed).toEqual(failed);
        expect(platform.seen.every((s) => s.soapAction === '"urn:js-yycg:ws:hospital-recall:2024/NotifyRecall"')).toBe(true);
        const refusals = requirement(report, 'interface/soap/client-fault')?.evidence ?? [];
        expect(refusals.some((e) => e.evidence.includes('HTTP 400, fault Sender'))).toBe(true);
        if (failed.length > 0) expect(refusals.filter((e) => e.verdict === 'fail').every((e) => e.evidence.includes('fault Receiver') && e.evidence.includes('expected Sender'))).toBe(true);
      } finally {
        await platform.close();
      }
    }
  }, 60_000);

  it('says when the endpoint cannot be reached, and when a credential is not set', async () => {
    const platform = await startRecallPlatform(CREDENTIALS);
    await platform.close();
    await expect(runSoapInterface({ suite, endpoint: platform.url, adapter, standards, evaluator: new MappingEngine() })).rejects.toMatchObject({ code: 'CONFORMANCE_ENDPOINT_UNREACHABLE' });
    const up = await startRecallPlatform(CREDENTIALS);
    delete process.env.HOSPITAL_RECALL_PASSWORD;
    try {
      await expect(runSoapInterface({ suite, endpoint: up.url, adapter, standards, evaluator: new MappingEngine() })).rejects.toMatchObject({ code: 'ADAPTER_INVALID', detail: { credential: 'env:HOSPITAL_RECALL_PASSWORD' } });
    } finally {
      process.env.HOSPITAL_RECALL_PASSWORD = CREDENTIALS.password;
      await up.close();
    }
  });

  it('refuses an adapter that does not send the standard over SOAP', async () => {
    const events = generateSuite(standards, 'trace.event@1.0.0', { profiles: ['drugs'] });
    await expect(runSoapInterface({ suite: events, endpoint: 'http://127.0.0.1:9/ws', adapter, standards, evaluator: new MappingEngine() })).rejects.toMatchObject({ code: 'CONFORMANCE_ADAPTER_UNSUITED' });
  });
});

describe('the WSDL\'s schema', () => {
  const wsdl = `<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
  <types><xs:schema targetNamespace="urn:t">
    <xs:simpleType name="Level"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{6}"/></xs:restriction></xs:simpleType>
    <xs:element name="Ping"><xs:complexType><xs:sequence>
      <xs:element name="level" type="t:Level"/>
      <xs:element name="code" type="t:Code" minOccurs="0"/>
      <xs:element name="count" type="xs:int" minOccurs="0"/>
      <xs:element name="note" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="4"/></xs:restriction></xs:simpleType></xs:element>
      <xs:element name="free" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
</definitions>`;

  it('breaks enumerations, patterns, types and lengths where the XSD says so, and leaves plain text alone', () => {
    const root = new WsdlSchema(wsdl, 'ping.wsdl').element('Ping');
    expect(root?.children?.map((c) => `${c.name}:${c.minOccurs}`)).toEqual(['level:1', 'code:0', 'count:0', 'note:0', 'free:0']);
    const cases = soapCases(root!, [{ value: { level: 'A', code: '123456' }, source: {} }]);
    expect(cases.map((c) => c.id)).toEqual(['missing/level', 'type/level', 'type/code', 'type/count', 'type/note']);
    const byId = new Map(cases.map((c) => [c.id, c]));
    expect(byId.get('type/level')?.breaks).toContain('enumeration');
    expect(byId.get('type/code')?.breaks).toContain('pattern');
    // An element the request lacks is added at its place in the sequence, so the request stays in order.
    expect(Object.keys(byId.get('type/count')?.apply({ level: 'A', code: '123456', free: ['x'] }) as object)).toEqual(['level', 'code', 'count', 'free']);
    const level = root!.children![0]!.simple!;
    expect([conforms('A', level), conforms('C', level)]).toEqual([true, false]);
    const code = root!.children![1]!.simple!;
    expect([conforms('123456', code), conforms('12345x', code)]).toEqual([true, false]);
  });
});

describe('through the CLI and the API', () => {
  it('runs from the CLI binary against a SOAP service, writing the JSON and HTML reports', async () => {
    const platform = await startRecallPlatform(CREDENTIALS, { serverFaultOnCheckDigit: true });
    try {
      const out = join(dir, 'soap.json');
      const html = join(dir, 'soap.html');
      const result = await runCli(['conformance', 'run', '--standard', 'notice.recall@1', '--endpoint', platform.url, '--adapter', 'hospital-procurement', '--platform', 'cli hospital', '--out', out, '--html', html], ENV);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('FAIL interface/soap/client-fault');
      expect(result.stdout).toContain('N/A  interface/query/paging');
      const report = JSON.parse(readFileSync(out, 'utf8')) as ConformanceReport;
      expect(report.failed).toEqual(['interface/soap/client-fault']);
      expect(report.platform).toBe('cli hospital');
      expect(readFileSync(html, 'utf8')).toContain('interface/soap/client-fault');
    } finally {
      await platform.close();
    }
  }, 120_000);

  it('refuses --header with --adapter, and an unknown adapter', async () => {
    const withHeader = await runCli(['conformance', 'run', '--standard', 'notice.recall@1', '--endpoint', 'http://127.0.0.1:9/ws', '--adapter', 'hospital-procurement', '--header', 'a:b'], ENV);
    expect(withHeader.code).not.toBe(0);
    expect(withHeader.stderr).toContain('BAD_REQUEST');
    const unknown = await runCli(['conformance', 'run', '--standard', 'notice.recall@1', '--endpoint', 'http://127.0.0.1:9/ws', '--adapter', 'no-such-adapter'], ENV);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('ADAPTER_NOT_FOUND');
  }, 120_000);

  describe('the hub', () => {
    let app: App;
    let base: string;
    let certifier: string;
    beforeAll(async () => {
      app = await createApp(loadConfig({ port: 0, dataDir: join(dir, 'hub'), adminKey: 'conformance-soap-admin-key-01', logLevel: 'silent', mappingWorkers: 0 }, {}));
      base = (await app.listen()).url;
      certifier = (await app.keys.create({ name: '认证机构 certifier', roles: ['certifier'] })).key;
    }, 60_000);
    afterAll(async () => { await app.close(); });

    it('runs a SOAP service for a certifier and keeps the report; a passing run earns a certificate', async () => {
      const platform = await startRecallPlatform(CREDENTIALS);
      try {
        const call = (path: string, body?: unknown) => fetch(`${base}${path}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${certifier}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
        const answer = await call('/v1/conformance/runs', { standard: 'notice.recall@1', endpoint: platform.url, adapter: 'hospital-procurement', platform: '某医院 / a hospital' });
        expect(answer.status, await answer.clone().text()).toBe(201);
        const summary = (await answer.json()) as { id: string; passed: boolean; mode: string };
        expect(summary).toMatchObject({ passed: true, mode: 'interface' });
        const report = (await (await call(`/v1/conformance/runs/${summary.id}`)).json()) as ConformanceReport;
        expect(requirement(report, 'interface/soap/accepts-valid')?.verdict).toBe('pass');
        expect(requirement(report, 'interface/query/paging')?.verdict).toBe('not-applicable');
        const issued = await call('/v1/conformance/certificates', { runId: summary.id, days: 30 });
        expect(issued.status).toBe(201);
        const unknown = await call('/v1/conformance/runs', { standard: 'notice.recall@1', endpoint: platform.url, adapter: 'no-such-adapter' });
        expect(unknown.status).toBe(404);
      } finally {
        await platform.close();
      }
    }, 120_000);
  });
});
