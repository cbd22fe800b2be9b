// Unified Social Credit Code (GB 32100-2015) with the organisation code check (GB 11714).
import { issue, type IdentifierIssue } from './issue.ts';

/** The 31 characters of the code, valued 0–30 by position (no I, O, S, V, Z). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
/** Only characters of the alphabet (all ASCII letters and digits, so safe in a class). */
const USCC_CHARS = new RegExp(`^[${USCC_ALPHABET}]*$`);
const REGION_DIGITS = /^\d{6}$/;

/**
 * The check character (position 18) of the first 17 characters of a USCC:
 * alphabet[(31 − Σ value×weight mod 31) mod 31]. `first17` MUST be 17 characters of
 * `USCC_ALPHABET`; anything else is a caller bug and throws `RangeError`.
 */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('a USCC check needs 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`not a USCC character: ${first17.charAt(i)}`);
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The GB 11714 check character of an 8-character organisation code body (digits, letters
 * A=10 … Z=35): c = 11 − Σ value×weight mod 11, written `X` for 10 and `0` for 11.
 * `body` MUST be 8 digits or capital letters; anything else throws `RangeError`.
 */
export function orgCodeCheckCharacter(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new RangeError(`not an organisation code body: ${body}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body.charAt(i), 36) * (ORG_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * `uscc`: 18 characters of `USCC_ALPHABET` (capitals only); positions 3–8 a 6-digit region code
 * (its presence in GB/T 2260 is not checked here); positions 9–17 an organisation code whose last
 * character is its GB 11714 check; position 18 the GB 32100 check character.
 * Issues, in the order checked: `USCC_LENGTH`, `USCC_CHARSET`, `USCC_REGION`, `USCC_CHECK`, `USCC_ORG_CHECK`.
 */
export function checkUscc(value: string): IdentifierIssue | null {
  if (value.length !== 18) {
    return issue('USCC_LENGTH', '统一社会信用代码应为 18 位', `A unified social credit code has 18 characters, not ${value.length}`);
  }
  if (!USCC_CHARS.test(value)) {
    return issue(
      'USCC_CHARSET',
      '统一社会信用代码只能含数字和大写字母（不含 I、O、S、V、Z）',
      'A unified social credit code has only digits and capitals other than I, O, S, V, Z',
    );
  }
  if (!REGION_DIGITS.test(value.slice(2, 8))) {
    return issue('USCC_REGION', '第 3–8 位应为 6 位数字的行政区划码', 'Positions 3–8 must be a 6-digit region code');
  }
  if (usccCheckCharacter(value.slice(0, 17)) !== value.charAt(17)) {
    return issue('USCC_CHECK', '统一社会信用代码校验码错误', 'The check character (position 18) is wrong');
  }
  if (orgCodeCheckCharacter(value.slice(8, 16)) !== value.charAt(16)) {
    return issue('USCC_ORG_CHECK', '组织机构代码（第 9–17 位）校验码错误', 'The organisation code (positions 9–17) has a wrong check character');
  }
  return null;
}
