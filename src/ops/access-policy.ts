/**
 * Who may call what: every route the hub mounts, with the roles it admits. The access tests walk the
 * express app's routes and fail on a route missing here, then try every role (and no key) on every
 * route. `admin` passes every role check. An unknown, revoked or expired key is refused (401) on
 * every route, open ones included.
 */
import type { Role } from '../auth/keys.ts';

export interface Access {
  /** `anyone` (no key needed), `any-key` (any valid key), or these roles (admin always passes). */
  readonly allow: 'anyone' | 'any-key' | readonly Role[];
  /**
   * How integrators are confined to their adapters: `adapter` — another adapter's resource is 404,
   * never 403; `list` — the answer is narrowed to their adapters.
   */
  readonly scope?: 'adapter' | 'list';
  /** Callers without the role get 404 rather than 403: the route does not reveal what exists. */
  readonly hidden?: true;
  /**
   * What the caller sees of messages and events is narrowed by the schemas' field classifications
   * (public / shared / restricted / secret) for its role — the classification views of `src/trace`.
   */
  readonly fields?: true;
}

const ANYONE: Access = { allow: 'anyone' };
const ANY_KEY: Access = { allow: 'any-key' };
const STANDARDS: Access = { allow: ['standards-body'] };
const ADMIN: Access = { allow: ['admin'] };
const OPERATOR: Access = { allow: ['operator'] };
const FEED: Access = { allow: ['integrator', 'operator'], scope: 'adapter' };
const FEED_LIST: Access = { allow: ['integrator', 'operator'], scope: 'list' };

