// Value canonicalisation of the CBV 2.0 event hash: times, numbers, compact IRIs, CBV terms, GS1 identifiers.
import { SuyuanError } from '../errors.ts';
import { cbvUrnToWebUri, cbvWordToWebUri, GS1_VOC_BASE, type CbvVocabulary } from './cbv.ts';
import { canonicalDigitalLink } from './identifiers/digital-link-key.ts';
import { epcUrnToDigitalLink } from './identifiers/epc-digital-link.ts';

/** JSON-LD prefixes by name (`example` → `https://ns.example.com/epcis/`). */
export type Prefixes = ReadonlyMap<string, string>;

/** Thrown for anything the hash cannot be computed over; `detail.field` names the offending field. */
export function hashFailure(field: string, message: string): SuyuanError {
  return new SuyuanError('EVENT_HASH_FAILED', `${field}: ${message}`, { detail: { field } });
}

/**
 * The prefixes a hash uses: the standard ones (`cbv`, `epcis`, and `cbvmda` without its trailing
 * colon, as the XML binding declares it), then the string-valued terms of each `@context` given, in
 * order. `gs1` is always `https://ref.gs1.org/voc/`, as GS1's published EPCIS 2.0.0 context and the
 * reference implementation have it, whatever a document declares.
 */
export function prefixesOf(...contexts: readonly unknown[]): Prefixes {
  const prefixes = new Map<string, string>([
    ['cbv', 'https://ref.gs1.org/cbv/'],
    ['epcis', 'https://ref.gs1.org/epcis/'],
    ['cbvmda', 'urn:epcglobal:cbv:mda'],
  ]);
  const visit = (context: unknown): void => {
    if (Array.isArray(context)) context.forEach(visit);
    else if (typeof context === 'object' && context !== null) {
      for (const [name, iri] of Object.entries(context)) {
        if (!name.startsWith('@') && typeof iri === 'string') prefixes.set(name, iri);
      }
    }
  };
  contexts.forEach(visit);
  prefixes.set('gs1', GS1_VOC_BASE);
  return prefixes;
}

/** A member name with its prefix expanded, XML style: `example:a` → `{https://ns.example.com/epcis/}a`. */
export function expandKey(key: string, prefixes: Prefixes): string {
  const colon = key.indexOf(':');
  const ns = colon > 0 ? prefixes.get(key.slice(0, colon)) : undefined;
  return ns === undefined ? key : `{${ns}}${key.slice(colon + 1)}`;
}

/** A compact IRI value of a GS1 namespace expanded (`gs1:Temperature`, `cbv:Comp-x`); others unchanged. */
export function expandCurie(value: string, prefixes: Prefixes): string {
  const colon = value.indexOf(':');
  const ns = colon > 0 ? prefixes.get(value.slice(0, colon)) : undefined;
  const gs1 = ns !== undefined && (ns.startsWith('https://ref.gs1.org') || ns.startsWith('https://gs1.org'));
  return gs1 ? ns + value.slice(colon + 1) : value;
}

/** The text of a scalar JSON value (strings trimmed); null for null, arrays and objects. */
export function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * A value's canonical text: CBV URNs as web URIs, numbers without trailing zeros, EPC URNs and
 * Digital Links as constrained canonical Digital Links. `vocab` expands a bare CBV word of that
 * vocabulary first; compact IRIs of GS1 namespaces are expanded.
 */
export function canonicalValue(text: string, prefixes: Prefixes, vocab?: CbvVocabulary): string {
  const word = vocab === undefined ? null : cbvWordToWebUri(vocab, text);
  const value = cbvUrnToWebUri(word ?? expandCurie(text, prefixes));
  return canonicalNumber(value) ?? epcUrnToDigitalLink(value) ?? canonicalDigitalLink(value) ?? value;
}

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/**
 * A number written as the reference implementation writes it (Python `Decimal`): integral values
 * without a fraction (`26.0` → `26`; a positive exponent stays scientific, `1e3` → `1E+3`), others in
 * plain notation without trailing zeros (`0.10` → `0.1`, `1e-7` → `0.0000001`). Underscores and
 * Unicode decimal digits are read as Python reads them. Null when `text` is not a finite number.
 */
export function canonicalNumber(text: string): string | null {
  const m = DECIMAL.exec(asciiDigits(text.replace(/_/g, '')));
  if (!m) return null;
  const sign = m[1] === '-' ? '-' : '';
  const int = m[2] ?? '';
  const frac = m[3] ?? m[4] ?? '';
  const exponent = Number(m[5] ?? '0') - frac.length;
  const coefficient = (int + frac).replace(/^0+(?=\d)/, '');
  const fractional = exponent < 0 ? coefficient.slice(Math.max(0, coefficient.length + exponent)) : '';
  if (/^0*$/.test(fractional)) {
    if (exponent <= 0) return sign + (coefficient.slice(0, coefficient.length + exponent).replace(/^0+(?=\d)/, '') || '0');
    const rest = coefficient.slice(1);
    return `${sign}${coefficient[0]}${rest ? `.${rest}` : ''}E+${coefficient.length - 1 + exponent}`;
  }
  const digits = coefficient.replace(/0+$/, '');
  const scale = -(exponent + (coefficient.length - digits.length));
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

/** Unicode decimal digits (category Nd) as ASCII digits, each run of ten read from its zero. */
function asciiDigits(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return text.replace(/\p{Nd}/gu, (d) => {
    let zero = d.codePointAt(0) ?? 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    return String(((d.codePointAt(0) ?? 0) - zero) % 10);
  });
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:([Zz])|([+-])(\d\d):?(\d\d))$/;

/**
 * A date-time in UTC with milliseconds (`2020-03-04T10:00:30.000Z`): the offset applied, the
 * fraction rounded half-up to three digits (`.1415` → `.142`). Throws `EVENT_HASH_FAILED` naming
 * `field` when `text` is not an `xsd:dateTimeStamp` (a zone offset is required: without one the
 * instant would depend on the machine's time zone).
 */
export function canonicalTime(text: string, field: string): string {
  const m = TIME.exec(text.trim());
  if (!m) throw hashFailure(field, `not a date-time with a zone offset: ${JSON.stringify(text)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  const fraction = m[7] ?? '';
  const oh = m[10] === undefined ? 0 : Number(m[10]);
  const om = m[11] === undefined ? 0 : Number(m[11]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const valid = mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1] ?? 0)
    && h < 24 && mi < 60 && s < 60 && oh < 24 && om < 60;
  if (!valid) throw hashFailure(field, `not a valid date-time: ${JSON.stringify(text)}`);
  let base = Date.UTC(y, mo - 1, d, h, mi, s);
  if (y < 100) {
    // Date.UTC reads years 0–99 as 1900–1999 (whose leap days differ): set the full year first.
    const date = new Date(0);
    date.setUTCFullYear(y, mo - 1, d);
    date.setUTCHours(h, mi, s);
    base = date.getTime();
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3)) + (Number(fraction[3] ?? '0') >= 5 ? 1 : 0);
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  return new Date(base + millis - offset * 60_000).toISOString();
}
