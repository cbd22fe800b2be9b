/**
 * The hub's database on PostgreSQL (`SUYUAN_DATABASE_URL`): kysely over a `pg` pool, for hubs whose
 * API and worker processes run on several machines. The parts' migrations are written once, in
 * SQLite's terms; `PostgresSchemaPlugin` carries their column types over, so every part runs on either
 * engine with the same code.
 */
import {
  ColumnDefinitionNode, DataTypeNode, Kysely, OperationNodeTransformer, PostgresAdapter, PostgresDialect, RawNode, sql,
  type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryId, type QueryResult, type RootOperationNode, type UnknownRow,
} from 'kysely';
import pg from 'pg';

/**
 * Carries SQLite's column types over to PostgreSQL's, and why:
 * - `integer` → `bigint`: SQLite's integers are 64-bit, and some columns hold epoch milliseconds;
 *   `bigint` comes back as a JS number (the pool's type parser), as better-sqlite3 answers it.
 * - `integer … autoincrement` → `bigserial` (a sequence), the same numbering as SQLite's rowids.
 * - `real` → `double precision` (SQLite's `real` is 8 bytes; PostgreSQL's is 4).
 * - `blob` → `bytea`.
 * - `text` → `text collate "C"`: compared and sorted byte by byte, as SQLite compares text, whatever
 *   the database's locale — so `order by` answers in the same order on both engines.
 * Booleans stay integer 0/1 and JSON stays text, as the parts write them.
 */
class SchemaTransformer extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode, queryId?: QueryId): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node, queryId);
    const type = DataTypeNode.is(column.dataType) ? column.dataType.dataType.toLowerCase() : undefined;
    if (type === 'integer' && column.autoIncrement) return { ...column, autoIncrement: false, dataType: DataTypeNode.create('bigserial') };
    if (type === 'integer') return { ...column, dataType: DataTypeNode.create('bigint') };
    if (type === 'real') return { ...column, dataType: DataTypeNode.create('double precision') };
    if (type === 'blob') return { ...column, dataType: DataTypeNode.create('bytea') };
    if (type === 'text') return ColumnDefinitionNode.cloneWithFrontModifier(column, RawNode.createWithSql('collate "C"'));
    return column;
  }
}

/** Rewrites the column types of `create table` and `alter table` (see `SchemaTransformer`); other queries pass untouched. */
export class PostgresSchemaPlugin implements KyselyPlugin {
  readonly #transformer = new SchemaTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node: OperationNode = args.node;
    if (node.kind !== 'CreateTableNode' && node.kind !== 'AlterTableNode') return args.node;
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const INT8 = 20;
const NUMERIC = 1700;

/** `bigint` and `numeric` (counts, sums, the `bigint` columns) as JS numbers, as the parts expect them from SQLite. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if ((oid === INT8 || oid === NUMERIC) && format !== 'binary') return (value: string) => Number(value);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** Opens a pool on a PostgreSQL database (`postgres://…`); nothing is sent until the first query. */
export function openPostgres<T>(url: string, options: { poolSize?: number } = {}): Kysely<T> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle client whose server went away must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  return new Kysely<T>({ dialect: new PostgresDialect({ pool }), plugins: [new PostgresSchemaPlugin()] });
}

/** Whether a connection (or transaction) is on PostgreSQL. */
export function onPostgres(db: Pick<Kysely<never>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Advisory-lock keys: the hub's serialised writes, and its start-up ("suyuan" in ASCII, and + 1). */
const WRITE_LOCK = 0x737579_75616e;
const BOOT_LOCK = WRITE_LOCK + 1;

/**
 * In a transaction: waits until no other process's serialised transaction runs, and holds that until
 * this one ends. SQLite has one writer at a time; on PostgreSQL the writes that read before they write
 * (the registry's next version number, its schema ids) take this lock to keep SQLite's answer. No-op on SQLite.
 */
export async function serialiseWrites(tx: Kysely<never>): Promise<void> {
  if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(tx);
}

/**
 * Runs `work` while holding the hub's start-up lock on a connection of its own (PostgreSQL), so
 * processes starting together migrate and seed one after another (`work` runs on the pool's other
 * connections, and may take the write lock); on SQLite it just runs `work`.
 */
export async function whileLocked<T>(db: Kysely<never>, work: () => Promise<T>): Promise<T> {
  if (!onPostgres(db)) return work();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${BOOT_LOCK})`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${BOOT_LOCK})`.execute(conn);
    }
  });
}
