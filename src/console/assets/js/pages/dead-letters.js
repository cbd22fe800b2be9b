/* global setInterval, clearInterval */
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
  // The dead letter being inspected stays open while the list above it refreshes.
  const detail = h('div', { id: 'dl-detail', 'aria-live': 'polite' });
  replace(main, h('h1', {}, t('dead.title')), form, outbound, detail, inbound);
  showInbound(inbound, filter, ctx);
  showOutbound(outbound, filter, ctx, detail);
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

const isOperator = (ctx) => (ctx.session?.roles ?? []).some((r) => r === 'operator' || r === 'admin') || (ctx.session?.roles ?? []).length === 0;

/** The outbound feeds (destinations), from the feed status; `null` when the hub cannot say. */
async function destinations() {
  try {
    const { feeds } = await api('/v1/feeds');
    return feeds.filter((f) => (f.directions ?? []).includes('out')).map((f) => f.adapter);
  } catch {
    return null;
  }
}

async function showOutbound(section, filter, ctx, detail) {
  const heading = section.firstChild;
  if (!isOperator(ctx)) {
    replace(section, heading, h('p', { class: 'muted' }, t('dead.operatorsOnly')));
    return;
  }
  const outbound = await destinations();
  if (filter.feed && outbound && !outbound.includes(filter.feed)) {
    replace(section, heading, h('p', { class: 'muted' }, t('dead.notOutbound', { feed: filter.feed })));
    return;
  }
  const params = { adapter: filter.feed, code: filter.code, since: filter.since, until: filter.until };
  let letters;
  try {
    ({ deadLetters: letters } = await api(`/v1/dead-letters${query({ ...params, limit: 500 })}`));
  } catch (error) {
    replace(section, heading, h('p', { class: missingRoute(error) ? 'muted' : 'bad' }, missingRoute(error) ? t('dead.noOutboundApi') : `${error.code}: ${error.message}`));
    return;
  }
  if (letters.length === 0) {
    replace(section, heading, h('p', {}, t('dead.none')));
    return;
  }
  letters.reverse();
  const refresh = () => showOutbound(section, filter, ctx, detail);
  const { table, selected } = selectionTable('dead-outbound', ['col.failedAt', 'dead.destination', 'dead.stage', 'col.error', 'dead.attempts', 'message.replays', 'col.actions'], letters, (d) => [
    h('td', {}, d.deadAt ?? d.diedAt ? h('time', { datetime: d.deadAt ?? d.diedAt }, time(d.deadAt ?? d.diedAt)) : '—'),
    h('td', {}, d.adapter ?? '—', d.alert ? [' ', badge(t('dead.alert'), 'bad')] : null),
    h('td', {}, d.stage ?? '—'),
    h('td', {}, d.code ? h('code', {}, d.code) : '—'),
    h('td', { class: 'num' }, d.attempts.length),
    h('td', {}, d.replays.length ? d.replays.map((r) => badge(t(`jobState.${r.state || 'waiting'}`), JOB_TONES[r.state])) : '—'),
    h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': t('dead.inspectId', { id: d.id }), onclick: () => inspect(detail, d.id, ctx, refresh) }, t('dead.inspect'))),
  ]);
  const replayChosen = h('button', { type: 'button', id: 'dl-out-replay-selected', onclick: async () => {
    const ids = selected();
    if (ids.length === 0) return ctx.announce(t('dead.chooseFirst'), 'bad');
    const results = [];
    for (const id of ids) {
      try { results.push(await api(`/v1/dead-letters/${enc(id)}/replay`, { method: 'POST' })); } catch (error) { results.push({ replay: null, errorCode: error.code }); }
    }
    queued(results, ctx);
    refresh();
  } }, t('dead.replaySelected'));
  const replayAll = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      const { replayed } = await api('/v1/dead-letters/replay', { method: 'POST', body: Object.fromEntries(Object.entries(params).filter(([, v]) => v)) });
      queued(replayed, ctx);
      refresh();
    } catch (error) {
      ctx.announce(`${error.code}: ${error.message}`, 'bad');
    }
  } }, t('dead.replayMatching'));
  replace(section, heading, h('p', { class: 'row' }, replayChosen, replayAll), table);
}

