/* global TextDecoder, TextEncoder, setTimeout, clearTimeout */
/**
 * The mapping playground: choose an adapter (and a message type, or let the hub choose as it would),
 * paste, upload or load a sample department message, and see — live, as you type — the standard
 * events it maps to and every problem, without anything being stored (`POST /v1/playground/:adapter`).
 *
 * Bytes as they are: an uploaded file or a sample is sent byte for byte (GBK stays GBK). Once the
 * text is edited it is sent as UTF-8 with a byte-order mark, which the hub's decoder honours over the
 * feed's declared encoding, so edited Chinese text is read as typed.
 */
import { api, query } from '../api.js';
import { badge, field, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { STATUS_TONES, problemList } from './message.js';

const enc = encodeURIComponent;
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** The text of department bytes: a BOM, an XML prolog's encoding, or the feed's declared one. */
function textOf(bytes, declared) {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const prolog = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w-]+)["']/i.exec(head)?.[1];
  try {
    return new TextDecoder((prolog ?? declared ?? 'utf-8').toLowerCase()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

export function render(main, route, ctx) {
  replace(main, h('h1', {}, t('playground.title')), h('p', {}, t('loading')));
  start(main, route, ctx);
  return () => { stopped = true; };
}

let stopped = false;

async function start(main, route, ctx) {
  stopped = false;
  let adapters;
  try {
    adapters = (await api('/v1/playground')).adapters;
  } catch (error) {
    replace(main, h('h1', {}, t('playground.title')), h('p', { class: 'bad', role: 'alert' }, `${error.code}: ${error.message}`));
    return;
  }
  if (adapters.length === 0) {
    replace(main, h('h1', {}, t('playground.title')), h('p', {}, t('playground.none')));
    return;
  }
  const adapterSelect = h('select', { id: 'pg-adapter' }, adapters.map((a) => h('option', { value: a.id }, `${a.id} — ${a.department}`)));
  const typeSelect = h('select', { id: 'pg-type' });
  const sampleSelect = h('select', { id: 'pg-sample' });
  const file = h('input', { id: 'pg-file', type: 'file' });
  const input = h('textarea', { id: 'pg-input', rows: 18, spellcheck: 'false', 'aria-describedby': 'pg-input-help' });
  const result = h('div', { id: 'pg-result', 'aria-live': 'polite', 'aria-busy': 'false' });
  let source = null; // { bytes, text, name }: what was loaded, until the text is edited
  let timer;
  let sequence = 0;

  const adapter = () => adapters.find((a) => a.id === adapterSelect.value);
  const fillTypes = () => {
    const a = adapter();
    replace(typeSelect, h('option', { value: '' }, t('playground.autoType')), a.messages.map((m) => h('option', { value: m.type }, m.summary ? `${m.type} — ${m.summary}` : m.type)));
    replace(sampleSelect, h('option', { value: '' }, t('playground.chooseSample')),
      a.samples.map((s) => h('option', { value: `${s.type}/${s.name}` }, `${s.type} / ${s.name} (${t(`playground.expect.${s.expect}`)})`)));
  };
  const body = () => {
    if (source && input.value === source.text) return source.bytes;
    const utf8 = new TextEncoder().encode(input.value);
    const out = new Uint8Array(BOM.length + utf8.length);
    out.set(BOM);
    out.set(utf8, BOM.length);
    return out;
  };
  const run = async () => {
    clearTimeout(timer);
    if (input.value.trim() === '' && !source) {
      replace(result, h('p', { class: 'muted' }, t('playground.empty')));
      return;
    }
    const mine = ++sequence;
    result.setAttribute('aria-busy', 'true');
    try {
      // The file's name picks the message type where the feed tells types apart by name (headers carry ASCII only).
      const extraHeaders = source?.name && input.value === source.text && /^[\x20-\x7e]+$/.test(source.name) ? { 'x-file-name': source.name } : {};
      const answer = await api(`/v1/playground/${enc(adapterSelect.value)}${query({ type: typeSelect.value })}`, { method: 'POST', body: body(), extraHeaders });
      if (mine === sequence && !stopped) showResult(result, answer);
    } catch (error) {
      if (mine === sequence && !stopped) replace(result, h('p', { class: 'bad', role: 'alert' }, `${error.code}: ${error.message}`));
    } finally {
      if (mine === sequence) result.setAttribute('aria-busy', 'false');
    }
  };
  const soon = () => { clearTimeout(timer); timer = setTimeout(run, 350); };
  const load = (bytes, name) => {
    input.value = textOf(bytes, adapter().encoding);
    // What the text area holds (it normalises line ends), to tell an edit from the loaded bytes.
    source = { bytes, text: input.value, name };
    run();
  };

  adapterSelect.addEventListener('change', () => { fillTypes(); source = null; run(); });
  typeSelect.addEventListener('change', run);
  input.addEventListener('input', soon);
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) load(new Uint8Array(await chosen.arrayBuffer()), chosen.name);
  });
  sampleSelect.addEventListener('change', async () => {
    if (!sampleSelect.value) return;
    const [type, name] = sampleSelect.value.split('/');
    try {
      const res = await api(`/v1/playground/${enc(adapterSelect.value)}/sample${query({ type, name })}`, { raw: true });
      typeSelect.value = type;
      const sample = adapter().samples.find((s) => s.type === type && s.name === name);
      load(new Uint8Array(await res.arrayBuffer()), sample?.file ?? name);
    } catch (error) {
      ctx.announce(`${error.code}: ${error.message}`, 'bad');
    }
  });

  const wanted = route.query.get('adapter');
  if (wanted && adapters.some((a) => a.id === wanted)) adapterSelect.value = wanted;
  fillTypes();
  replace(main,
    h('h1', {}, t('playground.title')),
    h('p', { class: 'muted' }, t('playground.help')),
    h('div', { class: 'split' },
      h('section', { 'aria-labelledby': 'pg-in-title' },
        h('h2', { id: 'pg-in-title' }, t('playground.message')),
        h('div', { class: 'row' }, field(t('playground.adapter'), adapterSelect), field(t('playground.type'), typeSelect)),
        h('div', { class: 'row' }, field(t('playground.sample'), sampleSelect), field(t('playground.upload'), file)),
        h('div', { class: 'field' }, h('label', { for: input.id }, t('playground.paste')), input,
          h('span', { id: 'pg-input-help', class: 'muted' }, t('playground.pasteHelp'))),
        h('p', {}, h('button', { type: 'button', onclick: run }, t('playground.run')))),
      h('section', { 'aria-labelledby': 'pg-out-title' }, h('h2', { id: 'pg-out-title' }, t('playground.result')), result)));
  replace(result, h('p', { class: 'muted' }, t('playground.empty')));
}

