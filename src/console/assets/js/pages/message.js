/**
 * One kept message: its outcome, its whole path from provenance (each step with its time, what went in
 * and out as digests and sizes, the mapping and schema versions, the error if any), its records'
 * problems, its replays; download its original bytes, replay it.
 */
import { api, download } from '../api.js';
import { badge, digest, h, replace } from '../dom.js';
import { bytes, number, t, time } from '../i18n.js';

const enc = encodeURIComponent;
export const STATUS_TONES = { accepted: 'ok', partial: 'warn', rejected: 'bad', stored: 'ok', duplicate: 'muted', invalid: 'bad', failed: 'bad', ok: 'ok', error: 'bad' };

export function render(main, route, ctx) {
  const id = route.segments[0];
  replace(main, h('h1', {}, t('message.title')), h('p', {}, t('loading')));
  show(main, id, ctx);
}

async function show(main, id, ctx) {
  let m;
  try {
    m = await api(`/v1/messages/${enc(id)}`);
  } catch (error) {
    replace(main, h('h1', {}, t('message.title')), h('p', { class: 'bad', role: 'alert' }, error.status === 404 ? t('message.notFound', { id }) : `${error.code}: ${error.message}`));
    return;
  }
  const records = m.outcome?.records ?? [];
  const replay = h('button', { type: 'button', id: 'replay-message' }, t('message.replay'));
  replay.addEventListener('click', async () => {
    replay.disabled = true;
    try {
      const result = await api(`/v1/messages/${enc(m.id)}/replay`, { method: 'POST' });
      ctx.announce(t('message.replayed', { status: t(`status.${result.status}`) }), result.status === 'accepted' ? '' : 'bad');
      if (result.messageId) ctx.navigate(`#/messages/${enc(result.messageId)}`);
    } catch (error) {
      ctx.announce(`${error.code}: ${error.message}`, 'bad');
      replay.disabled = false;
    }
  });
  const original = h('button', { type: 'button', class: 'secondary', onclick: () => download(`/v1/messages/${enc(m.id)}/original`, `${m.id}.bin`).catch((e) => ctx.announce(`${e.code}: ${e.message}`, 'bad')) }, t('message.original'));

  replace(main,
    h('p', {}, h('a', { href: `#/feeds/${enc(m.feed)}` }, `← ${m.feed}`)),
    h('h1', {}, t('message.title'), ' ', h('code', {}, m.id)),
    h('section', { 'aria-labelledby': 'facts-title' },
      h('h2', { id: 'facts-title' }, t('message.facts')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('col.feed')), h('dd', {}, m.feed),
        h('dt', {}, t('col.type')), h('dd', {}, m.type || '—'),
        h('dt', {}, t('col.received')), h('dd', {}, h('time', { datetime: m.receivedAt }, time(m.receivedAt))),
        h('dt', {}, t('col.status')), h('dd', { id: 'message-status' }, badge(t(`status.${m.status}`), STATUS_TONES[m.status])),
        h('dt', {}, t('col.size')), h('dd', {}, bytes(m.size)),
        h('dt', {}, t('message.stage')), h('dd', {}, m.stage ? t(`step.${m.stage}`) : '—'),
        m.outcome?.error ? [h('dt', {}, t('col.error')), h('dd', { class: 'bad' }, h('code', {}, m.outcome.error.code), ' ', m.outcome.error.message)] : null,
        h('dt', {}, t('message.originalDigest')), h('dd', {}, digest(m.original)),
        m.replayOf ? [h('dt', {}, t('message.replayOf')), h('dd', {}, h('a', { href: `#/messages/${enc(m.replayOf)}` }, m.replayOf))] : null),
      h('p', { class: 'row' }, m.status === 'accepted' ? null : replay, original)),
    h('section', { 'aria-labelledby': 'path-title' }, h('h2', { id: 'path-title' }, t('message.path')), pathTable(m.path ?? [])),
    records.length ? h('section', { 'aria-labelledby': 'records-title' }, h('h2', { id: 'records-title' }, t('message.records')), recordList(records)) : null,
    m.replays?.length ? h('section', { 'aria-labelledby': 'replays-title' }, h('h2', { id: 'replays-title' }, t('message.replays')),
      h('ul', {}, m.replays.map((r) => h('li', {}, h('a', { href: `#/messages/${enc(r.id)}` }, r.id), ' ', badge(t(`status.${r.status}`), STATUS_TONES[r.status]), ' ', time(r.at), ' · ', r.actor)))) : null);
}

function pathTable(path) {
  if (path.length === 0) return h('p', { class: 'muted' }, t('message.noPath'));
  const cols = ['step', 'record', 'started', 'duration', 'input', 'output', 'mapping', 'schema', 'outcome', 'error'];
  return h('div', { class: 'scroll' }, h('table', { id: 'message-path' },
    h('caption', { class: 'muted' }, t('message.pathHelp')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', class: c === 'duration' ? 'num' : null }, t(`path.${c}`))))),
    h('tbody', {}, path.map((s) => h('tr', { dataset: { step: s.step } },
      h('th', { scope: 'row' }, t(`step.${s.step}`)),
      h('td', { class: 'num' }, s.recordIndex ?? '—'),
      h('td', {}, h('time', { datetime: s.startedAt }, time(s.startedAt))),
      h('td', { class: 'num' }, `${number(s.durationMs, 2)} ms`),
      h('td', {}, digest(s.inputDigest), ' ', bytes(s.inputSize)),
      h('td', {}, s.outputDigest ? [digest(s.outputDigest), ' ', bytes(s.outputSize)] : h('span', { class: 'muted' }, '—')),
      h('td', {}, s.mapping ? h('code', {}, s.mapping) : '—'),
      h('td', {}, s.schema ? h('code', {}, s.schema) : '—'),
      h('td', {}, badge(t(`outcome.${s.outcome}`), STATUS_TONES[s.outcome])),
      h('td', {}, s.errorCode ? h('code', { class: 'bad' }, s.errorCode) : '—'))))));
}

function recordList(records) {
  return h('table', {},
    h('thead', {}, h('tr', {}, ['record', 'position', 'status', 'events', 'problems'].map((c) => h('th', { scope: 'col' }, t(`record.${c}`))))),
    h('tbody', {}, records.map((r) => h('tr', {},
      h('th', { scope: 'row' }, r.index),
      h('td', {}, h('code', {}, r.position?.path ?? '')),
      h('td', {}, badge(t(`status.${r.status}`), STATUS_TONES[r.status])),
      h('td', {}, r.events?.length ? h('ul', {}, r.events.map((e) => h('li', {}, digest(e.hash), ' ', t(`status.${e.stored}`)))) : '—'),
      h('td', {}, problemList(r))))));
}

/** A record's problems and error, one line each: code, path, message. */
export function problemList(r) {
  const items = [
    ...(r.problems ?? []).map((p) => h('li', {}, h('code', {}, p.code), ' ', p.path ? h('code', {}, p.path) : null, ' ', p.message)),
    ...(r.error && (r.problems ?? []).length === 0
      ? [h('li', {}, h('code', {}, r.error.code), typeof r.error.detail?.problem === 'string' ? [' ', h('code', {}, r.error.detail.problem)] : null, ' ', r.error.message)] : []),
  ];
  return items.length ? h('ul', { class: 'problems' }, items) : '—';
}
