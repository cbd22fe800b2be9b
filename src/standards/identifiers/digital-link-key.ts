// GS1 Digital Link URIs reduced to their GS1 key: parsing, value encoding, the constrained canonical form.
import { toGtin14 } from './gs1.ts';

/** The canonical GS1 Digital Link host. */
export const DIGITAL_LINK_HOST = 'https://id.gs1.org';

/** A Digital Link's primary key and key qualifiers, values percent-decoded; GTINs as GTIN-14. */
export interface DigitalLinkKey {
  /** Application identifier of the primary key: `01`, `00`, `414`, `8003`, … */
  readonly ai: string;
  readonly value: string;
  /** Key qualifiers by AI (`21`, `10`, `22`, `235`, `254`, `8011`, `8019`). */
  readonly qualifiers: Readonly<Record<string, string>>;
}

const SHORT_NAMES: Readonly<Record<string, string>> = {
  gtin: '01', itip: '8006', cpid: '8010', gln: '414', party: '417', gsrnp: '8017', gsrn: '8018', gcn: '255',
  sscc: '00', gdti: '253', ginc: '401', gsin: '402', grai: '8003', giai: '8004',
  cpv: '22', lot: '10', ser: '21', cpsn: '8011', glnx: '254', srin: '8019',
};

const X = String.raw`[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]`; // GS1 AI encodable character set 82
const x = (min: number, max: number): string => `${X}{${min},${max}}`;

/** Value syntax of each primary key, and the key qualifiers it admits. */
const PRIMARY: Readonly<Record<string, { readonly syntax: RegExp; readonly qualifiers: readonly string[] }>> = {
  '00': { syntax: /^\d{18}$/, qualifiers: [] },
  '01': { syntax: /^(\d{8}|\d{12,14})$/, qualifiers: ['22', '10', '21', '235'] },
  '8006': { syntax: /^\d{18}$/, qualifiers: ['22', '10', '21'] },
  '8010': { syntax: /^[#\-/0-9A-Z]{1,30}$/, qualifiers: ['8011'] },
  '414': { syntax: /^\d{13}$/, qualifiers: ['254'] },
  '417': { syntax: /^\d{13}$/, qualifiers: [] },
  '8017': { syntax: /^\d{18}$/, qualifiers: ['8019'] },
  '8018': { syntax: /^\d{18}$/, qualifiers: ['8019'] },
  '255': { syntax: /^\d{13,25}$/, qualifiers: [] },
  '253': { syntax: new RegExp(`^\\d{13}${x(0, 17)}$`), qualifiers: [] },
  '401': { syntax: new RegExp(`^${x(1, 30)}$`), qualifiers: [] },
  '402': { syntax: /^\d{17}$/, qualifiers: [] },
  '8003': { syntax: new RegExp(`^\\d{14}${x(0, 16)}$`), qualifiers: [] },
  '8004': { syntax: new RegExp(`^${x(1, 30)}$`), qualifiers: [] },
};

const QUALIFIER_SYNTAX: Readonly<Record<string, RegExp>> = {
  '22': new RegExp(`^${x(1, 20)}$`),
  '10': new RegExp(`^${x(1, 20)}$`),
  '21': new RegExp(`^${x(1, 20)}$`),
  '235': new RegExp(`^${x(1, 28)}$`),
  '254': new RegExp(`^${x(1, 20)}$`),
  '8011': /^\d{1,12}$/,
  '8019': /^\d{1,10}$/,
};

/** Percent-decodes `text`; null when an escape is malformed. */
export function percentDecode(text: string): string | null {
  if (!text.includes('%')) return text;
  if (!/^([^%]|%[0-9A-Fa-f]{2})*$/.test(text)) return null;
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const UNRESERVED = /^[A-Za-z0-9\-._]*$/;

/**
 * Percent-encodes a key or qualifier value for a Digital Link path: every character other than
 * letters, digits, `-`, `.` and `_` (the GS1 Digital Link 1.2 grammar's unescaped set), upper-case hex.
 */
export function digitalLinkEncode(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return value.replace(/[^A-Za-z0-9\-._]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Reads the GS1 key of an http(s) URI taken as a GS1 Digital Link, leniently (unlike the `gs1-digital-link`
 * check of `digital-link.ts`, which validates): any host, any path before the primary key, short
 * names (`gtin`, `ser`, …) accepted, query and fragment ignored. Null when the URI carries no valid
 * primary key or has a qualifier that key does not admit. Check digits are not verified here.
 */
export function digitalLinkKey(uri: string): DigitalLinkKey | null {
  const m = /^https?:\/\/[^/?#]*(\/[^?#]*)(?:\?[^#]*)?(?:#.*)?$/i.exec(uri);
  if (!m?.[1]) return null;
  const segments = m[1].split('/').slice(1);
  while (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  for (let i = 0; i + 1 < segments.length; i++) {
    const ai = aiOf(segments[i] ?? '');
    const primary = PRIMARY[ai];
    if (!primary) continue;
    let value = percentDecode(segments[i + 1] ?? '');
    if (value === null || !primary.syntax.test(value)) continue;
    if (ai === '01') value = toGtin14(value);
    const rest = segments.slice(i + 2);
    if (rest.length % 2 !== 0) return null;
    const qualifiers: Record<string, string> = {};
    for (let j = 0; j < rest.length; j += 2) {
      const q = aiOf(rest[j] ?? '');
      const v = percentDecode(rest[j + 1] ?? '');
      if (!primary.qualifiers.includes(q) || v === null || !QUALIFIER_SYNTAX[q]?.test(v) || q in qualifiers) {
        return null;
      }
      qualifiers[q] = v;
    }
    return { ai, value, qualifiers };
  }
  return null;
}

function aiOf(segment: string): string {
  return SHORT_NAMES[segment] ?? segment;
}

/** Formats a key as a Digital Link on the canonical host, values percent-encoded. */
export function formatDigitalLink(ai: string, value: string, qualifiers: ReadonlyArray<readonly [string, string]> = []): string {
  let uri = `${DIGITAL_LINK_HOST}/${ai}/${digitalLinkEncode(value)}`;
  for (const [q, v] of qualifiers) uri += `/${q}/${digitalLinkEncode(v)}`;
  return uri;
}

/**
 * The constrained canonical Digital Link of the CBV 2.0 event hash: host `https://id.gs1.org`, no
 * query string, AIs instead of short names, GTIN-14, values re-encoded canonically, and only the
 * finest identification level: 01 / 01 21 / 01 10 / 01 235, 8006 / 8006 21 / 8006 10, 414 / 414 254,
 * 8010 / 8010 8011, other keys alone (CPV 22 and SRIN 8019 dropped). Null when `uri` is not a Digital Link.
 */
export function canonicalDigitalLink(uri: string): string | null {
  const key = digitalLinkKey(uri);
  if (!key) return null;
  const q = key.qualifiers;
  const keep = (ai: string): Array<[string, string]> => (q[ai] === undefined ? [] : [[ai, q[ai]]]);
  const finest = (...ais: string[]): Array<[string, string]> => {
    for (const ai of ais) if (q[ai] !== undefined) return keep(ai);
    return [];
  };
  const qualifiers =
    key.ai === '01' ? finest('21', '10', '235')
    : key.ai === '8006' ? finest('21', '10')
    : key.ai === '414' ? keep('254')
    : key.ai === '8010' ? keep('8011')
    : [];
  return formatDigitalLink(key.ai, key.value, qualifiers);
}
