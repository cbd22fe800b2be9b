/**
 * The GS1 EPCIS 2.0 query parameters of `GET /events` read into an `EventFilter`. Multiple values are
 * pipe-delimited (`MATCH_epc=a|b`), as the REST binding says, or given as repeated parameters. An
 * unknown parameter, or a value the binding does not allow, is a `QUERY_PARAMETER_INVALID` naming it.
 * Ordering: `orderBy` `eventTime` or `recordTime` (ties in storage order), `orderDirection` `ASC` or
 * `DESC` (DESC when only `orderBy` is given, as EPCIS says; alone, it orders storage order, which is
 * record order); storage order ascending without either. `eventCountLimit` answers only the first N
 * matching events, across pages. A `nextPageToken` carries the order, the cursor (keyset: the last
 * event's time and seq), what is left of `eventCountLimit`, and its expiry (`GS1-Next-Page-Token-Expires`,
 * one hour after the page); it is refused after that, or with another order.
 * Not supported (answered as unknown): `maxEventCount`, `WD_*`, `EQ_INNER_*`/`EXISTS_INNER_*`, sensor
 * parameters, `orderBy` on other fields; EPC patterns match only as exact identifiers. Identifiers match
 * in any of their written forms: an EPC URN or its Digital Link, and a lot as its Digital Link, LGTIN
 * URN or `urn:suyuan:class:lot:` URN.
 */
import { SuyuanError } from '../errors.ts';
import type { EventCursor, EventFilter, EventOrder, IdCondition } from './contract.ts';
import { utcTime } from './identifiers.ts';

export const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

/** MATCH_* parameters → the index roles they look in. */
const MATCH: Readonly<Record<string, readonly string[]>> = {
  MATCH_epc: ['epc', 'child'],
  MATCH_parentID: ['parent'],
  MATCH_inputEPC: ['input'],
  MATCH_outputEPC: ['output'],
  MATCH_anyEPC: ['epc', 'child', 'parent', 'input', 'output'],
  MATCH_epcClass: ['class', 'child_class'],
  MATCH_inputEPCClass: ['input_class'],
  MATCH_outputEPCClass: ['output_class'],
  MATCH_anyEPCClass: ['class', 'child_class', 'input_class', 'output_class'],
};

export interface EventQuery {
  readonly filter: EventFilter;
  readonly perPage: number;
  readonly after?: number;
  readonly cursor?: EventCursor;
  readonly order: EventOrder;
  /** What is left of `eventCountLimit`, when one was given. */
  readonly left?: number;
}

/** How long a next-page token may be used. */
export const PAGE_TOKEN_LIFETIME_MS = 3_600_000;

/** What a next-page token holds. */
export interface PageState {
  readonly cursor: EventCursor;
  readonly order: EventOrder;
  readonly left?: number;
  /** ISO 8601 UTC. */
  readonly expires: string;
}

const invalid = (parameter: string, message: string): SuyuanError =>
  new SuyuanError('QUERY_PARAMETER_INVALID', message, { detail: { parameter } });

const valuesOf = (raw: unknown): string[] => (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split('|')).map((v) => v.trim()).filter((v) => v !== '');

/** The next-page token of a page state: opaque to clients. */
export const pageToken = (state: PageState): string => Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');

function readToken(token: string, now: Date): PageState {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const old = /^seq:(\d+)$/.exec(text);
  if (old?.[1]) return { cursor: { seq: Number(old[1]) }, order: { by: 'seq', direction: 'ASC' }, expires: new Date(now.getTime() + 1).toISOString() };
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    state = undefined;
  }
  const s = state as Partial<PageState> | undefined;
  if (typeof s !== 'object' || s === null || typeof s.cursor?.seq !== 'number' || typeof s.expires !== 'string' || typeof s.order?.by !== 'string') {
    throw invalid('nextPageToken', 'nextPageToken is not a token this interface gave');
  }
  if (Date.parse(s.expires) <= now.getTime()) throw invalid('nextPageToken', `nextPageToken expired at ${s.expires}; query again from the first page`);
  return s as PageState;
}

