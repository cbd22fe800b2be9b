/**
 * The SOAP server transport: every adapter whose inbound transport is `soap-server` is a SOAP 1.1
 * and 1.2 service at `/soap/<adapter>`, described by its own WSDL at `GET /soap/<adapter>?wsdl`.
 *
 * A call's operation (its Body's first element, else its SOAPAction) chooses the message type
 * (`match.operation`); the envelope's bytes go through the feed as they came and are kept whatever
 * happens. The answer is the operation's output element in the WSDL's namespace holding the hub's
 * receipt — `messageId`, `status`, and per record `index`, `status`, `eventHash`… (unqualified
 * children, so the WSDL declares them) — or a fault: `Client`/`Sender` for input that breaks the
 * standard or cannot be read, `Server`/`Receiver` when the hub failed, with a `Rejection` element
 * in the detail naming the message id, the code and every problem. Callers authenticate with HTTP
 * Basic (the key as password) or Bearer; an integrator's key must be scoped to the adapter.
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import { hasRole } from '../auth/keys.ts';
import { SuyuanError, type ErrorKind, type Problem } from '../errors.ts';
import type { Received } from '../feeds/service.ts';
import { buildSoapEnvelope, buildSoapFault, parseSoap, soapContentType, soapFaultStatus, type SoapVersion } from '../formats/soap.ts';
import { principalOf } from '../http/auth.ts';
import { recordProblems } from '../http/routes/feeds.ts';
import type { Transport, TransportContext } from './contract.ts';
import { loadWsdl, operationOf, wsdlAt, type Wsdl } from './soap-wsdl.ts';

/** The SOAP version of a request, from its media type (1.2 is `application/soap+xml`). */
function versionOf(req: Request): SoapVersion {
  return /application\/soap\+xml/i.test(req.get('content-type') ?? '') ? '1.2' : '1.1';
}

/** The action a request names: the 1.1 `SOAPAction` header, or the 1.2 media type's `action` parameter. */
function actionOf(req: Request): string | undefined {
  const header = req.get('soapaction') ?? /;\s*action="?([^";]*)"?/i.exec(req.get('content-type') ?? '')?.[1];
  const action = header?.replace(/^"|"$/g, '').trim();
  return action ? action : undefined;
}

/** The namespace of faults raised before a service is known (no key, no such adapter). */
const SUYUAN_SOAP_NS = 'https://standards.suyuan.dev/ns/soap';

interface FaultSpec {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly message: string;
  readonly messageId?: string;
  readonly problems?: ReadonlyArray<Problem & { record?: number }>;
  readonly status?: number;
}

/** Sends a fault of the request's version; `spec.status` overrides the SOAP binding's status (401, 404). */
function sendFault(res: Response, version: SoapVersion, ns: string, spec: FaultSpec): void {
  const client = spec.kind === 'user';
  const code = version === '1.1' ? (client ? 'Client' : 'Server') : (client ? 'Sender' : 'Receiver');
  const detail = {
    'tns:Rejection': {
      '@_xmlns:tns': ns,
      ...(spec.messageId ? { messageId: spec.messageId } : {}),
      code: spec.code,
      problem: (spec.problems ?? []).map((p) => ({
        code: p.code, ...(p.record === undefined ? {} : { record: p.record }), ...(p.path ? { path: p.path } : {}), ...(p.source ? { source: p.source } : {}), message: p.message,
      })),
    },
  };
  const body = version === '1.1'
    ? buildSoapFault('1.1', { code: code as 'Client' | 'Server', reason: `${spec.code}: ${spec.message}`, detail })
    : buildSoapFault('1.2', { code: code as 'Sender' | 'Receiver', reason: `${spec.code}: ${spec.message}`, detail });
  res.status(spec.status ?? soapFaultStatus(version, code)).type(soapContentType(version)).send(body);
}

function faultOf(outcome: Received): FaultSpec {
  if (outcome.error) {
    return { kind: outcome.error.kind, code: outcome.error.code, message: outcome.error.message, messageId: outcome.messageId,
      problems: [{ code: outcome.error.code, path: '', message: outcome.error.message }] };
  }
  const bad = outcome.records.filter((r) => r.status === 'invalid' || r.status === 'failed').length;
  return { kind: 'user', code: 'MESSAGE_REJECTED', messageId: outcome.messageId, problems: recordProblems(outcome),
    message: `${bad} 条记录不符合交换标准 / ${bad} of ${outcome.records.length} record(s) do not fit the standard` };
}

interface Service {
  readonly adapter: LoadedAdapter;
  readonly wsdl: Wsdl;
}

