/**
 * Dead letters: what did not get through, filtered by feed, error code and time; inspect one; replay
 * one, the ones ticked, or every one the filter matches.
 *
 * Two kinds: inbound messages the hub kept but could not take whole (`rejected` or `partial`, from
 * `/v1/messages`), and outbound deliveries that ran out of attempts (`/v1/dead-letters`, where the hub
 * has it — otherwise the page says so and shows the inbound kind alone).
 */
import { api, missingRoute, query } from '../api.js';
import { badge, field, h, replace, uid } from '../dom.js';
import { t, time } from '../i18n.js';
import { STATUS_TONES } from './message.js';

const enc = encodeURIComponent;

/** `datetime-local` text (the reader's zone) to an instant, and back. */
const toInstant = (local) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function render(main, route, ctx) {
  const q = route.query;
  const filter = { feed: q.get('feed') ?? '', code: q.get('code') ?? '', since: q.get('since') ?? '', until: q.get('until') ?? '' };
  const feed = h('input', { id: 'dl-feed', name: 'feed', value: filter.feed, list: 'dl-feeds', autocomplete: 'off' });
  const code = h('input', { id: 'dl-code', name: 'code', value: filter.code, autocomplete: 'off', placeholder: 'VALIDATION_FAILED' });
  const since = h('input', { id: 'dl-since', name: 'since', type: 'datetime-local', value: toLocal(filter.since) });
  const until = h('input', { id: 'dl-until', name: 'until', type: 'datetime-local', value: toLocal(filter.until) });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('dead.filter') },
    field(t('col.feed'), feed), field(t('col.error'), code), field(t('dead.since'), since), field(t('dead.until'), until),
    h('button', { type: 'submit' }, t('dead.apply')), h('datalist', { id: 'dl-feeds' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(`#/dead-letters${query({ feed: feed.value.trim(), code: code.value.trim(), since: toInstant(since.value), until: toInstant(until.value) })}`);
  });
  const inbound = h('section', { 'aria-labelledby': 'dl-in-title' }, h('h2', { id: 'dl-in-title' }, t('dead.inbound')), h('p', {}, t('loading')));
  const outbound = h('section', { 'aria-labelledby': 'dl-out-title' }, h('h2', { id: 'dl-out-title' }, t('dead.outbound')), h('p', {}, t('loading')));
  replace(main, h('h1', {}, t('dead.title')), form, outbound, inbound);
  showInbound(inbound, filter, ctx);
  showOutbound(outbound, filter, ctx);
}

function selectionTable(id, cols, items, row) {
  const boxes = [];
  const all = h('input', { type: 'checkbox', id: uid('all'), 'aria-label': t('dead.selectAll') });
  all.addEventListener('change', () => { for (const b of boxes) b.checked = all.checked; });
  const body = h('tbody', {}, items.map((item) => {
    const box = h('input', { type: 'checkbox', value: item.id, 'aria-label': t('dead.select', { id: item.id }) });
    boxes.push(box);
    return h('tr', { dataset: { id: item.id } }, h('td', {}, box), row(item));
  }));
  const table = h('table', { id }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), cols.map((c) => h('th', { scope: 'col' }, t(c))))), body);
  return { table, selected: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

async function showInbound(section, filter, ctx) {
  const heading = section.firstChild;
  let messages;
  try {
    ({ messages } = await api(`/v1/messages${query({ ...filter, status: 'rejected,partial', limit: 500 })}`));
  } catch (error) {
    replace(section, heading, h('p', { class: 'bad' }, `${error.code}: ${error.message}`));
    return;
  }
  if (messages.length === 0) {
    replace(section, heading, h('p', {}, t('dead.none')));
    return;
  }
  messages.reverse();
  const { table, selected } = selectionTable('dead-inbound', ['col.received', 'col.feed', 'col.type', 'col.status', 'col.error', 'message.replayOf', 'col.actions'], messages, (m) => [
    h('td', {}, h('time', { datetime: m.receivedAt }, time(m.receivedAt))),
    h('td', {}, m.feed), h('td', {}, m.type || '—'),
    h('td', {}, badge(t(`status.${m.status}`), STATUS_TONES[m.status])),
    h('td', {}, m.errorCode ? h('code', {}, m.errorCode) : '—'),
    h('td', {}, m.replayOf ? h('a', { href: `#/messages/${enc(m.replayOf)}` }, m.replayOf.slice(0, 8)) : '—'),
    h('td', {}, h('a', { href: `#/messages/${enc(m.id)}`, 'aria-label': t('dead.inspectId', { id: m.id }) }, t('dead.inspect'))),
  ]);
  const replayChosen = h('button', { type: 'button', id: 'dl-in-replay-selected', onclick: async () => {
    const ids = selected();
    if (ids.length === 0) return ctx.announce(t('dead.chooseFirst'), 'bad');
    const results = [];
    for (const id of ids) {
      try { results.push(await api(`/v1/messages/${enc(id)}/replay`, { method: 'POST' })); } catch (error) { results.push({ status: 'failed', errorCode: error.code }); }
    }
    report(results, ctx);
    showInbound(section, filter, ctx);
  } }, t('dead.replaySelected'));
  const replayAll = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      const { replayed } = await api('/v1/messages/replay', { method: 'POST', body: { feed: filter.feed || undefined, code: filter.code || undefined, since: filter.since || undefined, until: filter.until || undefined } });
      report(replayed, ctx);
      showInbound(section, filter, ctx);
    } catch (error) {
      ctx.announce(`${error.code}: ${error.message}`, 'bad');
    }
  } }, t('dead.replayMatching'));
  replace(section, heading, h('p', { class: 'row' }, replayChosen, replayAll), table);
}

