// GS1 Digital Link URIs: parsing into primary key, key qualifiers and data attributes, with their checks.
import { aiFormat, checkAiValue, checkGtin, type Gs1Element } from './gs1.ts';
import { issue, isIdentifierIssue, own, type IdentifierIssue } from './issue.ts';

/**
 * The GS1 primary keys a Digital Link path may carry, each with the key-qualifier sequences it
 * allows (GS1 Digital Link URI syntax 1.x): qualifiers are optional, but those present MUST
 * follow one sequence in its order (under `01`: 22, then 10, then 21; or 235 alone).
 */
export const PRIMARY_KEYS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  '00': [], '01': [['22', '10', '21'], ['235']], '253': [], '255': [], '401': [], '402': [],
  '414': [['254']], '415': [['8020']], '417': [], '8003': [], '8004': [], '8006': [['22', '10', '21']],
  '8010': [['8011']], '8013': [], '8017': [['8019']], '8018': [['8019']],
};

const QUALIFIERS = new Set(Object.values(PRIMARY_KEYS).flat(2));

/** A parsed GS1 Digital Link URI. Values are percent-decoded. */
export interface DigitalLink {
  readonly scheme: 'http' | 'https';
  /** Host, with its port if one is written. */
  readonly host: string;
  /** Path segments before the primary key, `''` or e.g. `'/shop/products'` (kept as written). */
  readonly pathPrefix: string;
  /** The primary key as written; a GTIN may have 8, 12, 13 or 14 digits (see `toGtin14`). */
  readonly primaryKey: Gs1Element;
  /** Key qualifiers in path order. */
  readonly qualifiers: readonly Gs1Element[];
  /** Query-string parameters whose name is an AI the hub knows (`17=270101`), in order. */
  readonly attributes: readonly Gs1Element[];
  /** Every other query-string parameter, in order. */
  readonly otherParameters: readonly { readonly name: string; readonly value: string }[];
}

const URI = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\/[^?#]*)?(?:\?([^#]*))?(?:#.*)?$/;

const dlSyntax = (zh: string, en: string): IdentifierIssue => issue('DL_SYNTAX', zh, en);

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Index of the primary key's AI segment, scanning (AI, value) pairs from the right; -1 if none. */
function keyIndex(segments: readonly string[]): number {
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const ai = segments[i] ?? '';
    if (own(PRIMARY_KEYS, ai)) return i;
    if (!QUALIFIERS.has(ai)) return -1;
  }
  return -1;
}

/** True when `uri` is an http(s) URI whose path ends in a GS1 primary key and key qualifiers. */
export function looksLikeDigitalLink(uri: string): boolean {
  const m = URI.exec(uri);
  return m !== null && keyIndex((m[4] ?? '').split('/').slice(1)) >= 0;
}

/**
 * Parses and checks a GS1 Digital Link URI: `http(s)://{host}[/{prefix…}]/{key AI}/{key}
 * [/{qualifier AI}/{value}…][?{AI}={value}&…]`. The primary key is the rightmost known key AI
 * followed only by (qualifier AI, value) pairs; anything before it is the path prefix.
 *
 * Decisions of ours: `http` is accepted as the GS1 standard allows; a primary key or key qualifier
 * in the query string is refused (they belong in the path); a query AI the hub does not know is
 * kept in `otherParameters` unchecked.
 *
 * Issues: `DL_SYNTAX` (not an http(s) URI, empty path segment, bad percent-encoding),
 * `DL_PRIMARY_KEY` (no primary key), `DL_QUALIFIER` (a qualifier the key does not take),
 * `DL_QUALIFIER_ORDER` (out of order or repeated), `DL_ATTRIBUTE` (a key or qualifier in the
 * query, or a repeated attribute), and the GS1 value codes (`GS1_CHECK_DIGIT`, `GS1_DATE`, …).
 */
