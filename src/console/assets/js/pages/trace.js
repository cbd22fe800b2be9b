/**
 * Trace: enter any code and see its chain as a picture — one lane per party, the events in time
 * order, each with its place and time — with the same events as a table, and the recall impact.
 * Reads `GET /v1/trace/:code` and `GET /v1/recall-impact?code=`; a hub without them says so.
 */
import { api, missingRoute, query } from '../api.js';
import { field, h, replace, s } from '../dom.js';
import { t, time } from '../i18n.js';
import { chainOf, impactOf } from '../trace-model.js';

const enc = encodeURIComponent;

export function render(main, route, ctx) {
  const code = route.segments.join('/') || route.query.get('code') || '';
  const input = h('input', { id: 'trace-code', name: 'code', value: code, required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'trace-code-help', size: 48 });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('trace.title') },
    field(t('trace.code'), input), h('button', { type: 'submit' }, t('trace.lookUp')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim()) ctx.navigate(`#/trace/${enc(input.value.trim())}`);
  });
  const chain = h('section', { 'aria-labelledby': 'chain-title' });
  const impact = h('section', { 'aria-labelledby': 'impact-title' });
  replace(main, h('h1', {}, t('trace.title')), form, h('p', { id: 'trace-code-help', class: 'muted' }, t('trace.codeHelp')), code ? [chain, impact] : null);
  if (code) {
    showChain(chain, code);
    showImpact(impact, code, ctx);
  }
}

async function showChain(section, code) {
  const heading = h('h2', { id: 'chain-title' }, t('trace.chain'));
  replace(section, heading, h('p', {}, t('loading')));
  let answer;
  try {
    answer = await api(`/v1/trace/${enc(code)}`);
  } catch (error) {
    replace(section, heading, h('p', { class: missingRoute(error) ? 'muted' : 'bad', role: 'alert' },
      missingRoute(error) ? t('trace.noApi') : error.status === 404 ? t('trace.none', { code }) : `${error.code}: ${error.message}`));
    return;
  }
  const chain = chainOf(answer);
  if (chain.events.length === 0) {
    replace(section, heading, h('p', {}, t('trace.none', { code })));
    return;
  }
  replace(section, heading, h('div', { class: 'chain' }, picture(chain, code)), eventTable(chain));
}

