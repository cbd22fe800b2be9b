// Local date-times as department systems write them, read in a UTC offset: the `$localTime` and `$utc` functions.
import { checkTzOffset, type IdentifierIssue } from '../standards/identifiers/index.ts';
import { issue } from '../standards/identifiers/issue.ts';

/** An event time in EPCIS form: local wall-clock time with milliseconds and offset, and the offset alone. */
export interface LocalTime {
  readonly eventTime: string;
  readonly eventTimeZoneOffset: string;
}

/** The offset of China Standard Time, the default of every function here. */
export const CHINA_OFFSET = '+08:00';

// `2026-03-01 08:30:00`, `2026/3/1 8:30`, `2026-03-01T08:30:00.5+08:00`, `2026-03-01`: one separator in the date.
const SEPARATED = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
// `20260301083000`, `202603010830`, `20260301`.
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;

const syntax = (): IdentifierIssue =>
  issue(
    'LOCAL_TIME_SYNTAX',
    '时间应写作 YYYY-MM-DD HH:mm:ss、YYYY/MM/DD HH:mm:ss、YYYYMMDDHHmmss 或只写日期',
    'A time is written YYYY-MM-DD HH:mm:ss, YYYY/MM/DD HH:mm:ss, YYYYMMDDHHmmss, or as a date alone',
  );

/** Minutes east of UTC of a `±hh:mm` (or `±hhmm`, `Z`) offset already known to be well formed. */
function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const digits = offset.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith('-') ? -minutes : minutes;
}

/**
 * The instant `text` names, in milliseconds since the epoch, reading a time without its own offset in
 * `offset`. Accepts the forms of `SEPARATED` and `COMPACT`; a time written with its own offset (`Z`,
 * `+08:00`, `+0800`) keeps it. A date alone is midnight. Fractions of a second past milliseconds are
 * cut. The date and time MUST exist: 2026-02-30 or 25:00 is `LOCAL_TIME_INVALID`, never a rollover.
 */
function instant(text: string, offset: string): number | IdentifierIssue {
  const m = SEPARATED.exec(text);
  const c = m ? null : COMPACT.exec(text);
  if (!m && !c) return syntax();
  const [year, month, day, hour, minute, second] = (m ? [m[1], m[3], m[4], m[5], m[6], m[7]] : [c?.[1], c?.[2], c?.[3], c?.[4], c?.[5], c?.[6]])
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const millis = Number((m?.[8] ?? '').slice(0, 3).padEnd(3, '0'));
  const own = m?.[9];
  const ownIssue = own === undefined || own === 'Z' ? null : checkTzOffset(own.length === 5 ? `${own.slice(0, 3)}:${own.slice(3)}` : own);
  if (ownIssue) return ownIssue;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  if (month < 1 || month > 12 || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) {
    return issue('LOCAL_TIME_INVALID', `时间 ${text} 不存在`, `There is no such date or time as ${text}`);
  }
  return date.getTime() - offsetMinutes(own ?? offset) * 60_000;
}

/** `millis` as `YYYY-MM-DDTHH:mm:ss.sss±hh:mm`, the wall-clock time at `offset`. */
function formatAt(millis: number, offset: string): string {
  return new Date(millis + offsetMinutes(offset) * 60_000).toISOString().replace('Z', offset);
}

/**
 * `$localTime(text, offset = '+08:00')`: the event time of a local time, e.g. `'2026-03-01 08:30:00'` →
 * `{ eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }`. A time that carries
 * its own offset is converted to `offset`. Issues: `LOCAL_TIME_SYNTAX`, `LOCAL_TIME_INVALID`, and
 * `TZ_OFFSET_SYNTAX` / `TZ_OFFSET_RANGE` for a bad offset.
 */
export function localTime(text: string, offset: string = CHINA_OFFSET): LocalTime | IdentifierIssue {
  const bad = checkTzOffset(offset);
  if (bad) return bad;
  const at = instant(text.trim(), offset);
  return typeof at === 'number' ? { eventTime: formatAt(at, offset), eventTimeZoneOffset: offset } : at;
}

/** `$utc(text, offset = '+08:00')`: the same instant in UTC, `2026-03-01T00:30:00.000Z`; issues as `localTime`. */
export function utcTime(text: string, offset: string = CHINA_OFFSET): string | IdentifierIssue {
  const bad = checkTzOffset(offset);
  if (bad) return bad;
  const at = instant(text.trim(), offset);
  return typeof at === 'number' ? new Date(at).toISOString() : at;
}
