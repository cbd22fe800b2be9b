// EPC pure-identity, class and pattern URNs ↔ GS1 Digital Link URIs (GS1 EPC Tag Data Standard 2.x).
import { gs1CheckDigit, hasValidGs1CheckDigit } from './gs1.ts';
import { formatDigitalLink, digitalLinkKey, percentDecode } from './digital-link-key.ts';

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;
const CPID_REF = /^[#\-/0-9A-Z]*$/;

/** A URN component, percent-decoded, when it is 1–`max` characters of CSET 82; else null. */
function text(component: string | undefined, max: number): string | null {
  const value = component === undefined ? null : percentDecode(component);
  return value !== null && value.length <= max && CSET82.test(value) ? value : null;
}

/** Escapes a value for an EPC URN component: the characters TDS requires to be %-escaped. */
function urnEscape(value: string): string {
  return value.replace(/["%&/<>?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Splits `body` at its first `n - 1` dots; the last part keeps any further dots. */
function split(body: string, n: number): string[] | null {
  const parts: string[] = [];
  let rest = body;
  for (let i = 1; i < n; i++) {
    const dot = rest.indexOf('.');
    if (dot < 0) return null;
    parts.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  return [...parts, rest];
}

const isCompanyPrefix = (cp: string | undefined): cp is string => cp !== undefined && /^\d{6,12}$/.test(cp);

/** Company prefix + reference as digits of `length` in all, the prefix 6–12 digits; null when not so. */
function digits(cp: string | undefined, ref: string | undefined, length: number): string | null {
  if (!isCompanyPrefix(cp) || ref === undefined || !/^\d*$/.test(ref)) return null;
  return cp.length + ref.length === length ? cp + ref : null;
}

/** Company prefix + reference of an alphanumeric key (GIAI, GINC), at most 30 characters; else null. */
function alnum(cp: string | undefined, ref: string | undefined): string | null {
  const v = isCompanyPrefix(cp) ? text(ref, 30 - cp.length) : null;
  return v === null ? null : cp + v;
}

/** A CPID (company prefix + component/part reference of CSET 39), at most 30 characters; else null. */
function cpid(cp: string | undefined, ref: string | undefined): string | null {
  const r = ref === undefined ? null : percentDecode(ref);
  return isCompanyPrefix(cp) && r !== null && CPID_REF.test(r) && cp.length + r.length <= 30 ? cp + r : null;
}

const withCheck = (data: string): string => data + String(gs1CheckDigit(data));

/** GTIN-14 from company prefix and indicator-plus-item-reference. */
function gtin(cp: string | undefined, itemRef: string | undefined): string | null {
  const d = digits(cp, itemRef?.slice(1), 12);
  return d === null || !/^\d$/.test(itemRef?.[0] ?? '') ? null : withCheck(`${itemRef?.[0]}${d}`);
}

type Converter = (parts: readonly string[]) => string | null;
const dl = formatDigitalLink;

/** Pure identity schemes: number of dot-separated components, and the conversion to a Digital Link. */
const ID: Readonly<Record<string, readonly [number, Converter]>> = {
  sgtin: [3, ([cp, item, s]) => { const g = gtin(cp, item), v = text(s, 20); return g && v && dl('01', g, [['21', v]]); }],
  sscc: [2, ([cp, ref]) => { const d = digits(cp, ref?.slice(1), 16); return d && dl('00', withCheck(ref?.[0] + d)); }],
  sgln: [3, ([cp, loc, ext]) => {
    const d = digits(cp, loc, 12), v = text(ext, 20);
    return d && v && dl('414', withCheck(d), v === '0' ? [] : [['254', v]]);
  }],
  grai: [3, ([cp, type, s]) => { const d = digits(cp, type, 12), v = text(s, 16); return d && v && dl('8003', `0${withCheck(d)}${v}`); }],
  giai: [2, ([cp, ref]) => { const k = alnum(cp, ref); return k && dl('8004', k); }],
  gsrn: [2, ([cp, ref]) => { const d = digits(cp, ref, 17); return d && dl('8018', withCheck(d)); }],
  gsrnp: [2, ([cp, ref]) => { const d = digits(cp, ref, 17); return d && dl('8017', withCheck(d)); }],
  gdti: [3, ([cp, type, s]) => { const d = digits(cp, type, 12), v = text(s, 17); return d && v && dl('253', withCheck(d) + v); }],
  sgcn: [3, ([cp, ref, s]) => { const d = digits(cp, ref, 12); return d && /^\d{1,12}$/.test(s ?? '') ? dl('255', withCheck(d) + s) : null; }],
  cpi: [3, ([cp, ref, s]) => { const k = cpid(cp, ref); return k && /^\d{1,12}$/.test(s ?? '') ? dl('8010', k, [['8011', s ?? '']]) : null; }],
  ginc: [2, ([cp, ref]) => { const k = alnum(cp, ref); return k && dl('401', k); }],
  gsin: [2, ([cp, ref]) => { const d = digits(cp, ref, 16); return d && dl('402', withCheck(d)); }],
  itip: [5, ([cp, item, piece, total, s]) => {
    const g = gtin(cp, item), v = text(s, 20);
    return g && v && /^\d\d$/.test(piece ?? '') && /^\d\d$/.test(total ?? '') ? dl('8006', `${g}${piece}${total}`, [['21', v]]) : null;
  }],
  upui: [3, ([cp, item, tpx]) => { const g = gtin(cp, item), v = text(tpx, 28); return g && v && dl('01', g, [['235', v]]); }],
  pgln: [2, ([cp, ref]) => { const d = digits(cp, ref, 12); return d && dl('417', withCheck(d)); }],
};

/** EPC pattern URNs with only the last component a wildcard: the class-level Digital Link. */
const IDPAT: Readonly<Record<string, readonly [number, Converter]>> = {
  sgtin: [3, ([cp, item]) => { const g = gtin(cp, item); return g && dl('01', g); }],
  upui: [3, ([cp, item]) => { const g = gtin(cp, item); return g && dl('01', g); }],
  grai: [3, ([cp, type]) => { const d = digits(cp, type, 12); return d && dl('8003', `0${withCheck(d)}`); }],
  gdti: [3, ([cp, type]) => { const d = digits(cp, type, 12); return d && dl('253', withCheck(d)); }],
  sgcn: [3, ([cp, ref]) => { const d = digits(cp, ref, 12); return d && dl('255', withCheck(d)); }],
  cpi: [3, ([cp, ref]) => { const k = cpid(cp, ref); return k && dl('8010', k); }],
  itip: [5, ([cp, item, piece, total]) => {
    const g = gtin(cp, item);
    return g && /^\d\d$/.test(piece ?? '') && /^\d\d$/.test(total ?? '') ? dl('8006', `${g}${piece}${total}`) : null;
  }],
};

/**
 * The canonical GS1 Digital Link (`https://id.gs1.org/…`) of an EPC URN: pure identity
 * (`urn:epc:id:sgtin|sscc|sgln|grai|giai|gsrn|gsrnp|gdti|sgcn|cpi|ginc|gsin|itip|upui|pgln:…`),
 * class (`urn:epc:class:lgtin:…` → 01 + 10) or a pattern whose only wildcard is the last component
 * (`urn:epc:idpat:sgtin:CP.ItemRef.*` → 01). Check digits are computed, `%`-escapes decoded and the
 * value re-encoded for the URI. Null when `urn` is not such a URN or breaks the scheme's syntax.
 */
export function epcUrnToDigitalLink(urn: string): string | null {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.+)$/.exec(urn);
  if (!m) return null;
  const [, kind, scheme = '', body = ''] = m;
  if (kind === 'class') {
    if (scheme !== 'lgtin') return null;
    const [cp, item, lot] = split(body, 3) ?? [];
    const g = gtin(cp, item), v = text(lot, 20);
    return g && v && dl('01', g, [['10', v]]);
  }
  const entry = (kind === 'id' ? ID : IDPAT)[scheme];
  const parts = entry && split(body, entry[0]);
  if (!entry || !parts) return null;
  if (kind === 'idpat' && (parts[parts.length - 1] !== '*' || parts.slice(0, -1).includes('*'))) return null;
  return entry[1](parts);
}

/** TDS partition of a key's digits: company prefix then the rest. */
function cut(key: string, cpLength: number, from = 0, to = key.length): [string, string] {
  return [key.slice(from, from + cpLength), key.slice(from + cpLength, to)];
}

/**
 * The EPC URN of a GS1 Digital Link (any host; short names accepted). A Digital Link does not
 * record where the GS1 Company Prefix ends, so `companyPrefixLength` (6–12) MUST be given; without
 * it, or when the key's check digit is wrong or the key has no EPC form, the answer is null.
 * 01 + 21 → sgtin, 01 + 10 → lgtin class, 01 + 235 → upui, 01 alone → sgtin pattern; 8006 + 21 → itip;
 * 8003, 253, 255, 8010 without serial → patterns; 414 with or without 254 → sgln (extension `0` when none).
 */
export function digitalLinkToEpcUrn(uri: string, companyPrefixLength?: number): string | null {
  const key = digitalLinkKey(uri);
  const L = companyPrefixLength;
  if (!key || L === undefined || !Number.isInteger(L) || L < 6 || L > 12) return null;
  const { ai, value: v, qualifiers: q } = key;
  const checked = (k: string): boolean => hasValidGs1CheckDigit(k);
  const gtinParts = (g: string): string | null => (checked(g) ? `${g.slice(1, 1 + L)}.${g[0]}${g.slice(1 + L, 13)}` : null);
  const id = (scheme: string, ...parts: string[]): string => `urn:epc:id:${scheme}:${parts.join('.')}`;
  const pat = (scheme: string, ...parts: string[]): string => `urn:epc:idpat:${scheme}:${[...parts, '*'].join('.')}`;
  switch (ai) {
    case '00': return checked(v) ? id('sscc', v.slice(1, 1 + L), v[0] + v.slice(1 + L, 17)) : null;
    case '01': {
      const g = gtinParts(v);
      if (g === null) return null;
      if (q['21'] !== undefined) return id('sgtin', g, urnEscape(q['21']));
      if (q['10'] !== undefined) return `urn:epc:class:lgtin:${g}.${urnEscape(q['10'])}`;
      if (q['235'] !== undefined) return id('upui', g, urnEscape(q['235']));
      return pat('sgtin', g);
    }
    case '8006': {
      const g = gtinParts(v.slice(0, 14));
      if (g === null || q['10'] !== undefined && q['21'] === undefined) return null;
      const parts = [g, v.slice(14, 16), v.slice(16, 18)];
      return q['21'] !== undefined ? id('itip', ...parts, urnEscape(q['21'])) : pat('itip', ...parts);
    }
    case '414': return checked(v) ? id('sgln', ...cut(v, L, 0, 12), urnEscape(q['254'] ?? '0')) : null;
    case '417': return checked(v) ? id('pgln', ...cut(v, L, 0, 12)) : null;
    case '8017': case '8018': return checked(v) ? id(ai === '8017' ? 'gsrnp' : 'gsrn', ...cut(v, L, 0, 17)) : null;
    case '402': return checked(v) ? id('gsin', ...cut(v, L, 0, 16)) : null;
    case '8003': case '253': case '255': {
      const offset = ai === '8003' ? 1 : 0;
      const k = v.slice(offset, offset + 13), serial = v.slice(offset + 13);
      if ((ai === '8003' && v[0] !== '0') || !checked(k)) return null;
      const scheme = ai === '8003' ? 'grai' : ai === '253' ? 'gdti' : 'sgcn';
      const parts = cut(k, L, 0, 12);
      return serial === '' ? pat(scheme, ...parts) : id(scheme, ...parts, urnEscape(serial));
    }
    case '8004': case '401': case '8010': {
      const [cp, ref] = cut(v, L);
      if (!/^\d+$/.test(cp) || cp.length !== L || ref === '') return null;
      if (ai !== '8010') return id(ai === '8004' ? 'giai' : 'ginc', cp, urnEscape(ref));
      return q['8011'] !== undefined ? id('cpi', cp, urnEscape(ref), q['8011']) : pat('cpi', cp, urnEscape(ref));
    }
    default: return null;
  }
}
