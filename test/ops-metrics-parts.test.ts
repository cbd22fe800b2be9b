/** What other parts report through the metrics: queue depth and the oldest waiting job (a real embedded queue), deliveries, dead letters and circuits. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openSqlite, tablesOf } from '../src/db/index.ts';
import { HubMetrics, queueSource } from '../src/ops/index.ts';
import { createSqliteQueue, QUEUE_MIGRATIONS, type QueueTables } from '../src/queue/index.ts';
import { parseMetrics, sample } from './helpers/ops-hub.ts';

const dir = mkdtempSync(join(tmpdir(), 'suyuan-ops-queue-'));
const db = openSqlite<QueueTables>(join(dir, 'q.db'));
beforeAll(async () => { await migrate(tablesOf<unknown>(db), QUEUE_MIGRATIONS); });
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = async (metrics: HubMetrics) => parseMetrics((await metrics.render()).body);

describe('HubMetrics', () => {
  it('reads queue depth by state and the oldest waiting job at each scrape', async () => {
    const queue = createSqliteQueue(tablesOf<unknown>(db), { name: 'deliveries', retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, jitter: 0 } });
    const metrics = new HubMetrics({ processMetrics: false });
    metrics.watchQueue(queueSource('deliveries', queue));
    let samples = await scrape(metrics);
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'deliveries', state: 'waiting' })).toBe(0);
    expect(sample(samples, 'suyuan_queue_oldest_waiting_seconds', { queue: 'deliveries' })).toBe(0);
    await queue.enqueue({ name: 'deliver', payload: { n: 1 }, runAt: new Date(Date.now() - 3_600_000) });
    await queue.enqueue({ name: 'deliver', payload: { n: 2 } });
    await queue.enqueue({ name: 'deliver', payload: { n: 3 }, runAt: new Date(Date.now() + 3_600_000) });
    samples = await scrape(metrics);
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'deliveries', state: 'waiting' })).toBe(2);
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'deliveries', state: 'delayed' })).toBe(1);
    expect(sample(samples, 'suyuan_queue_oldest_waiting_seconds', { queue: 'deliveries' })).toBeGreaterThanOrEqual(3600);
    await queue.close();
  });

  it('counts deliveries, delivery errors and dead letters, and shows circuit states', async () => {
    const metrics = new HubMetrics({ processMetrics: false });
    metrics.declareFeeds([{ adapter: 'customs', directions: ['out'] }]);
    let samples = await scrape(metrics);
    expect(sample(samples, 'suyuan_circuit_state', { adapter: 'customs' })).toBe(0);
    metrics.delivered('customs', 0.2, new Date(Date.now() - 30_000));
    metrics.deliveryFailed('customs', { dead: false });
    metrics.deliveryFailed('customs', { dead: true });
    metrics.setCircuit('customs', 'open');
    samples = await scrape(metrics);
    expect(sample(samples, 'suyuan_feed_messages_total', { adapter: 'customs', direction: 'out', outcome: 'ok' })).toBe(1);
    expect(sample(samples, 'suyuan_feed_messages_total', { adapter: 'customs', direction: 'out', outcome: 'delivery_error' })).toBe(2);
    expect(sample(samples, 'suyuan_dead_letters_total', { adapter: 'customs', direction: 'out' })).toBe(1);
    expect(sample(samples, 'suyuan_feed_end_to_end_seconds_sum', { adapter: 'customs', direction: 'out' })).toBeGreaterThanOrEqual(30);
    expect(sample(samples, 'suyuan_circuit_state', { adapter: 'customs' })).toBe(2);
    expect(metrics.circuitOf('customs')).toBe('open');
    expect(metrics.lagOf('customs', 'out')).toBeGreaterThanOrEqual(30);
  });
});
