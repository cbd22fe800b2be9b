/** The Redis readiness check: one small ioredis client that PINGs, failing fast while Redis is away. */
import { Redis } from 'ioredis';
import type { ReadinessCheck } from './health.ts';

/** A `redis` check on `url`, and `close` to release its connection. */
export function redisCheck(url: string): ReadinessCheck & { close(): Promise<void> } {
  let client: Redis | undefined;
  return {
    name: 'redis',
    async check() {
      if (!client) {
        client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000, retryStrategy: () => null });
        // A failed connection rejects the check below; the client's error events say nothing more.
        client.on('error', () => undefined);
      }
      if (client.status === 'wait' || client.status === 'end') await client.connect();
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
    },
    async close() {
      const c = client;
      client = undefined;
      if (c) c.disconnect();
    },
  };
}
