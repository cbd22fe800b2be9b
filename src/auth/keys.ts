/**
 * API keys: created with roles (and, for integrators, the adapters they may touch), stored only as
 * a sha256 hash, optionally expiring, revocable. A key is `sy_` + 32 random bytes, base64url:
 * high-entropy, so a plain hash is as strong as a slow one and lets look-ups use an index.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';
import { SuyuanError } from '../errors.ts';

export const ROLES = ['admin', 'standards-body', 'integrator', 'operator', 'certifier', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  roles: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface KeyTables {
  api_keys: ApiKeyRow;
}

/** Who is calling: the key's id and name, its roles, and its scopes (adapter ids, for integrators). */
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly scopes: readonly string[];
}

export interface KeyInfo extends Principal {
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export const KEY_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0003_api_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
};

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export function hasRole(principal: Principal | undefined, ...roles: readonly Role[]): boolean {
  return principal !== undefined && (principal.roles.includes('admin') || roles.some((r) => principal.roles.includes(r)));
}

function toInfo(row: ApiKeyRow): KeyInfo {
  return {
    keyId: row.id,
    name: row.name,
    roles: JSON.parse(row.roles) as Role[],
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export interface NewKey {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly scopes?: readonly string[];
  readonly expiresAt?: string;
}

export class KeyStore {
  readonly #db: Kysely<KeyTables>;
  readonly #now: () => Date;

  constructor(db: Kysely<KeyTables>, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  /** Creates a key; the key itself is returned once and never stored. */
  async create(spec: NewKey, key = `sy_${randomBytes(32).toString('base64url')}`): Promise<{ key: string; info: KeyInfo }> {
    const bad = spec.roles.filter((r) => !ROLES.includes(r));
    if (spec.roles.length === 0 || bad.length > 0) {
      throw new SuyuanError('BAD_REQUEST', `roles must be some of ${ROLES.join(', ')}`, { detail: { roles: spec.roles } });
    }
    if (spec.expiresAt !== undefined && Number.isNaN(Date.parse(spec.expiresAt))) {
      throw new SuyuanError('BAD_REQUEST', 'expiresAt must be a date-time');
    }
    const row: ApiKeyRow = {
      id: `k_${randomBytes(8).toString('hex')}`,
      name: spec.name,
      key_hash: hashKey(key),
      roles: JSON.stringify(spec.roles),
      scopes: JSON.stringify(spec.scopes ?? []),
      created_at: this.#now().toISOString(),
      expires_at: spec.expiresAt ?? null,
      revoked_at: null,
    };
    await this.#db.insertInto('api_keys').values(row).execute();
    return { key, info: toInfo(row) };
  }

  /** Creates the admin key from configuration if no key with its hash exists yet; idempotent. */
  async ensureAdmin(key: string): Promise<void> {
    const existing = await this.#db.selectFrom('api_keys').select('id').where('key_hash', '=', hashKey(key)).executeTakeFirst();
    if (!existing) await this.create({ name: 'admin', roles: ['admin'] }, key);
  }

  /** The principal a key stands for, or `undefined` when it is unknown, revoked or expired. */
  async verify(key: string): Promise<Principal | undefined> {
    const row = await this.#db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashKey(key)).executeTakeFirst();
    if (!row || row.revoked_at !== null) return undefined;
    if (row.expires_at !== null && Date.parse(row.expires_at) <= this.#now().getTime()) return undefined;
    const { keyId, name, roles, scopes } = toInfo(row);
    return { keyId, name, roles, scopes };
  }

  async list(): Promise<KeyInfo[]> {
    const rows = await this.#db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
    return rows.map(toInfo);
  }

  async revoke(id: string): Promise<void> {
    const result = await this.#db.updateTable('api_keys').set({ revoked_at: this.#now().toISOString() })
      .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new SuyuanError('NOT_FOUND', `no active key ${id}`);
  }
}
