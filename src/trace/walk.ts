/**
 * Following a code through the store: a breadth-first walk over identifiers, one indexed look-up per
 * round for the whole frontier (never a scan of events). Links followed:
 *
 * - containment (aggregation, association, a transaction's parentID): from contents up to their
 *   containers always (the unit travels in its case); from containers down to their contents only
 *   from the code asked for or from contents reached going down (so a pallet does not pull in the
 *   other lots it carries);
 * - transformation: inputs → outputs going forward (`destination`), outputs → inputs going back (`source`);
 * - a commissioning event (ObjectEvent ADD with ilmd) makes its lot and its instances one;
 * - business transactions: events naming a transaction of a hop are hops too (an invoice, a despatch
 *   advice), without following the objects they name;
 * - shipping and receiving need no link of their own: they name the objects, and each hop carries
 *   its sources and destinations.
 *
 * Events declared in error are passed by. An identifier is looked up in each of its written forms
 * (`sameAs`: a lot's Digital Link and its local class URN are one lot).
 */
import type { StoredEvent, TraceStore } from './contract.ts';
import { WHAT_ROLES, indexEntries, sameAs, utcTime, type IndexEntry } from './identifiers.ts';

export type Direction = 'source' | 'self' | 'destination';
export type Via = 'code' | 'lot' | 'aggregation' | 'transformation' | 'transaction';

interface Item {
  readonly value: string;
  readonly dir: Direction;
  readonly canDescend: boolean;
  /** How the item was reached: the hop event's hash, the link, and the item it came from. */
  readonly from?: { readonly hash: string; readonly via: Via; readonly item: Item };
}

export interface Reached {
  readonly stored: StoredEvent;
  readonly entries: readonly IndexEntry[];
  readonly direction: Direction;
  readonly via: Via;
  /** The identifier through which the event was reached. */
  readonly code: string;
  /** Event hashes from the code asked for to this event, the event last. */
  readonly path: readonly string[];
}

export interface WalkOptions {
  readonly backward: boolean;
  readonly forward: boolean;
  /** Upper bound on events reached (a safety net for pathological graphs). */
  readonly maxEvents?: number;
  /** Filled with every identifier the walk reaches (the starts included): the units affected, for a recall. */
  readonly visited?: Set<string>;
}

const CONTAINER_TYPES = new Set(['AggregationEvent', 'AssociationEvent', 'TransactionEvent']);
const WHAT = new Set<string>(WHAT_ROLES);

function pathOf(item: Item | undefined): string[] {
  const out: string[] = [];
  for (let i = item; i?.from; i = i.from.item) out.unshift(i.from.hash);
  return out;
}

/**
 * The identifiers a look-up should start from: the code itself when an event names it; else, for a
 * lot number or a product, the classes (and, for a product, instances) that events name with it.
 */
export async function startKeys(store: TraceStore, input: string, key: string): Promise<string[]> {
  if ((await store.naming([key, ...sameAs(key)], WHAT_ROLES, 1)).length > 0) return [key];
  const lot = input.trim();
  const classes = await store.coNamed(lot, ['lot'], ['class', 'child_class', 'input_class', 'output_class']);
  const own = classes.filter((c) => c.endsWith(`/10/${encodeURIComponent(lot)}`) || c.endsWith(`.${lot}`));
  // The lot's serialised units too (a drug lot's trace codes, commissioned with the lot in ilmd): an
  // invoice may name the lot's class while the shipments and receipts name only the units.
  if (own.length > 0) return [...own, ...(await store.coNamed(lot, ['lot'], ['epc']))];
  // A lot number only in ilmd (sy:lotNumber): what its commissioning events name.
  return classes.length > 0 ? classes : store.coNamed(key, ['product'], ['class', 'epc']);
}

