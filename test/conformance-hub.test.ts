/**
 * The hub's own GS1 EPCIS 2.0 interface (capture under `/epcis/capture`, query at `/epcis/events`)
 * run through the conformance suite's interface mode: the hub must pass what it asks of others.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { generateSuite, runInterface, type ConformanceReport } from '../src/conformance/index.ts';
import { loadConfig } from '../src/config.ts';
import { loadStandards } from '../src/standards/index.ts';

const ADMIN = 'conformance-hub-admin-key-0001';
let app: App;
let dir: string;
let report: ConformanceReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'suyuan-conformance-hub-'));
  // No rate limit: a run sends some hundreds of requests in seconds (the suite waits out a 429, which would take minutes here).
  app = await createApp(loadConfig({ port: 0, dataDir: dir, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0, rateLimit: 0 }, {}));
  const base = (await app.listen()).url;
  // The admin key: it may capture, and it reads every field back (an operator would not see restricted
  // fields such as an invoice's unit price, and the suite would rightly find them lost).
  const suite = generateSuite(await loadStandards(), 'trace.event@1.0.0', { profiles: ['drugs'] });
  report = await runInterface({ suite, endpoint: `${base}/epcis`, platform: 'suyuan hub', headers: { authorization: `Bearer ${ADMIN}` } });
}, 300_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the hub against its own interface suite', () => {
  it('passes every requirement, in both directions, for the base subject and the profile', () => {
    const failing = report.requirements.filter((r) => r.verdict === 'fail').map((r) => ({ id: r.id, evidence: r.evidence.filter((e) => e.verdict === 'fail').slice(0, 3) }));
    expect(failing).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.passed).toBe(true);
    for (const id of ['interface/capture/accepts-valid', 'interface/capture/refuses-invalid', 'interface/capture/error-body', 'interface/query/returns-stored', 'interface/query/paging', 'interface/capture/duplicate-once']) {
      expect(report.requirements.find((r) => r.id === id)?.verdict, id).toBe('pass');
    }
    const certified = report.levels.filter((l) => l.certified).map((l) => `${l.profile ?? 'base'}/${l.direction}`).sort();
    expect(certified).toEqual(['base/receives', 'base/sends', 'drugs/receives', 'drugs/sends']);
  });
});