/** The chain as inline SVG: a lane per party, events left to right in time order, arrows between links. */
export function picture(chain, code) {
  const laneHeight = 96;
  const col = 190;
  const left = 170;
  const top = 30;
  const parties = chain.parties;
  const width = left + Math.max(1, chain.events.length) * col + 20;
  const height = top + parties.length * laneHeight + 10;
  const at = new Map(chain.events.map((e, i) => [e.id, { x: left + i * col + col / 2, y: top + parties.indexOf(e.party) * laneHeight + laneHeight / 2 }]));
  const titleId = `chain-svg-title`;
  const lanes = parties.map((p, i) => s('g', { class: 'lane' },
    s('rect', { x: 0, y: top + i * laneHeight, width, height: laneHeight, fill: i % 2 ? '#f7f9fb' : '#ffffff' }),
    s('text', { x: 10, y: top + i * laneHeight + laneHeight / 2 + 5, 'font-size': 13, 'font-weight': 600, fill: '#1d2430' }, clip(chain.partyNames.get(p) ?? p, 26))));
  const links = chain.links.map(([from, to]) => {
    const a = at.get(from);
    const b = at.get(to);
    if (!a || !b) return null;
    return s('line', { x1: a.x + BOX / 2, y1: a.y, x2: b.x - BOX / 2 - 4, y2: b.y, stroke: '#5a6473', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' });
  });
  const nodes = chain.events.map((e) => {
    const p = at.get(e.id);
    return s('g', { class: 'event', 'data-event': e.id },
      s('title', {}, `${e.what} · ${chain.partyNames.get(e.party) ?? e.party} · ${e.place ?? ''} · ${e.time ?? ''}`),
      s('rect', { x: p.x - BOX / 2, y: p.y - 16, width: BOX, height: 32, rx: 8, fill: e.highlight ? '#fff3d6' : '#e8f1fb', stroke: '#0b5cad' }),
      s('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', 'font-size': 12, fill: '#0b5cad' }, clip(e.what, 18)),
      s('text', { x: p.x, y: p.y - 22, 'text-anchor': 'middle', 'font-size': 11, fill: '#5a6473' }, clip(placeLabel(e.place), 26)),
      s('text', { x: p.x, y: p.y + 32, 'text-anchor': 'middle', 'font-size': 11, fill: '#1d2430' }, e.time ? time(e.time) : ''));
  });
  return s('svg', { xmlns: 'http://www.w3.org/2000/svg', role: 'img', 'aria-labelledby': titleId, width, height, viewBox: `0 0 ${width} ${height}`, id: 'trace-chain' },
    s('title', { id: titleId }, t('trace.chainLabel', { code, count: chain.events.length })),
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#5a6473' }))),
    lanes, links, nodes);
}

/** Node width in the picture. */
const BOX = 130;

/** A place as a short label: the site part of a hub location id (`urn:suyuan:loc:<USCC>:<site>`), else its last segment. */
function placeLabel(place) {
  if (!place) return '';
  const site = /^urn:suyuan:loc:[^:]+:(.+)$/.exec(place)?.[1];
  return site ?? String(place).split(/[/:]/).filter((x) => x !== '').at(-1) ?? String(place);
}

const clip = (text, n) => (String(text).length > n ? `${String(text).slice(0, n - 1)}…` : String(text));

function eventTable(chain) {
  return h('table', { id: 'trace-events' }, h('caption', {}, t('trace.events')),
    h('thead', {}, h('tr', {}, ['time', 'what', 'party', 'place', 'region', 'direction'].map((c) => h('th', { scope: 'col' }, t(`trace.col.${c}`))))),
    h('tbody', {}, chain.events.map((e) => h('tr', { dataset: { hash: e.id } },
      h('td', {}, e.time ? h('time', { datetime: e.time }, time(e.time)) : '—'),
      h('th', { scope: 'row' }, e.what), h('td', {}, chain.partyNames.get(e.party) ?? e.party),
      h('td', {}, e.place ?? '—'), h('td', {}, e.region ?? '—'), h('td', {}, e.direction ? t(`trace.dir.${e.direction}`) : '—')))));
}

async function showImpact(section, code, ctx) {
  const heading = h('h2', { id: 'impact-title' }, t('trace.recall'));
  const roles = ctx.session?.roles ?? [];
  if (roles.length > 0 && !roles.some((r) => r === 'regulator' || r === 'operator' || r === 'admin')) {
    replace(section, heading, h('p', { class: 'muted' }, t('trace.recallRoles')));
    return;
  }
  replace(section, heading, h('p', {}, t('loading')));
  try {
    const impact = impactOf(await api(`/v1/recall-impact${query({ code })}`));
    replace(section, heading,
      h('p', {}, t('trace.impactSummary', { recipients: impact.recipients.length, regions: impact.regions.length, events: impact.events })),
      impact.recipients.length === 0 ? h('p', { class: 'muted' }, t('trace.noRecipients')) : h('table', { id: 'recall-recipients' },
        h('caption', {}, t('trace.recipients')),
        h('thead', {}, h('tr', {}, ['party', 'places', 'regions', 'quantity'].map((c) => h('th', { scope: 'col' }, t(`trace.rcol.${c}`))))),
        h('tbody', {}, impact.recipients.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r.party), h('td', {}, r.locations.join('、') || '—'), h('td', {}, r.regions.join('、') || '—'), h('td', {}, r.quantities || '—'))))),
      impact.regions.length ? h('ul', { id: 'recall-regions', 'aria-label': t('trace.regions') }, impact.regions.map((r) => h('li', {}, t('trace.regionParties', { region: r.region, parties: r.parties })))) : null);
  } catch (error) {
    replace(section, heading, h('p', { class: missingRoute(error) ? 'muted' : 'bad' },
      missingRoute(error) ? t('trace.noRecallApi') : error.status === 404 ? t('trace.none', { code }) : `${error.code}: ${error.message}`));
  }
}
