/* global document, localStorage  */
/**
 * The console's two languages. Strings live in two dictionaries of the same keys (`i18n/zh.js`,
 * `i18n/en.js`); the default is what the hub read from Accept-Language (the page's `lang`), the
 * reader's choice is remembered in this browser.
 */
import { en } from './i18n/en.js';
import { zh } from './i18n/zh.js';

const DICTIONARIES = { 'zh-CN': zh, en };
const STORE = 'suyuan.console.lang';
let current = 'zh-CN';
const listeners = new Set();

export function initLanguage() {
  const saved = safeGet();
  const fromServer = document.documentElement.lang;
  current = DICTIONARIES[saved] ? saved : DICTIONARIES[fromServer] ? fromServer : 'zh-CN';
  document.documentElement.lang = current;
  return current;
}

export const language = () => current;

export function setLanguage(lang) {
  if (!DICTIONARIES[lang] || lang === current) return;
  current = lang;
  document.documentElement.lang = lang;
  try { localStorage.setItem(STORE, lang); } catch { /* private mode: not remembered */ }
  for (const fn of listeners) fn(lang);
}

export const onLanguage = (fn) => listeners.add(fn);

function safeGet() {
  try { return localStorage.getItem(STORE); } catch { return null; }
}

/** The string for `key` in the current language, with `{name}` placeholders filled; the key itself when missing. */
export function t(key, values = {}) {
  const text = DICTIONARIES[current][key] ?? DICTIONARIES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (values[name] === undefined ? `{${name}}` : String(values[name])));
}

/** Fills every `data-i18n` (text) and `data-i18n-label` (aria-label) under `root`. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  document.title = t('title');
}

/** A time in the reader's language and zone; the ISO text in the title. */
export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(current, { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}

export function number(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  return new Intl.NumberFormat(current, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(Number(value));
}

export function percent(ratio) {
  if (ratio === null || ratio === undefined || Number.isNaN(Number(ratio))) return '—';
  return new Intl.NumberFormat(current, { style: 'percent', maximumFractionDigits: 1 }).format(Number(ratio));
}

export function bytes(size) {
  if (size === null || size === undefined) return '—';
  if (size < 1024) return `${number(size)} B`;
  if (size < 1024 * 1024) return `${number(size / 1024, 1)} KiB`;
  return `${number(size / 1024 / 1024, 1)} MiB`;
}
