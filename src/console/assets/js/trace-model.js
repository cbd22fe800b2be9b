/**
 * From the hub's trace answers to what the trace page draws: events in time order with their party,
 * place and step; the parties (lanes) in order of first appearance; the links between events.
 * Pure functions of data (no DOM), so they can be checked outside a browser.
 */

const last = (uri) => (typeof uri === 'string' ? uri.split(/[/:#]/).filter((x) => x !== '').at(-1) ?? uri : undefined);
const idOf = (v) => (typeof v === 'string' ? v : v?.id ?? undefined);

/** One event of a trace, whatever shape: a bare standard event, or one wrapped with its hash and facts. */
export function eventOf(item, index) {
  const e = item.event ?? item;
  const party = item.party?.id ?? item.party ?? item.owner ?? e['sy:party'] ?? e['cbv:owningParty'] ?? e.sourceList?.[0]?.source ?? idOf(e.bizLocation) ?? 'unknown';
  return {
    id: String(item.hash ?? item.id ?? e.eventID ?? index),
    time: item.time ?? e.eventTime ?? null,
    what: item.step ?? last(e.bizStep) ?? e.action ?? e.type ?? '?',
    party: String(party),
    partyName: item.party?.name ?? item.partyName ?? undefined,
    place: item.place?.name ?? item.placeName ?? idOf(e.bizLocation) ?? idOf(e.readPoint) ?? null,
    feed: item.feed ?? null,
    highlight: item.match === true || item.highlight === true,
  };
}

/** The chain: events sorted by time, parties as lanes, links (given by the hub, else consecutive events). */
export function chainOf(answer) {
  const items = Array.isArray(answer) ? answer : (answer?.events ?? answer?.chain ?? answer?.nodes ?? []);
  const events = items.map(eventOf).sort((a, b) => String(a.time ?? '').localeCompare(String(b.time ?? '')));
  const parties = [...new Set(events.map((e) => e.party))];
  const partyNames = new Map(events.filter((e) => e.partyName).map((e) => [e.party, e.partyName]));
  for (const p of answer?.parties ?? []) if (p?.id && p.name) partyNames.set(p.id, p.name);
  const given = (answer?.links ?? answer?.edges ?? []).map((l) => [String(l.from ?? l[0]), String(l.to ?? l[1])]);
  const links = given.length > 0 ? given : events.slice(1).map((e, i) => [events[i].id, e.id]);
  return { events, parties, partyNames, links };
}

const names = (list) => (list ?? []).map((x) => (typeof x === 'string' ? x : x.name ? `${x.name} (${x.id ?? x.code ?? ''})` : x.id ?? x.code ?? JSON.stringify(x)));

/** The recall impact as three lists of text: codes, parties, places. */
export function impactOf(answer) {
  return {
    codes: names(answer?.codes ?? answer?.affected?.codes ?? answer?.epcs),
    parties: names(answer?.parties ?? answer?.affected?.parties),
    places: names(answer?.places ?? answer?.locations ?? answer?.affected?.places),
  };
}
