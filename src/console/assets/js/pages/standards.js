/* global DOMParser, CSSStyleSheet, document */
/**
 * Standards: the registry's subjects, each subject's versions and their lifecycle, a version's
 * documentation (the hub's own rendering, shown in a shadow root so its styles stay its own), and the
 * diff between two versions with the compatibility verdict in both directions.
 */
import { api, query } from '../api.js';
import { badge, field, h, replace, uid } from '../dom.js';
import { language, t, time } from '../i18n.js';

const enc = encodeURIComponent;
const TONES = { published: 'ok', draft: 'warn', deprecated: 'warn', retired: 'bad' };
const NEXT = { draft: ['published'], published: ['deprecated'], deprecated: ['published', 'retired'] };

export function render(main, route, ctx) {
  const subject = route.segments[0];
  replace(main, h('h1', {}, t('standards.title')), h('p', {}, t('loading')));
  if (subject) showSubject(main, subject, route.query, ctx);
  else showSubjects(main, ctx);
}

async function showSubjects(main, ctx) {
  try {
    const subjects = await api('/v1/subjects');
    const rows = subjects.map((s) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `#/standards/${enc(s.subject)}` }, s.subject)),
      h('td', {}, s.level), h('td', { class: 'num' }, s.versions), h('td', {}, s.latest ?? '—')));
    replace(main, h('h1', {}, t('standards.title')),
      h('table', {}, h('caption', {}, t('standards.subjects')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('standards.subject')), h('th', { scope: 'col' }, t('standards.level')),
          h('th', { scope: 'col', class: 'num' }, t('standards.versions')), h('th', { scope: 'col' }, t('standards.latest')))),
        h('tbody', {}, rows)));
  } catch (error) {
    ctx.announce(`${t('error')}: ${error.message}`, 'bad');
  }
}

async function showSubject(main, subject, q, ctx) {
  let info;
  try {
    info = await api(`/v1/subjects/${enc(subject)}`);
  } catch (error) {
    replace(main, h('h1', {}, subject), h('p', { class: 'bad' }, `${error.code}: ${error.message}`));
    return;
  }
  const versions = info.versions;
  const released = versions.filter((v) => v.status !== 'draft');
  const shown = q.get('version') ?? released.at(-1)?.version ?? versions.at(-1)?.version;
  const docs = h('div', { class: 'docs-view', id: 'docs-view' });
  const diff = h('div', { id: 'diff-result', 'aria-live': 'polite' });

  const rows = versions.map((v) => h('tr', {},
    h('th', { scope: 'row' }, v.version),
    h('td', {}, badge(t(`status.${v.status}`), TONES[v.status])),
    h('td', {}, time(v.createdAt)), h('td', {}, time(v.updatedAt)),
    h('td', {}, h('a', { href: `#/standards/${enc(subject)}${query({ version: v.version })}`, 'aria-label': t('standards.readDocsOf', { version: v.version }) }, t('standards.readDocs'))),
    h('td', {}, lifecycle(subject, v, ctx))));

  const versionSelect = (id, value) => {
    const select = h('select', { id }, versions.map((v) => h('option', { value: v.version, selected: v.version === value }, `${v.version} (${t(`status.${v.status}`)})`)));
    return select;
  };
  const from = versionSelect(uid('from'), q.get('from') ?? released.at(-2)?.version ?? versions[0]?.version);
  const to = versionSelect(uid('to'), q.get('to') ?? released.at(-1)?.version ?? versions.at(-1)?.version);
  const form = h('form', { class: 'row', 'aria-label': t('standards.diff') },
    field(t('standards.from'), from), field(t('standards.to'), to), h('button', { type: 'submit' }, t('standards.compare')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.remember(`#/standards/${enc(subject)}${query({ version: shown, from: from.value, to: to.value })}`);
    showDiff(diff, subject, from.value, to.value);
  });

  replace(main,
    h('p', {}, h('a', { href: '#/standards' }, `← ${t('standards.subjects')}`)),
    h('h1', {}, subject),
    h('p', {}, `${t('standards.level')}: `, h('strong', {}, info.level)),
    h('section', { 'aria-labelledby': 'versions-title' }, h('h2', { id: 'versions-title' }, t('standards.versions')),
      h('table', {}, h('thead', {}, h('tr', {}, ['version', 'status', 'created', 'updated', 'docs', 'lifecycle'].map((k) => h('th', { scope: 'col' }, t(`standards.col.${k}`))))),
        h('tbody', {}, rows))),
    h('section', { 'aria-labelledby': 'diff-title' }, h('h2', { id: 'diff-title' }, t('standards.diff')), form, diff),
    h('section', { 'aria-labelledby': 'docs-title' }, h('h2', { id: 'docs-title' }, t('standards.docsOf', { version: shown ?? '' })), docs));
  if (shown) showDocs(docs, subject, shown);
  if (q.get('from') && q.get('to')) showDiff(diff, subject, from.value, to.value);
}

