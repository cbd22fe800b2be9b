/**
 * The Confluent-compatible API through a real socket: every endpoint, Confluent's error codes and
 * media type, soft then permanent deletes, keys and roles; then the real Confluent client
 * (`@kafkajs/confluent-schema-registry`) against it, across a restart of the hub on the same data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const ADMIN_KEY = 'ccompat-test-admin-key';
const TYPE = /^application\/vnd\.schemaregistry\.v1\+json$/;

let dataDir: string;
let app: App;
let base: string;
let writer: string;
let reader: string;

let emptyRoot: string;

/** The hub on a repository root without released versions, so the Confluent subjects are the test's own. */
async function start(): Promise<void> {
  app = await createApp(loadConfig({ port: 0, dataDir, root: emptyRoot, adminKey: ADMIN_KEY, logLevel: 'silent' }, {}));
  base = (await app.listen()).url;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-ccompat-'));
  emptyRoot = mkdtempSync(join(tmpdir(), 'suyuan-ccompat-root-'));
  await start();
  writer = (await app.keys.create({ name: 'standards body', roles: ['standards-body'] })).key;
  reader = (await app.keys.create({ name: 'integrator', roles: ['integrator'] })).key;
});
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(emptyRoot, { recursive: true, force: true });
});

interface Answer { status: number; type: string; body: any }

async function call(method: string, path: string, body?: unknown, options: { key?: string | null; type?: string; raw?: string } = {}): Promise<Answer> {
  const key = options.key === undefined ? writer : options.key;
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Basic ${Buffer.from(`any:${key}`).toString('base64')}`;
  const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = options.type ?? 'application/vnd.schemaregistry.v1+json';
  const res = await fetch(`${base}${path.startsWith('/v1') ? '' : '/ccompat'}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text === '' ? undefined : JSON.parse(text) };
}

const json = (schema: unknown) => ({ schemaType: 'JSON', schema: JSON.stringify(schema) });
/** A closed model: BACKWARD refuses a new required property, accepts a new optional one. */
const widget = (extra: Record<string, unknown> = {}, required: string[] = ['name']) => ({
  type: 'object', additionalProperties: false, required,
  properties: { name: { type: 'string' }, count: { type: 'integer' }, ...extra },
});

function expectError(answer: Answer, status: number, errorCode: number): void {
  expect({ status: answer.status, code: answer.body?.error_code }).toEqual({ status, code: errorCode });
  expect(typeof answer.body.message).toBe('string');
  expect(answer.type).toMatch(TYPE);
}

