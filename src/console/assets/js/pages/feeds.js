/* global setInterval, clearInterval */
/**
 * Feeds: every adapter with its status, throughput, error ratio, lag, last success and circuit state,
 * refreshed every few seconds; pause and resume; drill into a feed's recent messages, refreshed live.
 * The figures are the hub's (`GET /v1/feeds`, `src/ops/feed-status.ts`; dead letters from `/v1/delivery`).
 */
import { api, missingRoute, query } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { bytes, number, percent, t, time } from '../i18n.js';
import { STATUS_TONES } from './message.js';

const enc = encodeURIComponent;
export const REFRESH_MS = 2000;
const HOUR = 3600_000;

/** One feed's figures, whatever names the hub gives them (`GET /v1/feeds` answers `FeedStatus`, `src/ops/feed-status.ts`). */
export function normalise(f) {
  const pick = (...names) => names.map((n) => n.split('.').reduce((o, k) => (o == null ? undefined : o[k]), f)).find((v) => v !== undefined && v !== null);
  const directions = pick('directions') ?? [pick('direction')].filter(Boolean);
  const direction = directions.length > 1 ? 'both' : ({ in: 'inbound', out: 'outbound' })[directions[0]] ?? directions[0];
  const paused = Boolean(pick('paused')) || pick('status') === 'paused';
  return {
    id: pick('adapter', 'id', 'feed'),
    direction,
    department: pick('department'),
    status: pick('status', 'state') ?? (paused ? 'paused' : 'ok'),
    paused,
    windowSeconds: pick('window.seconds'),
    total: pick('window.messages', 'messages.total', 'total'),
    throughput: pick('window.perMinute', 'throughput.perMinute', 'perMinute'),
    errorRatio: pick('window.errorRatio', 'errorRatio', 'errors.ratio'),
    lag: pick('lagSeconds', 'lag.seconds', 'lag'),
    lastSuccess: pick('lastSuccessAt', 'lastSuccess'),
    circuit: pick('circuit.state', 'circuitState', 'circuit'),
    deadLetters: pick('deadLetters', 'dead', 'queue.dead'),
  };
}

/** The hub's figures, or the console's own count of the last hour where the hub has no status API. */
export async function feedFigures(ctx) {
  try {
    const answer = await api('/v1/feeds');
    const list = (Array.isArray(answer) ? answer : (answer.feeds ?? answer.adapters ?? [])).map(normalise);
    // Dead letters: the window's inbound messages not taken whole, and (for operators) the deliveries out of attempts.
    const roles = ctx?.session?.roles ?? [];
    const queues = roles.includes('operator') || roles.includes('admin') ? (await api('/v1/delivery').catch(() => null))?.queues ?? {} : {};
    for (const f of list) {
      const failed = (Array.isArray(answer) ? answer : answer.feeds ?? []).find((x) => (x.adapter ?? x.id) === f.id)?.window?.failed;
      const dead = queues[`deliver-${f.id}`]?.dead;
      if (f.deadLetters == null && (failed != null || dead != null)) f.deadLetters = (failed ?? 0) + (dead ?? 0);
    }
    return { source: 'hub', feeds: list };
  } catch (error) {
    if (!missingRoute(error)) throw error;
    return { source: 'none', feeds: [] };
  }
}

export function render(main, route, ctx) {
  const adapter = route.segments[0];
  return adapter ? renderFeed(main, adapter, ctx) : renderAll(main, ctx);
}

function live(refresh) {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try { await refresh(); } finally { busy = false; }
  };
  tick();
  const timer = setInterval(tick, REFRESH_MS);
  return () => clearInterval(timer);
}

const TONE = { ok: 'ok', degraded: 'warn', paused: 'warn', 'circuit-open': 'bad', failing: 'bad', silent: 'warn', closed: 'ok', open: 'bad', 'half-open': 'warn' };

