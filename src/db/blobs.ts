/**
 * Original message bytes in the hub's database (`hub_blobs`), for hubs on PostgreSQL: every API process,
 * on whatever machine, shows and replays a message exactly as it arrived, wherever it came in. The
 * embedded hub keeps its blobs as files under `<dataDir>/blobs` (`FileBlobStore`) instead.
 */
import type { Kysely, Migration } from 'kysely';
import { SuyuanError } from '../errors.ts';
import { sha256Hex, type BlobStore } from '../pipeline/blobs.ts';

export interface BlobRow {
  /** sha256 of the bytes, hex. */
  digest: string;
  bytes: Uint8Array;
  size: number;
  stored_at: string;
}

export interface BlobTables {
  hub_blobs: BlobRow;
}

export const BLOB_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0011_hub_blobs': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('hub_blobs')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('bytes', 'blob', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

const DIGEST = /^[0-9a-f]{64}$/;

/** Blobs as rows, one per digest; writing the same bytes twice (from any process) stores them once. */
export class DatabaseBlobStore implements BlobStore {
  readonly #db: Kysely<BlobTables>;

  constructor(db: Kysely<BlobTables>) {
    this.#db = db;
  }

  async put(bytes: Uint8Array): Promise<string> {
    const digest = sha256Hex(bytes);
    try {
      await this.#db.insertInto('hub_blobs').values({ digest, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), size: bytes.byteLength, stored_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('digest').doNothing()).execute();
    } catch (cause) {
      throw new SuyuanError('IO_FAILED', `cannot store blob ${digest}`, { cause });
    }
    return digest;
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    if (!DIGEST.test(digest)) throw new SuyuanError('BAD_REQUEST', `"${digest}" is not a sha256 digest`);
    let row: { bytes: Uint8Array } | undefined;
    try {
      row = await this.#db.selectFrom('hub_blobs').select('bytes').where('digest', '=', digest).executeTakeFirst();
    } catch (cause) {
      throw new SuyuanError('IO_FAILED', `cannot read blob ${digest}`, { cause });
    }
    return row === undefined ? undefined : new Uint8Array(row.bytes);
  }
}