function report(results, ctx) {
  const ok = results.filter((r) => r.status === 'accepted' || r.status === 'delivered').length;
  ctx.announce(t('dead.replayedN', { ok, total: results.length }), ok === results.length ? '' : 'bad');
}

async function showOutbound(section, filter, ctx) {
  const heading = section.firstChild;
  let letters;
  try {
    const answer = await api(`/v1/dead-letters${query(filter)}`);
    letters = (Array.isArray(answer) ? answer : (answer.deadLetters ?? answer.items ?? answer.letters ?? [])).map(normaliseLetter);
  } catch (error) {
    replace(section, heading, h('p', { class: missingRoute(error) ? 'muted' : 'bad' }, missingRoute(error) ? t('dead.noOutboundApi') : `${error.code}: ${error.message}`));
    return;
  }
  if (letters.length === 0) {
    replace(section, heading, h('p', {}, t('dead.none')));
    return;
  }
  const detail = h('div', { id: 'dl-detail', 'aria-live': 'polite' });
  const { table, selected } = selectionTable('dead-outbound', ['col.failedAt', 'col.feed', 'col.type', 'col.error', 'dead.attempts', 'col.actions'], letters, (d) => [
    h('td', {}, h('time', { datetime: d.at }, time(d.at))),
    h('td', {}, d.feed ?? '—'), h('td', {}, d.type ?? '—'),
    h('td', {}, d.code ? h('code', {}, d.code) : '—'),
    h('td', { class: 'num' }, d.attempts ?? '—'),
    h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': t('dead.inspectId', { id: d.id }), onclick: () => inspect(detail, d.id, ctx, () => showOutbound(section, filter, ctx)) }, t('dead.inspect'))),
  ]);
  const replayChosen = h('button', { type: 'button', id: 'dl-out-replay-selected', onclick: async () => {
    const ids = selected();
    if (ids.length === 0) return ctx.announce(t('dead.chooseFirst'), 'bad');
    report(await replayLetters(ids), ctx);
    showOutbound(section, filter, ctx);
  } }, t('dead.replaySelected'));
  replace(section, heading, h('p', { class: 'row' }, replayChosen), table, detail);
}

/** One outbound dead letter, whatever names the hub gives its fields. */
function normaliseLetter(d) {
  return {
    ...d, id: String(d.id ?? d.jobId), feed: d.adapter ?? d.feed, type: d.type ?? d.messageType,
    code: d.errorCode ?? d.error?.code ?? d.code, at: d.failedAt ?? d.deadAt ?? d.updatedAt ?? d.createdAt, attempts: Array.isArray(d.attempts) ? d.attempts.length : d.attempts,
  };
}

async function replayLetters(ids) {
  const results = [];
  for (const id of ids) {
    try {
      const r = await api(`/v1/dead-letters/${enc(id)}/replay`, { method: 'POST' });
      results.push({ ...r, status: r.status ?? 'queued' });
    } catch (error) {
      results.push({ status: 'failed', errorCode: error.code });
    }
  }
  return results;
}

async function inspect(container, id, ctx, after) {
  replace(container, h('p', {}, t('loading')));
  try {
    const d = normaliseLetter(await api(`/v1/dead-letters/${enc(id)}`));
    const attempts = Array.isArray(d.attempts) ? d.attempts : (Array.isArray(d.history) ? d.history : []);
    const replay = h('button', { type: 'button', id: 'dl-replay-one', onclick: async () => {
      replay.disabled = true;
      const [result] = await replayLetters([id]);
      ctx.announce(t('dead.replayedOne', { status: t(`status.${result.status}`) }), result.status === 'failed' ? 'bad' : '');
      after();
    } }, t('dead.replay'));
    replace(container, h('section', { class: 'card', 'aria-labelledby': 'dl-detail-title' },
      h('h3', { id: 'dl-detail-title' }, t('dead.letter'), ' ', h('code', {}, id)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('col.feed')), h('dd', {}, d.feed ?? '—'),
        h('dt', {}, t('col.error')), h('dd', {}, d.code ? h('code', {}, d.code) : '—', ' ', d.error?.message ?? d.reason ?? ''),
        h('dt', {}, t('col.failedAt')), h('dd', {}, time(d.at))),
      attempts.length ? h('ol', {}, attempts.map((a) => h('li', {}, time(a.at ?? a.time), ' ', h('code', {}, a.code ?? a.errorCode ?? ''), ' ', a.message ?? ''))) : null,
      d.payload !== undefined ? h('details', {}, h('summary', {}, t('dead.payload')), h('pre', {}, JSON.stringify(d.payload, null, 2))) : null,
      h('p', {}, replay)));
  } catch (error) {
    replace(container, h('p', { class: 'bad' }, `${error.code}: ${error.message}`));
  }
}
