/**
 * Interface mode for a SOAP receiver: the suite drives a platform that implements the SOAP service an
 * adapter's WSDL describes — the service the hub's outbound side calls (`soap-client`, e.g.
 * `hospital-procurement`'s `NotifyRecall`) — and judges its answers. Requests go out exactly as the
 * hub's delivery sends them: the outbound service checks and maps the document, the hub's own SOAP
 * client writes the envelope (SOAP version, SOAPAction, credentials of the manifest) and posts it to
 * the endpoint instead of the manifest's `url`.
 *
 * - Valid: every valid case of the suite that the adapter sends (a case its mapping refuses — another
 *   category, say — is listed as not covered, with the mapping's reason) MUST be answered 2xx with the
 *   operation's output element, meeting its schema, not a fault.
 * - Invalid (`soap-cases.ts`): requests breaking the WSDL's schema (each required element left out, a
 *   value outside an element's type or facets) or an identifier's check character MUST be refused
 *   with a SOAP fault envelope carrying a fault string, and the fault MUST be the sender's (`Client`
 *   in 1.1, `Sender` in 1.2) — a `Server` fault or a bare HTTP error fails. The suite's own invalid
 *   cases are not sent: the hub refuses them before delivery, so a receiver never sees them.
 * - Duplicates: one valid request sent twice, with the same `Idempotency-Key` as a redelivery has,
 *   MUST be answered without a fault both times; the evidence quotes both answers (a result code
 *   saying "duplicate" shows).
 * - Query (`returns-stored`, `paging`): judged only through a query operation; for a WSDL whose only
 *   operation is the one the hub calls they are reported `not-applicable`, naming the WSDL.
 *
 * Each request carries a key of its own: the document's id member (its first required top-level
 * text member named `…Id`, e.g. `recallId`) gets a run-unique suffix when the standard allows it, so
 * no request is taken for an earlier one's duplicate. Credentials are resolved as the hub resolves
 * them (`env:`/`file:`); an unset one stops the run with `ADAPTER_INVALID` naming it.
 */
import { createHash, randomBytes } from 'node:crypto';
import semver from 'semver';
import type { LoadedAdapter, MessageSpec } from '../adapters/manifest.ts';
import { SuyuanError } from '../errors.ts';
import { OutboundService, type Prepared } from '../feeds/outbound.ts';
import { parseSoap, type SoapMessage } from '../formats/soap.ts';
import type { MappingEvaluator } from '../mapping/index.ts';
import { parseSubjectRef, type SchemaSource } from '../standards/catalog.ts';
import { isJsonObject } from '../standards/json.ts';
import type { Standards } from '../standards/validator.ts';
import { SoapSender, type SoapExchange } from '../transports/soap-client.ts';
import { loadWsdl } from '../transports/soap-wsdl.ts';
import { buildReport, type ConformanceReport } from './report.ts';
import { soapCases } from './soap-cases.ts';
import type { Finding, Requirement, Suite, SuiteCase } from './types.ts';
import { interfaceRequirement } from './interface.ts';
import { textPairs, WsdlSchema, xsdProblems, type XsdElement } from './xsd.ts';

export interface SoapRunOptions {
  readonly suite: Suite;
  readonly endpoint: string;
  /** The adapter whose outbound side sends the suite's subject over `soap-client`. */
  readonly adapter: LoadedAdapter;
  readonly standards: Standards<SchemaSource>;
  readonly evaluator: MappingEvaluator;
  readonly platform?: string;
  readonly now?: () => Date;
}

const sr = interfaceRequirement;

export function soapInterfaceRequirements(suite: Suite): Requirement[] {
  return [
    sr(suite, 'soap/accepts-valid', '接收服务对每个合规请求返回 2xx 和 WSDL 的输出消息', 'The SOAP service answers every valid request with 2xx and the WSDL\'s output message'),
    sr(suite, 'soap/refuses-invalid', '接收服务拒绝每个违反 WSDL 模式或校验位的请求', 'The SOAP service refuses every request that breaks the WSDL\'s schema or a check character'),
    sr(suite, 'soap/fault-envelope', '拒绝时返回带 faultstring 的 SOAP Fault 报文', 'A refusal is a SOAP fault envelope with a fault string'),
    sr(suite, 'soap/client-fault', '拒绝的 Fault 代码为 Client（1.1）或 Sender（1.2）', 'A refusal\'s fault code is Client (1.1) or Sender (1.2)'),
    sr(suite, 'soap/duplicate-idempotent', '同一请求发送两次，两次均无 Fault', 'The same request sent twice is answered without a fault both times'),
    sr(suite, 'query/returns-stored', '查询接口返回所存内容', 'The query interface returns what was stored'),
    sr(suite, 'query/paging', '查询分页正确', 'Query results page correctly'),
  ];
}

