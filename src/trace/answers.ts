/** The trace and the recall impact of a code, built from a walk: hops with party, place and time; recipients with quantities and paths. */
import { SuyuanError } from '../errors.ts';
import { cbvToWord } from '../standards/cbv.ts';
import type { TraceStore } from './contract.ts';
import { codeOfInput } from './identifiers.ts';
import { startKeys, walk, type Direction, type Reached, type Via } from './walk.ts';

export interface Party { readonly id: string; readonly name?: string }

export interface Hop {
  readonly direction: Direction;
  readonly via: Via;
  /** The identifier through which this event was reached. */
  readonly code: string;
  readonly hash: string;
  readonly type: string;
  readonly eventTime: string | undefined;
  readonly bizStep: string | undefined;
  readonly disposition: string | undefined;
  readonly party: Party | undefined;
  readonly location: string | undefined;
  readonly region: string | undefined;
  readonly sources: ReadonlyArray<{ type: string; id: string }>;
  readonly destinations: ReadonlyArray<{ type: string; id: string }>;
  /** The event, as stored; routes filter it by the reader's view before answering. */
  readonly event: Record<string, unknown>;
  readonly feed: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What a person asks of one event: what happened, when, who, where, from and to whom. */
export type EventSummary = Pick<Hop, 'type' | 'eventTime' | 'bizStep' | 'disposition' | 'party' | 'location' | 'region' | 'sources' | 'destinations'>;

/** The summary of an event; a field absent from the event (or hidden from the reader) is absent here too. */
export function summarise(e: Record<string, unknown>): EventSummary {
  const operator = e['sy:operator'];
  const party = isObj(operator) && typeof operator['sy:uscc'] === 'string'
    ? { id: operator['sy:uscc'], ...(typeof operator['sy:name'] === 'string' ? { name: operator['sy:name'] } : {}) }
    : typeof operator === 'string' ? { id: operator } : undefined;
  const place = e['sy:place'];
  const ends = (list: unknown, key: string): Array<{ type: string; id: string }> => (Array.isArray(list) ? list.filter(isObj) : [])
    .filter((x) => typeof x[key] === 'string').map((x) => ({ type: cbvToWord('sourceDestType', String(x.type ?? '')), id: String(x[key]) }));
  return {
    type: String(e.type ?? ''), eventTime: str(e.eventTime),
    bizStep: typeof e.bizStep === 'string' ? cbvToWord('bizStep', e.bizStep) : undefined,
    disposition: typeof e.disposition === 'string' ? cbvToWord('disposition', e.disposition) : undefined,
    party, location: str(isObj(e.bizLocation) ? e.bizLocation.id : undefined) ?? str(isObj(e.readPoint) ? e.readPoint.id : undefined),
    region: str(isObj(place) ? place['sy:region'] : undefined) ?? str(e['sy:region']),
    sources: ends(e.sourceList, 'source'), destinations: ends(e.destinationList, 'destination'),
  };
}

function hopOf(r: Reached): Hop {
  return { direction: r.direction, via: r.via, code: r.code, hash: r.stored.hash, ...summarise(r.stored.event), event: r.stored.event, feed: r.stored.feed };
}

export interface Trace {
  readonly code: string;
  /** The canonical identifiers the walk started from. */
  readonly identifiers: readonly string[];
  readonly hops: readonly Hop[];
}

/** The chain of a code (EPC URN, Digital Link, Chinese trace code, lot number): NOT_FOUND when no event names it. */
export async function traceOf(store: TraceStore, input: string): Promise<Trace> {
  const starts = await startKeys(store, input, codeOfInput(input));
  if (starts.length === 0) throw new SuyuanError('TRACE_CODE_UNKNOWN', `no stored event names ${input}`, { detail: { code: input } });
  const reached = await walk(store, starts, { backward: true, forward: true });
  return { code: input, identifiers: starts, hops: reached.map(hopOf) };
}

/** Business steps at which units are received by the party that records the event. */
const RECEIVING = new Set(['receiving', 'accepting', 'arriving', 'unloading', 'urn:suyuan:bizstep:market_entering', 'retail_selling', 'dispensing', 'stocking']);

/** One party under its Unified Social Credit Code when its identifier carries one (`urn:suyuan:party:<USCC>`, or a site of it, `urn:suyuan:loc:<USCC>:<site>`), else as written. */
export function partyKey(id: string): string {
  const m = /(?:^|:)([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?::[^:]*)?$/.exec(id);
  return m?.[1] ?? id;
}

const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * Party identifiers the events themselves show to be one party, so that a recipient named by its
 * PGLN in one event and by its credit code in another counts once: two parties of the same type in
 * one `sourceList` or `destinationList` (both are, say, the owning party), and the operator of a
 * receipt with the owning or possessing party it names as destination (the receiver received).
 * Nothing else is assumed. Answers each party key's representative: its credit code when the group
 * has one, else its least identifier.
 */
export function samePartyOf(hops: readonly Hop[]): (id: string) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    return root;
  };
  const better = (a: string, b: string): boolean => (USCC.test(a) !== USCC.test(b) ? USCC.test(a) : a < b);
  const join = (a: string, b: string): void => {
    const [x, y] = [find(partyKey(a)), find(partyKey(b))];
    if (x === y) return;
    if (better(x, y)) parent.set(y, x); else parent.set(x, y);
  };
  const byType = (ends: ReadonlyArray<{ type: string; id: string }>): void => {
    const first = new Map<string, string>();
    for (const e of ends) {
      if (e.type === 'location') continue;
      const seen = first.get(e.type);
      if (seen === undefined) first.set(e.type, e.id); else join(seen, e.id);
    }
  };
  for (const hop of hops) {
    byType(hop.sources);
    byType(hop.destinations);
    if (hop.bizStep && RECEIVING.has(hop.bizStep) && hop.party) {
      for (const d of hop.destinations) if (d.type === 'owning_party' || d.type === 'possessing_party') join(hop.party.id, d.id);
    }
  }
  return (id) => find(partyKey(id));
}