/** Walks from `starts` (canonical keys); answers every event reached, each once, in time order. */
export async function walk(store: TraceStore, starts: readonly string[], options: WalkOptions): Promise<Reached[]> {
  const max = options.maxEvents ?? 200_000;
  const seen = new Set<string>();
  const reached = new Map<number, Reached>();
  const entriesOf = new Map<number, IndexEntry[]>();
  let frontier: Item[] = [];
  const push = (next: Item[], item: Item): void => {
    const key = `${item.dir}|${item.canDescend ? 1 : 0}|${item.value}`;
    if (seen.has(key) || (item.canDescend === false && seen.has(`${item.dir}|1|${item.value}`))) return;
    seen.add(key);
    for (const form of [item.value, ...sameAs(item.value)]) options.visited?.add(form);
    next.push(item);
  };
  for (const value of starts) push(frontier, { value, dir: 'self', canDescend: true });

  while (frontier.length > 0 && reached.size < max) {
    const byValue = new Map<string, Item[]>();
    for (const item of frontier) for (const form of [item.value, ...sameAs(item.value)]) byValue.set(form, [...(byValue.get(form) ?? []), item]);
    const events = await store.naming([...byValue.keys()], WHAT_ROLES);
    const next: Item[] = [];
    for (const stored of events) {
      if (stored.declared) continue;
      let entries = entriesOf.get(stored.seq);
      if (!entries) { entries = indexEntries(stored.event); entriesOf.set(stored.seq, entries); }
      const type = String(stored.event.type ?? '');
      for (const entry of entries) {
        for (const item of byValue.get(entry.value) ?? []) {
          if (!WHAT.has(entry.role)) continue;
          const link = (value: string, dir: Direction, canDescend: boolean, via: Via): void =>
            push(next, { value, dir, canDescend, from: { hash: stored.hash, via, item } });
          const others = (roles: readonly string[]): string[] => entries.filter((e) => roles.includes(e.role)).map((e) => e.value);
          let direction: Direction = item.dir;
          if (type === 'TransformationEvent') {
            const isInput = entry.role === 'input' || entry.role === 'input_class';
            if (isInput && item.dir !== 'source') {
              if (!options.forward) continue;
              direction = 'destination';
              for (const v of others(['output', 'output_class'])) link(v, 'destination', true, 'transformation');
            } else if (!isInput && item.dir !== 'destination') {
              if (!options.backward) continue;
              direction = item.dir === 'self' ? 'self' : 'source';
              for (const v of others(['input', 'input_class'])) link(v, 'source', true, 'transformation');
            } else continue;
          } else if (CONTAINER_TYPES.has(type)) {
            const contents = entry.role === 'child' || entry.role === 'child_class' || (type === 'TransactionEvent' && (entry.role === 'epc' || entry.role === 'class'));
            if (contents) for (const v of others(['parent'])) link(v, item.dir, false, 'aggregation');
            if (entry.role === 'parent' && item.canDescend) for (const v of others(['child', 'child_class', ...(type === 'TransactionEvent' ? ['epc', 'class'] : [])])) link(v, item.dir, true, 'aggregation');
          } else if (type === 'ObjectEvent' && stored.event.action === 'ADD' && stored.event.ilmd !== undefined) {
            for (const v of others(['epc', 'class'])) link(v, item.dir, item.canDescend, 'lot');
          }
          if (!reached.has(stored.seq)) {
            const path = [...pathOf(item), stored.hash];
            reached.set(stored.seq, { stored, entries, direction, via: item.from?.via ?? 'code', code: item.value, path });
          }
        }
      }
    }
    frontier = next;
  }
  await addTransactions(store, reached, entriesOf);
  const timed = [...reached.values()].map((r) => ({ r, time: utcTime(r.stored.event.eventTime) ?? r.stored.recordTime }));
  timed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.r.stored.seq - b.r.stored.seq));
  return timed.map((t) => t.r);
}

/** Events sharing a business transaction with a reached event join it, with the same direction. */
async function addTransactions(store: TraceStore, reached: Map<number, Reached>, entriesOf: Map<number, IndexEntry[]>): Promise<void> {
  const byBt = new Map<string, Reached>();
  for (const r of reached.values()) for (const e of r.entries) if (e.role.startsWith('bt:') && !byBt.has(e.value)) byBt.set(e.value, r);
  if (byBt.size === 0) return;
  const roles = [...new Set([...reached.values()].flatMap((r) => r.entries.filter((e) => e.role.startsWith('bt:')).map((e) => e.role)))];
  for (const stored of await store.naming([...byBt.keys()], roles)) {
    if (stored.declared || reached.has(stored.seq)) continue;
    const entries = entriesOf.get(stored.seq) ?? indexEntries(stored.event);
    const bt = entries.find((e) => e.role.startsWith('bt:') && byBt.has(e.value));
    const via = bt ? byBt.get(bt.value) : undefined;
    if (!bt || !via) continue;
    reached.set(stored.seq, { stored, entries, direction: via.direction, via: 'transaction', code: bt.value, path: [...via.path, stored.hash] });
  }
}
