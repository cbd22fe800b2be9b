/** Console sessions and CSRF, signed pushes, paused feeds, rate limits, body limits, security headers and readiness. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../src/ops/index.ts';
import { redisAvailable, startRedis } from './helpers/redis.ts';
import { parseMetrics, sample, startOpsHub, type OpsHub } from './helpers/ops-hub.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';

const SECRET_ENV = 'SUYUAN_TEST_OPS_FEED_SECRET';
const SECRET = 'feed-signing-secret-0123456789';
const signedManifest = (() => {
  const m = slaughterManifest('example-slaughter');
  return { ...m, id: 'test-signed', inbound: { ...m.inbound, transport: { kind: 'http-push', signature: { secret: `env:${SECRET_ENV}` } } } };
})();

let hub: OpsHub;
beforeAll(async () => {
  process.env[SECRET_ENV] = SECRET;
  hub = await startOpsHub({ adapters: { 'test-signed': signedManifest } });
});
afterAll(async () => {
  await hub.close();
  delete process.env[SECRET_ENV];
});

const cookieOf = (setCookie: string | null): string => (setCookie ?? '').split(';')[0] ?? '';

describe('console sessions', () => {
  it('sign in with a key: an HttpOnly, SameSite=Strict cookie that stands for the key until sign-out', async () => {
    const signIn = await hub.call('POST', '/v1/session', { body: { key: hub.keys.operator } });
    expect(signIn.status).toBe(201);
    expect(signIn.json).toMatchObject({ roles: ['operator'], name: 'operator key' });
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^suyuan_session=ss_[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain(hub.keys.operator);
    const cookie = cookieOf(setCookie);
    expect((await hub.call('GET', '/v1/session', { headers: { cookie } })).json).toMatchObject({ roles: ['operator'] });
    expect((await hub.call('GET', '/v1/feeds', { headers: { cookie } })).status).toBe(200);
    expect((await hub.call('GET', '/metrics', { headers: { cookie } })).status).toBe(200);
    const out = await hub.call('DELETE', '/v1/session', { headers: { cookie, 'x-requested-with': 'fetch' } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await hub.call('GET', '/v1/feeds', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a bad key, and ends when the key is revoked', async () => {
    expect((await hub.call('POST', '/v1/session', { body: { key: 'sy_not-a-key' } })).json).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await hub.call('POST', '/v1/session', { body: {} })).json).toMatchObject({ code: 'BAD_REQUEST' });
    const made = await hub.app.keys.create({ name: 'short-lived', roles: ['operator'] });
    const cookie = cookieOf((await hub.call('POST', '/v1/session', { body: { key: made.key } })).headers.get('set-cookie'));
    expect((await hub.call('GET', '/v1/feeds', { headers: { cookie } })).status).toBe(200);
    await hub.app.keys.revoke(made.info.keyId);
    expect((await hub.call('GET', '/v1/feeds', { headers: { cookie } })).status).toBe(401);
  });

  it('a change made with the cookie needs X-Requested-With and the hub\'s own origin (CSRF)', async () => {
    const cookie = cookieOf((await hub.call('POST', '/v1/session', { body: { key: hub.keys.operator } })).headers.get('set-cookie'));
    const pause = (headers: Record<string, string>) => hub.call('POST', '/v1/feeds/test-slaughter/pause', { headers: { cookie, ...headers } });
    expect((await pause({})).json).toMatchObject({ status: 403, code: 'CSRF_REFUSED' });
    expect((await pause({ 'x-requested-with': 'fetch', origin: 'https://evil.example' })).json).toMatchObject({ code: 'CSRF_REFUSED' });
    expect((await pause({ 'x-requested-with': 'fetch', origin: hub.base })).status).toBe(200);
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/resume', { headers: { cookie, 'x-requested-with': 'fetch' } })).status).toBe(200);
    // A key in the Authorization header is not a cookie: no CSRF rule applies.
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/resume', { key: hub.keys.operator })).status).toBe(200);
  });
});

describe('a signed push feed', () => {
  const body = () => slaughterCsv(slaughterRow(`SG-${Math.random().toString(36).slice(2, 8)}`));
  const push = (bytes: Uint8Array, headers: Record<string, string>) => hub.call('POST', '/v1/feeds/test-signed/messages', { key: hub.keys.operator, body: bytes, headers: { 'content-type': 'text/csv', ...headers } });
  const now = () => String(Math.floor(Date.now() / 1000));

  it('takes a push signed over timestamp and body', async () => {
    const bytes = body();
    const ts = now();
    expect((await push(bytes, { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: sign(SECRET, ts, bytes) })).status).toBe(202);
  });

  it('refuses missing, mismatched, stale and replayed signatures, saying which', async () => {
    const bytes = body();
    const ts = now();
    const reason = async (headers: Record<string, string>, payload = bytes) => {
      const res = await push(payload, headers);
      expect(res.status).toBe(401);
      return (res.json as { code: string; reason: string });
    };
    expect(await reason({})).toMatchObject({ code: 'SIGNATURE_INVALID', reason: 'missing' });
    expect(await reason({ [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: sign('another-secret', ts, bytes) })).toMatchObject({ reason: 'mismatch' });
    expect(await reason({ [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: sign(SECRET, ts, bytes) }, body())).toMatchObject({ reason: 'mismatch' });
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expect(await reason({ [TIMESTAMP_HEADER]: old, [SIGNATURE_HEADER]: sign(SECRET, old, bytes) })).toMatchObject({ reason: 'stale' });
    const good = { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: sign(SECRET, ts, bytes) };
    expect((await push(bytes, good)).status).toBe(202);
    expect(await reason(good)).toMatchObject({ reason: 'replayed' });
  });

  it('leaves unsigned feeds alone', async () => {
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/messages', { key: hub.keys.integrator, body: body(), headers: { 'content-type': 'text/csv' } })).status).toBe(202);
  });
});

describe('a paused feed', () => {
  it('refuses pushes with 503 until resumed; its status and gauge say so; only operators pause', async () => {
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/pause', { key: hub.keys.integrator })).status).toBe(403);
    const paused = await hub.call('POST', '/v1/feeds/test-slaughter/pause', { key: hub.keys.operator, body: { reason: 'upgrade' } });
    expect(paused.json).toMatchObject({ adapter: 'test-slaughter', status: 'paused', paused: { reason: 'upgrade' } });
    const push = () => hub.call('POST', '/v1/feeds/test-slaughter/messages', { key: hub.keys.integrator, body: slaughterCsv(slaughterRow('PZ1')), headers: { 'content-type': 'text/csv' } });
    const refused = await push();
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ code: 'FEED_PAUSED' });
    expect(refused.headers.get('retry-after')).toBe('60');
    // Another adapter's integrator still learns nothing: 404.
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/messages', { key: hub.keys.stranger, body: 'x' })).status).toBe(404);
    const metrics = parseMetrics((await hub.call('GET', '/metrics', { key: hub.keys.operator })).text);
    expect(sample(metrics, 'suyuan_feed_paused', { adapter: 'test-slaughter' })).toBe(1);
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/resume', { key: hub.keys.operator })).json).toMatchObject({ paused: null });
    expect((await push()).status).toBe(202);
  });
});

describe('headers', () => {
  it('sets a self-only Content-Security-Policy and the other security headers; the documentation may style itself inline', async () => {
    const api = await hub.call('GET', '/v1/subjects', { key: hub.keys.operator });
    const csp = api.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    expect(api.headers.get('x-powered-by')).toBeNull();
    expect(api.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const docs = await hub.call('GET', '/docs/trace.event/1.0.0');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('limits', () => {
  let small: OpsHub;
  beforeAll(async () => { small = await startOpsHub({ config: { rateLimit: 5, bodyLimit: 2048 } }); });
  afterAll(async () => { await small.close(); });

  it('limits requests per key, answering 429 with RateLimit headers; other keys go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await small.call('GET', '/v1/subjects', { key: small.keys.certifier })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await small.call('GET', '/v1/subjects', { key: small.keys.certifier });
    expect(limited.json).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(limited.headers.get('ratelimit')).toMatch(/limit=5, remaining=0/);
    expect((await small.call('GET', '/v1/subjects', { key: small.keys.regulator })).status).toBe(200);
  });

  it('refuses bodies over the limit with 413, on pushes and on JSON', async () => {
    const big = slaughterCsv(...Array.from({ length: 30 }, (_, i) => slaughterRow(`BIG${i}`)));
    expect(big.length).toBeGreaterThan(2048);
    const push = await small.call('POST', '/v1/feeds/test-slaughter/messages', { key: small.keys.integrator, body: big, headers: { 'content-type': 'text/csv' } });
    expect(push.status).toBe(413);
    const json = await small.call('POST', '/v1/keys', { key: small.keys.admin, body: { name: 'x'.repeat(4096), roles: ['operator'] } });
    expect(json.json).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('/healthz and /readyz', () => {
  it('name every check; Redis, when configured, must answer', async () => {
    expect((await hub.call('GET', '/healthz')).json).toEqual({ status: 'ok' });
    const ready = await hub.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready' });
    expect((ready.json as { checks: unknown[] }).checks).toEqual([
      expect.objectContaining({ name: 'database', ok: true }),
      expect.objectContaining({ name: 'adapters', ok: true, detail: { loaded: ['test-signed', 'test-slaughter'] } }),
      expect.objectContaining({ name: 'queue', ok: true, detail: { waiting: { route: 0 } } }),
    ]);

    const away = await startOpsHub({ config: { redisUrl: 'redis://127.0.0.1:1', workers: false } });
    try {
      const res = await away.call('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ status: 'not ready', checks: expect.arrayContaining([expect.objectContaining({ name: 'redis', ok: false }), expect.objectContaining({ name: 'database', ok: true })]) });
    } finally {
      await away.close();
    }
  });

  it.runIf(redisAvailable())('is ready with a Redis that answers', async () => {
    const redis = await startRedis();
    const there = await startOpsHub({ config: { redisUrl: redis.url } });
    try {
      const res = await there.call('GET', '/readyz');
      expect(res.json).toMatchObject({ status: 'ready', checks: expect.arrayContaining([expect.objectContaining({ name: 'redis', ok: true })]) });
    } finally {
      await there.close();
      await redis.stop();
    }
  });
});
