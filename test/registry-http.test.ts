import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { standardsPaths } from '../src/standards/index.ts';
import { writeRelease } from '../src/standards/registry-files.ts';
import { TEST_REGIONS, tempRoot, widgetSchema, type TempRoot } from './helpers/temp-standard.ts';
import { hubEngines, type HubDatabase } from './helpers/hub-engines.ts';

const ADMIN = 'admin-key-for-tests-0001';
const WIDGET = 'https://standards.suyuan.dev/test.widget/1.0.0/schema.json';
describe.each(hubEngines())('the registry on %s', (_label, engine) => {
  let database: HubDatabase;
  /** Every test of the suite, skipped (loudly, see `hubEngines`) where the engine is not available. */
  const it = engine.skip ? test.skip : test;
  let repo: TempRoot;
  let dataDir: string;
  let app: App;
  let base: string;
  let body: string;
  let reader: string;

  async function start(): Promise<void> {
    app = await createApp(loadConfig({ ...database.config, port: 0, dataDir, adminKey: ADMIN, root: repo.root, logLevel: 'silent' }, {}));
    base = (await app.listen()).url;
  }

  async function call(method: string, path: string, key?: string, payload?: unknown): Promise<{ status: number; headers: Headers; json: any; text: string }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, json, text };
  }

  const colour = { title: '颜色 / Colour', description: '部件颜色。 / The colour.', 'x-classification': 'public', type: 'string' };

  beforeAll(async () => {
    if (engine.skip) return;
    database = await engine.open();
    repo = tempRoot();
    repo.write('standards/code-lists/gbt2260/test.json', TEST_REGIONS);
    const paths = standardsPaths(repo.root);
    writeRelease(paths, 'test.widget', '1.0.0', widgetSchema() as never, new Date('2026-01-01T00:00:00Z'));
    const box = { ...widgetSchema(), $id: 'https://standards.suyuan.dev/test.box/1.0.0/schema.json', title: '箱 / Box', properties: { widgets: { ...colour, title: '部件 / Widgets', type: 'array', items: { $ref: WIDGET } } }, required: ['widgets'] };
    writeRelease(paths, 'test.box', '1.0.0', box as never, new Date('2026-01-01T00:00:00Z'));
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-data-'));
    await start();
    body = (await call('POST', '/v1/keys', ADMIN, { name: '标准委 standards body', roles: ['standards-body'] })).json.key;
    reader = (await call('POST', '/v1/keys', ADMIN, { name: 'regulator', roles: ['regulator'] })).json.key;
  });

  afterAll(async () => {
    if (engine.skip) return;
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    repo.cleanup();
    await database.drop();
  });

  describe('the registry over a real socket and a real database', () => {
    it('is healthy, loads the released versions at first start, and asks for a key', async () => {
      expect((await call('GET', '/healthz')).status).toBe(200);
      expect((await call('GET', '/readyz')).json).toMatchObject({ status: 'ready', checks: expect.arrayContaining([expect.objectContaining({ name: 'database', ok: true }), expect.objectContaining({ name: 'adapters', ok: true })]) });
      const anonymous = await call('GET', '/v1/subjects');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
      expect(anonymous.json).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect((await call('GET', '/v1/subjects', 'sy_not-a-key')).status).toBe(401);
      const subjects = await call('GET', '/v1/subjects', reader);
      expect(subjects.json.map((s: { subject: string }) => s.subject)).toEqual(['test.box', 'test.widget']);
      const basic = await fetch(`${base}/v1/subjects`, { headers: { authorization: `Basic ${Buffer.from(`anyone:${reader}`).toString('base64')}` } });
      expect(basic.status).toBe(200);
      const docs = await call('GET', '/docs/test.widget/1.0.0');
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('<td>名称</td><td>Name</td>');
    });

    it('takes drafts from the standards body only, and moves them through the lifecycle', async () => {
      const schema = widgetSchema('1.1.0', { colour });
      expect((await call('POST', '/v1/subjects/test.widget/versions', reader, { version: '1.1.0', schema })).status).toBe(403);
      const created = await call('POST', '/v1/subjects/test.widget/versions', body, { version: '1.1.0', schema });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ version: '1.1.0', status: 'draft', number: null });
      expect((await call('POST', '/v1/subjects/test.widget/versions', body, { version: '1.0.5', schema })).json.code).toBe('INVALID_VERSION');
      expect((await call('PUT', '/v1/subjects/test.widget/versions/1.1.0', body, { schema: { ...schema, description: '部件。 / A widget, revised.' } })).status).toBe(200);
      expect((await call('GET', '/v1/subjects/test.widget/versions/latest', reader)).json.version).toBe('1.0.0');
      expect((await call('GET', '/v1/subjects/test.widget/versions/%5E1', reader)).json.version).toBe('1.0.0');

      const diff = await call('GET', '/v1/subjects/test.widget/diff?from=1.0.0&to=1.1.0', reader);
      expect(diff.json).toMatchObject({ from: '1.0.0', to: '1.1.0', backward: true });
      expect(diff.json.lines.join('\n')).toContain('colour');

      const published = await call('POST', '/v1/subjects/test.widget/versions/1.1.0/status', body, { status: 'published' });
      expect(published.json).toMatchObject({ status: 'published', number: 2 });
      expect((await call('PUT', '/v1/subjects/test.widget/versions/1.1.0', body, { schema })).json.code).toBe('VERSION_IMMUTABLE');
      expect((await call('POST', '/v1/subjects/test.widget/versions/1.1.0/status', body, { status: 'draft' })).json.code).toBe('LIFECYCLE_INVALID');
      expect((await call('GET', '/v1/subjects/test.widget/versions/2', reader)).json.version).toBe('1.1.0');
    });

    it('validates with every problem at once, says when a version is deprecated, refuses a retired one', async () => {
      const bad = await call('POST', '/v1/subjects/test.widget/versions/1.1.0/validate', reader, { region: '999999', kind: 'z', colour: 1 });
      expect(bad.status).toBe(422);
      expect(bad.json.code).toBe('VALIDATION_FAILED');
      expect(bad.json.problems.map((p: { code: string; path: string }) => `${p.code}@${p.path}`).sort())
        .toEqual(['REGION_UNKNOWN@/region', 'SCHEMA_ENUM@/kind', 'SCHEMA_REQUIRED@', 'SCHEMA_TYPE@/colour']);
      const good = await call('POST', '/v1/subjects/test.widget/versions/1.0.0/validate', reader, { name: '部件', region: '320102' });
      expect(good.json).toMatchObject({ valid: true, version: '1.0.0', deprecated: false });
      expect(good.headers.get('deprecation')).toBeNull();

      await call('POST', '/v1/subjects/test.widget/versions/1.0.0/status', body, { status: 'deprecated' });
      const deprecated = await call('POST', '/v1/subjects/test.widget/versions/1.0.0/validate', reader, { name: '部件', region: '320102' });
      expect(deprecated.json).toMatchObject({ valid: true, deprecated: true });
      expect(deprecated.headers.get('deprecation')).toMatch(/^@\d+$/);
      expect(deprecated.headers.get('link')).toContain('/versions/1.1.0>; rel="successor-version"');
      const fetched = await call('GET', '/v1/subjects/test.widget/versions/1.0.0', reader);
      expect(fetched.json.deprecated).toBe(true);
      expect(fetched.headers.get('deprecation')).toMatch(/^@\d+$/);

      await call('POST', '/v1/subjects/test.widget/versions/1.0.0/status', body, { status: 'retired' });
      const retired = await call('POST', '/v1/subjects/test.widget/versions/1.0.0/validate', reader, { name: '部件', region: '320102' });
      expect(retired.status).toBe(410);
      expect(retired.json.code).toBe('VERSION_RETIRED');
      expect((await call('GET', '/v1/subjects/test.widget/versions/1.0.0', reader)).json.status).toBe('retired');
    });

    it('refuses an incompatible version under the subject\'s level, and accepts it under NONE', async () => {
      const narrowed = widgetSchema('1.2.0', { colour }) as { properties: { name: Record<string, unknown> } };
      narrowed.properties.name.maxLength = 4;
      await call('POST', '/v1/subjects/test.widget/versions', body, { version: '1.2.0', schema: narrowed });
      const refused = await call('POST', '/v1/subjects/test.widget/versions/1.2.0/status', body, { status: 'published' });
      expect(refused.status).toBe(409);
      expect(refused.json.code).toBe('SCHEMA_INCOMPATIBLE');
      expect(refused.json.problems[0].message).toContain('MAX_LENGTH_ADDED');
      expect((await call('GET', '/v1/config/test.widget', reader)).json).toEqual({ subject: 'test.widget', compatibility: null, effective: 'BACKWARD' });
      expect((await call('PUT', '/v1/config/test.widget', body, { compatibility: 'NONE' })).json).toEqual({ compatibility: 'NONE' });
      expect((await call('PUT', '/v1/config/test.widget', body, { compatibility: 'SIDEWAYS' })).json.code).toBe('INVALID_COMPATIBILITY');
      expect((await call('POST', '/v1/subjects/test.widget/versions/1.2.0/status', body, { status: 'published' })).json.number).toBe(3);
    });

    it('serves each version\'s schema, TypeScript types and documentation for download', async () => {
      const schema = await call('GET', '/v1/subjects/test.widget/versions/1.1.0/schema', reader);
      expect(schema.headers.get('content-disposition')).toContain('test.widget-1.1.0.schema.json');
      expect(schema.json.$id).toBe('https://standards.suyuan.dev/test.widget/1.1.0/schema.json');
      const types = await call('GET', '/v1/subjects/test.box/versions/1.0.0/types', reader);
      expect(types.headers.get('content-disposition')).toContain('test.box-1.0.0.d.ts');
      expect(types.text).toContain('export interface TestBoxV1_0_0');
      expect(types.text).toContain('widgets: TestWidgetV1_0_0[]');
      const docs = await call('GET', '/v1/subjects/test.widget/versions/1.1.0/docs', reader);
      expect(docs.text).toContain('<td>颜色</td><td>Colour</td>');
    });

    it('keeps a referenced subject from being deleted, and audits every change', async () => {
      const refused = await call('DELETE', '/v1/subjects/test.widget', body);
      expect(refused.status).toBe(422);
      expect(refused.json.code).toBe('SUBJECT_REFERENCED');
      const audit = await call('GET', '/v1/audit?subject=test.widget', reader);
      const actions = audit.json.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['version.create', 'version.update', 'version.status', 'config.set']));
      const keyId = (await app.keys.verify(body))?.keyId;
      expect(audit.json.filter((e: { actor: string }) => e.actor === keyId).length).toBeGreaterThanOrEqual(6);
    });

    it('loses nothing across a restart on the same data folder', async () => {
      const before = (await call('GET', '/v1/subjects/test.widget', reader)).json;
      await app.close();
      await start();
      const after = (await call('GET', '/v1/subjects/test.widget', reader)).json;
      expect(after).toEqual(before);
      expect(after.versions.map((v: { version: string; status: string }) => `${v.version}:${v.status}`)).toEqual(['1.0.0:retired', '1.1.0:published', '1.2.0:published']);
      expect((await call('GET', '/v1/subjects/test.widget/versions/1.1.0/schema', reader)).status).toBe(200);
      expect((await call('GET', '/v1/audit?subject=test.widget', reader)).json.length).toBeGreaterThanOrEqual(6);
    });
  });
});
