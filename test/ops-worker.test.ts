/** `suyuan worker --metrics-port`: a worker process without the API still answers /healthz, /readyz and /metrics (token or operator key). */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../src/standards/index.ts';
import { destinationManifest } from './helpers/destination.ts';
import { parseMetrics, sample } from './helpers/ops-hub.ts';
import { slaughterManifest } from './helpers/slaughter.ts';
import { tempRoot } from './helpers/temp-standard.ts';

const BIN = fileURLToPath(new URL('../bin/suyuan.js', import.meta.url));

it('serves its own metrics and health on a port of its own', async () => {
  const repo = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
  repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
  repo.write('adapters/dest-a/adapter.json', destinationManifest('dest-a', 'http://127.0.0.1:9/'));
  const data = mkdtempSync(join(tmpdir(), 'suyuan-worker-metrics-'));
  const token = 'worker-scrape-token-0123456789';
  const child = spawn(process.execPath, [BIN, 'worker', '--data', data, '--metrics-port', '0'], {
    env: { ...process.env, SUYUAN_ROOT: repo.root, SUYUAN_METRICS_TOKEN: token, SUYUAN_LOG_LEVEL: 'silent', SUYUAN_MAPPING_WORKERS: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /metrics on (\S+)\/metrics/.exec(out); if (m?.[1]) resolve(m[1]); });
      child.once('exit', (code) => reject(new Error(`worker exited with ${String(code)}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string; checks: Array<{ name: string; ok: boolean }> };
    expect(ready.status).toBe('ready');
    expect(ready.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['database', 'queue']));
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(metrics.status).toBe(200);
    const samples = parseMetrics(await metrics.text());
    expect(sample(samples, 'suyuan_queue_jobs', { queue: 'deliver-dest-a', state: 'waiting' })).toBe(0);
    expect(sample(samples, 'suyuan_circuit_state', { adapter: 'dest-a' })).toBe(0);
    expect((await fetch(`${url}/v1/subjects`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(data, { recursive: true, force: true });
    repo.cleanup();
  }
}, 60_000);