/** Reads the query string; throws `QUERY_PARAMETER_INVALID` for the first parameter it cannot take. */
export function readEventQuery(query: Readonly<Record<string, unknown>>, limits = { perPage: 30, maxPerPage: 1000 }, now = new Date()): EventQuery {
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  const ids: IdCondition[] = [];
  let perPage = limits.perPage;
  let state: PageState | undefined;
  let orderBy: 'eventTime' | 'recordTime' | undefined;
  let direction: 'ASC' | 'DESC' | undefined;
  let countLimit: number | undefined;
  for (const [name, raw] of Object.entries(query)) {
    const values = valuesOf(raw);
    if (values.length === 0) throw invalid(name, `${name} has no value`);
    const one = (): string => {
      if (values.length !== 1) throw invalid(name, `${name} takes one value`);
      return values[0] as string;
    };
    const time = (): string => {
      // An unencoded '+' of a time zone arrives as a space: read it back as '+'.
      const value = one().replace(/ (\d\d:\d\d)$/, '+$1');
      const t = utcTime(value);
      if (!t || !/^\d{4}-\d\d-\d\dT/.test(value)) throw invalid(name, `${name} must be a date-time with a time zone, e.g. 2024-03-15T08:00:00+08:00`);
      return t;
    };
    const match = MATCH[name];
    const typed = /^(EQ_bizTransaction|EQ_source|EQ_destination)_(.+)$/.exec(name);
    if (match) ids.push({ roles: match, values });
    else if (typed?.[1] && typed[2]) {
      const prefix = typed[1] === 'EQ_bizTransaction' ? 'bt' : typed[1] === 'EQ_source' ? 'source' : 'dest';
      const type = typed[2].replace(/^(urn:epcglobal:cbv:(btt|sdt):|https:\/\/ref\.gs1\.org\/cbv\/(BTT|SDT)-)/, '');
      ids.push({ roles: [`${prefix}:${type}`], values });
    } else {
      switch (name) {
        case 'eventType':
          for (const v of values) if (!(EVENT_TYPES as readonly string[]).includes(v)) throw invalid(name, `eventType ${v} is not one of ${EVENT_TYPES.join(', ')}`);
          filter.types = values;
          break;
        case 'GE_eventTime': filter.geEventTime = time(); break;
        case 'LT_eventTime': filter.ltEventTime = time(); break;
        case 'GE_recordTime': filter.geRecordTime = time(); break;
        case 'LT_recordTime': filter.ltRecordTime = time(); break;
        case 'EQ_action':
          for (const v of values) if (!['ADD', 'OBSERVE', 'DELETE'].includes(v)) throw invalid(name, `EQ_action ${v} is not ADD, OBSERVE or DELETE`);
          filter.actions = values;
          break;
        case 'EQ_bizStep': filter.bizSteps = values; break;
        case 'EQ_disposition': filter.dispositions = values; break;
        case 'EQ_readPoint': filter.readPoints = values; break;
        case 'EQ_bizLocation': filter.bizLocations = values; break;
        case 'EQ_eventID': filter.eventIds = values; break;
        case 'EXISTS_errorDeclaration': filter.errorDeclared = true; break;
        case 'perPage': {
          const n = Number(one());
          if (!Number.isInteger(n) || n < 1 || n > limits.maxPerPage) throw invalid(name, `perPage must be an integer from 1 to ${limits.maxPerPage}`);
          perPage = n;
          break;
        }
        case 'nextPageToken': state = readToken(one(), now); break;
        case 'orderBy': {
          const v = one();
          if (v !== 'eventTime' && v !== 'recordTime') throw invalid(name, `orderBy ${v} is not supported: eventTime or recordTime`);
          orderBy = v;
          break;
        }
        case 'orderDirection': {
          const v = one();
          if (v !== 'ASC' && v !== 'DESC') throw invalid(name, `orderDirection ${v} is not ASC or DESC`);
          direction = v;
          break;
        }
        case 'eventCountLimit': {
          const n = Number(one());
          if (!Number.isInteger(n) || n < 1) throw invalid(name, 'eventCountLimit must be a positive integer');
          countLimit = n;
          break;
        }
        default: throw invalid(name, `${name} is not a query parameter this interface supports`);
      }
    }
  }
  if (ids.length > 0) filter.ids = ids;
  const order: EventOrder = orderBy ? { by: orderBy, direction: direction ?? 'DESC' } : { by: 'seq', direction: direction ?? 'ASC' };
  if (state && (state.order.by !== order.by || state.order.direction !== order.direction)) {
    throw invalid('nextPageToken', `nextPageToken was given for orderBy ${state.order.by} ${state.order.direction}, not ${order.by} ${order.direction}`);
  }
  const left = state ? state.left : countLimit;
  return {
    filter, perPage, order,
    ...(state ? { cursor: state.cursor, ...(state.order.by === 'seq' ? { after: state.cursor.seq } : {}) } : {}),
    ...(left !== undefined ? { left } : {}),
  };
}
