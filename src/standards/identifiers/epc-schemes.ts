// Component syntax of each EPC URN scheme of the GS1 Tag Data Standard (pure identities, lgtin class, idpat).
import { issue, type IdentifierIssue } from './issue.ts';

/** Checks one dot-separated component; `all` is every component, for checks spanning two. */
type Component = (component: string, all: readonly string[]) => boolean;

/** A scheme: its components in order, and for some a check digit over the whole body. */
export interface EpcScheme {
  readonly components: readonly Component[];
  readonly checkDigit?: (body: string) => boolean;
}

/** GS3A3 characters (TDS): letters, digits, `-._!'()*+,:;=` and the escapes %22 %25 %26 %2F %3C %3E %3F. */
const GS3A3 = /^(?:[A-Za-z0-9\-._!'()*+,:;=]|%(?:2[256Ff]|3[CcEeFf]))+$/;
const escapedLength = (c: string): number => c.replace(/%[0-9A-Fa-f]{2}/g, '_').length;

const gs3a3 = (max: number): Component => (c) => GS3A3.test(c) && escapedLength(c) <= max;
/** A GS1 Company Prefix: 6–12 digits (TDS). */
const GCP = /^\d{6,12}$/;
const DIGITS = /^\d*$/;
const gcp: Component = (c) => GCP.test(c);
/** The digits following the company prefix, so that both together have `total` digits (may be empty). */
const ref = (total: number): Component => (c, all) => DIGITS.test(c) && (all[0] ?? '').length + c.length === total;
/** A non-numeric reference after the company prefix, both together at most `max` characters. */
const refChars = (pattern: RegExp, max: number): Component => (c, all) =>
  pattern.test(c) && (all[0] ?? '').length + escapedLength(c) <= max;
const digits = (min: number, max: number): Component => (c) => c.length >= min && c.length <= max && /^\d+$/.test(c);
/** A decimal integer without leading zeros below `limit`. */
const integer = (limit: number): Component => (c) => /^(0|[1-9]\d{0,11})$/.test(c) && Number(c) < limit;
const cageOrDodaac: Component = (c) => /^[0-9A-Z]{5,6}$/.test(c);
const CPI_REF = /^(?:[0-9A-Z-]|%2[3Ff])+$/;

/** ISO 6346 letter values: A=10 upwards, skipping the multiples of 11. */
const ISO6346_LETTERS = [10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38];

/** ISO 6346 container code: owner (3 letters) + category (U, J, Z) + 6 digits + check digit. */
function bicCheck(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = code.charAt(i);
    const value = /\d/.test(ch) ? Number(ch) : (ISO6346_LETTERS[ch.charCodeAt(0) - 65] ?? 0);
    sum += value * 2 ** i;
  }
  return (sum % 11) % 10 === Number(code.charAt(10));
}

/** IMO ship number: 7 digits, the last being Σ digit×(7…2) of the first six, mod 10. */
function imoCheck(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(code.charAt(i)) * (7 - i);
  return sum % 10 === Number(code.charAt(6));
}

/** Pure-identity schemes, `urn:epc:id:<scheme>:…` (also the schemes of `urn:epc:idpat:`). */
export const EPC_ID_SCHEMES: Readonly<Record<string, EpcScheme>> = {
  sgtin: { components: [gcp, ref(13), gs3a3(20)] },
  sscc: { components: [gcp, ref(17)] },
  sgln: { components: [gcp, ref(12), gs3a3(20)] },
  grai: { components: [gcp, ref(12), gs3a3(16)] },
  giai: { components: [gcp, refChars(GS3A3, 30)] },
  gsrn: { components: [gcp, ref(17)] },
  gsrnp: { components: [gcp, ref(17)] },
  gdti: { components: [gcp, ref(12), gs3a3(17)] },
  cpi: { components: [gcp, refChars(CPI_REF, 30), integer(1e12)] },
  sgcn: { components: [gcp, ref(12), digits(1, 12)] },
  ginc: { components: [gcp, refChars(GS3A3, 30)] },
  gsin: { components: [gcp, ref(16)] },
  itip: { components: [gcp, ref(13), digits(2, 2), digits(2, 2), gs3a3(20)] },
  upui: { components: [gcp, ref(13), gs3a3(28)] },
  pgln: { components: [gcp, ref(12)] },
  gid: { components: [integer(2 ** 28), integer(2 ** 24), integer(2 ** 36)] },
  usdod: { components: [cageOrDodaac, integer(2 ** 36)] },
  adi: {
    components: [cageOrDodaac, (c) => c.length <= 32 && /^(?:[0-9A-Z-]|%2[Ff])*$/.test(c), (c) => /^(?:%23)?(?:[0-9A-Z-]|%2[Ff])+$/.test(c) && escapedLength(c) <= 30],
  },
  bic: { components: [(c) => /^[A-Z]{3}[UJZ]\d{7}$/.test(c)], checkDigit: bicCheck },
  imovn: { components: [(c) => /^\d{7}$/.test(c)], checkDigit: imoCheck },
};

/** Class schemes, `urn:epc:class:<scheme>:…`. */
export const EPC_CLASS_SCHEMES: Readonly<Record<string, EpcScheme>> = {
  lgtin: { components: [gcp, ref(13), gs3a3(20)] },
};

function badComponent(scheme: string, n: number): IdentifierIssue {
  return issue('EPC_SYNTAX', `${scheme} 的第 ${n} 个分量不符合语法`, `Component ${n} of the ${scheme} URN is not valid`);
}

/**
 * Splits `body` into the scheme's components (the last takes the rest, since GS3A3 allows dots) and
 * checks each. In a pattern (`idpat`), components may be `*` from some position to the end, and
 * those are not checked. Returns the components, or `EPC_SYNTAX` / `EPC_CHECK_DIGIT`.
 */
export function checkEpcComponents(
  scheme: string,
  spec: EpcScheme,
  body: string,
  pattern: boolean,
): string[] | IdentifierIssue {
  const checks = spec.components;
  const count = checks.length;
  const parts = body.split('.');
  if (parts.length < count) return badComponent(scheme, parts.length + 1);
  const components = parts.length === count ? parts : [...parts.slice(0, count - 1), parts.slice(count - 1).join('.')];
  const firstStar = pattern ? components.indexOf('*') : -1;
  for (let i = 0; i < count; i++) {
    const c = components[i] ?? '';
    if (firstStar >= 0 && i >= firstStar) {
      if (c !== '*') return badComponent(scheme, i + 1);
      continue;
    }
    const check = checks[i];
    if (check !== undefined && !check(c, components)) return badComponent(scheme, i + 1);
  }
  if (spec.checkDigit && firstStar < 0 && !spec.checkDigit(body)) {
    return issue('EPC_CHECK_DIGIT', `${scheme} 校验位错误`, `The ${scheme} check digit is wrong`);
  }
  return components;
}
