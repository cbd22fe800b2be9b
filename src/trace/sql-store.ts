/**
 * The trace store on SQL through kysely: one events table (one row per event hash) and one index
 * table (one row per identifier an event names, with its role). The SQLite and PostgreSQL engines
 * share this code; they differ in their migrations only (`traceMigrations`).
 */
import type { Generated, Kysely, Migration, Transaction } from 'kysely';
import { SuyuanError } from '../errors.ts';
import type { IdentifiedEvent } from '../pipeline/events.ts';
import { cbvToWord } from '../standards/cbv.ts';
import type { EventFilter, EventPage, EventPageSpec, StoredEvent, TraceStore } from './contract.ts';
import { codeKey, indexEntries, sameAs, utcTime } from './identifiers.ts';

export interface TraceEventRow {
  seq: Generated<number>;
  hash: string;
  type: string;
  action: string | null;
  event_time: string;
  record_time: string;
  biz_step: string | null;
  disposition: string | null;
  read_point: string | null;
  biz_location: string | null;
  event_id: string | null;
  event: string;
  feed: string;
  message_id: string;
  record_index: number;
  declared_at: string | null;
  declaration: string | null;
}

export interface TraceIdRow {
  seq: number;
  role: string;
  value: string;
  quantity: number | null;
  uom: string | null;
}

export interface TraceTables {
  trace_store_events: TraceEventRow;
  trace_store_ids: TraceIdRow;
}

export type TraceDialect = 'sqlite' | 'postgres';

/** The trace store's migrations for a dialect (the auto-increment key is the only difference). */
export function traceMigrations(dialect: TraceDialect): Record<string, Migration> {
  return {
    'trace_0001_store': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('trace_store_events')
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('action', 'text')
          .addColumn('event_time', 'text', (c) => c.notNull())
          .addColumn('record_time', 'text', (c) => c.notNull())
          .addColumn('biz_step', 'text')
          .addColumn('disposition', 'text')
          .addColumn('read_point', 'text')
          .addColumn('biz_location', 'text')
          .addColumn('event_id', 'text')
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('feed', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('record_index', 'integer', (c) => c.notNull())
          .addColumn('declared_at', 'text')
          .addColumn('declaration', 'text')
          .execute();
        for (const column of ['event_time', 'record_time', 'biz_step', 'disposition', 'biz_location', 'read_point', 'event_id']) {
          await db.schema.createIndex(`trace_store_events_${column}`).on('trace_store_events').column(column).execute();
        }
        await db.schema.createTable('trace_store_ids')
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('quantity', dialect === 'postgres' ? 'double precision' : 'real')
          .addColumn('uom', 'text')
          .execute();
        await db.schema.createIndex('trace_store_ids_value').on('trace_store_ids').columns(['value', 'role', 'seq']).execute();
        await db.schema.createIndex('trace_store_ids_seq').on('trace_store_ids').column('seq').execute();
      },
    },
  };
}

/** Rows per multi-row insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 400;
/** Values per `in (…)` list. */
const IN_CHUNK = 500;

