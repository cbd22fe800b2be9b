/**
 * From the hub's trace answers to what the trace page draws: events in time order with their party,
 * place and step; the parties (lanes) in order of first appearance; the links between events.
 * Pure functions of data (no DOM), so they can be checked outside a browser.
 */

const last = (uri) => (typeof uri === 'string' ? uri.split(/[/:#]/).filter((x) => x !== '').at(-1) ?? uri : undefined);
const idOf = (v) => (typeof v === 'string' ? v : v?.id ?? undefined);

/**
 * One event of a trace: a hop of `GET /v1/trace/<code>` (`src/trace/answers.ts`: hash, eventTime, bizStep,
 * party, location, region, direction, feed), or a bare standard event.
 */
export function eventOf(item, index) {
  const e = item.event ?? item;
  const party = item.party?.id ?? (typeof e['sy:operator'] === 'string' ? e['sy:operator'] : e['sy:operator']?.['sy:uscc']) ?? idOf(e.bizLocation) ?? 'unknown';
  return {
    id: String(item.hash ?? item.id ?? e.eventID ?? index),
    time: item.eventTime ?? e.eventTime ?? null,
    what: item.bizStep ?? last(e.bizStep) ?? item.type ?? e.type ?? '?',
    type: item.type ?? e.type ?? null,
    party: String(party),
    partyName: item.party?.name ?? e['sy:operator']?.['sy:name'] ?? undefined,
    place: item.location ?? idOf(e.bizLocation) ?? idOf(e.readPoint) ?? null,
    region: item.region ?? null,
    direction: item.direction ?? null,
    feed: item.feed ?? null,
    highlight: item.direction === 'self',
  };
}

/** The chain: events sorted by time, parties as lanes, links (given by the hub, else consecutive events). */
export function chainOf(answer) {
  const items = Array.isArray(answer) ? answer : (answer?.hops ?? answer?.events ?? []);
  const events = items.map(eventOf).sort((a, b) => String(a.time ?? '').localeCompare(String(b.time ?? '')));
  const parties = [...new Set(events.map((e) => e.party))];
  const partyNames = new Map(events.filter((e) => e.partyName).map((e) => [e.party, e.partyName]));
  for (const p of answer?.parties ?? []) if (p?.id && p.name) partyNames.set(p.id, p.name);
  const given = (answer?.links ?? answer?.edges ?? []).map((l) => [String(l.from ?? l[0]), String(l.to ?? l[1])]);
  const links = given.length > 0 ? given : events.slice(1).map((e, i) => [events[i].id, e.id]);
  return { events, parties, partyNames, links };
}

const quantityText = (q) => Object.entries(q ?? {}).map(([uom, n]) => `${n} ${uom}`).join(', ');

/** The recall impact (`GET /v1/recall-impact`): who received affected units, where, how many; regions; events reached. */
export function impactOf(answer) {
  return {
    identifiers: answer?.identifiers ?? [],
    events: answer?.events ?? 0,
    recipients: (answer?.recipients ?? []).map((r) => ({
      party: r.party?.name ? `${r.party.name} (${r.party.id})` : (r.party?.id ?? '?'),
      locations: r.locations ?? [], regions: r.regions ?? [], quantities: quantityText(r.quantities), path: r.path ?? [],
    })),
    regions: (answer?.regions ?? []).map((r) => ({ region: r.region, parties: r.parties })),
  };
}
