/** The registry's tables and their migrations. */
import { sql, type Kysely, type Migration } from 'kysely';

export interface SubjectRow {
  name: string;
  /** Soft-deleted (Confluent semantics): hidden, versions kept until a permanent delete. */
  deleted: number;
  created_at: string;
}

export interface SchemaRow {
  /** Global schema id, the same in every subject for the same canonical schema. */
  id: number;
  /** sha256 of the canonical schema text and its references. */
  fingerprint: string;
  schema_type: string;
  /** The canonical schema text (keys in order, no insignificant whitespace). */
  schema: string;
  /** JSON array of `{ name, subject, version }`. */
  references_json: string;
  created_at: string;
}

export interface VersionRow {
  subject: string;
  /** Semantic version of the standard (`1.2.0`). */
  semver: string;
  /** Confluent's integer version, assigned when the version leaves draft; `null` for drafts. */
  number: number | null;
  schema_id: number;
  status: string;
  deleted: number;
  created_at: string;
  updated_at: string;
}

/** Compatibility levels: the global one (scope `''`) and each subject's own, if set. */
export interface ConfigRow {
  /** `''` for the global level, else a subject name. */
  scope: string;
  compatibility: string;
}

/** One row (scope `''`): a number every registry write raises, so that other processes know to read again. */
export interface GenerationRow {
  scope: string;
  n: number;
}

export interface RegistryTables {
  registry_subjects: SubjectRow;
  registry_schemas: SchemaRow;
  registry_versions: VersionRow;
  registry_config: ConfigRow;
  registry_generation: GenerationRow;
}

export const REGISTRY_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_registry': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('registry_subjects')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('registry_schemas')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
        .addColumn('schema_type', 'text', (c) => c.notNull())
        .addColumn('schema', 'text', (c) => c.notNull())
        .addColumn('references_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('registry_versions')
        .addColumn('subject', 'text', (c) => c.notNull().references('registry_subjects.name'))
        .addColumn('semver', 'text', (c) => c.notNull())
        .addColumn('number', 'integer')
        .addColumn('schema_id', 'integer', (c) => c.notNull().references('registry_schemas.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('registry_versions_pk', ['subject', 'semver'])
        .addUniqueConstraint('registry_versions_number', ['subject', 'number'])
        .execute();
      await db.schema.createIndex('registry_versions_schema').on('registry_versions').column('schema_id').execute();
      await db.schema.createTable('registry_config')
        .addColumn('scope', 'text', (c) => c.primaryKey())
        .addColumn('compatibility', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into registry_config (scope, compatibility) values ('', 'BACKWARD')`.execute(db);
    },
  },
  '0012_registry_generation': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('registry_generation')
        .addColumn('scope', 'text', (c) => c.primaryKey())
        .addColumn('n', 'integer', (c) => c.notNull())
        .execute();
      await sql`insert into registry_generation (scope, n) values ('', 0)`.execute(db);
    },
  },
};
