/**
 * The poll transport: fetches each polling adapter's department service on its schedule and hands
 * every page it answers to the adapter's feed, resuming after a restart from a cursor kept in
 * `poll_cursors`.
 *
 * The protocol (HTTP GET; SOAP polling, a manifest naming an `operation`, is not implemented yet and
 * such an adapter is logged and left alone):
 * - `GET <url>?since=<cursor>` — `since` is left out until the service has given a cursor.
 * - `204 No Content` (or `200` with an `X-Next-Cursor` equal to the cursor sent): nothing new.
 * - `200` with a body and `X-Next-Cursor: <next>`: one message, received on the feed as the
 *   department's own bytes. The cursor is the service's: opaque to the hub (for the tax service it
 *   is the position after the last invoice of the page), stored as given and sent back unchanged.
 *   A `200` without `X-Next-Cursor` is refused (`IO_FAILED`, `reason: 'no-cursor'`), not received.
 * - Anything else, a timeout or a refused connection: `IO_FAILED`, logged; tried at the next tick.
 *
 * The cursor advances only after the feed has kept the message (accepted, partial or rejected: a
 * rejected message is kept with its problems and can be replayed). A crash between keeping and
 * advancing fetches that page again; its events are stored once by event hash.
 * Credentials by reference (`credentials.token` → Bearer, or `username` + `password` → Basic),
 * resolved at each request.
 */
import type { Kysely, Migration } from 'kysely';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import { tablesOf } from '../db/index.ts';
import { SuyuanError } from '../errors.ts';
import type { Transport, TransportContext } from './contract.ts';
import { resolveCredential } from './credentials.ts';

/** The response header carrying the cursor to send next. */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';
/** The query parameter carrying the cursor. */
export const SINCE_PARAMETER = 'since';

export interface PollCursorRow {
  adapter: string;
  /** The last cursor the service gave, after a message kept; `null` before the first one. */
  cursor: string | null;
  /** When the service last answered (a page or "nothing new"), ISO 8601. */
  polled_at: string;
}

export interface PollTables {
  poll_cursors: PollCursorRow;
}

