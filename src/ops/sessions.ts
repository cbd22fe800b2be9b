/**
 * Console sessions: a key signs in once (`POST /v1/session`) and the browser keeps an opaque session
 * token in an HttpOnly, SameSite=Strict cookie. Only the token's sha256 is stored; a session ends at
 * sign-out, after `SESSION_SECONDS`, or as soon as its key is revoked or expires (checked on every use).
 *
 * CSRF: a request authenticated by the cookie that changes anything (any method but GET, HEAD,
 * OPTIONS) MUST carry `X-Requested-With` (any value: a cross-site form cannot set it and no CORS is
 * offered) and, when the browser sends `Origin`, an origin equal to the hub's own. SameSite=Strict is
 * the first line; this is the second.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';
import type { KeyStore, KeyTables, Principal, Role } from '../auth/keys.ts';

export const SESSION_COOKIE = 'suyuan_session';
/** How long a session lasts without signing in again: 8 hours. */
export const SESSION_SECONDS = 8 * 3600;

export interface SessionRow {
  token_hash: string;
  key_id: string;
  created_at: string;
  expires_at: string;
}

export interface SessionTables {
  sessions: SessionRow;
}

export const SESSION_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0009_ops_sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

const hash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export class SessionStore {
  readonly #db: Kysely<SessionTables & KeyTables>;
  readonly #keys: KeyStore;
  readonly #now: () => Date;

  constructor(db: Kysely<SessionTables & KeyTables>, keys: KeyStore, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#keys = keys;
    this.#now = now;
  }

  /** Signs a key in: the session token (shown once, to be set as a cookie) and who it stands for; `undefined` for a bad key. */
  async open(key: string): Promise<{ token: string; principal: Principal; expiresAt: string } | undefined> {
    const principal = await this.#keys.verify(key);
    if (!principal) return undefined;
    await this.sweep();
    const token = `ss_${randomBytes(32).toString('base64url')}`;
    const now = this.#now();
    const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000).toISOString();
    await this.#db.insertInto('sessions').values({ token_hash: hash(token), key_id: principal.keyId, created_at: now.toISOString(), expires_at: expiresAt }).execute();
    return { token, principal, expiresAt };
  }

  /** Who a session token stands for, or `undefined` when it is unknown, over, or its key no longer valid. */
  async verify(token: string): Promise<Principal | undefined> {
    const row = await this.#db.selectFrom('sessions').innerJoin('api_keys', 'api_keys.id', 'sessions.key_id')
      .select(['sessions.expires_at as session_expires', 'api_keys.id', 'api_keys.name', 'api_keys.roles', 'api_keys.scopes', 'api_keys.expires_at', 'api_keys.revoked_at'])
      .where('sessions.token_hash', '=', hash(token)).executeTakeFirst();
    const now = this.#now().getTime();
    if (!row || row.revoked_at !== null || Date.parse(row.session_expires) <= now) return undefined;
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now) return undefined;
    return { keyId: row.id, name: row.name, roles: JSON.parse(row.roles) as Role[], scopes: JSON.parse(row.scopes) as string[] };
  }

  async close(token: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', hash(token)).execute();
  }

  /** Drops sessions that are over (done at each sign-in, so the table holds only live ones and the recently ended). */
  async sweep(): Promise<void> {
    await this.#db.deleteFrom('sessions').where('expires_at', '<=', this.#now().toISOString()).execute();
  }
}

/** The value of one cookie in a `Cookie` header, or `undefined`. */
export function cookieOf(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
