/** The registry's rows: reading a consistent snapshot, and the few writes the service makes. */
import type { Kysely, Transaction } from 'kysely';
import type { RegistryTables, SchemaRow, SubjectRow, VersionRow } from './tables.ts';

export type RegistryDb = Kysely<RegistryTables>;
export type RegistryTx = Transaction<RegistryTables>;

export interface Snapshot {
  readonly subjects: readonly SubjectRow[];
  readonly versions: readonly VersionRow[];
  readonly schemas: ReadonlyMap<number, SchemaRow>;
  readonly config: ReadonlyMap<string, string>;
}

export async function readSnapshot(db: RegistryDb): Promise<Snapshot> {
  const [subjects, versions, schemas, config] = await Promise.all([
    db.selectFrom('registry_subjects').selectAll().orderBy('name').execute(),
    db.selectFrom('registry_versions').selectAll().execute(),
    db.selectFrom('registry_schemas').selectAll().execute(),
    db.selectFrom('registry_config').selectAll().execute(),
  ]);
  return {
    subjects,
    versions,
    schemas: new Map(schemas.map((s) => [Number(s.id), { ...s, id: Number(s.id) }])),
    config: new Map(config.map((c) => [c.scope, c.compatibility])),
  };
}

export async function ensureSubject(tx: RegistryTx, name: string, now: string): Promise<void> {
  const row = await tx.selectFrom('registry_subjects').select(['name', 'deleted']).where('name', '=', name).executeTakeFirst();
  if (!row) await tx.insertInto('registry_subjects').values({ name, deleted: 0, created_at: now }).execute();
  else if (row.deleted) await tx.updateTable('registry_subjects').set({ deleted: 0 }).where('name', '=', name).execute();
}

/** The id of a schema with this fingerprint, inserting it if new. */
export async function upsertSchema(tx: RegistryTx, row: Omit<SchemaRow, 'id'>): Promise<number> {
  const existing = await tx.selectFrom('registry_schemas').select('id').where('fingerprint', '=', row.fingerprint).executeTakeFirst();
  if (existing) return Number(existing.id);
  const inserted = await tx.insertInto('registry_schemas').values(row as SchemaRow).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function nextNumber(tx: RegistryTx, subject: string): Promise<number> {
  const row = await tx.selectFrom('registry_versions').select((eb) => eb.fn.max('number').as('max')).where('subject', '=', subject).executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}
