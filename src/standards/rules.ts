/**
 * Cross-field rules that JSON Schema cannot express, named by schemas through `x-rules`.
 *
 * A rule reads the object its `x-rules` sits on and returns its findings; each finding has a path
 * relative to that object (a JSON Pointer, `""` for the object itself) and a bilingual message. The
 * standard, not the code, decides where a rule applies: a rule only runs where a schema names it.
 */
import { isJsonObject, pointer, type JsonObject } from './json.ts';

export interface RuleFinding {
  readonly path: string;
  readonly message: string;
}

export interface Rule {
  readonly name: string;
  /** The problem code a finding of this rule is reported with. */
  readonly code: string;
  readonly check: (data: JsonObject) => readonly RuleFinding[];
}

const nonEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

/** Milliseconds since the epoch of a date or date-time string, or `undefined` when it is not one. */
function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The first key of `keys` present in `object`, with its value. */
function firstOf(object: JsonObject, keys: readonly string[]): [string, unknown] | undefined {
  for (const key of keys) if (object[key] !== undefined) return [key, object[key]];
  return undefined;
}

const EXPIRY_KEYS = ['cbvmda:itemExpirationDate', 'sy:expiryDate', 'itemExpirationDate', 'expiryDate'];
const PRODUCTION_KEYS = ['sy:productionDate', 'cbvmda:productionDate', 'productionDate'];
const PERIOD_START_KEYS = ['periodStart', 'startDate', 'start'];
const PERIOD_END_KEYS = ['periodEnd', 'endDate', 'end'];

function parentRule(name: string, code: string, eventType: string): Rule {
  return {
    name,
    code,
    check: (data) =>
      data.type === eventType && (data.action === 'ADD' || data.action === 'DELETE') && data.parentID == null
        ? [{ path: '', message: `${eventType} 在 ADD 或 DELETE 时必须有 parentID / ${eventType} with action ${data.action} needs a parentID` }]
        : [],
  };
}

/**
 * A rule that two dates are in order: the first of `firstKeys` present is not after the first of
 * `secondKeys`. Both are read from the object's `holder` member when it has one, else from the
 * object itself; a finding points at the later date.
 */
function orderRule(name: string, code: string, holderKey: string, firstKeys: readonly string[], secondKeys: readonly string[],
  message: (first: string, second: string) => string): Rule {
  return {
    name,
    code,
    check: (data) => {
      const holder = isJsonObject(data[holderKey]) ? (data[holderKey] as JsonObject) : data;
      const base = holder === data ? [] : [holderKey];
      const first = firstOf(holder, firstKeys);
      const second = firstOf(holder, secondKeys);
      if (!first || !second) return [];
      const [a, b] = [instant(first[1]), instant(second[1])];
      if (a === undefined || b === undefined || b >= a) return [];
      return [{ path: pointer(...base, second[0]), message: message(String(first[1]), String(second[1])) }];
    },
  };
}

export const RULES: Readonly<Record<string, Rule>> = {
  'transaction-needs-biz-transaction': {
    name: 'transaction-needs-biz-transaction',
    code: 'RULE_TRANSACTION_NEEDS_BIZ_TRANSACTION',
    check: (data) =>
      data.type === 'TransactionEvent' && !nonEmptyList(data.bizTransactionList)
        ? [{ path: '', message: '交易事件必须列出至少一个业务交易 / A TransactionEvent needs at least one entry in bizTransactionList' }]
        : [],
  },
  'association-needs-parent': parentRule('association-needs-parent', 'RULE_ASSOCIATION_NEEDS_PARENT', 'AssociationEvent'),
  'aggregation-needs-parent': parentRule('aggregation-needs-parent', 'RULE_AGGREGATION_NEEDS_PARENT', 'AggregationEvent'),
  'expiry-after-production': orderRule('expiry-after-production', 'RULE_EXPIRY_BEFORE_PRODUCTION', 'ilmd', PRODUCTION_KEYS, EXPIRY_KEYS,
    (p, e) => `有效期 ${e} 早于生产日期 ${p} / Expiry ${e} is before production ${p}`),
  'event-not-after-record-time': {
    name: 'event-not-after-record-time',
    code: 'RULE_EVENT_AFTER_RECORD_TIME',
    check: (data) => {
      const [event, record] = [instant(data.eventTime), instant(data.recordTime)];
      if (event === undefined || record === undefined || event <= record) return [];
      return [{
        path: '/eventTime',
        message: `事件时间 ${String(data.eventTime)} 晚于记录时间 ${String(data.recordTime)} / eventTime ${String(data.eventTime)} is later than recordTime ${String(data.recordTime)}`,
      }];
    },
  },
  'transformation-has-input-and-output': {
    name: 'transformation-has-input-and-output',
    code: 'RULE_TRANSFORMATION_NEEDS_IO',
    check: (data) => {
      if (data.type !== 'TransformationEvent') return [];
      const lists = ['inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList'];
      if (lists.some((l) => nonEmptyList(data[l])) || typeof data.transformationID === 'string') return [];
      return [{ path: '', message: '转化事件必须有输入或输出，或转化标识 / A TransformationEvent needs an input, an output or a transformationID' }];
    },
  },
  'period-end-after-start': orderRule('period-end-after-start', 'RULE_PERIOD_END_BEFORE_START', 'period', PERIOD_START_KEYS, PERIOD_END_KEYS,
    (start, end) => `结束 ${end} 早于开始 ${start} / End ${end} is before start ${start}`),
};
