/** `/metrics` scraped after messages flow through two feeds: every figure matches what was sent, and no label carries message content. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/standards/index.ts';
import { parseMetrics, sample, startOpsHub, type OpsHub } from './helpers/ops-hub.ts';
import { SLAUGHTER_HEADER, slaughterCsv, slaughterRow } from './helpers/slaughter.ts';

const EVENTS_MANIFEST = {
  id: 'test-events', version: '1.0.0', status: 'experimental', department: 'commerce', direction: 'inbound',
  summary: '测试用标准事件推送 / A test feed of standard events',
  inbound: { transport: { kind: 'http-push' }, format: { kind: 'json', recordPath: '/events' }, messages: [{ type: 'event', mapping: 'identity', standard: 'trace.event@^1' }] },
};
const USCC = '91320583MA1MX8T21K';
const BAD_USCC = '91320583MA1MX8T21X';
const validEvent = JSON.parse(readFileSync(join(REPO_ROOT, 'standards/trace.event/1.0.0/examples/valid/aggregation-drug-case-packing.json'), 'utf8')) as Record<string, unknown>;

let hub: OpsHub;
const pushCsv = (bytes: Uint8Array) => hub.call('POST', '/v1/feeds/test-slaughter/messages', { key: hub.keys.integrator, body: bytes, headers: { 'content-type': 'text/csv' } });
const pushEvents = (events: unknown[]) => hub.call('POST', '/v1/feeds/test-events/messages', { key: hub.keys.operator, body: JSON.stringify({ events }), headers: { 'content-type': 'application/json' } });
const scrape = async (key = hub.keys.operator) => {
  const res = await hub.call('GET', '/metrics', { key });
  expect(res.status).toBe(200);
  return { text: res.text, samples: parseMetrics(res.text) };
};

beforeAll(async () => {
  hub = await startOpsHub({ adapters: { 'test-events': EVENTS_MANIFEST }, config: { metricsToken: 'scrape-token-0123456789' } });
});
afterAll(async () => { await hub.close(); });

describe('/metrics after messages flow', () => {
  let lastOkAt = 0;

  beforeAll(async () => {
    for (const lot of ['M1', 'M2', 'M3']) {
      lastOkAt = Date.now() / 1000;
      expect((await pushCsv(slaughterCsv(slaughterRow(lot, USCC)))).status).toBe(202);
    }
    expect((await pushCsv(slaughterCsv(slaughterRow('M1', USCC)))).status).toBe(202); // the same lot again: a duplicate
    expect((await pushCsv(slaughterCsv(slaughterRow('M4', BAD_USCC)))).status).toBe(422); // the mapping's USCC check fails
    expect((await pushCsv(Buffer.concat([iconv.encode(`${SLAUGHTER_HEADER}\n`, 'gbk'), Buffer.from([0xff, 0x41])]))).status).toBe(400); // not GBK
    expect((await pushEvents([validEvent])).status).toBe(202);
    const invalid = await pushEvents([{ type: 'ObjectEvent', action: 'OBSERVE' }]);
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]) });
  });

  it('counts each feed\'s messages by outcome, as sent', async () => {
    const { samples } = await scrape();
    const messages = (adapter: string, outcome: string) => sample(samples, 'suyuan_feed_messages_total', { adapter, direction: 'in', outcome });
    expect(['ok', 'duplicate', 'mapping_error', 'invalid', 'delivery_error'].map((o) => messages('test-slaughter', o))).toEqual([3, 1, 1, 1, 0]);
    expect(['ok', 'duplicate', 'mapping_error', 'invalid'].map((o) => messages('test-events', o))).toEqual([1, 0, 0, 1]);
    expect(sample(samples, 'suyuan_feed_records_total', { adapter: 'test-slaughter', direction: 'in', outcome: 'ok' })).toBe(3);
    expect(sample(samples, 'suyuan_dead_letters_total', { adapter: 'test-slaughter', direction: 'in' })).toBe(2);
    expect(sample(samples, 'suyuan_dead_letters_total', { adapter: 'test-events', direction: 'in' })).toBe(1);
    expect(sample(samples, 'suyuan_validation_failures_total', { subject: 'trace.event', version: '1.0.0' })).toBe(1);
  });

  it('times every message, measures the lag from event time, and notes the last success', async () => {
    const { samples } = await scrape();
    expect(sample(samples, 'suyuan_feed_processing_seconds_count', { adapter: 'test-slaughter', direction: 'in' })).toBe(6);
    expect(sample(samples, 'suyuan_feed_processing_seconds_count', { adapter: 'test-events', direction: 'in' })).toBe(2);
    expect(sample(samples, 'suyuan_feed_processing_seconds_sum', { adapter: 'test-slaughter', direction: 'in' })).toBeGreaterThan(0);
    // Stored (and duplicate) records carry an eventTime: 3 + 1 slaughter messages, 1 event message.
    expect(sample(samples, 'suyuan_feed_end_to_end_seconds_count', { adapter: 'test-slaughter', direction: 'in' })).toBe(4);
    const lag = sample(samples, 'suyuan_feed_end_to_end_seconds_sum', { adapter: 'test-events', direction: 'in' }) ?? 0;
    expect(lag).toBeGreaterThan((Date.now() - Date.parse(String(validEvent.eventTime))) / 1000 - 3600);
    expect(sample(samples, 'suyuan_feed_last_success_timestamp_seconds', { adapter: 'test-slaughter', direction: 'in' })).toBeGreaterThanOrEqual(Math.floor(lastOkAt));
    expect(sample(samples, 'suyuan_feed_expected_interval_seconds', { adapter: 'test-slaughter' })).toBe(3600);
    expect(sample(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('labels series only with adapters, directions, outcomes and versions — never a trace code, lot or party id', async () => {
    const { text } = await scrape();
    for (const secret of [USCC, BAD_USCC, 'M1', 'M4', String((validEvent.childEPCs as string[])[0]), String(validEvent['sy:operator'])]) expect(text).not.toContain(`"${secret}"`);
    const allowed = new Set(['adapter', 'direction', 'outcome', 'queue', 'state', 'subject', 'version', 'le', 'type', 'space', 'kind', 'major', 'minor', 'patch']);
    const used = new Set([...text.matchAll(/[{,]([a-zA-Z_]+)="/g)].map((m) => m[1]));
    expect([...used].filter((l) => !allowed.has(l ?? ''))).toEqual([]);
    const adapters = new Set([...text.matchAll(/adapter="([^"]*)"/g)].map((m) => m[1]));
    expect([...adapters].sort()).toEqual(['test-events', 'test-slaughter']);
  });

  it('shows the same figures in the feed status API', async () => {
    const res = await hub.call('GET', '/v1/feeds', { key: hub.keys.operator });
    expect(res.status).toBe(200);
    const feeds = (res.json as { feeds: Array<Record<string, unknown>> }).feeds;
    const slaughter = feeds.find((f) => f.adapter === 'test-slaughter');
    expect(slaughter).toMatchObject({ status: 'degraded', directions: ['in'], window: { messages: 6, accepted: 4, failed: 2, errorRatio: 0.3333 }, paused: null, circuit: null });
    expect(Date.parse(String(slaughter?.lastSuccessAt))).toBeGreaterThanOrEqual(Math.floor(lastOkAt) * 1000 - 1000);
    const events = feeds.find((f) => f.adapter === 'test-events');
    expect(events).toMatchObject({ status: 'failing', window: { messages: 2, failed: 1, errorRatio: 0.5 } });
    expect(events?.lagSeconds).toBeGreaterThan(86400);
  });
});

describe('who may scrape /metrics', () => {
  it('an operator or admin key, or the configured scrape token; no one else', async () => {
    expect((await hub.call('GET', '/metrics', { key: hub.keys.admin })).status).toBe(200);
    expect((await hub.call('GET', '/metrics', { key: 'scrape-token-0123456789' })).status).toBe(200);
    expect((await hub.call('GET', '/metrics')).status).toBe(401);
    expect((await hub.call('GET', '/metrics', { key: 'scrape-token-wrong-456789' })).status).toBe(401);
    for (const role of ['integrator', 'standards-body', 'certifier', 'regulator'] as const) {
      expect((await hub.call('GET', '/metrics', { key: hub.keys[role] })).status).toBe(403);
    }
  });
});
