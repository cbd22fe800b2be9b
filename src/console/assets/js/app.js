/* global document, window, URLSearchParams */
/**
 * The console's shell: sign-in, navigation by the address's hash (`#/feeds`, `#/messages/<id>`, …),
 * the language switch, and one polite live region for what just happened. Each page is a module with
 * `render(main, route, ctx)`, which may return a function that stops its refreshing.
 */
import { currentSession, signOut } from './api.js';
import { h, replace } from './dom.js';
import { initLanguage, language, onLanguage, setLanguage, t, translate } from './i18n.js';
import * as conformance from './pages/conformance.js';
import * as deadLetters from './pages/dead-letters.js';
import * as feeds from './pages/feeds.js';
import * as message from './pages/message.js';
import * as playground from './pages/playground.js';
import * as signIn from './pages/sign-in.js';
import * as standards from './pages/standards.js';
import * as trace from './pages/trace.js';

const PAGES = { feeds, messages: message, 'dead-letters': deadLetters, standards, playground, trace, conformance };
const NAV = { messages: 'feeds' };

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const status = document.getElementById('status');
const who = document.getElementById('who');
const out = document.getElementById('sign-out');
const lang = document.getElementById('lang');

let session = null;
let stop = null;

/** Says what happened, in the live region (`tone` 'bad' for failures). */
export function announce(text, tone = '') {
  status.className = `status ${tone}`;
  status.textContent = text;
}

/** The route in the address: page, path segments after it, and the query. */
function route() {
  const raw = window.location.hash.replace(/^#/, '') || home().slice(1);
  const [path, search = ''] = raw.split('?');
  const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  return { page: segments[0] ?? 'feeds', segments: segments.slice(1), query: new URLSearchParams(search) };
}

const ctx = {
  announce,
  get session() { return session; },
  navigate(hash) { window.location.hash = hash; },
  /** Shows the current address again (after a change the page made). */
  refresh() { render(); },
  /** Replaces the query of the current address without a new render. */
  remember(hash) { window.history.replaceState(null, '', hash); },
};

/**
 * A fresh element for the page about to show. Pages fill it when their answers arrive; a page left
 * before its answers came fills an element no longer shown, so it never overwrites the next page.
 */
function view() {
  const el = h('div', { class: 'view' });
  main.replaceChildren(el);
  return el;
}

function render({ focus = false } = {}) {
  if (typeof stop === 'function') stop();
  stop = null;
  if (!session) {
    nav.hidden = true;
    out.hidden = true;
    who.textContent = '';
    stop = signIn.render(view(), route(), { ...ctx, signedIn });
    return;
  }
  nav.hidden = false;
  out.hidden = false;
  who.textContent = session.name ? `${session.name}${session.roles?.length ? ` · ${session.roles.join(', ')}` : ''}` : '';
  // Links to pages for some roles alone (`data-roles`) show only to keys that hold one (admin passes).
  for (const li of nav.querySelectorAll('[data-roles]')) li.hidden = !li.dataset.roles.split(' ').some((role) => session.roles?.includes(role) || session.roles?.includes('admin'));
  const r = route();
  const page = PAGES[r.page];
  const current = NAV[r.page] ?? r.page;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.page === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!page) {
    replace(main, h('h1', {}, t('notFound')), h('p', {}, h('a', { href: '#/feeds' }, t('nav.feeds'))));
    return;
  }
  try {
    stop = page.render(view(), r, ctx);
  } catch (error) {
    replace(main, h('h1', {}, t('error')), h('p', { class: 'bad' }, String(error?.message ?? error)));
  }
  if (focus) main.focus();
}

/** Where a key lands: certifiers alone see conformance first (the feeds are not theirs to see). */
function home() {
  const roles = session?.roles ?? [];
  return roles.length > 0 && roles.every((r) => r === 'certifier') ? '#/conformance' : '#/feeds';
}

function signedIn(principal) {
  session = principal;
  announce(t('signedIn'));
  if (!window.location.hash || window.location.hash === '#/sign-in') window.location.hash = home();
  else render({ focus: true });
}

async function start() {
  initLanguage();
  lang.value = language();
  translate();
  lang.addEventListener('change', () => setLanguage(lang.value));
  onLanguage(() => { translate(); render(); });
  out.addEventListener('click', async () => {
    await signOut();
    session = null;
    announce(t('signedOut'));
    render({ focus: true });
  });
  window.addEventListener('hashchange', () => { announce(''); render({ focus: true }); });
  window.addEventListener('suyuan:unauthenticated', () => {
    if (!session) return;
    session = null;
    signOut();
    announce(t('sessionEnded'), 'bad');
    render({ focus: true });
  });
  session = await currentSession();
  render();
}

start();
