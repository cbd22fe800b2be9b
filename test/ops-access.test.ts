/**
 * Access: every route the hub mounts has a declared policy (src/ops/access-policy.ts), and every role —
 * and no key — is tried on every route. Allowed callers get past the checks; others get 401 (no key),
 * 403 (wrong role), or 404 where the resource is another adapter's (never 403). Operator actions are audited.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/keys.ts';
import { ACCESS_POLICY, admits, type Access } from '../src/ops/access-policy.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { startOpsHub, type OpsHub } from './helpers/ops-hub.ts';
import { mountedRoutes } from './helpers/routes.ts';
import { slaughterCsv, slaughterRow } from './helpers/slaughter.ts';

type Caller = Role | 'stranger' | 'anonymous';
const CALLERS: readonly Caller[] = ['anonymous', 'admin', 'standards-body', 'integrator', 'stranger', 'operator', 'certifier', 'regulator'];
const rolesOf = (caller: Caller): readonly Role[] | undefined => (caller === 'anonymous' ? undefined : caller === 'stranger' ? ['integrator'] : [caller]);

const EVENTS_MANIFEST = {
  id: 'test-events', version: '1.0.0', status: 'experimental', department: 'commerce', direction: 'inbound',
  summary: '测试用标准事件推送 / A test feed of standard events',
  inbound: { transport: { kind: 'http-push' }, format: { kind: 'json', recordPath: '/events' }, messages: [{ type: 'event', mapping: 'identity', standard: 'trace.event@^1' }] },
};

let hub: OpsHub;
let messageId: string;
let sample = '';

beforeAll(async () => {
  hub = await startOpsHub({ copy: ['hospital-procurement'], adapters: { 'test-events': EVENTS_MANIFEST } });
  const pushed = await hub.call('POST', '/v1/feeds/test-slaughter/messages', { key: hub.keys.integrator, body: slaughterCsv(slaughterRow('AC1')), headers: { 'content-type': 'text/csv' } });
  expect(pushed.status).toBe(202);
  messageId = (pushed.json as { messageId: string }).messageId;
  const playground = (await hub.call('GET', '/v1/playground', { key: hub.keys.operator })).json as { adapters: Array<{ id: string; samples: Array<{ type: string; name: string }> }> };
  const first = playground.adapters.find((a) => a.id === 'hospital-procurement')?.samples[0];
  sample = `${first?.type ?? ''}/${first?.name ?? ''}`;
});
afterAll(async () => { await hub.close(); });

/** A concrete request for a route pattern: resources that exist for the integrator, harmless ones for changes. */
function requestFor(route: string): { method: string; path: string; body?: Uint8Array | string; headers: Record<string, string> } {
  const [method = 'GET', pattern = '/'] = route.split(' ');
  const reads = method === 'GET';
  const path = (pattern.split('|')[0] ?? '/')
    .replace(':adapter', pattern.startsWith('/soap') || pattern.startsWith('/v1/playground') ? 'hospital-procurement' : 'test-slaughter')
    .replace(':type/:name', sample)
    .replace(':type', 'slaughter')
    .replace(':serial', 'no-such-serial')
    .replace('*code', 'no-such-code')
    .replace('*path', 'no/such/path')
    .replace(':id', pattern.startsWith('/v1/messages') ? messageId : pattern.startsWith('/ccompat') ? '1' : pattern.startsWith('/v1/keys') ? 'k_0000000000000000' : 'no-such-id')
    .replace(':subject', reads ? 'trace.event' : 'test.nothing')
    .replace(':version', '1.0.0')
    .replace('*rest', 'x');
  if (method === 'ALL') return { method: 'PATCH', path, headers: {} };
  if (pattern.includes('/messages') && method === 'POST' && pattern.startsWith('/v1/feeds')) return { method, path, body: slaughterCsv(slaughterRow(`AC-${Math.random()}`)), headers: { 'content-type': 'text/csv' } };
  if (pattern.startsWith('/soap')) return { method, path, ...(reads ? {} : { body: '<not-soap/>' }), headers: { 'content-type': 'text/xml' } };
  if (reads || method === 'DELETE' || method === 'OPTIONS') return { method, path, headers: {} };
  return { method, path, body: '{}', headers: { 'content-type': 'application/json' } };
}