const JOB_TONES = { done: 'ok', dead: 'bad', waiting: 'warn', delayed: 'warn', active: 'warn' };

function queued(results, ctx) {
  const ok = results.filter((r) => r.replay).length;
  ctx.announce(t('dead.queuedN', { ok, total: results.length }), ok === results.length ? '' : 'bad');
}

/** One dead letter: its event, every attempt, its replays refreshed until each is delivered or dead again. */
async function inspect(container, id, ctx, after) {
  replace(container, h('p', {}, t('loading')));
  container.dataset.letter = id;
  let timer;
  const mine = () => container.isConnected && container.dataset.letter === id;
  const show = async () => {
    let d;
    if (!mine()) return;
    try {
      d = await api(`/v1/dead-letters/${enc(id)}`);
    } catch (error) {
      clearInterval(timer);
      replace(container, h('p', { class: 'bad' }, `${error.code}: ${error.message}`));
      return;
    }
    const replay = h('button', { type: 'button', id: 'dl-replay-one', onclick: async () => {
      replay.disabled = true;
      try {
        await api(`/v1/dead-letters/${enc(id)}/replay`, { method: 'POST' });
        ctx.announce(t('dead.queuedOne'));
        await show();
        after();
      } catch (error) {
        ctx.announce(`${error.code}: ${error.message}`, 'bad');
        replay.disabled = false;
      }
    } }, t('dead.replay'));
    replace(container, h('section', { class: 'card', 'aria-labelledby': 'dl-detail-title', id: 'dl-letter' },
      h('h3', { id: 'dl-detail-title' }, t('dead.letter'), ' ', h('code', {}, id)),
      h('dl', { class: 'facts' },
        h('dt', {}, t('dead.destination')), h('dd', {}, d.adapter ?? '—', d.type ? ` / ${d.type}` : ''),
        h('dt', {}, t('dead.subscribers')), h('dd', {}, d.subscribers?.length ? d.subscribers.join('、') : '—'),
        h('dt', {}, t('dead.stage')), h('dd', {}, d.stage ?? '—'),
        h('dt', {}, t('col.error')), h('dd', { class: 'bad' }, d.code ? h('code', {}, d.code) : '—', ' ', d.reason ?? ''),
        h('dt', {}, t('col.failedAt')), h('dd', {}, time(d.deadAt ?? d.diedAt)),
        h('dt', {}, t('dead.event')), h('dd', {}, h('span', { class: 'digest', title: d.eventHash }, d.eventHash)),
        h('dt', {}, t('dead.message')), h('dd', {}, d.messageId ? h('a', { href: `#/messages/${enc(d.messageId)}` }, `${d.feed} · ${d.messageId.slice(0, 8)}`) : '—'),
        d.replayOf ? [h('dt', {}, t('message.replayOf')), h('dd', {}, h('code', {}, d.replayOf))] : null),
      h('h4', {}, t('dead.attempts')),
      h('ol', { class: 'attempts' }, d.attempts.map((a) => h('li', {}, time(a.startedAt), ' · ', t(`jobOutcome.${a.outcome}`), a.code ? [' · ', h('code', {}, a.code)] : null, a.stage ? ` · ${a.stage}` : '', a.reason ? ` · ${a.reason}` : ''))),
      d.replays.length ? [h('h4', {}, t('message.replays')), h('ul', { id: 'dl-replays' }, d.replays.map((r) => h('li', {}, h('code', {}, r.id), ' ', badge(t(`jobState.${r.state || 'waiting'}`), JOB_TONES[r.state]), ' ', time(r.at), ' · ', r.actor)))] : null,
      d.event !== undefined ? h('details', {}, h('summary', {}, t('dead.payload')), h('pre', {}, JSON.stringify(d.event, null, 2))) : null,
      h('p', {}, replay)));
    // Follow the replays until each is delivered or dead again.
    const pending = d.replays.some((r) => r.state !== 'done' && r.state !== 'dead');
    if (pending && timer === undefined) timer = setInterval(() => { if (mine()) show(); else clearInterval(timer); }, 1000);
    if (!pending && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  await show();
}
