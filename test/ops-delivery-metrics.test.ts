/** Deliveries through a running hub, seen on /metrics and in the feed status: delivered, refused (a dead letter), and a destination down (its circuit opens). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { parseMetrics, sample, startOpsHub, type OpsHub } from './helpers/ops-hub.ts';
import { slaughterCsv, slaughterRow } from './helpers/slaughter.ts';
import { until } from './helpers/until.ts';

let hub: OpsHub;
let dest: Destination;

const scrape = async () => parseMetrics((await hub.call('GET', '/metrics', { key: hub.keys.operator })).text);
const out = async (outcome: string) => sample(await scrape(), 'suyuan_feed_messages_total', { adapter: 'dest-a', direction: 'out', outcome }) ?? 0;
const push = async (lot: string) => {
  const res = await hub.call('POST', '/v1/feeds/test-slaughter/messages', { key: hub.keys.integrator, body: slaughterCsv(slaughterRow(lot)), headers: { 'content-type': 'text/csv' } });
  expect(res.status).toBe(202);
};

beforeAll(async () => {
  dest = await startDestination();
  hub = await startOpsHub({
    adapters: { 'dest-a': destinationManifest('dest-a', dest.url) },
    config: { workers: true, breakerThreshold: 2, breakerCooldownMs: 600_000, deliveryRate: 1000 },
  });
  const sub = await hub.call('POST', '/v1/subscriptions', { key: hub.keys.operator, body: { subscriber: '省平台', adapter: 'dest-a', filter: { categories: ['meat-poultry'] } } });
  expect(sub.status).toBe(201);
}, 60_000);
afterAll(async () => {
  // Deliveries still waiting at the open circuit return to the queue when the workers' grace ends.
  await hub.close();
  await dest.close();
}, 60_000);

describe('deliveries on /metrics', () => {
  it('counts what the destination processed, times it, and shows the queue', async () => {
    await push('DL-1');
    await push('DL-2');
    await until(async () => dest.processed.size === 2 && (await out('ok')) === 2);
    const samples = await scrape();
    expect(sample(samples, 'suyuan_feed_processing_seconds_count', { adapter: 'dest-a', direction: 'out' })).toBe(2);
    expect(sample(samples, 'suyuan_feed_last_success_timestamp_seconds', { adapter: 'dest-a', direction: 'out' })).toBeGreaterThan(0);
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'deliver-dest-a', state: 'done' })).toBe(2);
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'route', state: 'done' })).toBe(2);
    expect(sample(samples, 'suyuan_circuit_state', { adapter: 'dest-a' })).toBe(0);
  });

  it('counts a refused delivery as a delivery error and a dead letter at once', async () => {
    dest.refusing = true;
    await push('DL-3');
    await until(async () => (await out('delivery_error')) === 1);
    const samples = await scrape();
    expect(sample(samples, 'suyuan_dead_letters_total', { adapter: 'dest-a', direction: 'out' })).toBe(1);
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'deliver-dest-a', state: 'dead' })).toBe(1);
    dest.refusing = false;
  });

  it('shows the circuit open when the destination is down, on /metrics and in the feed status', async () => {
    dest.down = true;
    await push('DL-4');
    await until(async () => sample(await scrape(), 'suyuan_circuit_state', { adapter: 'dest-a' }) === 2);
    expect(await out('delivery_error')).toBeGreaterThanOrEqual(3);
    const status = (await hub.call('GET', '/v1/feeds/dest-a', { key: hub.keys.operator })).json;
    expect(status).toMatchObject({ adapter: 'dest-a', directions: ['out'], circuit: 'open', status: 'circuit-open' });
    dest.down = false;
  });
});
