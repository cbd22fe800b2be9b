/** A hub database from before the trace store: its stored events and kept error declarations are carried in at start. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrate, openSqlite } from '../../src/db/index.ts';
import { FEED_MIGRATIONS } from '../../src/feeds/tables.ts';
import { TRACE_SQLITE_MIGRATIONS, adoptLegacyEvents, sqliteTraceStore, traceOf } from '../../src/trace/index.ts';
import { CAPTURE_MIGRATIONS } from '../../src/transports/epcis/jobs.ts';
import { EVENTS, PIG1, hashOf } from './chain.ts';

it('carries the old trace_events rows into the store once, indexed, and applies kept declarations', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-trace-legacy-'));
  const db = openSqlite<unknown>(join(dir, 'hub.db'));
  try {
    await migrate(db, { ...FEED_MIGRATIONS, ...CAPTURE_MIGRATIONS, ...TRACE_SQLITE_MIGRATIONS });
    for (const name of ['pigsBorn', 'pigsShipped', 'slaughter']) {
      await sql`insert into trace_events (hash, event, feed, message_id, record_index, stored_at) values (${hashOf(name)}, ${JSON.stringify(EVENTS[name])}, 'old', 'm', 0, '2024-03-15T00:00:00.000Z')`.execute(db);
    }
    const declared = { ...EVENTS.pigsShipped, errorDeclaration: { declarationTime: '2024-03-16T00:00:00Z', reason: 'did_not_occur' } };
    await sql`insert into capture_declarations (hash, event, capture_id, declared_at) values (${hashOf('pigsShipped')}, ${JSON.stringify(declared)}, 'c1', '2024-03-16T00:00:00.000Z')`.execute(db);
    const store = await sqliteTraceStore(db);
    expect(await adoptLegacyEvents(db, store)).toBe(3);
    expect(await adoptLegacyEvents(db, store)).toBe(0);
    expect(await store.count()).toBe(3);
    expect(await store.get(hashOf('pigsShipped'))).toMatchObject({ errorDeclaration: { reason: 'did_not_occur' } });
    const trace = await traceOf(store, PIG1);
    expect(trace.hops.map((h) => h.hash)).toEqual([hashOf('pigsBorn'), hashOf('slaughter')]);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
