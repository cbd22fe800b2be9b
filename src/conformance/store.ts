/** The conformance tables: runs with their reports, certificates issued, and their revocations. */
import type { Kysely, Migration } from 'kysely';

interface RunRow {
  id: string;
  created_at: string;
  actor: string;
  platform: string;
  standard: string;
  mode: string;
  passed: number;
  digest: string;
  report: string;
}

interface CertificateRow {
  serial: string;
  run_id: string | null;
  platform: string;
  standard: string;
  issued_at: string;
  expires_at: string;
  actor: string;
  /** The signed certificate file, as issued. */
  text: string;
  revoked_at: string | null;
  revoke_reason: string | null;
}

export interface ConformanceTables {
  conformance_runs: RunRow;
  conformance_certificates: CertificateRow;
}

export const CONFORMANCE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  conformance_0001_runs_certificates: {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('conformance_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('standard', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('passed', 'integer', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('conformance_certificates')
        .addColumn('serial', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text')
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('standard', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoke_reason', 'text')
        .execute();
    },
  },
};
