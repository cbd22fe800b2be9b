/** The platform's endpoint as the interface mode sees it: JSON over HTTP with the run's headers, and a clear error when it cannot be reached. */
import { SuyuanError } from '../errors.ts';

export interface PeerAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON, or its text when it is not JSON. */
  readonly body: unknown;
}

export class HttpPeer {
  readonly base: string;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(endpoint: string, headers: Readonly<Record<string, string>> = {}) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch (cause) {
      throw new SuyuanError('BAD_REQUEST', `不是有效的地址 ${endpoint} / not a URL`, { cause, detail: { endpoint } });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SuyuanError('BAD_REQUEST', `${endpoint} is not an http(s) URL`, { detail: { endpoint } });
    this.base = endpoint.replace(/\/+$/, '');
    this.#headers = headers;
  }

  /** `capture`, `events?…` are under the endpoint; a `Location` or `Link` the platform gave (`/x/y`, `http://…`) is resolved as a browser would. */
  url(path: string): string {
    return /^(?:\/|https?:\/\/)/.test(path) ? new URL(path, `${this.base}/`).href : `${this.base}/${path}`;
  }

  /**
   * One request. A 429 is the platform pacing the run, not an answer about the event: the request is
   * sent again after its `Retry-After` (1 s when absent, at most 60 s), up to five times.
   */
  async request(method: string, path: string, body?: { readonly type: string; readonly text: string }): Promise<PeerAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.#once(method, path, body);
      if (answer.status !== 429 || attempt >= 5) return answer;
      const wait = Number(answer.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, Number.isFinite(wait) && wait > 0 ? Math.min(wait, 60) * 1000 : 1000));
    }
  }

  async #once(method: string, path: string, body?: { readonly type: string; readonly text: string }): Promise<PeerAnswer> {
    const target = this.url(path);
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers: { Accept: 'application/ld+json, application/json', 'GS1-EPCIS-Version': '2.0.0', ...this.#headers, ...(body ? { 'Content-Type': body.type } : {}) },
        ...(body ? { body: body.text } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      throw new SuyuanError('CONFORMANCE_ENDPOINT_UNREACHABLE', `无法访问 ${target} / cannot reach ${target}`, { cause, detail: { url: target } });
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
}
