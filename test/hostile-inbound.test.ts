/**
 * Hostile and malformed input pushed at a running hub over HTTP: each message is refused with its
 * error code (and where it is, when the format can say), kept with its reason so it can be replayed,
 * and the hub goes on answering and storing the next good message.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsHub, type OpsHub } from './helpers/ops-hub.ts';
import { slaughterCsv, slaughterRow } from './helpers/slaughter.ts';

const RUNAWAY = {
  id: 'test-runaway', version: '1.0.0', status: 'experimental', department: 'commerce', direction: 'inbound',
  summary: '测试：映射永不结束 / A test feed whose mapping never ends',
  inbound: { transport: { kind: 'http-push' }, format: { kind: 'json' }, messages: [{ type: 'runaway', mapping: 'test-runaway', standard: 'trace.event@^1' }] },
};
const FILES = {
  'mappings/test-runaway/mapping.json': { id: 'test-runaway', version: '1.0.0', summary: '永不结束 / never ends', produces: 'trace.event@^1' },
  // Counts to a thousand million, one step at a time: only the time limit (or the kill switch) ends it.
  'mappings/test-runaway/mapping.jsonata': '($loop := function($i) { $i < 1000000000 ? $loop($i + 1) : $i }; $loop(0))',
};

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<DecMessage><DecHead><EntryId>&lol3;</EntryId></DecHead></DecMessage>`;
const EXTERNAL = `<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<DecMessage><DecHead><EntryId>&xxe;</EntryId></DecHead></DecMessage>`;

let hub: OpsHub;
beforeAll(async () => {
  hub = await startOpsHub({ copy: ['customs'], adapters: { 'test-runaway': RUNAWAY }, files: FILES, config: { mappingWorkers: 1 } });
  await hub.app.keys.create({ name: 'runaway', roles: ['integrator'], scopes: ['test-runaway'] });
});
afterAll(async () => { await hub.close(); });

const push = (feed: string, body: Uint8Array | string, headers: Record<string, string> = {}) =>
  hub.call('POST', `/v1/feeds/${feed}/messages`, { key: hub.keys.operator, body, headers });

/** After a refusal: the hub answers, and a good slaughter batch is still taken and stored. */
async function stillServing(lot: string): Promise<void> {
  expect((await hub.call('GET', '/healthz')).status).toBe(200);
  const good = await push('test-slaughter', slaughterCsv(slaughterRow(lot)), { 'content-type': 'text/csv' });
  expect(good.status).toBe(202);
  expect(good.json).toMatchObject({ status: 'accepted', records: [{ status: 'stored' }] });
}

/** The refused message is kept, rejected, with the same code, and can be read back by its id. */
async function keptAs(body: unknown, code: string): Promise<void> {
  const messageId = (body as { messageId?: string }).messageId;
  expect(messageId).toEqual(expect.any(String));
  const kept = await hub.call('GET', `/v1/messages/${messageId}`, { key: hub.keys.operator });
  expect(kept.status).toBe(200);
  expect(JSON.stringify(kept.json)).toContain(code);
}

describe('hostile input pushed at the hub', () => {
  it('a billion-laughs document is refused as XML_FORBIDDEN at its DOCTYPE, before any entity is expanded', async () => {
    const res = await push('customs', LAUGHS, { 'content-type': 'application/xml' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'XML_FORBIDDEN', construct: 'DOCTYPE', line: 2 });
    expect(res.text).not.toContain('lollollol');
    await keptAs(res.json, 'XML_FORBIDDEN');
    await stillServing('L-LAUGHS');
  });

  it('an external entity is refused as XML_FORBIDDEN and the file is never read', async () => {
    const res = await push('customs', EXTERNAL, { 'content-type': 'application/xml' });
    expect(res.json).toMatchObject({ code: 'XML_FORBIDDEN' });
    expect(res.text).not.toContain('root:');
    await keptAs(res.json, 'XML_FORBIDDEN');
    await stillServing('L-XXE');
  });

  it('a 100 MB body is refused with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = new Uint8Array(100 * 1024 * 1024).fill(0x41);
    const res = await push('customs', big, { 'content-type': 'application/xml' });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await stillServing('L-BIG');
  });

  it('a CSV with a stray quote is refused as PARSE_CSV naming its line and column', async () => {
    const rows = [slaughterRow('L-OK-1'), slaughterRow('L-OK-2').replace('line-01', 'line-"01')];
    const res = await push('test-slaughter', slaughterCsv(...rows), { 'content-type': 'text/csv' });
    expect(res.json).toMatchObject({ code: 'PARSE_CSV', line: 3, column: expect.any(Number) as number });
    await keptAs(res.json, 'PARSE_CSV');
    await stillServing('L-QUOTE');
  });

  it('GBK bytes declared as UTF-8 are refused as DECODE_INVALID at the byte offset of the first GBK character', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><DecMessage><DecHead><EntryId>海关</EntryId></DecHead></DecMessage>';
    const bytes = iconv.encode(xml, 'gbk');
    const res = await push('customs', bytes, { 'content-type': 'application/xml' });
    expect(res.json).toMatchObject({ code: 'DECODE_INVALID', offset: xml.indexOf('海') });
    await keptAs(res.json, 'DECODE_INVALID');
    await stillServing('L-GBK');
  });

  it('a mapping that loops forever is stopped with MAPPING_TIMEOUT while the hub answers, and the message is kept', async () => {
    const pending = push('test-runaway', JSON.stringify({ n: 1 }), { 'content-type': 'application/json' });
    // While the mapping runs, the hub answers.
    expect((await hub.call('GET', '/healthz')).status).toBe(200);
    const res = await pending;
    expect(res.json).toMatchObject({ code: 'MESSAGE_REJECTED', problems: [expect.objectContaining({ code: expect.stringMatching(/^MAPPING_(TIMEOUT|DEPTH)/) as string })] });
    const messageId = (res.json as { messageId: string }).messageId;
    const kept = await hub.call('GET', `/v1/messages/${messageId}`, { key: hub.keys.operator });
    expect(kept.json).toMatchObject({ status: 'rejected' });
    await stillServing('L-LOOP');
  });
});