export const POLL_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0006_poll_cursors': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('poll_cursors')
        .addColumn('adapter', 'text', (c) => c.primaryKey())
        .addColumn('cursor', 'text')
        .addColumn('polled_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

export interface PollOptions {
  /** Longest wait for one response, in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Pages fetched one after another in one tick while the service has more (default 50). */
  readonly maxPagesPerTick?: number;
}

/** The hub's database, or any view of it (the poll transport uses only `poll_cursors`). */
type Db = Parameters<typeof tablesOf>[0];

/** An adapter's stored cursor and last answer, or `undefined` before its first answer. */
export async function readPollCursor(db: Db, adapter: string): Promise<PollCursorRow | undefined> {
  return tablesOf<PollTables>(db).selectFrom('poll_cursors').selectAll().where('adapter', '=', adapter).executeTakeFirst();
}

async function writeCursor(db: Db, adapter: string, cursor: string | null): Promise<void> {
  const polled_at = new Date().toISOString();
  await tablesOf<PollTables>(db).insertInto('poll_cursors').values({ adapter, cursor, polled_at })
    .onConflict((oc) => oc.column('adapter').doUpdateSet({ cursor, polled_at })).execute();
}

function authorization(adapter: LoadedAdapter): Record<string, string> {
  const credentials = adapter.manifest.inbound?.transport.credentials ?? {};
  if (credentials.token) return { authorization: `Bearer ${resolveCredential(credentials.token)}` };
  if (credentials.username && credentials.password) {
    const pair = `${resolveCredential(credentials.username)}:${resolveCredential(credentials.password)}`;
    return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
  }
  return {};
}

/** One request to the service; the response, or `IO_FAILED` when it cannot be had. */
async function request(adapter: LoadedAdapter, url: URL, signal: AbortSignal, timeoutMs: number): Promise<Response> {
  const id = adapter.manifest.id;
  let res: Response;
  try {
    res = await fetch(url, { headers: authorization(adapter), signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (cause) {
    throw new SuyuanError('IO_FAILED', `${id}: ${url.origin}${url.pathname} cannot be reached`, { cause, detail: { adapter: id } });
  }
  if (res.status !== 200 && res.status !== 204) {
    await res.body?.cancel();
    throw new SuyuanError('IO_FAILED', `${id}: ${url.origin}${url.pathname} answered ${res.status}`, { detail: { adapter: id, status: res.status } });
  }
  return res;
}

/**
 * Polls one adapter's service until it has nothing new (or `maxPages` pages), receiving each page
 * on the feed and advancing the cursor after each message kept. Throws what stopped it.
 */
export async function pollOnce(ctx: TransportContext, adapter: LoadedAdapter, signal: AbortSignal, options: PollOptions = {}): Promise<void> {
  const id = adapter.manifest.id;
  const spec = adapter.manifest.inbound?.transport;
  if (!spec?.url) throw new SuyuanError('ADAPTER_INVALID', `${id} polls but names no url`, { detail: { adapter: id } });
  for (let page = 0; page < (options.maxPagesPerTick ?? 50); page++) {
    const cursor = (await readPollCursor(ctx.db, id))?.cursor ?? null;
    const url = new URL(spec.url);
    if (cursor !== null) url.searchParams.set(SINCE_PARAMETER, cursor);
    const res = await request(adapter, url, signal, options.timeoutMs ?? 30_000);
    const next = res.headers.get(NEXT_CURSOR_HEADER);
    if (res.status === 204 || next === cursor) {
      await res.body?.cancel();
      await writeCursor(ctx.db, id, cursor);
      return;
    }
    if (next === null || next === '') {
      await res.body?.cancel();
      throw new SuyuanError('IO_FAILED', `${id}: the service answered a page without ${NEXT_CURSOR_HEADER}`, { detail: { adapter: id, reason: 'no-cursor' } });
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    await ctx.feeds.receive(id, bytes, {});
    await writeCursor(ctx.db, id, next);
  }
}

/**
 * The poll transport. `start` schedules a first poll at once and then one every
 * `schedule.everySeconds` (default 60) after the previous one ends, so polls of one adapter never
 * overlap; a failed poll is logged and the next tick tries again. `stop` clears every timer, aborts
 * requests in flight and waits for the polls running to end.
 */
export function pollTransport(options: PollOptions = {}): Transport {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopped = false;

  const schedule = (ctx: TransportContext, adapter: LoadedAdapter, delayMs: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      const run = pollOnce(ctx, adapter, abort.signal, options)
        .catch((error: unknown) => { if (!stopped) ctx.log(error); })
        .finally(() => {
          running.delete(run);
          if (!stopped) schedule(ctx, adapter, (adapter.manifest.schedule?.everySeconds ?? 60) * 1000);
        });
      running.add(run);
    }, delayMs);
    timers.add(timer);
  };

  return {
    kind: 'poll',
    migrations: POLL_MIGRATIONS,
    async start(ctx, adapters) {
      for (const adapter of adapters) {
        const spec = adapter.manifest.inbound?.transport;
        if (!spec?.url || spec.operation !== undefined) {
          ctx.log(new SuyuanError('ADAPTER_INVALID', `${adapter.manifest.id}: polling needs a url, and SOAP polling (operation) is not supported yet`, { detail: { adapter: adapter.manifest.id } }));
          continue;
        }
        // `.invalid` (RFC 2606) never resolves: it marks an address still to be configured, so the
        // hub does not reach out for it (the shipped tax manifest is such a placeholder).
        if (new URL(spec.url).hostname.endsWith('.invalid')) {
          ctx.log(new SuyuanError('ADAPTER_INVALID', `${adapter.manifest.id}: not polled, its url ${spec.url} is a placeholder`, { detail: { adapter: adapter.manifest.id } }));
          continue;
        }
        schedule(ctx, adapter, 0);
      }
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      abort.abort();
      await Promise.allSettled([...running]);
    },
  };
}
