/** The trace store: its contract and engines, the walk behind traces and recalls, classification views, and its HTTP routes. */
import { sql, type Kysely } from 'kysely';
import type { TraceStore } from './contract.ts';

export type { EventFilter, EventPage, IdCondition, StoredEvent, TraceStore } from './contract.ts';
export { TRACE_SQLITE_MIGRATIONS, hubTraceMigrations, openTraceStore, postgresTraceStore, sqliteTraceStore } from './engines.ts';
export { recallImpact, summarise, traceOf, type Hop, type RecallImpact, type Recipient, type Trace } from './answers.ts';
export { codeKey, codeOfInput, indexEntries } from './identifiers.ts';
export { traceRoutes, type TraceRouteDeps } from './routes.ts';
export { ADMIN_READER, PUBLIC_READER, classifiedPaths, mayRead, readerOf, visibleFields, type Reader, type ViewContext } from './views.ts';

/**
 * Events stored before the trace store existed (the feeds' `trace_events` table of the embedded
 * database) are carried into it once, when the store is empty; the old table is left as it was.
 * Error declarations the EPCIS capture interface kept (`capture_declarations`) are applied on every
 * start (applying one twice changes nothing), so that none kept before is missed.
 */
export async function adoptLegacyEvents(hubDb: Kysely<unknown>, store: TraceStore, batch = 1000): Promise<number> {
  let adopted = 0;
  if ((await store.count()) === 0) {
    for (let offset = 0; ; offset += batch) {
      const { rows } = await sql<{ hash: string; event: string; feed: string; message_id: string; record_index: number }>`
        select hash, event, feed, message_id, record_index from trace_events order by stored_at, hash limit ${batch} offset ${offset}`.execute(hubDb);
      if (rows.length === 0) break;
      await store.putAll(rows.map((r) => ({ hash: r.hash, event: JSON.parse(r.event) as unknown, feed: r.feed, messageId: r.message_id, recordIndex: r.record_index })));
      adopted += rows.length;
    }
  }
  // The table belongs to the EPCIS capture transport; a hub without it has nothing to apply.
  const declarations = await sql<{ hash: string; event: string }>`select hash, event from capture_declarations`.execute(hubDb).catch(() => ({ rows: [] }));
  for (const row of declarations.rows) {
    const declaration = (JSON.parse(row.event) as { errorDeclaration?: unknown }).errorDeclaration;
    if (typeof declaration === 'object' && declaration !== null) await store.declare(row.hash, declaration as Record<string, unknown>);
  }
  return adopted;
}
