/**
 * The GS1 EPCIS 2.0 query parameters of `GET /events` read into an `EventFilter`. Multiple values are
 * pipe-delimited (`MATCH_epc=a|b`), as the REST binding says, or given as repeated parameters. An
 * unknown parameter, or a value the binding does not allow, is a `QUERY_PARAMETER_INVALID` naming it.
 * Not supported (answered as unknown): `orderBy`, `orderDirection`, `eventCountLimit`, `maxEventCount`,
 * `WD_*`, `EQ_INNER_*`/`EXISTS_INNER_*`, sensor parameters; EPC patterns match only as exact identifiers.
 */
import { SuyuanError } from '../errors.ts';
import type { EventFilter, IdCondition } from './contract.ts';
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
}

const invalid = (parameter: string, message: string): SuyuanError =>
  new SuyuanError('QUERY_PARAMETER_INVALID', message, { detail: { parameter } });

const valuesOf = (raw: unknown): string[] => (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split('|')).map((v) => v.trim()).filter((v) => v !== '');

/** The next-page token of a cursor: opaque to clients. */
export const pageToken = (after: number): string => Buffer.from(`seq:${after}`, 'utf8').toString('base64url');

function readToken(token: string): number {
  const m = /^seq:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m?.[1]) throw invalid('nextPageToken', 'nextPageToken is not a token this interface gave');
  return Number(m[1]);
}

/** Reads the query string; throws `QUERY_PARAMETER_INVALID` for the first parameter it cannot take. */
export function readEventQuery(query: Readonly<Record<string, unknown>>, limits = { perPage: 30, maxPerPage: 1000 }): EventQuery {
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  const ids: IdCondition[] = [];
  let perPage = limits.perPage;
  let after: number | undefined;
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
        case 'nextPageToken': after = readToken(one()); break;
        default: throw invalid(name, `${name} is not a query parameter this interface supports`);
      }
    }
  }
  if (ids.length > 0) filter.ids = ids;
  return { filter, perPage, ...(after !== undefined ? { after } : {}) };
}