export interface Recipient {
  readonly party: Party;
  readonly locations: readonly string[];
  readonly regions: readonly string[];
  /** Affected quantities by unit of measure (`EA` counts instances and classes without a unit). */
  readonly quantities: Readonly<Record<string, number>>;
  /** The receipts (or, without any, the shipments to the party): event hashes. */
  readonly events: readonly string[];
  /** How the affected units got there: event hashes, shipment by shipment, ending at the first receipt. */
  readonly path: readonly string[];
}

export interface RecallImpact {
  readonly code: string;
  readonly identifiers: readonly string[];
  readonly recipients: readonly Recipient[];
  readonly regions: ReadonlyArray<{ region: string; parties: number }>;
  /** Events reached downstream of the code. */
  readonly events: number;
}

interface Receipt { readonly r: Reached; readonly hop: Hop; readonly time: string }

/** Every downstream party, place and region that received affected units of `input`. */
export async function recallImpact(store: TraceStore, input: string): Promise<RecallImpact> {
  const starts = await startKeys(store, input, codeOfInput(input));
  if (starts.length === 0) throw new SuyuanError('TRACE_CODE_UNKNOWN', `no stored event names ${input}`, { detail: { code: input } });
  // Every identifier reached is affected, not only the one each event was reached through: a receipt
  // naming three units of the lot counts three.
  const affected = new Set<string>();
  const reached = await walk(store, starts, { backward: false, forward: true, visited: affected });
  const quantities = (r: Reached): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const e of r.entries) {
      if (!affected.has(e.value) || e.role.startsWith('input')) continue;
      if (e.role.endsWith('class')) { const uom = e.uom ?? 'EA'; out[uom] = (out[uom] ?? 0) + (e.quantity ?? 0); } else if (e.role === 'epc' || e.role === 'child' || e.role === 'output' || e.role === 'parent') out.EA = (out.EA ?? 0) + 1;
    }
    return out;
  };
  const shipmentsTo = new Map<string, Receipt[]>();
  const receiptsBy = new Map<string, Receipt[]>();
  const names = new Map<string, Party>();
  const push = (map: Map<string, Receipt[]>, key: string, x: Receipt): void => { map.set(key, [...(map.get(key) ?? []), x]); };
  const hops = reached.map(hopOf);
  const who = samePartyOf(hops);
  for (const [i, r] of reached.entries()) {
    const hop = hops[i] as Hop;
    const x = { r, hop, time: hop.eventTime ? new Date(hop.eventTime).toISOString() : r.stored.recordTime };
    // A shipment naming one party twice (PGLN and credit code) ships to it once.
    for (const party of new Set(hop.destinations.filter((d) => d.type !== 'location').map((d) => who(d.id)))) push(shipmentsTo, party, x);
    if (hop.bizStep && RECEIVING.has(hop.bizStep) && hop.party) {
      push(receiptsBy, who(hop.party.id), x);
      if (hop.party.name) names.set(who(hop.party.id), { id: who(hop.party.id), name: hop.party.name });
    }
  }
  const latest = (list: readonly Receipt[] | undefined, before: string): Receipt | undefined =>
    (list ?? []).filter((x) => x.time <= before).at(-1);
  /** The shipments that brought the goods to `party` before `time`, hop by hop back to where the walk found them. */
  const pathTo = (party: string, time: string, depth: number): string[] => {
    const ship = latest(shipmentsTo.get(party), time);
    if (!ship || depth > 64) return [];
    const sender = ship.hop.party ? who(ship.hop.party.id) : undefined;
    const got = sender === undefined || sender === party ? undefined : latest(receiptsBy.get(sender), ship.time);
    const before = got && sender ? [...pathTo(sender, got.time, depth + 1), got.r.stored.hash] : ship.r.path.slice(0, -1);
    return [...before, ship.r.stored.hash];
  };
  const add = (into: Record<string, number>, q: Record<string, number>): void => { for (const [k, v] of Object.entries(q)) into[k] = (into[k] ?? 0) + v; };
  const recipients: Recipient[] = [];
  for (const party of new Set([...shipmentsTo.keys(), ...receiptsBy.keys()])) {
    const receipts = receiptsBy.get(party) ?? [];
    const counted = receipts.length > 0 ? receipts : shipmentsTo.get(party) ?? [];
    const quantitiesOf: Record<string, number> = {};
    for (const x of counted) add(quantitiesOf, quantities(x.r));
    const locations = new Set<string>();
    const regions = new Set<string>();
    for (const x of receipts) { if (x.hop.location) locations.add(x.hop.location); if (x.hop.region) regions.add(x.hop.region); }
    for (const x of shipmentsTo.get(party) ?? []) for (const d of x.hop.destinations) if (d.type === 'location') locations.add(d.id);
    const first = counted[0];
    const path = first ? (receipts.length > 0 ? [...pathTo(party, first.time, 0), first.r.stored.hash] : pathTo(party, first.time, 0)) : [];
    recipients.push({
      party: names.get(party) ?? { id: party }, locations: [...locations], regions: [...regions], quantities: quantitiesOf,
      events: counted.map((x) => x.r.stored.hash), path: path.length > 0 ? path : first?.r.path ?? [],
    });
  }
  recipients.sort((x, y) => x.party.id.localeCompare(y.party.id));
  const regions = new Map<string, number>();
  for (const r of recipients) for (const g of r.regions) regions.set(g, (regions.get(g) ?? 0) + 1);
  return {
    code: input, identifiers: starts, recipients, events: reached.length,
    regions: [...regions.entries()].map(([region, parties]) => ({ region, parties })).sort((a, b) => a.region.localeCompare(b.region)),
  };
}
