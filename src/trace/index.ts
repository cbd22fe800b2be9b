/** The trace store: its contract and engines, the walk behind traces and recalls, classification views, and its HTTP routes. */
import { sql, type Kysely } from 'kysely';
import type { TraceStore } from './contract.ts';

export type { EventFilter, EventPage, IdCondition, StoredEvent, TraceStore } from './contract.ts';
export { TRACE_SQLITE_MIGRATIONS, openTraceStore, postgresTraceStore, sqliteTraceStore } from './engines.ts';
export { recallImpact, summarise, traceOf, type Hop, type RecallImpact, type Recipient, type Trace } from './answers.ts';
export { codeKey, codeOfInput, indexEntries } from './identifiers.ts';
export { traceRoutes, type TraceRouteDeps } from './routes.ts';
export { ADMIN_READER, PUBLIC_READER, classifiedPaths, mayRead, readerOf, visibleFields, type Reader, type ViewContext } from './views.ts';

/**
 * Events stored before the trace store existed (the feeds' `trace_events` table of the embedded
 * database) are carried into it once, when the store is empty; the old table is left as it was.
 */
export async function adoptLegacyEvents(hubDb: Kysely<unknown>, store: TraceStore, batch = 1000): Promise<number> {
  if ((await store.count()) > 0) return 0;
  let adopted = 0;
  for (let offset = 0; ; offset += batch) {
    const { rows } = await sql<{ hash: string; event: string; feed: string; message_id: string; record_index: number }>`
      select hash, event, feed, message_id, record_index from trace_events order by stored_at, hash limit ${batch} offset ${offset}`.execute(hubDb);
    if (rows.length === 0) return adopted;
    await store.putAll(rows.map((r) => ({ hash: r.hash, event: JSON.parse(r.event) as unknown, feed: r.feed, messageId: r.message_id, recordIndex: r.record_index })));
    adopted += rows.length;
  }
}
