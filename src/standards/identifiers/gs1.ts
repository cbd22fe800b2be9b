// GS1 keys and application identifiers: the mod-10 check digit, GTIN/GLN/SSCC checks, AI value formats.
import { issue, own, type IdentifierIssue } from './issue.ts';

/**
 * The GS1 mod-10 check digit of `digits` (the data digits, without the check digit): weights
 * 3, 1, 3, 1 … from the rightmost digit leftwards, check = (10 − sum mod 10) mod 10.
 * `digits` MUST be decimal digits only; anything else is a caller bug and throws `RangeError`.
 */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d*$/.test(digits)) throw new RangeError(`not decimal digits: ${digits}`);
  let sum = 0;
  for (let i = digits.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digits[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is all digits, at least two long, and its last digit is its mod-10 check digit. */
export function hasValidGs1CheckDigit(code: string): boolean {
  return /^\d{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

/** GS1 AI encodable character set 82 (values of most alphanumeric AIs, GS1 General Specifications 7.11). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
/** GS1 AI encodable character set 39 (AI 8010 CPID). */
export const CSET39 = /^[#\-/0-9A-Z]*$/;

/** Checks a numeric GS1 key: digits only, one of `lengths`, valid mod-10 check digit. */
export function checkGs1Key(value: string, lengths: readonly number[], name: string): IdentifierIssue | null {
  if (!/^\d+$/.test(value)) return issue('GS1_CHARSET', `${name} 只能由数字组成`, `${name} must consist of digits only`);
  if (!lengths.includes(value.length)) {
    const list = lengths.join('/');
    return issue('GS1_LENGTH', `${name} 应为 ${list} 位`, `${name} must have ${list} digits, not ${value.length}`);
  }
  if (!hasValidGs1CheckDigit(value)) {
    return issue('GS1_CHECK_DIGIT', `${name} 校验位错误`, `${name} has a wrong check digit`);
  }
  return null;
}

/** `gtin`: GTIN-8, -12, -13 or -14 with a valid mod-10 check digit. */
export const checkGtin = (value: string): IdentifierIssue | null => checkGs1Key(value, [8, 12, 13, 14], 'GTIN');
/** `gln`: a 13-digit Global Location Number with a valid check digit. */
export const checkGln = (value: string): IdentifierIssue | null => checkGs1Key(value, [13], 'GLN');
/** `sscc`: an 18-digit Serial Shipping Container Code with a valid check digit. */
export const checkSscc = (value: string): IdentifierIssue | null => checkGs1Key(value, [18], 'SSCC');

/** A GTIN of 8, 12, 13 or 14 digits written as GTIN-14 (left-padded with zeros). */
export function toGtin14(gtin: string): string {
  return gtin.padStart(14, '0');
}

/**
 * True for a GS1 date `YYMMDD`: month 01–12, day 00–(days of the month); day 00 means "the last
 * day of the month" (GS1 General Specifications 7.12). Without a clock the century is unknown, so
 * 29 February is accepted when YY is divisible by 4 (right for 2000–2099).
 */
export function isGs1Date(yymmdd: string): boolean {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (!m) return false;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mm < 1 || mm > 12) return false;
  const days = mm === 2 ? (yy % 4 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(mm) ? 30 : 31;
  return dd <= days;
}

const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CSET82_ORDER = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83];

/**
 * True when the last two characters of `value` are its GS1 alphanumeric check character pair
 * (AI 8013 GMN): data characters valued by their position in CSET 82, weighted by ascending primes
 * from the right, summed mod 1021; the 10-bit sum split into two CSET 32 characters. Up to 25 characters.
 */
export function hasValidCheckPair(value: string): boolean {
  if (value.length < 2 || value.length > PRIMES.length + 2) return false;
  const data = value.slice(0, -2);
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = CSET82_ORDER.indexOf(data.charAt(i));
    if (v < 0) return false;
    sum += v * (PRIMES[data.length - 1 - i] ?? 0);
  }
  sum %= 1021;
  return value.slice(-2) === `${CSET32.charAt(sum >> 5)}${CSET32.charAt(sum & 31)}`;
}

/** One GS1 element: an application identifier and its value (percent-decoded where it came from a URI). */
export interface Gs1Element {
  readonly ai: string;
  readonly value: string;
}

/** One part of an AI value: character set, length bounds, and the check it carries. */
interface AiPart {
  readonly set: 'N' | 'X' | 'Y';
  readonly min: number;
  readonly max: number;
  readonly check: '' | 'c' | 'd' | 'g';
}

/**
 * Value formats of the application identifiers the hub reads, written as in the GS1 General
 * Specifications: `N` digits, `X` CSET 82, `Y` CSET 39, `..n` variable up to n, `+` joins parts.
 * Suffixes: `c` mod-10 check digit last, `d` a `YYMMDD` date, `g` a GMN check character pair.
 */
const AI_SPECS: Readonly<Record<string, string>> = {
  '00': 'N18c', '01': 'N14c', '02': 'N14c', '10': 'X..20', '11': 'N6d', '12': 'N6d', '13': 'N6d',
  '15': 'N6d', '16': 'N6d', '17': 'N6d', '20': 'N2', '21': 'X..20', '22': 'X..20', '235': 'X..28',
  '240': 'X..30', '241': 'X..30', '250': 'X..30', '251': 'X..30', '253': 'N13c+X..17', '254': 'X..20',
  '255': 'N13c+N..12', '30': 'N..8', '37': 'N..8', '400': 'X..30', '401': 'X..30', '402': 'N17c',
  '410': 'N13c', '411': 'N13c', '412': 'N13c', '413': 'N13c', '414': 'N13c', '415': 'N13c', '416': 'N13c',
  '417': 'N13c', '422': 'N3', '7003': 'N10', '7040': 'N1+X3', '8003': 'N14c+X..16', '8004': 'X..30',
  '8006': 'N14c+N2+N2', '8010': 'Y..30', '8011': 'N..12', '8013': 'X..25g', '8017': 'N18c',
  '8018': 'N18c', '8019': 'N..10', '8020': 'X..25',
};

function parseSpec(spec: string): AiPart[] {
  return spec.split('+').map((text, index) => {
    const m = /^([NXY])(\.\.)?(\d+)([cdg]?)$/.exec(text);
    if (!m) throw new Error(`bad AI spec ${spec}`);
    const max = Number(m[3]);
    const min = m[2] === undefined ? max : index === 0 ? 1 : 0;
    return { set: m[1] as AiPart['set'], min, max, check: (m[4] ?? '') as AiPart['check'] };
  });
}

/** The parts of a known AI's value, or `undefined` for an AI the hub does not know. */
export function aiFormat(ai: string): readonly AiPart[] | undefined {
  const spec = own(AI_SPECS, ai) ?? (/^3[1-6]\d\d$/.test(ai) ? 'N6' : undefined);
  return spec === undefined ? undefined : parseSpec(spec);
}

/** The length of a known AI's value when every part is fixed-length, else `undefined`. */
export function aiFixedLength(ai: string): number | undefined {
  const parts = aiFormat(ai);
  if (!parts || parts.some((p) => p.min !== p.max)) return undefined;
  return parts.reduce((n, p) => n + p.max, 0);
}

/**
 * Checks the value of application identifier `ai` against its format: `GS1_AI_UNKNOWN` for an AI
 * the hub does not know, `GS1_LENGTH`, `GS1_CHARSET`, `GS1_CHECK_DIGIT`, `GS1_CHECK_PAIR`, `GS1_DATE`.
 */
export function checkAiValue(ai: string, value: string): IdentifierIssue | null {
  const parts = aiFormat(ai);
  if (!parts) return issue('GS1_AI_UNKNOWN', `未知的应用标识符 (${ai})`, `Unknown application identifier (${ai})`);
  let rest = value;
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    const piece = last ? rest : rest.slice(0, part.max);
    rest = last ? '' : rest.slice(part.max);
    if (piece.length < part.min || piece.length > part.max) {
      return issue('GS1_LENGTH', `AI (${ai}) 的值长度不符`, `The value of AI (${ai}) has the wrong length`);
    }
    const set = part.set === 'N' ? /^\d*$/ : part.set === 'X' ? CSET82 : CSET39;
    if (!set.test(piece)) {
      return issue('GS1_CHARSET', `AI (${ai}) 的值含有不允许的字符`, `The value of AI (${ai}) has characters it may not contain`);
    }
    if (part.check === 'c' && !hasValidGs1CheckDigit(piece)) {
      return issue('GS1_CHECK_DIGIT', `AI (${ai}) 的校验位错误`, `The value of AI (${ai}) has a wrong check digit`);
    }
    if (part.check === 'g' && !hasValidCheckPair(piece)) {
      return issue('GS1_CHECK_PAIR', `AI (${ai}) 的校验字符对错误`, `The value of AI (${ai}) has a wrong check character pair`);
    }
    if (part.check === 'd' && !isGs1Date(piece)) {
      return issue('GS1_DATE', `AI (${ai}) 不是有效日期 YYMMDD`, `The value of AI (${ai}) is not a valid date YYMMDD`);
    }
  }
  return null;
}