/** The router of every SOAP service. WSDLs are read once, at start-up (a missing one stops the boot). */
export function soapRouter(ctx: TransportContext): Router {
  const services = new Map<string, Service>();
  for (const adapter of ctx.feeds.adapters.values()) {
    const transport = adapter.manifest.inbound?.transport;
    if (transport?.kind !== 'soap-server') continue;
    if (!transport.wsdl) throw new SuyuanError('ADAPTER_INVALID', `${adapter.manifest.id}: a soap-server transport needs its wsdl`, { detail: { adapter: adapter.manifest.id } });
    services.set(adapter.manifest.id, { adapter, wsdl: loadWsdl(adapter.dir, transport.wsdl) });
  }
  const router = Router();
  const find = (id: string): Service => {
    const service = services.get(id);
    if (!service) throw new SuyuanError('ADAPTER_NOT_FOUND', `没有 SOAP 服务 ${id} / no SOAP service "${id}"`, { detail: { adapter: id } });
    return service;
  };

  router.get('/:adapter', (req, res) => {
    const service = find(String(req.params.adapter));
    if (!Object.hasOwn(req.query, 'wsdl') && !Object.hasOwn(req.query, 'WSDL')) throw new SuyuanError('NOT_FOUND', 'ask for the service description with ?wsdl');
    const location = `${req.protocol}://${req.get('host') ?? ''}${req.baseUrl}/${service.adapter.manifest.id}`;
    res.type('text/xml; charset=utf-8').send(wsdlAt(service.wsdl, location));
  });

  router.post('/:adapter', express.raw({ type: () => true, limit: ctx.config.bodyLimit }), async (req, res) => {
    const id = String(req.params.adapter);
    const version = versionOf(req);
    const principal = principalOf(res);
    if (!principal) throw new SuyuanError('UNAUTHENTICATED', '需要 API 密钥（HTTP Basic 密码或 Bearer） / an API key is needed: HTTP Basic (as password) or Bearer');
    // An integrator sees only its own adapters: any other is "not found", never "forbidden".
    const { wsdl } = find(hasRole(principal, 'operator') || principal.scopes.includes(id) ? id : '');
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    let bodyElement = '';
    try {
      bodyElement = parseSoap(new TextDecoder().decode(bytes)).operation;
    } catch { /* unreadable: the pipeline keeps it and says why */ }
    const operation = operationOf(wsdl, bodyElement, actionOf(req));
    const outcome = await ctx.feeds.receive(id, bytes, operation ? { operation: operation.name } : {});
    if (outcome.error || outcome.status !== 'accepted') return sendFault(res, version, wsdl.targetNamespace, faultOf(outcome));
    const output = operation?.output ?? { ns: wsdl.targetNamespace, local: `${operation?.name ?? bodyElement}Response` };
    const receipt = {
      [`tns:${output.local}`]: {
        '@_xmlns:tns': output.ns,
        messageId: outcome.messageId,
        status: outcome.status,
        record: outcome.records.map((r) => ({ index: r.index, status: r.status, eventHash: r.events.map((e) => e.hash) })),
      },
    };
    res.status(200).type(soapContentType(version)).send(buildSoapEnvelope(version, receipt));
  });
  return router;
}

/** Answers every error under `/soap` as a fault of the request's version (401 and 404 keep their HTTP status). */
export function soapErrorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const tooLarge = (error as { type?: string } | null)?.type === 'entity.too.large';
    const e = error instanceof SuyuanError ? error
      : tooLarge ? new SuyuanError('PAYLOAD_TOO_LARGE', 'the request body is too large', { cause: error })
        : new SuyuanError('INTERNAL', 'unexpected error', { cause: error });
    if (e.kind === 'unexpected') log(error);
    if (e.code === 'UNAUTHENTICATED') res.set('WWW-Authenticate', 'Basic realm="suyuan", charset="UTF-8"');
    const keepStatus = ['UNAUTHENTICATED', 'ADAPTER_NOT_FOUND', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE'].includes(e.code);
    sendFault(res, versionOf(req), SUYUAN_SOAP_NS, {
      kind: e.kind, code: e.code, message: e.message, problems: e.problems, ...(keepStatus ? { status: e.status } : {}),
    });
  };
}

/** The SOAP server as a transport: routes under `/soap`, read raw. */
export function soapServerTransport(): Transport {
  return {
    kind: 'soap-server',
    routes: (ctx) => [{ path: '/soap', router: soapRouter(ctx), onError: soapErrorHandler(ctx.log), raw: true }],
  };
}