/** `METHOD /path` (as mounted, express patterns) → who may call it. */
export const ACCESS_POLICY: Readonly<Record<string, Access>> = {
  // operations
  'GET /healthz': ANYONE,
  'GET /readyz': ANYONE,
  'GET /metrics': OPERATOR,
  'POST /v1/session': ANYONE,
  'GET /v1/session': ANY_KEY,
  'DELETE /v1/session': ANYONE,
  'GET /v1/feeds': FEED_LIST,
  'GET /v1/feeds/:adapter': FEED,
  'POST /v1/feeds/:adapter/pause': { allow: ['operator'] },
  'POST /v1/feeds/:adapter/resume': { allow: ['operator'] },
  // delivery: subscriptions, dead letters, the queues
  'GET /v1/subscriptions': OPERATOR,
  'POST /v1/subscriptions': OPERATOR,
  'GET /v1/subscriptions/:id': OPERATOR,
  'PUT /v1/subscriptions/:id': OPERATOR,
  'DELETE /v1/subscriptions/:id': OPERATOR,
  'GET /v1/dead-letters': OPERATOR,
  'POST /v1/dead-letters/replay': OPERATOR,
  'GET /v1/dead-letters/:id': OPERATOR,
  'POST /v1/dead-letters/:id/replay': OPERATOR,
  'GET /v1/delivery': OPERATOR,
  // feeds and kept messages
  'POST /v1/feeds/:adapter/messages': FEED,
  'POST /v1/feeds/:adapter/messages/:type': FEED,
  // A kept message carries digests, problems and error codes, never its events' content (see README,
  // "Keys and roles"); its original bytes go to the sending feed's integrators and to operators.
  'GET /v1/messages': FEED_LIST,
  'POST /v1/messages/replay': FEED_LIST,
  'GET /v1/messages/:id': FEED,
  'GET /v1/messages/:id/original': FEED,
  'POST /v1/messages/:id/replay': FEED,
  // transports
  'OPTIONS /epcis/capture': ANY_KEY,
  'POST /epcis/capture': { allow: ['integrator', 'operator'] },
  'GET /epcis/capture': { allow: ['integrator', 'operator'], scope: 'list' },
  'GET /epcis/capture/:id': { allow: ['integrator', 'operator'] },
  'ALL /epcis/capture|/epcis/capture/*rest': ANYONE,
  // the trace store: queries, traces and the public look-up (events narrowed to the caller's view)
  'GET /epcis/events': { allow: 'anyone', fields: true },
  'GET /v1/trace/*code': { allow: 'anyone', fields: true },
  'GET /v1/recall-impact': { allow: ['regulator', 'operator'] },
  'GET /t/*code': { allow: 'anyone', fields: true },
  'GET /*path': { allow: 'anyone', fields: true },
  'GET /soap/:adapter': ANYONE,
  'POST /soap/:adapter': { allow: ['integrator', 'operator'], scope: 'adapter', hidden: true },
  // conformance: the hub's key, revocations and certificates are public; runs and issuing are certifiers'
  'GET /v1/conformance/key': ANYONE,
  'GET /v1/conformance/revocations': ANYONE,
  'GET /v1/conformance/certificates/:serial': ANYONE,
  'GET /v1/conformance/certificates': { allow: ['certifier'] },
  'POST /v1/conformance/certificates': { allow: ['certifier'] },
  'POST /v1/conformance/certificates/:serial/revoke': { allow: ['certifier'] },
  'GET /v1/conformance/runs': { allow: ['certifier'] },
  'POST /v1/conformance/runs': { allow: ['certifier'] },
  'GET /v1/conformance/runs/:id': { allow: ['certifier'] },
  // the console and its mapping playground (a dry run: nothing stored)
  'GET /console': ANYONE,
  'GET /v1/playground': { allow: ['integrator', 'operator', 'standards-body'], scope: 'list' },
  'GET /v1/playground/:adapter/sample': { allow: ['integrator', 'operator', 'standards-body'], scope: 'adapter' },
  'POST /v1/playground/:adapter': { allow: ['integrator', 'operator', 'standards-body'], scope: 'adapter' },
  // published documentation
  'GET /docs': ANYONE,
  'GET /docs/:subject/:version': ANYONE,
  // keys and audit
  'GET /v1/keys': ADMIN,
  'POST /v1/keys': ADMIN,
  'DELETE /v1/keys/:id': ADMIN,
  'GET /v1/audit': { allow: ['standards-body', 'operator', 'regulator'] },
  // the registry, native
  'GET /v1/subjects': ANY_KEY,
  'GET /v1/subjects/:subject': ANY_KEY,
  'GET /v1/subjects/:subject/versions': ANY_KEY,
  'GET /v1/subjects/:subject/versions/:version': ANY_KEY,
  'GET /v1/subjects/:subject/versions/:version/schema': ANY_KEY,
  'GET /v1/subjects/:subject/versions/:version/types': ANY_KEY,
  'GET /v1/subjects/:subject/versions/:version/docs': ANY_KEY,
  'POST /v1/subjects/:subject/versions/:version/validate': ANY_KEY,
  'GET /v1/subjects/:subject/diff': ANY_KEY,
  'POST /v1/subjects/:subject/compatibility': ANY_KEY,
  'POST /v1/subjects/:subject/versions': STANDARDS,
  'PUT /v1/subjects/:subject/versions/:version': STANDARDS,
  'DELETE /v1/subjects/:subject/versions/:version': STANDARDS,
  'POST /v1/subjects/:subject/versions/:version/status': STANDARDS,
  'DELETE /v1/subjects/:subject': STANDARDS,
  'GET /v1/config': ANY_KEY,
  'PUT /v1/config': STANDARDS,
  'GET /v1/config/:subject': ANY_KEY,
  'PUT /v1/config/:subject': STANDARDS,
  'DELETE /v1/config/:subject': STANDARDS,
  // the registry, Confluent-compatible
  'GET /ccompat': ANY_KEY,
  'GET /ccompat/schemas/types': ANY_KEY,
  'GET /ccompat/mode': ANY_KEY,
  'GET /ccompat/subjects': ANY_KEY,
  'GET /ccompat/subjects/:subject/versions': ANY_KEY,
  'GET /ccompat/subjects/:subject/versions/:version': ANY_KEY,
  'GET /ccompat/subjects/:subject/versions/:version/schema': ANY_KEY,
  'GET /ccompat/subjects/:subject/versions/:version/referencedby': ANY_KEY,
  'POST /ccompat/subjects/:subject/versions': STANDARDS,
  'POST /ccompat/subjects/:subject': ANY_KEY,
  'DELETE /ccompat/subjects/:subject': STANDARDS,
  'DELETE /ccompat/subjects/:subject/versions/:version': STANDARDS,
  'GET /ccompat/schemas/ids/:id': ANY_KEY,
  'GET /ccompat/schemas/ids/:id/schema': ANY_KEY,
  'GET /ccompat/schemas/ids/:id/subjects': ANY_KEY,
  'GET /ccompat/schemas/ids/:id/versions': ANY_KEY,
  'POST /ccompat/compatibility/subjects/:subject/versions/:version': ANY_KEY,
  'POST /ccompat/compatibility/subjects/:subject/versions': ANY_KEY,
  'GET /ccompat/config': ANY_KEY,
  'PUT /ccompat/config': STANDARDS,
  'GET /ccompat/config/:subject': ANY_KEY,
  'PUT /ccompat/config/:subject': STANDARDS,
  'DELETE /ccompat/config/:subject': STANDARDS,
};

/** Whether a caller with `roles` (none: no key) passes the role check of `access`. */
export function admits(access: Access, roles: readonly Role[] | undefined): boolean {
  if (access.allow === 'anyone') return true;
  if (roles === undefined) return false;
  if (access.allow === 'any-key' || roles.includes('admin')) return true;
  return access.allow.some((r) => roles.includes(r));
}