/** What came back for one request. */
interface Answer {
  /** sha256 (hex) of the request envelope as sent. */
  readonly digest: string;
  readonly status: number;
  readonly message?: SoapMessage;
  /** Why the answer is not a SOAP envelope. */
  readonly unreadable?: string;
  readonly bodyStart: string;
  readonly accepted: boolean;
}

function describe(a: Answer): string {
  const head = `request sha256:${a.digest.slice(0, 16)} → HTTP ${a.status}`;
  if (a.message?.fault) return `${head}, fault ${a.message.fault.code || '(no code)'}: "${a.message.fault.reason}"`;
  if (a.message) return `${head}, ${a.message.operation || 'empty Body'} ${textPairs(a.message.body).slice(0, 4).map((p) => p.replace(/^[^/=]*\//, '')).join(' ')}`.trimEnd();
  return `${head}, no SOAP envelope (${a.unreadable ?? 'empty'})${a.bodyStart ? `: "${a.bodyStart}"` : ''}`;
}

/** The message type of the adapter's outbound side that sends one of the suite's subject versions over SOAP. */
function messageFor(adapter: LoadedAdapter, suite: Suite): MessageSpec {
  const spec = adapter.manifest.outbound;
  const id = adapter.manifest.id;
  if (spec?.transport.kind !== 'soap-client') {
    throw new SuyuanError('CONFORMANCE_ADAPTER_UNSUITED', `${id} 的发送端不是 SOAP 客户端 / ${id} does not send over soap-client`, { detail: { adapter: id } });
  }
  const message = spec.messages.find((m) => {
    if (!m.standard) return false;
    const { subject, version } = parseSubjectRef(m.standard);
    return suite.subjects.some((s) => s.subject === subject && (version === 'latest' || semver.satisfies(s.version, version)));
  });
  if (!message) {
    throw new SuyuanError('CONFORMANCE_ADAPTER_UNSUITED', `${id} 不发送 ${suite.standard} / ${id} sends no ${suite.standard}`, {
      detail: { adapter: id, standard: suite.standard, sends: spec.messages.map((m) => m.standard ?? m.type) },
    });
  }
  return message;
}

/** The case's document with a run-unique id (see the module comment), or as it is when the standard has no such member or refuses the longer id. */
function keyed(standards: Standards<SchemaSource>, c: SuiteCase, tag: string): unknown {
  const doc = c.document;
  if (!isJsonObject(doc)) return doc;
  const schema = standards.catalog.get(c.subject, c.version).schema;
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const name = required.find((r) => /Id$/.test(r) && isJsonObject(properties[r]) && properties[r].type === 'string' && typeof doc[r] === 'string');
  if (name === undefined) return doc;
  const candidate = { ...doc, [name]: `${String(doc[name])}-${tag}` };
  return standards.validate(c.subject, c.version, candidate).valid ? candidate : doc;
}