describe('the access policy', () => {
  it('declares every mounted route, and only mounted ones', () => {
    const mounted = mountedRoutes(hub.app.http);
    expect(mounted.length).toBeGreaterThan(60);
    expect(mounted.filter((r) => !(r in ACCESS_POLICY)), 'routes without a policy').toEqual([]);
    expect(Object.keys(ACCESS_POLICY).filter((r) => !mounted.includes(r)), 'policies of routes that are not mounted').toEqual([]);
  });

  it('holds for every role, and no key, on every route', async () => {
    const failures: string[] = [];
    for (const route of mountedRoutes(hub.app.http)) {
      const access: Access | undefined = ACCESS_POLICY[route];
      if (!access) continue;
      const request = requestFor(route);
      const statuses = new Map<Caller, { status: number; text: string }>();
      for (const caller of CALLERS) {
        const key = caller === 'anonymous' ? undefined : hub.keys[caller];
        const res = await hub.call(request.method, request.path + (request.method === 'GET' && route.startsWith('GET /soap') ? '?wsdl' : ''), { ...(key ? { key } : {}), ...(request.body === undefined ? {} : { body: request.body }), headers: request.headers });
        statuses.set(caller, { status: res.status, text: res.text });
        const admitted = admits(access, rolesOf(caller));
        const expectation = ((): string | undefined => {
          if (caller === 'anonymous') return admitted ? ([401, 403].includes(res.status) ? 'open to anyone' : undefined) : res.status === 401 ? undefined : '401';
          if (!admitted) return res.status === (access.hidden ? 404 : 403) ? undefined : access.hidden ? '404 (hidden)' : '403';
          if (caller === 'stranger' && access.scope === 'adapter') return res.status === 404 ? undefined : '404 for another adapter\'s resource';
          if (caller === 'stranger' && access.scope === 'list') return [401, 403, 404].includes(res.status) || res.text.includes('test-slaughter') ? 'a list without the other adapter' : undefined;
          if ([401, 403].includes(res.status)) return 'allowed';
          if ((access.scope === 'adapter' || access.hidden) && res.status === 404) return 'allowed, and the resource found';
          return undefined;
        })();
        if (expectation) failures.push(`${route} as ${caller}: expected ${expectation}, got ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('operator actions', () => {
  it('are audited: pause, resume, replay, key creation and revocation, each with the acting key', async () => {
    const operatorId = (await hub.call('GET', '/v1/session', { key: hub.keys.operator }).then((r) => r.json as { keyId: string })).keyId;
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/pause', { key: hub.keys.operator, body: { reason: '系统维护 maintenance' } })).status).toBe(200);
    expect((await hub.call('POST', '/v1/feeds/test-slaughter/resume', { key: hub.keys.operator })).status).toBe(200);
    expect((await hub.call('POST', `/v1/messages/${messageId}/replay`, { key: hub.keys.operator })).status).toBe(201);
    const created = await hub.call('POST', '/v1/keys', { key: hub.keys.admin, body: { name: 'temporary', roles: ['certifier'] } });
    expect(created.status).toBe(201);
    const keyId = (created.json as { keyId: string }).keyId;
    expect((await hub.call('DELETE', `/v1/keys/${keyId}`, { key: hub.keys.admin })).status).toBe(204);
    const audit = (await hub.call('GET', '/v1/audit?limit=50', { key: hub.keys.operator })).json as Array<{ actor: string; action: string; target: string; detail: Record<string, unknown> }>;
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ actor: operatorId, action: 'feed.pause', target: 'feed:test-slaughter', detail: { reason: '系统维护 maintenance' } }),
      expect.objectContaining({ actor: operatorId, action: 'feed.resume', target: 'feed:test-slaughter' }),
      expect.objectContaining({ actor: operatorId, action: 'message.replay', target: `message:${messageId}` }),
      expect.objectContaining({ action: 'key.create', target: `key:${keyId}` }),
      expect.objectContaining({ action: 'key.revoke', target: `key:${keyId}` }),
    ]));
  });
});

describe('field classes', () => {
  // A civil-explosives shipment: public fields (the code, the time), shared ones (the operator's credit
  // code, the vehicle) and restricted ones (the permits, entitled to emergency management and MIIT).
  const event = JSON.parse(readFileSync(join(REPO_ROOT, 'standards/profile.civil-explosives/1.0.0/examples/valid/shipping-to-blasting-unit.json'), 'utf8')) as Record<string, string>;
  const CODE = 'urn:epc:id:sscc:6944120.0000120031';
  // Looked for as JSON members: the operator's credit code also appears inside a public location id.
  const SHARED = ['"sy:operator"', '"sy:vehicle"'];
  const RESTRICTED = ['"sy:purchasePermit"', '"sy:transportPermit"'];
  const VALUES = [event['sy:vehicle'] ?? '', event['sy:purchasePermit'] ?? '', event['sy:transportPermit'] ?? ''];
  let entitled = '';

  beforeAll(async () => {
    const pushed = await hub.call('POST', '/v1/feeds/test-events/messages', { key: hub.keys.operator, body: JSON.stringify({ events: [event] }), headers: { 'content-type': 'application/json' } });
    expect(pushed.status).toBe(202);
    entitled = (await hub.app.keys.create({ name: '应急管理 emergency management', roles: ['regulator'], scopes: ['emergency-management'] })).key;
  });

  it('every role, and no key, sees exactly the classes it may on every route that shows events', async () => {
    const sees: Record<string, 'public' | 'shared' | 'restricted'> = {
      anonymous: 'public', 'standards-body': 'shared', certifier: 'shared', operator: 'shared', integrator: 'shared', stranger: 'shared', regulator: 'shared', entitled: 'restricted', admin: 'restricted',
    };
    const routes = ['/epcis/events', `/v1/trace/${encodeURIComponent(CODE)}`];
    const failures: string[] = [];
    for (const [caller, level] of Object.entries(sees)) {
      const key = caller === 'anonymous' ? undefined : caller === 'entitled' ? entitled : hub.keys[caller as Role | 'stranger'];
      for (const route of routes) {
        const res = await hub.call('GET', route, key ? { key } : {});
        if (res.status !== 200 || !res.text.includes('6944120')) { failures.push(`${caller} ${route}: ${res.status}, the event not shown`); continue; }
        const shown = (values: string[]) => values.filter((v) => res.text.includes(v)).length;
        const shared = shown(SHARED);
        const restricted = shown(RESTRICTED);
        if (shared !== (level === 'public' ? 0 : SHARED.length)) failures.push(`${caller} ${route}: ${shared} of the shared fields`);
        if (restricted !== (level === 'restricted' ? RESTRICTED.length : 0)) failures.push(`${caller} ${route}: ${restricted} of the restricted fields`);
      }
    }
    // The public look-up shows public fields only.
    const page = await hub.call('GET', `/t/${encodeURIComponent(CODE)}`);
    if (!page.text.includes('6944120') || VALUES.some((v) => page.text.includes(v))) failures.push('/t/<code> shows a field that is not public');
    expect(failures).toEqual([]);
  });
});
