/** Replaying kept inbound messages: a dead letter's original bytes run again as a new message, linked to it. */
import type { Kysely, Migration } from 'kysely';
import type { AuditLog } from '../audit/index.ts';
import { tablesOf } from '../db/index.ts';
import { SuyuanError } from '../errors.ts';
import type { FeedService } from './service.ts';
import type { FeedTables } from './tables.ts';

/** One replay: the message replayed, the new message it became, when and by whom. */
export interface MessageReplayRow {
  original: string;
  replay: string;
  at: string;
  actor: string;
}

export interface ReplayTables {
  message_replays: MessageReplayRow;
}

export const REPLAY_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0008_message_replays': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('message_replays')
        .addColumn('replay', 'text', (c) => c.primaryKey())
        .addColumn('original', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('message_replays_original').on('message_replays').columns(['original', 'at']).execute();
    },
  },
};

/** Which kept messages: every field narrows; `feeds` limits to a caller's adapters; times are instants (`since` ≤ t < `until`). */
export interface MessageFilter {
  readonly feed?: string;
  readonly feeds?: readonly string[];
  readonly status?: readonly string[];
  readonly code?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A kept message as listed: no outcome, no bytes. `replayOf` names the message it replays, if it is a replay. */
export interface MessageSummary {
  readonly id: string;
  readonly feed: string;
  readonly type: string;
  readonly receivedAt: string;
  readonly status: string;
  readonly errorCode: string | null;
  readonly size: number;
  readonly replayOf: string | null;
}

/** What became of one replay; `messageId` is `null` when the message could not be run again at all. */
export interface ReplayResult {
  readonly original: string;
  readonly messageId: string | null;
  readonly status: string;
  readonly errorCode: string | null;
}

export interface ReplayOptions {
  /** The key id (or `system`) replaying, for the link and the audit log. */
  readonly actor: string;
  /** Every replay is recorded here as `message.replay` on `message:<original id>`. */
  readonly audit?: AuditLog;
  readonly now?: () => Date;
}

const tables = (feeds: FeedService): Kysely<FeedTables & ReplayTables> => tablesOf<FeedTables & ReplayTables>(feeds.kept.db);

/** An instant given as ISO 8601 text (any offset), in the stored form (UTC, `…Z`); `BAD_REQUEST` when it is none. */
export function instant(text: string, name: string): string {
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new SuyuanError('BAD_REQUEST', `${name} must be an ISO 8601 time, not "${text}"`, { detail: { [name]: text } });
  return date.toISOString();
}

function filtered(feeds: FeedService, filter: MessageFilter) {
  const db = tables(feeds);
  let q = db.selectFrom('messages').leftJoin('message_replays', 'message_replays.replay', 'messages.id')
    .select(['messages.id', 'messages.feed', 'messages.type', 'messages.received_at', 'messages.status', 'messages.error_code', 'messages.size', 'message_replays.original as replay_of']);
  if (filter.feed !== undefined) q = q.where('messages.feed', '=', filter.feed);
  if (filter.feeds !== undefined) q = q.where('messages.feed', 'in', filter.feeds.length > 0 ? [...filter.feeds] : ['']);
  if (filter.status !== undefined && filter.status.length > 0) q = q.where('messages.status', 'in', [...filter.status]);
  if (filter.code !== undefined) q = q.where('messages.error_code', '=', filter.code);
  if (filter.since !== undefined) q = q.where('messages.received_at', '>=', instant(filter.since, 'since'));
  if (filter.until !== undefined) q = q.where('messages.received_at', '<', instant(filter.until, 'until'));
  return q.orderBy('messages.received_at').orderBy('messages.id');
}

type Row = { id: string; feed: string; type: string; received_at: string; status: string; error_code: string | null; size: number; replay_of: string | null };
const summary = (r: Row): MessageSummary => ({
  id: r.id, feed: r.feed, type: r.type, receivedAt: r.received_at, status: r.status, errorCode: r.error_code, size: r.size, replayOf: r.replay_of,
});

/** Kept messages matching the filter, oldest first, paged by `limit` (default 100, at most 1000) and `offset`. */
export async function listMessages(feeds: FeedService, filter: MessageFilter = {}): Promise<MessageSummary[]> {
  const limit = Math.max(1, Math.min(filter.limit ?? 100, 1000));
  const rows = await filtered(feeds, filter).limit(limit).offset(Math.max(0, filter.offset ?? 0)).execute();
  return rows.map(summary);
}

/** The message a replay replays, or `null`; and the replays of a message, oldest first, with their outcomes. */
export async function replayLinks(feeds: FeedService, id: string): Promise<{ replayOf: string | null; replays: Array<{ id: string; at: string; actor: string; status: string }> }> {
  const db = tables(feeds);
  const of = await db.selectFrom('message_replays').select('original').where('replay', '=', id).executeTakeFirst();
  const replays = await db.selectFrom('message_replays').innerJoin('messages', 'messages.id', 'message_replays.replay')
    .select(['message_replays.replay as id', 'message_replays.at', 'message_replays.actor', 'messages.status'])
    .where('message_replays.original', '=', id).orderBy('message_replays.at').orderBy('messages.received_at').execute();
  return { replayOf: of?.original ?? null, replays };
}

/**
 * Runs a kept message's original bytes again through its feed and message type (re-chosen when it had
 * none) as a new message, links the new message to it, and audits the replay. `NOT_FOUND` when there is
 * no such message or its bytes are gone; `ADAPTER_NOT_FOUND` when its feed no longer receives.
 */
export async function replayMessage(feeds: FeedService, id: string, options: ReplayOptions): Promise<ReplayResult> {
  const kept = await feeds.message(id);
  if (!kept) throw new SuyuanError('NOT_FOUND', `no kept message ${id}`, { detail: { messageId: id } });
  const bytes = await feeds.kept.blobs.get(kept.original);
  if (!bytes) throw new SuyuanError('NOT_FOUND', `the original bytes of message ${id} are gone`, { detail: { messageId: id, original: kept.original } });
  const received = await feeds.receive(kept.feed, bytes, kept.type === '' ? {} : { type: kept.type });
  const at = (options.now?.() ?? new Date()).toISOString();
  await tables(feeds).insertInto('message_replays').values({ original: id, replay: received.messageId, at, actor: options.actor }).execute();
  const errorCode = received.error?.code ?? received.records.find((r) => r.error)?.error?.code ?? received.records.find((r) => r.problems.length > 0)?.problems[0]?.code ?? null;
  const result: ReplayResult = { original: id, messageId: received.messageId, status: received.status, errorCode };
  await options.audit?.record(options.actor, 'message.replay', `message:${id}`, { feed: kept.feed, type: received.type, replay: received.messageId, status: received.status, errorCode });
  return result;
}

/**
 * Replays, in received order, every kept message that did not fully succeed (rejected or partial) and
 * matches the filter. Replays themselves are not picked (their original is), nor a message already
 * replayed with every record accepted — unless `force`. One message failing to run does not stop the rest.
 */
export async function replayMessages(feeds: FeedService, filter: MessageFilter, options: ReplayOptions & { readonly force?: boolean }): Promise<ReplayResult[]> {
  const db = tables(feeds);
  let q = filtered(feeds, { ...filter, status: filter.status ?? ['rejected', 'partial'] })
    .where('messages.status', 'in', ['rejected', 'partial'])
    .where('message_replays.original', 'is', null);
  if (options.force !== true) {
    q = q.where('messages.id', 'not in', db.selectFrom('message_replays as r').innerJoin('messages as n', 'n.id', 'r.replay').select('r.original').where('n.status', '=', 'accepted'));
  }
  if (filter.limit !== undefined) q = q.limit(Math.max(1, filter.limit));
  const rows = await q.execute();
  const results: ReplayResult[] = [];
  for (const row of rows) {
    try {
      results.push(await replayMessage(feeds, row.id, options));
    } catch (error) {
      const code = error instanceof SuyuanError ? error.code : 'INTERNAL';
      results.push({ original: row.id, messageId: null, status: 'failed', errorCode: code });
      await options.audit?.record(options.actor, 'message.replay', `message:${row.id}`, { feed: row.feed, status: 'failed', errorCode: code });
    }
  }
  return results;
}
