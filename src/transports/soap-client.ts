/**
 * The SOAP client transport: delivers an outbound message by calling the operation the manifest
 * names on the department's SOAP service, described by the adapter's WSDL file and reached at the
 * manifest's `url`. The mapped value is the operation's input element content. Credentials come by
 * reference: `username` + `password` (HTTP Basic) or `token` (Bearer). A `Client`/`Sender` fault is
 * the peer refusing the message (`DELIVERY_REFUSED`, not retried); a `Server`/`Receiver` fault, a
 * 5xx/429 without a fault, or a peer that cannot be reached is operational (`IO_FAILED`, retried).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as soap from 'soap';
import { SuyuanError } from '../errors.ts';
import type { DeliveryResult, OutboundRequest, Sender } from '../feeds/outbound.ts';
import type { Transport } from './contract.ts';
import { resolveCredential } from './credentials.ts';

interface SoapCallError {
  readonly response?: { readonly status?: number };
  readonly root?: { readonly Envelope?: { readonly Body?: { readonly Fault?: Record<string, unknown> } } };
}

/** The local part of a fault's code, 1.1 (`faultcode`) or 1.2 (`Code/Value`), e.g. `Client`, `Sender`, `Server.Busy`. */
function faultCodeOf(fault: Record<string, unknown>): string {
  const code = fault.faultcode ?? (fault.Code as { Value?: unknown } | undefined)?.Value;
  const text = typeof code === 'string' ? code : typeof (code as { $value?: unknown } | undefined)?.$value === 'string' ? (code as { $value: string }).$value : '';
  return text.slice(text.indexOf(':') + 1);
}

function reasonOf(fault: Record<string, unknown>): string {
  const reason = fault.faultstring ?? (fault.Reason as { Text?: unknown } | undefined)?.Text;
  if (typeof reason === 'string') return reason;
  const value = (reason as { $value?: unknown } | undefined)?.$value;
  return typeof value === 'string' ? value : '';
}

/** One request as it went on the wire and what came back (`status` and `response` absent when nothing came back). */
export interface SoapExchange {
  readonly request: string | undefined;
  readonly status: number | undefined;
  readonly response: string | undefined;
}

export class SoapSender implements Sender {
  readonly #timeoutMs: number;
  readonly #observe: ((exchange: SoapExchange) => void) | undefined;
  readonly #clients = new Map<string, Promise<soap.Client>>();

  /** `observe` is told each send's exchange once it is over, before `send` returns or throws (conformance runs keep it as evidence). */
  constructor(options: { timeoutMs?: number; observe?: (exchange: SoapExchange) => void } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#observe = options.observe;
  }

  /** One client per adapter and address, built from the WSDL file (never fetched from the peer). */
  #client(request: OutboundRequest, wsdl: string, url: string, soap12: boolean): Promise<soap.Client> {
    const key = `${request.adapter.manifest.id} ${url}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = soap.createClientAsync(join(request.adapter.dir, wsdl), { forceSoap12Headers: soap12, disableCache: true }, url);
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }

  async send(request: OutboundRequest): Promise<DeliveryResult> {
    const id = request.adapter.manifest.id;
    const transport = request.adapter.manifest.outbound?.transport;
    const { url, wsdl, operation } = transport ?? {};
    if (!transport || !url || !wsdl || !operation) throw new SuyuanError('ADAPTER_INVALID', `${id}: a soap-client transport needs url, wsdl and operation`, { detail: { adapter: id } });
    const client = await this.#client(request, wsdl, url, transport.soapVersion === '1.2');
    const method = (client as unknown as Record<string, unknown>)[`${operation}Async`];
    if (typeof method !== 'function') throw new SuyuanError('ADAPTER_INVALID', `${id}: ${wsdl} has no operation ${operation}`, { detail: { adapter: id, operation } });
    const credentials = transport.credentials ?? {};
    if (credentials.username !== undefined && credentials.password !== undefined) {
      client.setSecurity(new soap.BasicAuthSecurity(resolveCredential(credentials.username), resolveCredential(credentials.password)));
    } else if (credentials.token !== undefined) {
      client.setSecurity(new soap.BearerSecurity(resolveCredential(credentials.token)));
    }
    const headers = request.idempotencyKey ? { 'Idempotency-Key': request.idempotencyKey } : {};
    const exchangeId = randomUUID();
    const seen: { request?: string; status?: number; response?: string } = {};
    const onRequest = (xml: string, eid: string): void => { if (eid === exchangeId) seen.request = xml; };
    const onResponse = (body: unknown, response: { status?: number } | null | undefined, eid: string): void => {
      if (eid !== exchangeId) return;
      if (typeof body === 'string') seen.response = body;
      if (typeof response?.status === 'number') seen.status = response.status;
    };
    if (this.#observe) client.on('request', onRequest).on('response', onResponse);
    try {
      const [result] = (await (method as (args: unknown, options: unknown, headers: unknown) => Promise<unknown[]>)
        .call(client, request.value, { timeout: this.#timeoutMs, exchangeId }, headers));
      return { status: 200, response: result };
    } catch (error) {
      throw this.#failure(id, url, error);
    } finally {
      if (this.#observe) {
        client.removeListener('request', onRequest).removeListener('response', onResponse);
        this.#observe({ request: seen.request, status: seen.status, response: seen.response });
      }
    }
  }

  #failure(id: string, url: string, error: unknown): SuyuanError {
    const e = (error ?? {}) as SoapCallError;
    const fault = e.root?.Envelope?.Body?.Fault;
    const status = e.response?.status;
    if (fault) {
      const code = faultCodeOf(fault);
      const detail = { adapter: id, status, fault: code, reason: reasonOf(fault) };
      if (/^(Client|Sender)\b/.test(code)) return new SuyuanError('DELIVERY_REFUSED', `${id}: ${url} refused the message (${code})`, { cause: error, detail });
      return new SuyuanError('IO_FAILED', `${id}: ${url} answered with a ${code || 'server'} fault`, { cause: error, detail });
    }
    if (status !== undefined && status < 500 && status !== 429) {
      return new SuyuanError('DELIVERY_REFUSED', `${id}: ${url} refused the message (${status})`, { cause: error, detail: { adapter: id, status } });
    }
    return new SuyuanError('IO_FAILED', `${id}: ${url} cannot be reached${status ? ` (${status})` : ''}`, { cause: error, detail: { adapter: id, ...(status ? { status } : {}) } });
  }
}

/** The SOAP client as a transport: it only sends. */
export function soapClientTransport(): Transport {
  return { kind: 'soap-client', sender: () => new SoapSender() };
}