const word = (vocab: 'bizStep' | 'disposition', v: unknown): string | null => (typeof v === 'string' ? cbvToWord(vocab, v) : null);
const idOf = (v: unknown): string | null => (typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' ? codeKey((v as { id: string }).id) : null);

function toStored(row: Pick<TraceEventRow, 'hash' | 'event' | 'feed' | 'record_time' | 'declaration'> & { seq: number | string }): StoredEvent {
  const event = JSON.parse(row.event) as Record<string, unknown>;
  const declaration = row.declaration === null ? undefined : (JSON.parse(row.declaration) as Record<string, unknown>);
  return {
    seq: Number(row.seq), hash: row.hash, feed: row.feed, recordTime: row.record_time, declared: declaration !== undefined,
    event: declaration ? { ...event, errorDeclaration: declaration } : event,
  };
}

const EVENT_COLUMNS = ['trace_store_events.seq', 'trace_store_events.hash', 'trace_store_events.event', 'trace_store_events.feed', 'trace_store_events.record_time', 'trace_store_events.declaration'] as const;
const PAGED_COLUMNS = [...EVENT_COLUMNS, 'trace_store_events.event_time'] as const;

export class SqlTraceStore implements TraceStore {
  readonly #db: Kysely<TraceTables>;
  readonly #now: () => Date;
  readonly #onClose: () => Promise<void>;

  /** `onClose` closes what the store owns (a PostgreSQL pool); a shared hub database is closed by its owner. */
  constructor(db: Kysely<TraceTables>, options: { now?: () => Date; onClose?: () => Promise<void> } = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#onClose = options.onClose ?? (async () => {});
  }

  async put(event: IdentifiedEvent): Promise<'stored' | 'duplicate'> {
    const [answer] = await this.putAll([event]);
    return answer ?? 'duplicate';
  }

  async putAll(events: readonly IdentifiedEvent[]): Promise<Array<'stored' | 'duplicate'>> {
    if (events.length === 0) return [];
    return this.#guard(() => this.#db.transaction().execute(async (trx) => {
      const stored = new Map<string, number>();
      const now = this.#now().toISOString();
      for (let i = 0; i < events.length; i += CHUNK) {
        const rows = events.slice(i, i + CHUNK).map((e) => this.#row(e, now));
        const inserted = await trx.insertInto('trace_store_events').values(rows)
          .onConflict((oc) => oc.column('hash').doNothing()).returning(['seq', 'hash']).execute();
        for (const r of inserted) stored.set(r.hash, Number(r.seq));
      }
      const ids: TraceIdRow[] = [];
      const answers: Array<'stored' | 'duplicate'> = [];
      const seen = new Set<string>();
      for (const e of events) {
        const seq = stored.get(e.hash);
        if (seq === undefined || seen.has(e.hash)) {
          answers.push('duplicate');
          const declaration = (e.event as { errorDeclaration?: unknown } | null)?.errorDeclaration;
          if (typeof declaration === 'object' && declaration !== null) await this.#declare(trx, e.hash, declaration as Record<string, unknown>);
          continue;
        }
        seen.add(e.hash);
        answers.push('stored');
        for (const entry of indexEntries(e.event)) ids.push({ seq, role: entry.role, value: entry.value, quantity: entry.quantity ?? null, uom: entry.uom ?? null });
      }
      for (let i = 0; i < ids.length; i += CHUNK) await trx.insertInto('trace_store_ids').values(ids.slice(i, i + CHUNK)).execute();
      return answers;
    }));
  }

  #row(e: IdentifiedEvent, now: string): Omit<TraceEventRow, 'seq' | 'declared_at' | 'declaration'> {
    const ev = (typeof e.event === 'object' && e.event !== null ? e.event : {}) as Record<string, unknown>;
    return {
      hash: e.hash, type: String(ev.type ?? ''), action: typeof ev.action === 'string' ? ev.action : null,
      event_time: utcTime(ev.eventTime) ?? now, record_time: utcTime(ev.recordTime) ?? now,
      biz_step: word('bizStep', ev.bizStep), disposition: word('disposition', ev.disposition),
      read_point: idOf(ev.readPoint), biz_location: idOf(ev.bizLocation), event_id: typeof ev.eventID === 'string' ? ev.eventID : null,
      event: JSON.stringify(e.event), feed: e.feed, message_id: e.messageId, record_index: e.recordIndex,
    };
  }

  async #declare(db: Kysely<TraceTables> | Transaction<TraceTables>, hash: string, declaration: Record<string, unknown>): Promise<boolean> {
    const result = await db.updateTable('trace_store_events')
      .set({ declaration: JSON.stringify(declaration), declared_at: utcTime(declaration.declarationTime) ?? this.#now().toISOString() })
      .where('hash', '=', hash).where('declared_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return true;
    return (await db.selectFrom('trace_store_events').select('seq').where('hash', '=', hash).executeTakeFirst()) !== undefined;
  }

  async declare(hash: string, declaration: Record<string, unknown>): Promise<boolean> {
    return this.#guard(() => this.#declare(this.#db, hash, declaration));
  }

  async get(hash: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.#guard(() => this.#db.selectFrom('trace_store_events').select(EVENT_COLUMNS).where('hash', '=', hash).executeTakeFirst());
    return row ? toStored(row).event : undefined;
  }

  async count(): Promise<number> {
    const row = await this.#guard(() => this.#db.selectFrom('trace_store_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
    return Number(row?.n ?? 0);
  }

  async naming(values: readonly string[], roles?: readonly string[], limit?: number): Promise<StoredEvent[]> {
    // Values as given and in canonical form: party, region and lot values are not identifiers to canonicalise.
    const unique = [...new Set(values.flatMap((v) => [v, codeKey(v)]))];
    const bySeq = new Map<number, StoredEvent>();
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const chunk = unique.slice(i, i + IN_CHUNK);
      let query = this.#db.selectFrom('trace_store_events').select(EVENT_COLUMNS)
        .where('trace_store_events.seq', 'in', (eb) => {
          let sub = eb.selectFrom('trace_store_ids').select('trace_store_ids.seq').where('trace_store_ids.value', 'in', chunk);
          if (roles && roles.length > 0) sub = sub.where('trace_store_ids.role', 'in', [...roles]);
          return sub;
        });
      query = query.orderBy('trace_store_events.seq');
      if (limit !== undefined) query = query.limit(limit);
      for (const row of await this.#guard(() => query.execute())) bySeq.set(Number(row.seq), toStored(row));
    }
    const all = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    return limit === undefined ? all : all.slice(0, limit);
  }

  async coNamed(value: string, roles: readonly string[], inRoles: readonly string[]): Promise<string[]> {
    const values = [...new Set([value, codeKey(value)])];
    const rows = await this.#guard(() => this.#db.selectFrom('trace_store_ids as a')
      .innerJoin('trace_store_ids as b', 'a.seq', 'b.seq')
      .select('b.value').distinct()
      .where('a.value', 'in', values).where('a.role', 'in', [...roles]).where('b.role', 'in', [...inRoles])
      .orderBy('b.value').execute());
    return rows.map((r) => r.value);
  }

  async events(filter: EventFilter, page: EventPageSpec): Promise<EventPage> {
    let q = this.#db.selectFrom('trace_store_events').select(PAGED_COLUMNS);
    type Column = 'type' | 'action' | 'biz_step' | 'disposition' | 'read_point' | 'biz_location' | 'event_id';
    const list = (column: Column, values: readonly string[] | undefined): void => {
      if (values) q = q.where(`trace_store_events.${column}` as 'trace_store_events.type', 'in', values.length > 0 ? [...values] : ['\u0000']);
    };
    list('type', filter.types);
    list('action', filter.actions);
    list('biz_step', filter.bizSteps?.map((v) => cbvToWord('bizStep', v)));
    list('disposition', filter.dispositions?.map((v) => cbvToWord('disposition', v)));
    list('read_point', filter.readPoints?.map(codeKey));
    list('biz_location', filter.bizLocations?.map(codeKey));
    list('event_id', filter.eventIds);
    if (filter.geEventTime) q = q.where('trace_store_events.event_time', '>=', filter.geEventTime);
    if (filter.ltEventTime) q = q.where('trace_store_events.event_time', '<', filter.ltEventTime);
    if (filter.geRecordTime) q = q.where('trace_store_events.record_time', '>=', filter.geRecordTime);
    if (filter.ltRecordTime) q = q.where('trace_store_events.record_time', '<', filter.ltRecordTime);
    if (filter.errorDeclared !== undefined) q = q.where('trace_store_events.declared_at', filter.errorDeclared ? 'is not' : 'is', null);
    for (const cond of filter.ids ?? []) {
      // Identifiers in every written form of the same thing (a lot as its Digital Link, LGTIN or class URN), as look-ups do.
      const values = cond.values.flatMap((v) => (cond.roles.some((r) => r === 'party' || r === 'region' || r === 'lot') ? [v] : [codeKey(v), ...sameAs(codeKey(v))]));
      q = q.where('trace_store_events.seq', 'in', (eb) => eb.selectFrom('trace_store_ids').select('trace_store_ids.seq')
        .where('trace_store_ids.value', 'in', values.length > 0 ? values : ['\u0000']).where('trace_store_ids.role', 'in', [...cond.roles]));
    }
    const order = page.order ?? { by: 'seq', direction: 'ASC' };
    const dir = order.direction === 'DESC' ? 'desc' : 'asc';
    const beyond = dir === 'desc' ? '<' : '>';
    const cursor = page.cursor ?? (page.after !== undefined ? { seq: page.after } : undefined);
    const timeColumn = order.by === 'eventTime' ? 'trace_store_events.event_time' : order.by === 'recordTime' ? 'trace_store_events.record_time' : undefined;
    if (cursor !== undefined) {
      const at = cursor.time;
      if (timeColumn && at !== undefined) {
        // Keyset paging: past the cursor's time, or at the same time past its seq.
        q = q.where((eb) => eb.or([eb(timeColumn, beyond, at), eb.and([eb(timeColumn, '=', at), eb('trace_store_events.seq', beyond, cursor.seq)])]));
      } else q = q.where('trace_store_events.seq', beyond, cursor.seq);
    }
    if (timeColumn) q = q.orderBy(timeColumn, dir);
    const rows = await this.#guard(() => q.orderBy('trace_store_events.seq', dir).limit(page.perPage + 1).execute());
    const events = rows.slice(0, page.perPage).map(toStored);
    const lastRow = rows.length > page.perPage ? rows[page.perPage - 1] : undefined;
    if (!lastRow) return { events };
    const time = order.by === 'eventTime' ? lastRow.event_time : order.by === 'recordTime' ? lastRow.record_time : undefined;
    const nextCursor = { seq: Number(lastRow.seq), ...(time !== undefined ? { time } : {}) };
    return { events, next: nextCursor.seq, nextCursor };
  }

  async close(): Promise<void> {
    await this.#onClose();
  }

  /** Database failures become operational errors (retried), our own errors pass through. */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SuyuanError) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0|08)/.test(code) || /SQLITE_BUSY/.test(code)) {
        throw new SuyuanError('IO_FAILED', `the trace store's database cannot be reached (${code})`, { cause: error });
      }
      throw error;
    }
  }
}
