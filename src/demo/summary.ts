/** What the demo day left in the hub: messages per feed by outcome, records, and events stored. */
import type { App } from '../app.ts';

export interface FeedSummary {
  readonly feed: string;
  readonly transport: string;
  readonly messages: number;
  readonly accepted: number;
  readonly partial: number;
  readonly rejected: number;
  /** Records stored (or already known), and records kept with their problems. */
  readonly recordsStored: number;
  readonly recordsInvalid: number;
}

/** A kept message that did not go through whole. */
export interface KeptProblem {
  readonly feed: string;
  readonly messageId: string;
  readonly status: string;
  /** The code of the message's problem, or of its first bad record. */
  readonly code: string;
}

export interface DaySummary {
  readonly feeds: readonly FeedSummary[];
  readonly problems: readonly KeptProblem[];
  readonly events: number;
}

interface OutcomeJson { readonly records?: ReadonlyArray<{ readonly status: string }> }

export async function summarize(app: App): Promise<DaySummary> {
  const rows = await app.db.selectFrom('messages').select(['id', 'feed', 'status', 'error_code', 'outcome']).orderBy('received_at').execute();
  const feeds = new Map<string, { messages: number; accepted: number; partial: number; rejected: number; recordsStored: number; recordsInvalid: number }>();
  const problems: KeptProblem[] = [];
  for (const row of rows) {
    const f = feeds.get(row.feed) ?? { messages: 0, accepted: 0, partial: 0, rejected: 0, recordsStored: 0, recordsInvalid: 0 };
    f.messages++;
    if (row.status === 'accepted' || row.status === 'partial' || row.status === 'rejected') f[row.status]++;
    for (const r of (JSON.parse(row.outcome) as OutcomeJson).records ?? []) {
      if (r.status === 'stored' || r.status === 'duplicate') f.recordsStored++;
      else f.recordsInvalid++;
    }
    feeds.set(row.feed, f);
    if (row.status !== 'accepted') problems.push({ feed: row.feed, messageId: row.id, status: row.status, code: row.error_code ?? '' });
  }
  const transportOf = (feed: string): string => app.adapters.find((a) => a.manifest.id === feed)?.manifest.inbound?.transport.kind ?? feed;
  return {
    feeds: [...feeds].map(([feed, f]) => ({ feed, transport: transportOf(feed), ...f })).sort((a, b) => a.feed.localeCompare(b.feed)),
    problems,
    events: await app.events.count(),
  };
}
