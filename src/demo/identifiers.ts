/**
 * Identifiers of the demo's parties and goods, made to pass the standard's checks: Unified Social
 * Credit Codes (GB 32100 with the GB 11714 organisation-code check), GTINs and GLNs (GS1 mod-10) on
 * China's GS1 prefixes, and 20-digit drug trace codes on a 7-digit drug identification code.
 */
import { gs1CheckDigit, orgCodeCheckCharacter, usccCheckCharacter } from '../standards/identifiers/index.ts';
import type { Random } from './random.ts';

/** Registration department + organisation type of a USCC: 91 a company, 92 an individual business, 12 a public institution. */
export type UsccKind = '91' | '92' | '12';

/** A valid USCC registered in `region` (a GB/T 2260 code), its organisation code drawn from `random`. */
export function makeUscc(random: Random, kind: UsccKind, region: string): string {
  const letters = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const body = kind === '12' ? random.digits(8) : `MA${Array.from({ length: 6 }, () => random.pick([...letters])).join('')}`;
  const org = body + orgCodeCheckCharacter(body);
  const first17 = `${kind}${region}${org}`;
  return first17 + usccCheckCharacter(first17);
}

/** Appends the GS1 mod-10 check digit to `digits`. */
export const withCheckDigit = (digits: string): string => digits + String(gs1CheckDigit(digits));

/** A GTIN-13 under a company prefix (69x…, 7 to 10 digits) and an item reference filling the rest. */
export const makeGtin13 = (companyPrefix: string, item: number): string =>
  withCheckDigit(companyPrefix + String(item).padStart(12 - companyPrefix.length, '0'));

/** A GLN under a company prefix. */
export const makeGln = (companyPrefix: string, location: number): string =>
  withCheckDigit(companyPrefix + String(location).padStart(12 - companyPrefix.length, '0'));

/** A 20-digit drug trace code: the 7-digit drug identification code and a 13-digit serial. */
export const makeDrugCode = (drugIdCode: string, serial: number): string => drugIdCode + String(serial).padStart(13, '0');
