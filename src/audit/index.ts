/** The audit log: who changed what, when. Append-only; every write path of the hub records here. */
import type { Kysely, Migration } from 'kysely';

export interface AuditRow {
  id: number;
  at: string;
  /** The key id (or `system`) that acted. */
  actor: string;
  action: string;
  /** What was acted on, e.g. `subject:trace.event@1.1.0` or `key:k_…`. */
  target: string;
  detail: string;
}

export interface AuditTables {
  audit_log: Omit<AuditRow, 'id'> & { id: number | undefined };
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export const AUDIT_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0002_audit': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('audit_log')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_target').on('audit_log').column('target').execute();
    },
  },
};

export class AuditLog {
  readonly #db: Kysely<AuditTables>;
  readonly #now: () => Date;

  constructor(db: Kysely<AuditTables>, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  async record(actor: string, action: string, target: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.#db.insertInto('audit_log')
      .values({ id: undefined, at: this.#now().toISOString(), actor, action, target, detail: JSON.stringify(detail) })
      .execute();
  }

  /** Newest first; `targetPrefix` narrows to one subject or key. */
  async list(options: { limit?: number; targetPrefix?: string } = {}): Promise<AuditEntry[]> {
    let query = this.#db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(Math.min(options.limit ?? 100, 1000));
    if (options.targetPrefix) query = query.where('target', 'like', `${options.targetPrefix.replace(/[%_]/g, '')}%`);
    const rows = await query.execute();
    return rows.map((r) => ({ id: Number(r.id), at: r.at, actor: r.actor, action: r.action, target: r.target, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
