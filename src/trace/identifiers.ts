/**
 * What an event names, as index entries: every identifier with the role it plays (what, where, who,
 * why), each in one canonical form so that an EPC URN and its GS1 Digital Link find the same events.
 */
import { cbvToWord } from '../standards/cbv.ts';
import { canonicalDigitalLink, digitalLinkKey, formatDigitalLink } from '../standards/identifiers/digital-link-key.ts';
import { epcUrnToDigitalLink } from '../standards/identifiers/epc-digital-link.ts';

/**
 * The role an identifier plays in an event. `epc`/`class` are the event's own objects (epcList,
 * quantityList); `parent`/`child`/`child_class` aggregation and association; `input`/`output` (and
 * `_class`) transformation; `product` and `lot` are derived keys (a GTIN or drug product code, a lot
 * number) for finding events, never links; `bt:<type>`, `source:<type>`, `dest:<type>` the why;
 * `party`, `read_point`, `biz_location`, `region` the who and where.
 */
export type IdRole = string;

export interface IndexEntry {
  readonly role: IdRole;
  readonly value: string;
  /** For class roles: how many or how much of the class the event names. */
  readonly quantity?: number;
  readonly uom?: string;
}

/** The canonical form of an identifier: EPC URNs and Digital Links as canonical Digital Links; others trimmed. */
export function codeKey(value: string): string {
  const v = value.trim();
  if (v.startsWith('urn:epc:')) return epcUrnToDigitalLink(v) ?? v;
  if (/^https?:\/\//.test(v)) return canonicalDigitalLink(v) ?? v;
  return v;
}

const LOT_CLASS = /^urn:suyuan:class:lot:(\d{8}|\d{12,14})\.(.+)$/;

/** `urn:suyuan:class:lot:<gtin>.<lot>` in each length the GTIN may be written in (8, 12, 13 or 14 digits). */
const lotClassForms = (gtin14: string, lot: string): string[] =>
  [14, 13, 12, 8].filter((n) => /^0*$/.test(gtin14.slice(0, 14 - n))).map((n) => `urn:suyuan:class:lot:${gtin14.slice(14 - n)}.${lot}`);

/**
 * The other written forms of the same identifier (canonical key in, canonical keys out, itself left
 * out). A lot of a GTIN is one lot whether written as its GS1 Digital Link (`…/01/<gtin>/10/<lot>`, or
 * an LGTIN URN, which `codeKey` already makes that link) or as the local class URN
 * `urn:suyuan:class:lot:<gtin>.<lot>` (standards/README.md: a lot of a named class): lots whose
 * class code is not a GTIN have no other form. Index entries keep the form the event wrote; look-ups
 * ask for every form, so stores written before this rule need no re-indexing.
 */
export function sameAs(key: string): string[] {
  const urn = LOT_CLASS.exec(key);
  if (urn?.[1] && urn[2]) {
    const gtin14 = urn[1].padStart(14, '0');
    return [formatDigitalLink('01', gtin14, [['10', urn[2]]]), ...lotClassForms(gtin14, urn[2])].filter((f) => f !== key);
  }
  if (!/^https?:\/\//.test(key)) return [];
  const dl = digitalLinkKey(key);
  const lot = dl?.qualifiers['10'];
  if (dl?.ai !== '01' || lot === undefined || Object.keys(dl.qualifiers).length !== 1 || !/^\d{8,14}$/.test(dl.value)) return [];
  return lotClassForms(dl.value.padStart(14, '0'), lot).filter((f) => f !== key);
}

/** The lot number and product key a class or instance identifier carries, when it carries them. */
export function lotAndProduct(value: string): { lot?: string; product?: string } {
  const v = value.trim();
  const dl = v.startsWith('urn:epc:') ? epcUrnToDigitalLink(v) : /^https?:\/\//.test(v) ? v : null;
  if (dl) {
    const key = digitalLinkKey(dl);
    if (key?.ai !== '01') return {};
    const lot = key.qualifiers['10'];
    return { product: formatDigitalLink('01', key.value), ...(lot !== undefined ? { lot } : {}) };
  }
  const lotClass = /^urn:suyuan:class:lot:([^.]+)\.(.+)$/.exec(v);
  if (lotClass?.[1] && lotClass[2]) return { lot: lotClass[2], product: formatDigitalLink('01', lotClass[1]) };
  const drug = /^urn:suyuan:id:drug:(\d{7})\d{13}$/.exec(v);
  if (drug?.[1]) return { product: `urn:suyuan:class:drug:${drug[1]}` };
  return {};
}

/** Identifier forms a person may type: a bare drug, pesticide or veterinary drug code becomes its URN. */
export function codeOfInput(input: string): string {
  const v = input.trim();
  if (/^\d{20}$/.test(v)) return `urn:suyuan:id:drug:${v}`;
  if (/^\d{32}$/.test(v)) return `urn:suyuan:id:pesticide:${v}`;
  if (/^\d{24}$/.test(v)) return `urn:suyuan:id:vetdrug:${v}`;
  return codeKey(v);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Every index entry of an event, without duplicates. */
export function indexEntries(event: unknown): IndexEntry[] {
  if (!isObj(event)) return [];
  const out = new Map<string, IndexEntry>();
  const add = (role: string, raw: unknown, quantity?: unknown, uom?: unknown): void => {
    if (typeof raw !== 'string' || raw.trim() === '') return;
    const value = role === 'region' || role === 'party' || role === 'lot' ? raw.trim() : codeKey(raw);
    const key = `${role}\u0000${value}`;
    const prior = out.get(key);
    const q = typeof quantity === 'number' ? quantity + (prior?.quantity ?? 0) : prior?.quantity;
    out.set(key, { role, value, ...(q !== undefined ? { quantity: q } : {}), ...(typeof uom === 'string' ? { uom } : prior?.uom ? { uom: prior.uom } : {}) });
  };
  const derived = (raw: string): void => {
    const { lot, product } = lotAndProduct(raw);
    if (lot !== undefined) add('lot', lot);
    if (product !== undefined) add('product', product);
  };
  const instances = (role: string, list: unknown): void => { for (const e of strings(list)) { add(role, e); derived(e); } };
  const classes = (role: string, list: unknown): void => {
    for (const q of objects(list)) if (typeof q.epcClass === 'string') { add(role, q.epcClass, q.quantity, q.uom); derived(q.epcClass); }
  };
  instances('epc', event.epcList);
  classes('class', event.quantityList);
  if (typeof event.parentID === 'string') { add('parent', event.parentID); derived(event.parentID); }
  instances('child', event.childEPCs);
  classes('child_class', event.childQuantityList);
  instances('input', event.inputEPCList);
  classes('input_class', event.inputQuantityList);
  instances('output', event.outputEPCList);
  classes('output_class', event.outputQuantityList);
  if (isObj(event.ilmd)) add('lot', event.ilmd['sy:lotNumber']);
  for (const bt of objects(event.bizTransactionList)) add(`bt:${cbvToWord('bizTransactionType', String(bt.type ?? ''))}`, bt.bizTransaction);
  for (const s of objects(event.sourceList)) {
    const type = cbvToWord('sourceDestType', String(s.type ?? ''));
    add(`source:${type}`, s.source);
  }
  for (const d of objects(event.destinationList)) {
    const type = cbvToWord('sourceDestType', String(d.type ?? ''));
    add(`dest:${type}`, d.destination);
  }
  if (isObj(event.readPoint)) add('read_point', event.readPoint.id);
  if (isObj(event.bizLocation)) add('biz_location', event.bizLocation.id);
  const operator = event['sy:operator'];
  add('party', isObj(operator) ? operator['sy:uscc'] : operator);
  const place = event['sy:place'];
  if (isObj(place)) add('region', place['sy:region']);
  add('region', event['sy:region']);
  return [...out.values()];
}

/** The roles that name an event's objects (what), as opposed to where, who and why. */
export const WHAT_ROLES = ['epc', 'class', 'parent', 'child', 'child_class', 'input', 'input_class', 'output', 'output_class'] as const;

/** The event's UTC time with milliseconds (sortable as text), or `undefined` when unreadable. */
export function utcTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
