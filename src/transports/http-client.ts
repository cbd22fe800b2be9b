/**
 * The HTTP client transport: delivers an outbound body with `fetch`, the idempotency key in a header,
 * a bearer token from the adapter's `token` credential when it has one. 5xx, 429 and network failures
 * are operational (retried); other 4xx are the destination refusing the message (not retried).
 */
import { SuyuanError } from '../errors.ts';
import type { DeliveryResult, OutboundRequest, Sender } from '../feeds/outbound.ts';
import type { Transport } from './contract.ts';
import { resolveCredential } from './credentials.ts';

export class HttpSender implements Sender {
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async send(request: OutboundRequest): Promise<DeliveryResult> {
    const transport = request.adapter.manifest.outbound?.transport;
    const url = transport?.url;
    if (!url) throw new SuyuanError('ADAPTER_INVALID', `${request.adapter.manifest.id} has no outbound url`);
    const token = transport.credentials?.token;
    const headers: Record<string, string> = {
      'content-type': request.contentType,
      ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
      ...(token ? { authorization: `Bearer ${resolveCredential(token)}` } : {}),
    };
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (cause) {
      throw new SuyuanError('IO_FAILED', `${request.adapter.manifest.id}: ${url} cannot be reached`, { cause, detail: { adapter: request.adapter.manifest.id } });
    }
    const text = await res.text();
    if (res.status >= 500 || res.status === 429) {
      throw new SuyuanError('IO_FAILED', `${request.adapter.manifest.id}: ${url} answered ${res.status}`, { detail: { adapter: request.adapter.manifest.id, status: res.status } });
    }
    if (res.status >= 400) {
      throw new SuyuanError('DELIVERY_REFUSED', `${request.adapter.manifest.id}: ${url} refused the message (${res.status})`, { detail: { adapter: request.adapter.manifest.id, status: res.status, response: text.slice(0, 2000) } });
    }
    let response: unknown = text;
    try { response = JSON.parse(text); } catch { /* not JSON: kept as text */ }
    return { status: res.status, response };
  }
}

/** The HTTP client as a transport: it only sends. */
export function httpClientTransport(): Transport {
  return { kind: 'http-client', sender: () => new HttpSender() };
}
