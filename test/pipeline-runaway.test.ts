/** A runaway mapping stops at its deadline while the hub keeps answering, and the next message is served. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { jsonFormat } from '../src/formats/index.ts';
import { WorkerMappingPool } from '../src/mapping/index.ts';
import { MemoryEventSink } from '../src/pipeline/events.ts';
import { MemoryProvenance } from '../src/pipeline/provenance.ts';
import { runMessage } from '../src/pipeline/run.ts';

let app: App;
let base: string;
let dataDir: string;
let pool: WorkerMappingPool;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-runaway-'));
  app = await createApp(loadConfig({ port: 0, dataDir, logLevel: 'silent' }, {}));
  base = (await app.listen()).url;
  pool = new WorkerMappingPool({ size: 1, deadlineMs: 1500, limits: { timeoutMs: 500 } });
});
afterAll(async () => {
  await pool.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a mapping that runs away', () => {
  it('is stopped with MAPPING_TIMEOUT while the hub answers requests, and the next message maps normally', async () => {
    const deps = { standards: app.registry.standards, evaluator: pool, provenance: new MemoryProvenance(), events: new MemoryEventSink() };
    const plan = (source: string) => ({
      feed: 'runaway', format: jsonFormat as never, standard: { subject: 'trace.event', version: '1.0.0' },
      mapping: { id: 'runaway', version: '1.0.0', source },
    });
    // One native regular-expression call that backtracks for minutes: only the worker's deadline stops it.
    let finished = false;
    const running = runMessage(Buffer.from('{"n": 1}'), plan('$contains($pad("", 34, "a") & "!", /^(a+)+$/)'), deps).then((o) => { finished = true; return o; });
    const answers: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${base}/healthz`);
      answers.push(res.status);
      expect(finished).toBe(false);
    }
    expect(answers).toEqual([200, 200, 200]);
    const outcome = await running;
    expect(outcome.records[0]).toMatchObject({ status: 'invalid', error: { code: 'MAPPING_TIMEOUT' } });

    const stored = { ...deps, provenance: app.provenance, blobs: app.blobs };
    const next = await runMessage(Buffer.from('{"epc": "urn:epc:id:sgtin:0614141.107346.2018"}'), plan(
      '{"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2026-01-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00", "epcList": [epc]}',
    ), stored, 'next-message');
    expect(next.records[0]?.status).toBe('stored');
    // Its whole path is in the hub's database, and its bytes in the blob store.
    const path = await app.provenance.path('next-message');
    expect(path.map((s) => `${s.step}:${s.outcome}`)).toEqual(['receive:ok', 'decode:ok', 'parse:ok', 'split:ok', 'map:ok', 'validate:ok', 'identify:ok', 'store:ok']);
    expect(path.find((s) => s.step === 'map')?.mapping).toBe('runaway@1.0.0');
    expect(Buffer.from((await app.blobs.get(next.original)) ?? []).toString()).toContain('2018');
  });
});