function lifecycle(subject, v, ctx) {
  const next = NEXT[v.status] ?? [];
  const roles = ctx.session?.roles ?? [];
  if (next.length === 0 || !(roles.includes('standards-body') || roles.includes('admin'))) return h('span', { class: 'muted' }, '—');
  const id = uid('life');
  const select = h('select', { id, 'aria-label': t('standards.moveTo', { version: v.version }) }, next.map((s) => h('option', { value: s }, t(`status.${s}`))));
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    button.disabled = true;
    try {
      await api(`/v1/subjects/${enc(subject)}/versions/${enc(v.version)}/status`, { method: 'POST', body: { status: select.value } });
      ctx.announce(t('standards.moved', { version: v.version, status: t(`status.${select.value}`) }));
      ctx.refresh();
    } catch (error) {
      ctx.announce(`${error.code}: ${error.message}`, 'bad');
      button.disabled = false;
    }
  } }, t('standards.apply'));
  return h('span', { class: 'row' }, select, button);
}

async function showDocs(container, subject, version) {
  replace(container, h('p', {}, t('loading')));
  try {
    // The document's stylesheet goes in through the CSSOM: the console's policy allows no inline
    // <style>, and parsing one (even into an inert document) would be refused.
    const styles = [];
    const html = (await api(`/v1/subjects/${enc(subject)}/versions/${enc(version)}/docs`))
      .replace(/<style[^>]*>([\s\S]*?)<\/style>/gi, (_, css) => { styles.push(css); return ''; });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    for (const el of doc.querySelectorAll('script, iframe, object, embed, link')) el.remove();
    const host = h('div', { class: 'docs-host', lang: doc.documentElement.lang || 'zh-CN' });
    const root = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles.join('\n'));
    root.adoptedStyleSheets = [sheet];
    root.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    // The document's own links (its table of contents) move within it, not the console's address.
    root.addEventListener('click', (event) => {
      const a = event.composedPath().find((el) => el.tagName === 'A');
      const href = a?.getAttribute('href') ?? '';
      if (!href.startsWith('#')) return;
      event.preventDefault();
      root.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
    });
    replace(container, host);
  } catch (error) {
    replace(container, h('p', { class: 'bad' }, `${error.code}: ${error.message}`));
  }
}

async function showDiff(container, subject, from, to) {
  replace(container, h('p', {}, t('loading')));
  try {
    const d = await api(`/v1/subjects/${enc(subject)}/diff${query({ from, to })}`);
    const zh = language() === 'zh-CN';
    const verdict = (ok, label) => h('li', {}, `${label}: `, badge(ok ? t('standards.compatible') : t('standards.incompatible'), ok ? 'ok' : 'bad'));
    replace(container,
      h('h3', {}, t('standards.diffTitle', { from: d.from, to: d.to })),
      h('ul', { class: 'verdict' }, verdict(d.backward, t('standards.backward')), verdict(d.forward, t('standards.forward'))),
      d.changes.length === 0 ? h('p', {}, t('standards.noChanges')) : h('ul', { class: 'changes' }, d.changes.map((c) => h('li', { class: c.backward && c.forward ? '' : 'incompatible' },
        h('code', {}, c.pointer || '/'), ' ', zh ? c.lineZh : c.line,
        c.causes?.length ? h('ul', {}, c.causes.map((cause) => h('li', {}, zh ? cause.lineZh : cause.line))) : null))));
  } catch (error) {
    replace(container, h('p', { class: 'bad' }, `${error.code}: ${error.message}`));
  }
}
