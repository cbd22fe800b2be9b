/**
 * The operations API: `/metrics`, `/v1/session` (console sign-in), and under `/v1/feeds` every feed's
 * status, pause and resume, plus the guard in front of HTTP pushes (paused feeds, signatures).
 * Integrators see only their own adapters: any other is "not found", never "forbidden".
 */
import { timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { hasRole, type Principal } from '../auth/keys.ts';
import { SuyuanError } from '../errors.ts';
import type { FeedService } from '../feeds/service.ts';
import { actorOf, keyOf, principalOf, requireKey } from '../http/auth.ts';
import { resolveCredential } from '../transports/credentials.ts';
import type { FeedControl } from './feed-control.ts';
import { DEFAULT_WINDOW_SECONDS, feedStatuses, type FeedStatusDeps } from './feed-status.ts';
import type { HubMetrics } from './metrics.ts';
import { SESSION_COOKIE, SESSION_SECONDS, cookieOf, type SessionStore } from './sessions.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, type SignatureVerifier } from './signature.ts';

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * `GET /metrics`: for an operator (or admin) key or session, or for `Authorization: Bearer <token>`
 * when a scrape token is configured. It runs before the hub's key check, so it authenticates itself.
 */
export function metricsRoute(metrics: HubMetrics, authenticate: RequestHandler, scrapeToken: string | undefined): Router {
  const router = Router();
  const render: RequestHandler = async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  };
  router.get('/metrics', (req, res, next) => {
    const key = keyOf(req);
    if (scrapeToken !== undefined && key !== undefined && sameText(key, scrapeToken)) return render(req, res, next);
    authenticate(req, res, (error?: unknown) => (error ? next(error) : requireKey('operator')(req, res, (e?: unknown) => (e ? next(e) : render(req, res, next)))));
  });
  return router;
}

/** The adapters a caller may see: all (`undefined`) for operators and admins, else its scopes. */
function scopeOf(principal: Principal | undefined): readonly string[] | undefined {
  return hasRole(principal, 'operator') ? undefined : (principal?.scopes ?? []);
}

function windowOf(req: Request): number {
  const raw = req.query.window;
  if (raw === undefined || raw === '') return DEFAULT_WINDOW_SECONDS;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 60 || n > 7 * 86400) throw new SuyuanError('BAD_REQUEST', 'window must be whole seconds from 60 to 604800', { detail: { window: raw } });
  return n;
}

export interface FeedOpsDeps extends FeedStatusDeps {
  readonly feeds: FeedService;
  readonly control: FeedControl;
  readonly signatures: SignatureVerifier;
  readonly bodyLimit: number;
}

/** Mounted at `/v1/feeds`, before the HTTP push routes. */
export function feedOpsRouter(deps: FeedOpsDeps): Router {
  const router = Router();
  const known = (req: Request, res: Response): string => {
    const id = String(req.params.adapter);
    const scope = scopeOf(principalOf(res));
    if (!deps.adapters.some((a) => a.manifest.id === id) || (scope !== undefined && !scope.includes(id))) {
      throw new SuyuanError('ADAPTER_NOT_FOUND', `no adapter "${id}"`, { detail: { adapter: id } });
    }
    return id;
  };

  router.get('/', requireKey('operator', 'integrator'), async (req, res) => {
    const scope = scopeOf(principalOf(res));
    res.json({ feeds: await feedStatuses(deps, { windowSeconds: windowOf(req), ...(scope === undefined ? {} : { only: scope }) }) });
  });
  router.get('/:adapter', requireKey('operator', 'integrator'), async (req, res) => {
    const id = known(req, res);
    const [status] = await feedStatuses(deps, { only: [id], windowSeconds: windowOf(req) });
    res.json(status);
  });
  const json = express.json({ limit: '16kb' });
  router.post('/:adapter/pause', requireKey('operator'), json, async (req, res) => {
    const id = known(req, res);
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    await deps.control.pause(id, actorOf(res), typeof reason === 'string' ? reason.slice(0, 500) : '');
    const [status] = await feedStatuses(deps, { only: [id] });
    res.json(status);
  });
  router.post('/:adapter/resume', requireKey('operator'), async (req, res) => {
    const id = known(req, res);
    await deps.control.resume(id, actorOf(res));
    const [status] = await feedStatuses(deps, { only: [id] });
    res.json(status);
  });

  // The guard in front of HTTP pushes: the caller may push here, the feed is not paused, and the push
  // is signed when the adapter asks for signatures. The body read here is the one the feed then takes.
  const raw = express.raw({ type: () => true, limit: deps.bodyLimit });
  const guard: RequestHandler = async (req, res, next) => {
    const id = String(req.params.adapter);
    const adapter = deps.feeds.adapters.get(id);
    if (!adapter?.manifest.inbound) return next();
    const scope = scopeOf(principalOf(res));
    if (scope !== undefined && !scope.includes(id)) return next();
    if (await deps.control.isPaused(id)) {
      res.set('Retry-After', '60');
      throw new SuyuanError('FEED_PAUSED', `接收已暂停 / the feed "${id}" is paused by an operator`, { detail: { adapter: id } });
    }
    const signature = adapter.manifest.inbound.transport.signature;
    if (!signature) return next();
    raw(req, res, (error?: unknown) => {
      if (error) return next(error);
      try {
        let secret: string | undefined;
        try { secret = resolveCredential(signature.secret); } catch { secret = undefined; }
        const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
        deps.signatures.verify(secret, req.get(TIMESTAMP_HEADER), req.get(SIGNATURE_HEADER), body);
        next();
      } catch (e) {
        next(e);
      }
    });
  };
  router.post('/:adapter/messages', requireKey('integrator', 'operator'), guard);
  router.post('/:adapter/messages/:type', requireKey('integrator', 'operator'), guard);
  return router;
}

/** The session cookie for a token; `Secure` when the request came over HTTPS. */
function sessionCookie(req: Request, value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${req.secure ? '; Secure' : ''}`;
}

/**
 * `/v1/session`: `POST {"key": "…"}` signs in and sets the cookie (201 with who you are); `GET` says
 * who the cookie (or key) stands for; `DELETE` signs out and clears the cookie.
 */
export function sessionRouter(sessions: SessionStore): Router {
  const router = Router();
  router.post('/', express.json({ limit: '4kb' }), async (req, res) => {
    const key = (req.body as { key?: unknown } | undefined)?.key ?? keyOf(req);
    if (typeof key !== 'string' || key === '') throw new SuyuanError('BAD_REQUEST', 'sign in with {"key": "<API key>"}');
    const opened = await sessions.open(key);
    if (!opened) throw new SuyuanError('UNAUTHENTICATED', 'the API key is unknown, revoked or expired');
    res.status(201).set('Set-Cookie', sessionCookie(req, opened.token, SESSION_SECONDS)).set('Cache-Control', 'no-store')
      .json({ ...opened.principal, expiresAt: opened.expiresAt });
  });
  router.get('/', requireKey(), (_req, res) => { res.set('Cache-Control', 'no-store').json(principalOf(res)); });
  router.delete('/', async (req, res) => {
    const token = cookieOf(req.get('cookie'), SESSION_COOKIE);
    if (token) await sessions.close(token);
    res.status(204).set('Set-Cookie', sessionCookie(req, '', 0)).end();
  });
  return router;
}
