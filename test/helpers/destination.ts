/**
 * A stand-in for a department's system that receives deliveries: a small HTTP server on port 0 that
 * answers 503 now and then (seeded, so a run can be repeated) or all the time while `down`, and treats
 * a repeated `Idempotency-Key` as already processed — it counts processing, not receipts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Destination {
  readonly url: string;
  /** Processed deliveries by idempotency key, with the body processed; a repeated key is answered 200 and not processed again. */
  readonly processed: Map<string, string>;
  /** Every request, with its time and answer. */
  readonly receipts: Array<{ at: number; key: string | undefined; status: number }>;
  down: boolean;
  /** While set, every message is refused (422), as a department refuses a message it cannot take. */
  refusing: boolean;
  close(): Promise<void>;
}

export interface DestinationOptions {
  /** Share of requests answered 503 at random (0 to 1). */
  readonly failRate?: number;
  readonly seed?: number;
  /** Milliseconds before answering. */
  readonly delayMs?: number;
}

/** A small seeded generator (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bodyOf = (req: IncomingMessage): Promise<string> => new Promise((resolve, reject) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  req.on('error', reject);
});

export async function startDestination(options: DestinationOptions = {}): Promise<Destination> {
  const random = seeded(options.seed ?? 1);
  const processed = new Map<string, string>();
  const receipts: Destination['receipts'] = [];
  const state = { down: false, refusing: false };
  const server = createServer((req, res) => {
    void bodyOf(req).then(async (body) => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const key = req.headers['idempotency-key'] as string | undefined;
      const answer = (status: number, value: unknown) => {
        receipts.push({ at: Date.now(), key, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      };
      if (state.down || random() < (options.failRate ?? 0)) return answer(503, { error: 'busy' });
      if (!key) return answer(400, { error: 'no Idempotency-Key' });
      if (state.refusing) return answer(422, { error: '字段不全 / fields missing' });
      if (processed.has(key)) return answer(200, { status: 'already processed' });
      processed.set(key, body);
      return answer(201, { status: 'processed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    processed,
    receipts,
    get down() { return state.down; },
    set down(value: boolean) { state.down = value; },
    get refusing() { return state.refusing; },
    set refusing(value: boolean) { state.refusing = value; },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** The manifest of an outbound-only adapter that sends each standard event as it is (JSON) to `url`. */
export const destinationManifest = (id: string, url: string, retry = { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 40, jitter: 0.5 }) => ({
  id, version: '1.0.0', status: 'experimental', department: 'market-supervision', direction: 'outbound',
  summary: '测试用接收方 / A stand-in destination',
  outbound: {
    transport: { kind: 'http-client', url },
    format: { kind: 'json', encoding: 'UTF-8' },
    messages: [{ type: 'event', summary: '标准事件原样发送 / Standard events as they are', mapping: 'identity' }],
  },
  retry,
});
