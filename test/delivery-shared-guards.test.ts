/**
 * The circuit breaker and rate limit in Redis, shared by every worker process: each "process" here is
 * its own connection to one real Redis, as workers on two machines would be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import { RedisCircuitBreakers, RedisRateLimits, SharedGuardsConnection } from '../src/delivery/shared-guards.ts';
import { redisAvailable, startRedis, type RedisServer } from './helpers/redis.ts';

const skip = !redisAvailable();
let server: RedisServer | undefined;
const connections: SharedGuardsConnection[] = [];
const connect = (): SharedGuardsConnection => {
  const c = new SharedGuardsConnection(server?.url ?? '');
  connections.push(c);
  return c;
};

beforeAll(async () => { if (!skip) server = await startRedis(); });
afterAll(async () => {
  for (const c of connections) c.close();
  await server?.stop();
});

const refused = async (admit: () => Promise<void>): Promise<string | undefined> => {
  try {
    await admit();
    return undefined;
  } catch (error) {
    return error instanceof SuyuanError ? error.code : String(error);
  }
};

describe.skipIf(skip)('circuit breaker shared in Redis', () => {
  it('opens for every process when one sees the failures, lets exactly one of them probe, and closes for all on success', async () => {
    const changes: string[] = [];
    const options = { threshold: 2, cooldownMs: 400, onChange: (d: string, s: string) => changes.push(`${d}:${s}`) };
    const a = new RedisCircuitBreakers(connect(), options);
    const b = new RedisCircuitBreakers(connect(), options);
    await a.failure('customs', 'DELIVERY_UNREACHABLE');
    expect(await b.state('customs')).toBe('closed');
    await b.failure('customs', 'DELIVERY_UNREACHABLE'); // the second failure in a row, seen by another process
    expect(await a.state('customs')).toBe('open');
    expect(await refused(() => a.admit('customs'))).toBe('CIRCUIT_OPEN');
    const open = await b.admit('customs').catch((e: SuyuanError) => e);
    expect(open).toMatchObject({ code: 'CIRCUIT_OPEN', detail: { state: 'open', failures: 2, lastCode: 'DELIVERY_UNREACHABLE' } });
    expect(await refused(() => a.admit('tax'))).toBeUndefined(); // destinations apart

    // After the cooldown one process gets the probe; the other waits for its outcome.
    await a.pass('customs');
    expect(await refused(() => b.admit('customs'))).toBe('CIRCUIT_OPEN');
    expect(await b.state('customs')).toBe('half-open');
    await a.success('customs');
    expect(await b.state('customs')).toBe('closed');
    expect(await refused(() => b.admit('customs'))).toBeUndefined();
    expect(changes).toEqual(['customs:open', 'customs:half-open', 'customs:closed']);
  });

  it('a failed probe opens the circuit again at once, whoever made it', async () => {
    const options = { threshold: 3, cooldownMs: 300 };
    const a = new RedisCircuitBreakers(connect(), options);
    const b = new RedisCircuitBreakers(connect(), options);
    for (let i = 0; i < 3; i += 1) await a.failure('drugs', 'DELIVERY_FAILED');
    await b.pass('drugs'); // the probe, after the cooldown
    await b.failure('drugs', 'DELIVERY_TIMEOUT');
    expect(await a.state('drugs')).toBe('open');
    expect(await a.admit('drugs').catch((e: SuyuanError) => e.detail)).toMatchObject({ failures: 4, lastCode: 'DELIVERY_TIMEOUT' });
  });

  it('a Redis that cannot be reached is IO_FAILED (retried later), not an unexpected error', async () => {
    const away = new SharedGuardsConnection('redis://127.0.0.1:1');
    connections.push(away);
    const error = await new RedisCircuitBreakers(away, { threshold: 1, cooldownMs: 10 }).admit('x').catch((e: SuyuanError) => e);
    expect(error).toMatchObject({ code: 'IO_FAILED', kind: 'operational' });
  });
});

describe.skipIf(skip)('rate limit shared in Redis', () => {
  it('spaces the calls of two processes to one destination as one stream, and keeps destinations apart', async () => {
    // 10 calls a second, no burst: the waits asked of the callers, whichever process they are in.
    const waits: Array<[string, number]> = [];
    const limits = (name: string) => new RedisRateLimits(connect(), { perSecond: 10, sleep: async (ms) => { waits.push([name, ms]); } });
    const [a, b] = [limits('a'), limits('b')];
    for (let i = 0; i < 3; i += 1) {
      await a.take('hospital');
      await b.take('hospital');
    }
    // Six calls taken within a few milliseconds: the k-th must wait about k × 100 ms, across both processes.
    const hospital = waits.map(([, ms]) => ms);
    expect(hospital).toHaveLength(5); // the first call goes at once
    hospital.forEach((ms, i) => {
      expect(ms).toBeGreaterThan((i + 1) * 100 - 60);
      expect(ms).toBeLessThanOrEqual((i + 1) * 100);
    });
    expect(new Set(waits.map(([name]) => name))).toEqual(new Set(['a', 'b']));
    waits.length = 0;
    await a.take('customs');
    expect(waits).toEqual([]);
  });
});