export function parseDigitalLink(uri: string): DigitalLink | IdentifierIssue {
  const m = /\s/.test(uri) ? null : URI.exec(uri);
  if (!m) return dlSyntax('不是 http(s) URI', 'Not an http(s) URI');
  const segments = (m[4] ?? '').split('/').slice(1);
  if (segments.some((s) => s === '')) return dlSyntax('路径含有空段', 'The path has an empty segment');
  const at = keyIndex(segments);
  if (at < 0) return issue('DL_PRIMARY_KEY', '路径中没有 GS1 主键', 'The path carries no GS1 primary key');
  const pairs: Gs1Element[] = [];
  for (let i = at; i < segments.length; i += 2) {
    const value = decode(segments[i + 1] ?? '');
    if (value === undefined) return dlSyntax('百分号编码错误', 'Bad percent-encoding in the path');
    pairs.push({ ai: segments[i] ?? '', value });
  }
  const [primaryKey, ...qualifiers] = pairs as [Gs1Element, ...Gs1Element[]];
  const keyProblem =
    primaryKey.ai === '01' ? checkGtin(primaryKey.value) : checkAiValue(primaryKey.ai, primaryKey.value);
  if (keyProblem) return keyProblem;
  const orderProblem = checkQualifierOrder(primaryKey.ai, qualifiers.map((q) => q.ai));
  if (orderProblem) return orderProblem;
  for (const q of qualifiers) {
    const problem = checkAiValue(q.ai, q.value);
    if (problem) return problem;
  }
  const query = parseQuery(m[5] ?? '');
  if (isIdentifierIssue(query)) return query;
  return {
    scheme: m[1] as 'http' | 'https',
    host: `${m[2] ?? ''}${m[3] ?? ''}`,
    pathPrefix: at === 0 ? '' : `/${segments.slice(0, at).join('/')}`,
    primaryKey,
    qualifiers,
    ...query,
  };
}

function checkQualifierOrder(key: string, ais: readonly string[]): IdentifierIssue | null {
  if (ais.length === 0) return null;
  const sequences = own(PRIMARY_KEYS, key) ?? [];
  const stray = ais.find((ai) => !sequences.some((s) => s.includes(ai)));
  if (stray !== undefined) {
    return issue('DL_QUALIFIER', `主键 (${key}) 不带限定符 (${stray})`, `Primary key (${key}) takes no qualifier (${stray})`);
  }
  const follows = (s: readonly string[]): boolean =>
    ais.every((ai, i) => s.includes(ai) && (i === 0 || s.indexOf(ai) > s.indexOf(ais[i - 1] ?? '')));
  if (!sequences.some(follows)) {
    const order = sequences.map((s) => s.join(', ')).join(' | ');
    return issue('DL_QUALIFIER_ORDER', `限定符顺序应为 ${order}`, `Key qualifiers must come in the order ${order}`);
  }
  return null;
}

function parseQuery(text: string): Pick<DigitalLink, 'attributes' | 'otherParameters'> | IdentifierIssue {
  const attributes: Gs1Element[] = [];
  const otherParameters: { name: string; value: string }[] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return dlSyntax('查询串百分号编码错误', 'Bad percent-encoding in the query');
    if (own(PRIMARY_KEYS, name) || QUALIFIERS.has(name)) {
      return issue('DL_ATTRIBUTE', `主键或限定符 (${name}) 应在路径中`, `Primary key or qualifier (${name}) belongs in the path`);
    }
    if (!/^\d{2,4}$/.test(name) || !aiFormat(name)) {
      otherParameters.push({ name, value });
      continue;
    }
    if (attributes.some((a) => a.ai === name)) {
      return issue('DL_ATTRIBUTE', `属性 (${name}) 重复`, `Attribute (${name}) occurs twice`);
    }
    const problem = checkAiValue(name, value);
    if (problem) return problem;
    attributes.push({ ai: name, value });
  }
  return { attributes, otherParameters };
}

/** `gs1-digital-link`: a valid GS1 Digital Link URI (see `parseDigitalLink`). */
export function checkDigitalLink(value: string): IdentifierIssue | null {
  const parsed = parseDigitalLink(value);
  return isIdentifierIssue(parsed) ? parsed : null;
}