function pauseButton(f, ctx, after) {
  const roles = ctx.session?.roles ?? [];
  if (!roles.includes('operator') && !roles.includes('admin')) return null;
  const paused = f.paused;
  const button = h('button', { type: 'button', class: 'secondary', dataset: { action: paused ? 'resume' : 'pause', feed: f.id },
    'aria-label': t(paused ? 'feeds.resumeFeed' : 'feeds.pauseFeed', { feed: f.id }) }, t(paused ? 'feeds.resume' : 'feeds.pause'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api(`/v1/feeds/${enc(f.id)}/${paused ? 'resume' : 'pause'}`, { method: 'POST', body: {} });
      ctx.announce(t(paused ? 'feeds.resumed' : 'feeds.paused', { feed: f.id }));
      await after();
    } catch (error) {
      ctx.announce(missingRoute(error) ? t('feeds.noPause') : `${error.code}: ${error.message}`, 'bad');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function renderAll(main, ctx) {
  const body = h('tbody', {});
  const note = h('p', { class: 'muted', id: 'feeds-source' });
  const cols = ['feed', 'status', 'total', 'throughput', 'errorRatio', 'lag', 'lastSuccess', 'circuit', 'deadLetters', 'actions'];
  replace(main, h('h1', {}, t('feeds.title')), note,
    h('table', { id: 'feeds-table' }, h('caption', { class: 'muted' }, t('feeds.caption')),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', class: ['total', 'throughput', 'errorRatio', 'lag', 'deadLetters'].includes(c) ? 'num' : null }, t(`feeds.col.${c}`))))),
      body));
  const refresh = async () => {
    let figures;
    try {
      figures = await feedFigures(ctx);
    } catch (error) {
      note.textContent = `${t('error')}: ${error.message}`;
      return;
    }
    const minutes = Math.round((figures.feeds[0]?.windowSeconds ?? 3600) / 60);
    note.textContent = figures.source === 'hub' ? t('feeds.fromHub', { minutes }) : t('feeds.noApi');
    replace(body, figures.feeds.map((f) => h('tr', { dataset: { feed: f.id } },
      h('th', { scope: 'row' }, h('a', { href: `#/feeds/${enc(f.id)}` }, f.id), f.direction ? h('span', { class: 'muted' }, ` · ${t(`direction.${f.direction}`)}`) : null),
      h('td', {}, badge(t(`feedStatus.${f.status}`), TONE[f.status])),
      h('td', { class: 'num', dataset: { figure: 'total' } }, number(f.total)),
      h('td', { class: 'num', dataset: { figure: 'throughput' } }, f.throughput == null ? '—' : `${number(f.throughput, 2)}/${t('perMinute')}`),
      h('td', { class: 'num', dataset: { figure: 'errorRatio' } }, percent(f.errorRatio)),
      h('td', { class: 'num', dataset: { figure: 'lag' } }, f.lag == null ? '—' : `${number(f.lag, 1)} s`),
      h('td', { dataset: { figure: 'lastSuccess' } }, f.lastSuccess ? h('time', { datetime: f.lastSuccess }, time(f.lastSuccess)) : '—'),
      h('td', { dataset: { figure: 'circuit' } }, f.circuit ? badge(t(`circuit.${f.circuit}`), TONE[f.circuit]) : '—'),
      h('td', { class: 'num', dataset: { figure: 'deadLetters' } }, f.deadLetters == null ? '—' : h('a', { href: `#/dead-letters${query({ feed: f.id })}` }, number(f.deadLetters))),
      h('td', {}, pauseButton(f, ctx, refresh)))));
  };
  return live(refresh);
}

function renderFeed(main, adapter, ctx) {
  const figures = h('dl', { class: 'facts', id: 'feed-figures' });
  const body = h('tbody', {});
  const actions = h('p', { class: 'row' });
  replace(main, h('p', {}, h('a', { href: '#/feeds' }, `← ${t('feeds.title')}`)), h('h1', {}, adapter),
    h('section', { 'aria-labelledby': 'fig-title' }, h('h2', { id: 'fig-title' }, t('feeds.figures')), figures, actions),
    h('section', { 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, t('feeds.recent')),
      h('table', { id: 'recent-messages' }, h('thead', {}, h('tr', {}, ['received', 'id', 'type', 'status', 'error', 'size'].map((c) => h('th', { scope: 'col' }, t(`col.${c}`))))), body)));
  const refresh = async () => {
    try {
      const all = await feedFigures(ctx);
      const f = all.feeds.find((x) => x.id === adapter);
      if (f) {
        replace(figures,
          h('dt', {}, t('feeds.col.status')), h('dd', {}, badge(t(`feedStatus.${f.status}`), TONE[f.status])),
          h('dt', {}, t('feeds.col.total')), h('dd', { dataset: { figure: 'total' } }, number(f.total)),
          h('dt', {}, t('feeds.col.throughput')), h('dd', {}, f.throughput == null ? '—' : `${number(f.throughput, 2)}/${t('perMinute')}`),
          h('dt', {}, t('feeds.col.errorRatio')), h('dd', { dataset: { figure: 'errorRatio' } }, percent(f.errorRatio)),
          h('dt', {}, t('feeds.col.lag')), h('dd', {}, f.lag == null ? '—' : `${number(f.lag, 1)} s`),
          h('dt', {}, t('feeds.col.lastSuccess')), h('dd', {}, time(f.lastSuccess)),
          h('dt', {}, t('feeds.col.circuit')), h('dd', {}, f.circuit ? badge(t(`circuit.${f.circuit}`), TONE[f.circuit]) : '—'));
        replace(actions, pauseButton(f, ctx, refresh),
          h('a', { href: `#/dead-letters${query({ feed: adapter })}` }, t('nav.deadLetters')), ' ',
          h('a', { href: `#/playground${query({ adapter })}` }, t('nav.playground')));
      }
      const { messages } = await api(`/v1/messages${query({ feed: adapter, since: new Date(Date.now() - 24 * HOUR).toISOString(), limit: 1000 })}`);
      replace(body, messages.slice(-50).reverse().map((m) => h('tr', {},
        h('td', {}, h('time', { datetime: m.receivedAt }, time(m.receivedAt))),
        h('th', { scope: 'row' }, h('a', { href: `#/messages/${enc(m.id)}` }, m.id.slice(0, 8))),
        h('td', {}, m.type || '—'),
        h('td', {}, badge(t(`status.${m.status}`), STATUS_TONES[m.status])),
        h('td', {}, m.errorCode ? h('code', {}, m.errorCode) : '—'),
        h('td', { class: 'num' }, bytes(m.size)))));
    } catch (error) {
      ctx.announce(`${error.code}: ${error.message}`, 'bad');
    }
  };
  return live(refresh);
}
