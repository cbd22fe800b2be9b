/* global document, Node */
/** Building the page: elements from data, text always as text (never parsed as HTML). */

/**
 * An element: `h('td', { class: 'num' }, 'text', child)`. Attributes starting with `on` are listeners;
 * `null`, `undefined` and `false` children and attributes are skipped; arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (strings as text nodes), flattening arrays. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return el;
}

/** A labelled form field: `<label for=id>` with the control beside it. */
export function field(label, control) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

let counter = 0;
/** A unique element id. */
export const uid = (prefix = 'f') => `${prefix}-${++counter}`;

/** The first 12 characters of a digest, the whole in the title. */
export function digest(value) {
  if (!value) return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'digest', title: value }, value.length > 16 ? `${value.slice(0, 12)}…` : value);
}

/** A status word as a coloured badge. */
export function badge(text, tone) {
  return h('span', { class: `badge ${tone ?? ''}` }, text);
}