export async function runSoapInterface(options: SoapRunOptions): Promise<ConformanceReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { suite, adapter, standards } = options;
  const message = messageFor(adapter, suite);
  const spec = adapter.manifest.outbound as NonNullable<LoadedAdapter['manifest']['outbound']>;
  const transport = spec.transport;
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch (cause) {
    throw new SuyuanError('BAD_REQUEST', `不是有效的地址 ${options.endpoint} / not a URL`, { cause, detail: { endpoint: options.endpoint } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SuyuanError('BAD_REQUEST', `${options.endpoint} is not an http(s) URL`, { detail: { endpoint: options.endpoint } });
  const wsdlFile = transport.wsdl ?? '';
  const wsdl = loadWsdl(adapter.dir, wsdlFile);
  const operation = wsdl.operations.get(transport.operation ?? '');
  const schema = new WsdlSchema(wsdl.text, wsdlFile);
  const input = operation?.input ? schema.element(operation.input.local) : undefined;
  if (!operation || !input) throw new SuyuanError('ADAPTER_INVALID', `${adapter.manifest.id}: ${wsdlFile} has no operation ${transport.operation ?? ''} with an input element in its schema`, { detail: { adapter: adapter.manifest.id, operation: transport.operation } });
  const output: XsdElement | undefined = operation.output ? schema.element(operation.output.local) : undefined;
  const soapVersion = transport.soapVersion ?? '1.1';

  const at: LoadedAdapter = { ...adapter, manifest: { ...adapter.manifest, outbound: { ...spec, transport: { ...transport, url: options.endpoint } } } };
  let exchange: SoapExchange | undefined;
  const sender = new SoapSender({ observe: (e) => { exchange = e; } });
  const outbound = new OutboundService({ standards: () => standards, evaluator: options.evaluator, senders: { 'soap-client': sender }, now });
  const run = randomBytes(4).toString('hex');
  let serial = 0;
  const tag = (): string => `${run}${(serial++).toString(36)}`;

  const send = async (prepared: Prepared, value: unknown, key: string): Promise<Answer> => {
    exchange = undefined;
    let failure: unknown;
    try {
      await sender.send({ adapter: at, ...prepared, value, idempotencyKey: key });
    } catch (error) {
      failure = error;
    }
    const seen = exchange as SoapExchange | undefined;
    if (seen?.status === undefined) {
      if (failure instanceof SuyuanError && failure.code !== 'IO_FAILED') throw failure;
      throw new SuyuanError('CONFORMANCE_ENDPOINT_UNREACHABLE', `无法访问 ${options.endpoint} / cannot reach ${options.endpoint}`, { cause: failure, detail: { url: options.endpoint } });
    }
    const digest = createHash('sha256').update(seen.request ?? '', 'utf8').digest('hex');
    const text = seen.response ?? '';
    const bodyStart = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    let parsed: SoapMessage | undefined;
    let unreadable: string | undefined;
    try {
      parsed = text.trim() === '' ? undefined : parseSoap(text);
    } catch (error) {
      unreadable = error instanceof SuyuanError ? error.code : 'unreadable';
    }
    const accepted = seen.status >= 200 && seen.status < 300 && parsed !== undefined && parsed.fault === undefined;
    return { digest, status: seen.status, ...(parsed ? { message: parsed } : {}), ...(unreadable ? { unreadable } : {}), bodyStart, accepted };
  };

  /** What an answer to a valid request lacks to be the operation's output message. */
  const outputProblems = (a: Answer): string[] => {
    if (!a.accepted || !a.message) return [a.message?.fault ? 'a fault' : `not a 2xx SOAP answer`];
    if (!operation.output) return [];
    const element = (isJsonObject(a.message.body) ? Object.entries(a.message.body) : []).find(([k]) => !k.startsWith('@_') && k !== '#text');
    if (a.message.operation !== operation.output.local || !element) return [`the Body holds ${a.message.operation || 'nothing'}, not ${operation.output.local}`];
    return output ? xsdProblems(element[1], output) : [];
  };

  const findings: Finding[] = [];
  const uncovered: Array<{ requirement: string; reason: string }> = [];
  const add = (requirement: string, subjectOf: string, verdict: 'pass' | 'fail', evidence: string, path?: string): void => {
    findings.push({ requirement, subjectOf, verdict, evidence, ...(path === undefined ? {} : { path }) });
  };
  const prepare = (c: SuiteCase): Promise<Prepared> => outbound.prepare(at, message.type, keyed(standards, c, tag()));

  // 1. The suite's valid cases, as the hub sends them.
  const mapped: Array<{ c: SuiteCase; value: unknown; source: unknown; accepted: boolean }> = [];
  for (const c of suite.cases) {
    if (c.expect === 'invalid') {
      uncovered.push({ requirement: c.id, reason: `${adapter.manifest.id} 发送前即拒绝此文档，接收方不会收到 / the hub refuses this document before sending (${c.code ?? ''} at ${c.path || '/'}): a receiver never sees it; requests breaking ${wsdlFile} are sent instead` });
      continue;
    }
    let prepared: Prepared;
    try {
      prepared = await prepare(c);
    } catch (error) {
      if (!(error instanceof SuyuanError) || error.kind !== 'user') throw error;
      uncovered.push({ requirement: c.id, reason: `${adapter.manifest.id} 不发送此文档 / ${adapter.manifest.id} does not send this document: ${error.code}: ${error.message}` });
      continue;
    }
    const answer = await send(prepared, prepared.value, `conformance-${tag()}`);
    const problems = outputProblems(answer);
    const verdict = problems.length === 0 ? 'pass' : 'fail';
    const evidence = `${describe(answer)}${problems.length === 0 ? '' : `; not the output message: ${problems.slice(0, 4).join('; ')}`}`;
    add(c.requirement, c.id, verdict, evidence);
    add('interface/soap/accepts-valid', c.id, verdict, evidence);
    mapped.push({ c, value: prepared.value, source: c.document, accepted: verdict === 'pass' });
  }
  if (mapped.length === 0) {
    throw new SuyuanError('CONFORMANCE_ADAPTER_UNSUITED', `${adapter.manifest.id} 不发送 ${suite.standard} 的任何用例 / ${adapter.manifest.id} sends none of the cases of ${suite.standard}`, { detail: { adapter: adapter.manifest.id, standard: suite.standard } });
  }

  // 2. Requests the platform must refuse.
  const fault = soapVersion === '1.2' ? 'Sender' : 'Client';
  for (const k of soapCases(input, mapped)) {
    const base = mapped[k.base] as (typeof mapped)[number];
    const prepared = await prepare(base.c);
    const broken = k.apply(prepared.value);
    if (broken === undefined) {
      uncovered.push({ requirement: `interface/soap/refuses-invalid#${k.id}`, reason: `no valid request carries what ${k.element} needs` });
      continue;
    }
    const answer = await send(prepared, broken, `conformance-${tag()}`);
    const subject = `${k.id} (from ${base.c.id})`;
    const said = describe(answer);
    add('interface/soap/refuses-invalid', subject, answer.accepted ? 'fail' : 'pass', answer.accepted ? `accepted a request with ${k.breaks}: ${said}` : `${k.breaks}: ${said}`, k.element);
    if (answer.accepted) continue;
    const f = answer.message?.fault;
    const envelopeOk = f !== undefined && f.reason.trim() !== '' && answer.message?.version === soapVersion;
    add('interface/soap/fault-envelope', subject, envelopeOk ? 'pass' : 'fail', envelopeOk ? said : `${said}; expected a SOAP ${soapVersion} fault envelope with a fault string`, k.element);
    if (f !== undefined) {
      const clientFault = new RegExp(`^${fault}\\b`).test(f.code);
      add('interface/soap/client-fault', subject, clientFault ? 'pass' : 'fail', clientFault ? said : `${said}; expected ${fault}: the request is at fault`, k.element);
    }
  }

  // 3. One request twice.
  const probe = mapped.find((m) => m.accepted);
  if (probe) {
    const prepared = await prepare(probe.c);
    const key = `conformance-${tag()}`;
    const first = await send(prepared, prepared.value, key);
    const second = await send(prepared, prepared.value, key);
    const both = first.accepted && second.accepted;
    const differs = first.message && second.message && JSON.stringify(textPairs(first.message.body)) !== JSON.stringify(textPairs(second.message.body));
    add('interface/soap/duplicate-idempotent', probe.c.id, both ? 'pass' : 'fail',
      `first: ${describe(first)}; second: ${describe(second)}${both && differs ? ' (the second answer differs from the first: the platform tells the repeat apart)' : ''}`);
  } else {
    uncovered.push({ requirement: 'interface/soap/duplicate-idempotent', reason: 'no valid request was accepted, so none could be sent twice' });
  }

  // 4. Query requirements.
  const others = [...wsdl.operations.keys()].filter((name) => name !== operation.name);
  const notApplicable: Record<string, string> = {};
  for (const id of ['interface/query/returns-stored', 'interface/query/paging']) {
    if (others.length === 0) notApplicable[id] = `不适用：${wsdlFile} 没有查询操作 / not applicable: ${wsdlFile} has no query operation (its only operation is ${operation.name})`;
    else uncovered.push({ requirement: id, reason: `${wsdlFile} has other operations (${others.join(', ')}); this mode drives only ${operation.name}` });
  }

  return buildReport({
    platform: options.platform ?? url.host, mode: 'interface', target: options.endpoint, suite: { ...suite, uncovered: [...suite.uncovered, ...uncovered] },
    extra: soapInterfaceRequirements(suite), findings, directionOf: () => 'receives', notApplicable, startedAt, finishedAt: now(),
  });
}
