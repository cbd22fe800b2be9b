/** Writes an element tree as XML text: escaped, indented where no text is touched, with the UTF-8 prolog. */
import { SuyuanError } from '../../errors.ts';

/** An element to write; names are qualified names as they are to appear, their prefixes declared by the caller. */
export interface XOut {
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [name: string, value: string]>;
  readonly children: readonly XOut[];
  /** Text content; written before any children, exactly (no trimming, no indentation inside). */
  readonly text?: string;
}

/** A new element; `text` undefined for none. */
export function xel(name: string, children: readonly XOut[] = [], attrs: ReadonlyArray<readonly [string, string]> = [], text?: string): XOut {
  return text === undefined ? { name, attrs, children } : { name, attrs, children, text };
}

// Characters XML 1.0 cannot carry at all, even as references: controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checked(value: string, element: string): string {
  if (NOT_XML.test(value)) {
    throw new SuyuanError('EPCIS_INVALID', `a value of ${element} holds a character XML cannot carry`, { detail: { element } });
  }
  return value;
}

/** Text content: markup characters escaped, CR as a reference so that line-end normalisation keeps it. */
const escapeText = (value: string, element: string): string =>
  checked(value, element).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

/** Attribute values: also quotes and the whitespace characters attribute-value normalisation would turn into spaces. */
const escapeAttribute = (value: string, element: string): string =>
  escapeText(value, element).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');

function write(node: XOut, indent: string | null, out: string[]): void {
  const attrs = node.attrs.map(([name, value]) => ` ${name}="${escapeAttribute(value, node.name)}"`).join('');
  const open = `${indent ?? ''}<${node.name}${attrs}`;
  const text = node.text ?? '';
  if (text === '' && node.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  if (text !== '' || indent === null) {
    // Text is content: nothing may be added around it or between its children.
    const inner: string[] = [];
    node.children.forEach((child) => write(child, null, inner));
    out.push(`${open}>${escapeText(text, node.name)}${inner.join('')}</${node.name}>`);
    return;
  }
  out.push(`${open}>`);
  node.children.forEach((child) => write(child, `${indent}  `, out));
  out.push(`${indent}</${node.name}>`);
}

/**
 * The document text: `<?xml version="1.0" encoding="UTF-8"?>`, then the tree, indented by two
 * spaces wherever an element holds only elements. Throws `EPCIS_INVALID` naming the element when a
 * value holds a character XML 1.0 cannot represent.
 */
export function writeXml(root: XOut): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, '', out);
  return `${out.join('\n')}\n`;
}