function showResult(container, r) {
  const events = r.records.flatMap((rec) => rec.events.map((e) => ({ record: rec.index, ...e })));
  replace(container,
    h('p', {}, badge(t(`status.${r.status}`), STATUS_TONES[r.status]), ' ',
      r.type ? h('span', {}, `${t('playground.type')}: `, h('code', {}, r.type)) : null, ' ',
      r.mapping ? h('span', {}, ` · ${t('path.mapping')}: `, h('code', {}, r.mapping)) : null,
      r.standard ? h('span', {}, ` · ${t('path.schema')}: `, h('code', {}, r.standard)) : null),
    r.error ? h('p', { class: 'bad', id: 'pg-error' }, h('code', {}, r.error.code), ' ', r.error.message) : null,
    h('h3', {}, t('playground.problems', { count: r.problems.length })),
    r.problems.length === 0 ? h('p', { class: 'ok' }, t('playground.noProblems')) : h('ul', { class: 'problems', id: 'pg-problems' },
      r.problems.map((p) => h('li', {}, t('playground.recordN', { n: p.record }), ' ', h('code', {}, p.problem ?? p.code), ' ', p.path ? h('code', {}, p.path) : null, ' ', p.message))),
    r.records.length > 0 ? h('table', {}, h('thead', {}, h('tr', {}, ['record', 'position', 'status', 'problems'].map((c) => h('th', { scope: 'col' }, t(`record.${c}`))))),
      h('tbody', {}, r.records.map((rec) => h('tr', {}, h('th', { scope: 'row' }, rec.index), h('td', {}, h('code', {}, rec.position?.path ?? '')),
        h('td', {}, badge(t(`status.${rec.status}`), STATUS_TONES[rec.status])), h('td', {}, problemList(rec)))))) : null,
    h('h3', {}, t('playground.events', { count: events.length })),
    events.map((e) => h('details', { open: events.length <= 3 },
      h('summary', {}, t('playground.recordN', { n: e.record }), ' · ', e.event?.type ?? '', ' ', h('span', { class: 'digest' }, e.hash.slice(0, 24))),
      h('pre', { class: 'pg-event' }, JSON.stringify(e.event, null, 2)))));
}
