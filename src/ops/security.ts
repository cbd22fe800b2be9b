/**
 * Request hygiene for every route: security headers (helmet, a Content-Security-Policy that allows
 * only the hub's own origin — the console serves its own assets), per-key rate limits, and the CSRF
 * rule for requests authenticated by the session cookie (see `sessions.ts`).
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { SuyuanError } from '../errors.ts';

const SELF = ["'self'"];
const DIRECTIVES = {
  defaultSrc: SELF, scriptSrc: SELF, styleSrc: SELF, imgSrc: [...SELF, 'data:'], fontSrc: SELF, connectSrc: SELF,
  objectSrc: ["'none'"], baseUri: SELF, formAction: SELF, frameAncestors: ["'none'"],
};

/**
 * helmet's headers with a CSP of `'self'` only. The published documentation (`/docs`) embeds its one
 * stylesheet inline, so there — and only there — inline styles are allowed (no scripts anywhere).
 */
export function securityHeaders(): RequestHandler {
  const strict = helmet({ contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES }, referrerPolicy: { policy: 'no-referrer' }, frameguard: { action: 'deny' } });
  const docs = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { ...DIRECTIVES, styleSrc: [...SELF, "'unsafe-inline'"] } }, referrerPolicy: { policy: 'no-referrer' }, frameguard: { action: 'deny' } });
  return (req, res, next) => (req.path === '/docs' || req.path.startsWith('/docs/') ? docs : strict)(req, res, next);
}

/** What a request is counted under: its key id when it has one, else its address (IPv6 by /56). */
export function rateKeyOf(req: Request, res: Response): string {
  const principal = res.locals.principal as { keyId?: string } | undefined;
  return principal?.keyId ? `key:${principal.keyId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

/** At most `perMinute` requests a minute per key (or address); past it `RATE_LIMITED` (429) with `RateLimit` headers. 0: no limit. */
export function rateLimiter(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-7', legacyHeaders: false,
    keyGenerator: rateKeyOf,
    handler: (_req, _res, next) => next(new SuyuanError('RATE_LIMITED', `more than ${perMinute} requests in a minute`, { detail: { limitPerMinute: perMinute } })),
  });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request's own origin (`http://host:port`), as the browser would name it. */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

/** Refuses a state-changing request authenticated by the session cookie without `X-Requested-With`, or from another origin. */
export function csrfGuard(): RequestHandler {
  return (req, res, next) => {
    if (res.locals.via !== 'session' || SAFE.has(req.method)) return next();
    if (!req.get('x-requested-with')) return next(new SuyuanError('CSRF_REFUSED', 'a change made with the session cookie needs the X-Requested-With header'));
    const origin = req.get('origin');
    if (origin !== undefined && origin !== ownOrigin(req)) return next(new SuyuanError('CSRF_REFUSED', `origin ${origin} is not the hub's own`, { detail: { origin } }));
    next();
  };
}
