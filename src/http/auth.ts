/**
 * Who is calling: an API key in `Authorization: Bearer <key>` or HTTP Basic (any user name, the key
 * as password — as Confluent clients send it). The principal is kept on `res.locals.principal`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hasRole, type KeyStore, type Principal, type Role } from '../auth/keys.ts';
import { SuyuanError } from '../errors.ts';

/** The key carried by a request, or `undefined`. */
export function keyOf(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value || undefined;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
  }
  return undefined;
}

/**
 * Resolves the caller's key, if any; an unknown, revoked or expired key is refused outright. Without a
 * key, `session` may resolve another credential (the console's session cookie, `src/ops/sessions.ts`);
 * one it does not recognise leaves the caller anonymous, and `res.locals.via` says `session`.
 */
export function authenticate(keys: KeyStore, session?: (req: Request) => Promise<Principal | undefined>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = keyOf(req);
    if (key === undefined) {
      const principal = await session?.(req);
      if (principal) {
        res.locals.principal = principal;
        res.locals.via = 'session';
      }
      return next();
    }
    const principal = await keys.verify(key);
    if (!principal) return next(new SuyuanError('UNAUTHENTICATED', 'the API key is unknown, revoked or expired'));
    res.locals.principal = principal;
    next();
  };
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The caller's key id for the audit log. */
export function actorOf(res: Response): string {
  return principalOf(res)?.keyId ?? 'anonymous';
}

/** Requires any valid key (reads), or one of `roles` (writes); admin passes everything. */
export function requireKey(...roles: readonly Role[]): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const principal = principalOf(res);
    if (!principal) return next(new SuyuanError('UNAUTHENTICATED', 'an API key is needed: Authorization: Bearer <key>'));
    if (roles.length > 0 && !hasRole(principal, ...roles)) {
      return next(new SuyuanError('FORBIDDEN', `this needs one of the roles: ${roles.join(', ')}`));
    }
    next();
  };
}
