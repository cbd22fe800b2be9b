/**
 * Hand-written cases for the standard's cross-field rules (`x-rules`): for each rule, how to break a
 * valid document so that the rule, and only the rule, is violated. JSON Schema cannot say how to
 * break a rule it does not express, so this knowledge is code, one entry per rule of `RULES`.
 */
import { isJsonObject } from '../standards/json.ts';
import { clone } from './json-edit.ts';

type Doc = Record<string, unknown>;

/** Given a valid document, a happy variant (still valid, exercising the rule) and a failing one; `undefined` when the document does not suit the rule. */
export type RuleCaseBuilder = (document: Doc) => { happy: Doc; fail: Doc } | undefined;

const shifted = (time: unknown, ms: number): string | undefined => {
  if (typeof time !== 'string') return undefined;
  const at = Date.parse(time);
  return Number.isNaN(at) ? undefined : new Date(at + ms).toISOString();
};

const HOUR = 3_600_000;

export const RULE_CASES: Readonly<Record<string, RuleCaseBuilder>> = {
  'event-not-after-record-time': (d) => {
    const later = shifted(d.eventTime, HOUR);
    const earlier = shifted(d.eventTime, -HOUR);
    if (!later || !earlier) return undefined;
    return { happy: { ...clone(d), recordTime: later }, fail: { ...clone(d), recordTime: earlier } };
  },
  'transaction-needs-biz-transaction': (d) => {
    if (d.type !== 'TransactionEvent' || !Array.isArray(d.bizTransactionList)) return undefined;
    return { happy: clone(d), fail: { ...clone(d), bizTransactionList: [] } };
  },
  'aggregation-needs-parent': (d) => parentCase(d, 'AggregationEvent'),
  'association-needs-parent': (d) => parentCase(d, 'AssociationEvent'),
  'expiry-after-production': (d) => {
    const ilmd = isJsonObject(d.ilmd) ? d.ilmd : undefined;
    const production = ilmd?.['sy:productionDate'];
    const expiry = ilmd?.['sy:expiryDate'];
    if (!ilmd || typeof production !== 'string' || typeof expiry !== 'string' || expiry === production) return undefined;
    return { happy: clone(d), fail: { ...clone(d), ilmd: { ...clone(ilmd), 'sy:productionDate': expiry, 'sy:expiryDate': production } } };
  },
  'transformation-has-input-and-output': (d) => {
    if (d.type !== 'TransformationEvent') return undefined;
    const fail = clone(d);
    for (const k of ['inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList', 'transformationID']) delete fail[k];
    return { happy: clone(d), fail };
  },
  'period-end-after-start': (d) => {
    const period = isJsonObject(d.period) ? d.period : undefined;
    const [s, e] = [period?.periodStart ?? period?.startDate ?? period?.start, period?.periodEnd ?? period?.endDate ?? period?.end];
    if (!period || typeof s !== 'string' || typeof e !== 'string' || s === e) return undefined;
    const swapped: Doc = {};
    for (const [k, v] of Object.entries(period)) swapped[k] = v === s ? e : v === e ? s : v;
    return { happy: clone(d), fail: { ...clone(d), period: swapped } };
  },
};

function parentCase(d: Doc, type: string): { happy: Doc; fail: Doc } | undefined {
  if (d.type !== type || (d.action !== 'ADD' && d.action !== 'DELETE') || d.parentID === undefined) return undefined;
  const fail = clone(d);
  delete fail.parentID;
  return { happy: clone(d), fail };
}