describe('the Confluent-compatible API over a real socket', () => {
  let id1: number;
  let id2: number;

  it('answers the root, schema types and mode in Confluent\'s media type', async () => {
    const root = await call('GET', '/');
    expect(root).toMatchObject({ status: 200, body: {} });
    expect(root.type).toMatch(TYPE);
    expect((await call('GET', '/schemas/types')).body).toEqual(['JSON']);
    expect((await call('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expectError(await call('GET', '/no/such/route'), 404, 404);
  });

  it('needs a key (40101) and the standards-body role to write (40301)', async () => {
    expectError(await call('GET', '/subjects', undefined, { key: null }), 401, 40101);
    expectError(await call('POST', '/subjects/w-value/versions', json(widget()), { key: reader }), 403, 40301);
    expectError(await call('PUT', '/config', { compatibility: 'NONE' }, { key: reader }), 403, 40301);
    expectError(await call('DELETE', '/subjects/w-value', undefined, { key: reader }), 403, 40301);
    expect((await call('GET', '/subjects', undefined, { key: reader })).status).toBe(200);
  });

  it('registers: one id per canonical schema in every subject, the existing id on re-register', async () => {
    const first = await call('POST', '/subjects/w-value/versions', json(widget()));
    expect(first.status).toBe(200);
    expect(first.type).toMatch(TYPE);
    expect(Object.keys(first.body)).toEqual(['id']);
    id1 = first.body.id;
    // Same schema, other key order and whitespace, other accepted request types.
    const reordered = JSON.stringify({ properties: { count: { type: 'integer' }, name: { type: 'string' } }, required: ['name'], type: 'object', additionalProperties: false }, null, 2);
    expect((await call('POST', '/subjects/w-value/versions', { schemaType: 'JSON', schema: reordered }, { type: 'application/json' })).body).toEqual({ id: id1 });
    expect((await call('POST', '/subjects/other-value/versions', json(widget()), { type: 'application/vnd.schemaregistry+json' })).body).toEqual({ id: id1 });
    expect((await call('GET', '/subjects/w-value/versions')).body).toEqual([1]);
    expect((await call('GET', '/subjects/other-value/versions')).body).toEqual([1]);
  });

  it('refuses invalid schemas (42201) and non-JSON request bodies (415)', async () => {
    expectError(await call('POST', '/subjects/w-value/versions', { schemaType: 'JSON', schema: '{not json' }), 422, 42201);
    expectError(await call('POST', '/subjects/w-value/versions', { schema: '{"type":"record","name":"x","fields":[]}' }), 422, 42201);
    expectError(await call('POST', '/subjects/w-value/versions', { schemaType: 'JSON' }), 422, 42201);
    expectError(await call('POST', '/subjects/w-value/versions', undefined, { raw: 'schema=x', type: 'text/plain' }), 415, 415);
  });

  it('lists subjects and versions, and answers a version by number, latest or -1', async () => {
    expect((await call('GET', '/subjects')).body).toEqual(['other-value', 'w-value']);
    const expected = { subject: 'w-value', version: 1, id: id1, schemaType: 'JSON', schema: expect.any(String) };
    for (const selector of ['1', 'latest', '-1']) {
      const v = await call('GET', `/subjects/w-value/versions/${selector}`);
      expect(v.body).toEqual(expected);
      expect(JSON.parse(v.body.schema)).toEqual(widget());
    }
    const raw = await call('GET', '/subjects/w-value/versions/latest/schema');
    expect(raw.type).toMatch(TYPE);
    expect(raw.body).toEqual(widget());
    for (const bad of ['0', '-2', 'abc', '1.0.0', '2147483648']) expectError(await call('GET', `/subjects/w-value/versions/${bad}`), 422, 42202);
    expectError(await call('GET', '/subjects/w-value/versions/9'), 404, 40402);
    expectError(await call('GET', '/subjects/nobody/versions/1'), 404, 40401);
    expectError(await call('GET', '/subjects/nobody/versions'), 404, 40401);
  });

  it('looks a schema up under a subject (a read)', async () => {
    const found = await call('POST', '/subjects/w-value', json(widget()), { key: reader });
    expect(found.body).toEqual({ subject: 'w-value', id: id1, version: 1, schema: expect.any(String), schemaType: 'JSON' });
    expectError(await call('POST', '/subjects/w-value', json(widget({ extra: { type: 'string' } })), { key: reader }), 404, 40403);
    expectError(await call('POST', '/subjects/nobody', json(widget()), { key: reader }), 404, 40401);
  });

  it('answers schemas by global id: the schema, its text, its subjects and versions', async () => {
    expect((await call('GET', `/schemas/ids/${id1}`)).body).toEqual({ schema: expect.any(String), schemaType: 'JSON', references: [] });
    expect((await call('GET', `/schemas/ids/${id1}?subject=w-value`)).body.schemaType).toBe('JSON');
    expect((await call('GET', `/schemas/ids/${id1}/schema`)).body).toEqual(widget());
    expect((await call('GET', `/schemas/ids/${id1}/subjects`)).body).toEqual(['other-value', 'w-value']);
    expect((await call('GET', `/schemas/ids/${id1}/versions`)).body).toEqual([{ subject: 'other-value', version: 1 }, { subject: 'w-value', version: 1 }]);
    expectError(await call('GET', '/schemas/ids/9999'), 404, 40403);
    expectError(await call('GET', '/schemas/ids/x/schema'), 404, 40403);
  });

  it('reads, sets and deletes compatibility levels, global and per subject', async () => {
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('PUT', '/config', { compatibility: 'full_transitive' })).body).toEqual({ compatibility: 'FULL_TRANSITIVE' });
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
    expect((await call('PUT', '/config', { compatibility: 'BACKWARD' })).body).toEqual({ compatibility: 'BACKWARD' });
    expectError(await call('PUT', '/config', { compatibility: 'SIDEWAYS' }), 422, 42203);
    expectError(await call('PUT', '/config/w-value', {}), 422, 42203);

    expectError(await call('GET', '/config/w-value'), 404, 40408);
    expect((await call('GET', '/config/w-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('PUT', '/config/w-value', { compatibility: 'none' })).body).toEqual({ compatibility: 'NONE' });
    expect((await call('GET', '/config/w-value')).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await call('DELETE', '/config/w-value')).body).toEqual({ compatibilityLevel: 'NONE' });
    expectError(await call('DELETE', '/config/w-value'), 404, 40408);
    expect((await call('PUT', '/config/w-value', { compatibility: 'backward' })).body).toEqual({ compatibility: 'BACKWARD' });
  });

  it('checks compatibility against one version or all, with messages when verbose (a read)', async () => {
    const addsOptional = json(widget({ colour: { type: 'string' } }));
    const addsRequired = json(widget({ colour: { type: 'string' } }, ['name', 'colour']));
    for (const path of ['/compatibility/subjects/w-value/versions/latest', '/compatibility/subjects/w-value/versions/1', '/compatibility/subjects/w-value/versions']) {
      expect((await call('POST', path, addsOptional, { key: reader })).body).toEqual({ is_compatible: true });
      expect((await call('POST', path, addsRequired, { key: reader })).body).toEqual({ is_compatible: false });
      const verbose = await call('POST', `${path}?verbose=true`, addsRequired, { key: reader });
      expect(verbose.body.is_compatible).toBe(false);
      expect(verbose.body.messages.length).toBeGreaterThan(0);
    }
    expect((await call('POST', '/compatibility/subjects/w-value/versions?verbose=true', addsOptional)).body).toEqual({ is_compatible: true, messages: [] });
    expect((await call('POST', '/compatibility/subjects/nobody/versions/latest', addsRequired)).body).toEqual({ is_compatible: true });
    expectError(await call('POST', '/compatibility/subjects/w-value/versions/2', addsOptional), 404, 40402);
    expectError(await call('POST', '/compatibility/subjects/w-value/versions/first', addsOptional), 422, 42202);
    expectError(await call('POST', '/compatibility/subjects/w-value/versions/latest', { schemaType: 'JSON', schema: '[' }), 422, 42201);
  });

  it('refuses an incompatible registration (409) and adds a compatible one as the next version', async () => {
    expectError(await call('POST', '/subjects/w-value/versions', json(widget({ colour: { type: 'string' } }, ['name', 'colour']))), 409, 409);
    id2 = (await call('POST', '/subjects/w-value/versions', json(widget({ colour: { type: 'string' } })))).body.id;
    expect(id2).not.toBe(id1);
    expect((await call('GET', '/subjects/w-value/versions')).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects/w-value/versions/latest')).body).toMatchObject({ version: 2, id: id2 });
    // Re-registering version 1's schema answers its id and adds no version.
    expect((await call('POST', '/subjects/w-value/versions', json(widget()))).body).toEqual({ id: id1 });
    expect((await call('GET', '/subjects/w-value/versions')).body).toEqual([1, 2]);
  });

  it('keeps drafts invisible; deprecated and retired versions still resolve', async () => {
    const draft = await call('POST', '/v1/subjects/draft.only/versions', { version: '1.0.0', schema: widget() });
    expect(draft.status).toBe(201);
    expect((await call('GET', '/subjects')).body).not.toContain('draft.only');
    expectError(await call('GET', '/subjects/draft.only/versions'), 404, 40401);
    expectError(await call('GET', '/subjects/draft.only/versions/latest'), 404, 40401);
    const draftOnlySchema = await call('POST', '/v1/subjects/draft.only/versions', { version: '1.1.0', schema: widget({ only: { const: 1 } }) });
    expectError(await call('GET', `/schemas/ids/${draftOnlySchema.body.schemaId}`), 404, 40403);

    expect((await call('POST', '/v1/subjects/other-value/versions/1.0.0/status', { status: 'deprecated' })).status).toBe(200);
    expect((await call('GET', '/subjects/other-value/versions/1')).body.id).toBe(id1);
    expect((await call('POST', '/v1/subjects/other-value/versions/1.0.0/status', { status: 'retired' })).status).toBe(200);
    expect((await call('GET', '/subjects/other-value/versions/latest')).body.id).toBe(id1);
    expect((await call('GET', `/schemas/ids/${id1}/subjects`)).body).toEqual(['other-value', 'w-value']);
  });

  it('tells which schemas reference a version and refuses to delete it while referenced (42206)', async () => {
    const user = await call('POST', '/subjects/user-value/versions', { ...json({ type: 'object' }), references: [{ name: 'widget.json', subject: 'w-value', version: 1 }] });
    expect(user.status).toBe(200);
    expect((await call('GET', '/subjects/user-value/versions/1')).body.references).toEqual([{ name: 'widget.json', subject: 'w-value', version: 1 }]);
    expect((await call('GET', `/schemas/ids/${user.body.id}`)).body.references).toEqual([{ name: 'widget.json', subject: 'w-value', version: 1 }]);
    expect((await call('GET', '/subjects/w-value/versions/1/referencedby')).body).toEqual([user.body.id]);
    expect((await call('GET', '/subjects/w-value/versions/2/referencedby')).body).toEqual([]);
    expectError(await call('DELETE', '/subjects/w-value/versions/1'), 422, 42206);
    expectError(await call('DELETE', '/subjects/w-value'), 422, 42206);
    expect((await call('DELETE', '/subjects/user-value')).body).toEqual([1]);
    expect((await call('DELETE', '/subjects/user-value?permanent=true')).body).toEqual([1]);
  });

  it('deletes a version soft first, then permanently (40406, 40407)', async () => {
    expectError(await call('DELETE', '/subjects/w-value/versions/2?permanent=true'), 404, 40407);
    expectError(await call('DELETE', '/subjects/w-value/versions/two'), 422, 42202);
    expect((await call('DELETE', '/subjects/w-value/versions/latest')).body).toBe(2);
    expectError(await call('DELETE', '/subjects/w-value/versions/2'), 404, 40406);
    expectError(await call('GET', '/subjects/w-value/versions/2'), 404, 40402);
    expect((await call('GET', '/subjects/w-value/versions/2?deleted=true')).body.id).toBe(id2);
    expect((await call('GET', '/subjects/w-value/versions')).body).toEqual([1]);
    expect((await call('GET', '/subjects/w-value/versions?deleted=true')).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects/w-value/versions/latest')).body.version).toBe(1);
    expect((await call('GET', `/schemas/ids/${id2}/versions`)).body).toEqual([]);
    expect((await call('GET', `/schemas/ids/${id2}/versions?deleted=true`)).body).toEqual([{ subject: 'w-value', version: 2 }]);
    // Old messages still decode: the id of a soft-deleted version resolves.
    expect((await call('GET', `/schemas/ids/${id2}`)).status).toBe(200);
    expect((await call('DELETE', '/subjects/w-value/versions/2?permanent=true')).body).toBe(2);
    expectError(await call('DELETE', '/subjects/w-value/versions/2?permanent=true'), 404, 40402);
    expectError(await call('GET', `/schemas/ids/${id2}`), 404, 40403);
    expectError(await call('DELETE', '/subjects/nobody/versions/1'), 404, 40401);
  });

  it('deletes a subject soft first, then permanently (40404, 40405); registering again continues', async () => {
    expectError(await call('DELETE', '/subjects/w-value?permanent=true'), 404, 40405);
    expect((await call('DELETE', '/subjects/w-value')).body).toEqual([1]);
    expectError(await call('DELETE', '/subjects/w-value'), 404, 40404);
    expect((await call('GET', '/subjects')).body).toEqual(['other-value']);
    expect((await call('GET', '/subjects?deleted=true')).body).toEqual(['other-value', 'w-value']);
    expectError(await call('GET', '/subjects/w-value/versions'), 404, 40401);
    expect((await call('GET', '/subjects/w-value/versions?deleted=true')).body).toEqual([1]);
    expectError(await call('POST', '/subjects/w-value', json(widget())), 404, 40401);

    // A soft-deleted subject takes a registration again: same id, the next number.
    expect((await call('POST', '/subjects/w-value/versions', json(widget()))).body).toEqual({ id: id1 });
    // (Version 2 was deleted permanently, so its number is free again, as in Confluent.)
    expect((await call('GET', '/subjects/w-value/versions')).body).toEqual([2]);
    expect((await call('DELETE', '/subjects/w-value')).body).toEqual([2]);
    expect((await call('DELETE', '/subjects/w-value?permanent=true')).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects?deleted=true')).body).toEqual(['other-value']);
    expectError(await call('DELETE', '/subjects/w-value'), 404, 40401);
  });

  it('answers a malformed body and an unknown key in Confluent\'s format too', async () => {
    expectError(await call('POST', '/subjects/w-value/versions', undefined, { raw: '{"schema":', type: 'application/json' }), 400, 400);
    expectError(await call('GET', '/subjects', undefined, { key: 'sy_no-such-key' }), 401, 40101);
  });
});

describe('the Confluent client, unchanged, against /ccompat', () => {
  const subject = 'client.reading-value';
  const reading = { type: 'object', additionalProperties: false, required: ['sensor', 'celsius'], properties: { sensor: { type: 'string' }, celsius: { type: 'number' } } };
  const client = () => new SchemaRegistry({ host: `${base}/ccompat`, auth: { username: 'any', password: writer }, retry: { retries: 0 } });

  it('registers, fetches, encodes and decodes, refuses an invalid payload and an incompatible schema; all survive a restart', async () => {
    const registry = client();
    const { id } = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify(reading) }, { subject });
    expect((await call('GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
    expect(await registry.getRegistryId(subject, 1)).toBe(id);
    expect(await registry.getRegistryIdBySchema(subject, { type: SchemaType.JSON, schema: JSON.stringify(reading) })).toBe(id);
    expect(await registry.getSchema(id)).toBeDefined();

    const message = { sensor: 'cold-room-3', celsius: -18.5 };
    const encoded = await registry.encode(id, message);
    expect(encoded.readUInt8(0)).toBe(0);
    expect(encoded.readUInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual(message);
    await expect(registry.encode(id, { sensor: 'cold-room-3', celsius: 'cold' })).rejects.toThrow(/invalid payload/);

    // BACKWARD (set by the client on first registration): a new required property is refused.
    const narrowed = { ...reading, required: ['sensor', 'celsius', 'site'], properties: { ...reading.properties, site: { type: 'string' } } };
    await expect(registry.register({ type: SchemaType.JSON, schema: JSON.stringify(narrowed) }, { subject })).rejects.toMatchObject({ status: 409 });

    await app.close();
    await start();
    const after = client();
    expect(await after.decode(encoded)).toEqual(message);
    expect(await after.getLatestSchemaId(subject)).toBe(id);
    expect((await after.register({ type: SchemaType.JSON, schema: JSON.stringify(reading) }, { subject })).id).toBe(id);
    expect((await call('GET', '/subjects')).body).toContain(subject);
    expect((await call('GET', `/schemas/ids/${id}/versions`)).body).toEqual([{ subject, version: 1 }]);
  });
});
