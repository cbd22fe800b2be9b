/** The hub on this repository's own standard: every released subject served, validated and documented. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { readRegistryIndex, standardsPaths } from '../src/standards/index.ts';

const KEY = 'repository-test-admin-key';
let app: App;
let base: string;
let dataDir: string;
const auth = { authorization: `Bearer ${KEY}` };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-repo-'));
  app = await createApp(loadConfig({ port: 0, dataDir, adminKey: KEY, logLevel: 'silent' }, {}));
  base = (await app.listen()).url;
});
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the hub on the repository\'s released standard', () => {
  it('serves every released subject version at first start', async () => {
    const released = [...new Set(readRegistryIndex(standardsPaths()).versions.map((v) => v.subject))].sort();
    const served = (await (await fetch(`${base}/v1/subjects`, { headers: auth })).json()) as Array<{ subject: string; latest: string }>;
    expect(served.map((s) => s.subject)).toEqual(released);
    expect(released).toContain('profile.drugs');
  });

  it('validates a GS1 event against trace.event and refuses it against a profile, naming every problem', async () => {
    const document = JSON.parse(readFileSync('test/fixtures/gs1/Example_9.6.1-ObjectEvent.jsonld', 'utf8')) as { epcisBody: { eventList: unknown[] } };
    const event = document.epcisBody.eventList[0];
    const post = (subject: string) => fetch(`${base}/v1/subjects/${subject}/versions/latest/validate`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(event),
    });
    const ok = await post('trace.event');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ valid: true, subject: 'trace.event', version: '1.0.0' });
    const refused = await post('profile.drugs');
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { problems: Array<{ code: string; path: string }> };
    expect(body.problems.length).toBeGreaterThan(1);
    expect(body.problems.map((p) => p.code)).toContain('SCHEMA_REQUIRED');
  });

  it('shows a subject\'s documentation with Chinese and English field names, open to all', async () => {
    const page = await fetch(`${base}/docs/trace.event/1.0.0`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<td>事件时间</td><td>Event time</td>');
    expect(html).toContain('<section id="trace.event@1.0.0">');
  });
});
