/**
 * Provenance: one record per step a message (or one of its records) went through — what came in and
 * what went out (digests and sizes), which mapping and schema versions, how long, and the outcome —
 * so an operator can see a message's whole path and replay it.
 */
import type { Kysely, Migration } from 'kysely';

export type StepName = 'receive' | 'decode' | 'parse' | 'split' | 'map' | 'validate' | 'bridge' | 'identify' | 'store';
export type StepOutcome = 'ok' | 'invalid' | 'error' | 'duplicate';

export interface StepRecord {
  readonly messageId: string;
  /** The record's index within its message; `null` for steps on the whole message. */
  readonly recordIndex: number | null;
  readonly step: StepName;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly inputDigest: string;
  readonly inputSize: number;
  readonly outputDigest: string | null;
  readonly outputSize: number | null;
  /** `mapping-id@version`, for the map step (and the bridge mappings, for the bridge step). */
  readonly mapping: string | null;
  /** `subject@version`, for the validate step (the canonical version, for the bridge step). */
  readonly schema: string | null;
  readonly outcome: StepOutcome;
  readonly errorCode: string | null;
  /** Small, safe facts (record position, problem count…) — never message bodies or secrets. */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface ProvenanceRow {
  id: number | undefined;
  message_id: string;
  record_index: number | null;
  step: string;
  started_at: string;
  duration_ms: number;
  input_digest: string;
  input_size: number;
  output_digest: string | null;
  output_size: number | null;
  mapping: string | null;
  schema_ref: string | null;
  outcome: string;
  error_code: string | null;
  detail: string;
}

export interface ProvenanceTables {
  provenance: ProvenanceRow;
}

export const PROVENANCE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0004_provenance': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('provenance')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('record_index', 'integer')
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'real', (c) => c.notNull())
        .addColumn('input_digest', 'text', (c) => c.notNull())
        .addColumn('input_size', 'integer', (c) => c.notNull())
        .addColumn('output_digest', 'text')
        .addColumn('output_size', 'integer')
        .addColumn('mapping', 'text')
        .addColumn('schema_ref', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('provenance_message').on('provenance').columns(['message_id', 'id']).execute();
    },
  },
};

/** Where step records go. `write` MUST keep the order of the records it is given. */
export interface ProvenanceSink {
  write(records: readonly StepRecord[]): Promise<void>;
}

/** Collects step records in memory: for the CLI, tests and dry runs. */
export class MemoryProvenance implements ProvenanceSink {
  readonly records: StepRecord[] = [];

  async write(records: readonly StepRecord[]): Promise<void> {
    // One by one: spreading a large message's records into push() overflows the call stack.
    for (const record of records) this.records.push(record);
  }
}

/** Step records in the hub's database. */
export class ProvenanceStore implements ProvenanceSink {
  readonly #db: Kysely<ProvenanceTables>;

  constructor(db: Kysely<ProvenanceTables>) {
    this.#db = db;
  }

  async write(records: readonly StepRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#db.insertInto('provenance').values(records.map((r) => ({
      id: undefined, message_id: r.messageId, record_index: r.recordIndex, step: r.step, started_at: r.startedAt,
      duration_ms: r.durationMs, input_digest: r.inputDigest, input_size: r.inputSize, output_digest: r.outputDigest,
      output_size: r.outputSize, mapping: r.mapping, schema_ref: r.schema, outcome: r.outcome, error_code: r.errorCode,
      detail: JSON.stringify(r.detail),
    }))).execute();
  }

  /** A message's whole path, in the order it was recorded. */
  async path(messageId: string): Promise<StepRecord[]> {
    const rows = await this.#db.selectFrom('provenance').selectAll().where('message_id', '=', messageId).orderBy('id').execute();
    return rows.map((r) => ({
      messageId: r.message_id, recordIndex: r.record_index, step: r.step as StepName, startedAt: r.started_at,
      durationMs: r.duration_ms, inputDigest: r.input_digest, inputSize: r.input_size, outputDigest: r.output_digest,
      outputSize: r.output_size, mapping: r.mapping, schema: r.schema_ref, outcome: r.outcome as StepOutcome,
      errorCode: r.error_code, detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
