/**
 * Identifier checks of the standard: one check per `format` name that schemas may use.
 *
 * A check returns `null` when the value is valid, or the first issue found: a stable code
 * (`GS1_CHECK_DIGIT`, `USCC_CHECK`, …) and a message `中文 / English` naming what is wrong.
 * Checks are pure and never throw. `date-time`, `date`, `uri` and `email` are ajv-formats' own.
 */
import {
  checkDetonatorCode, checkDrugIdCode, checkDrugTraceCode, checkHsCode, checkPesticideCode, checkSeedLabel,
  checkSeedUnitCode, checkSpecialEquipmentCode, checkTzOffset, checkVetDrugCode,
} from './cn-trace-codes.ts';
import { checkDigitalLink } from './digital-link.ts';
import { checkEpc, checkEpcClass } from './epc.ts';
import { checkGln, checkGtin, checkSscc } from './gs1.ts';
import type { IdentifierCheck } from './issue.ts';
import { checkUscc } from './uscc.ts';

export type { IdentifierCheck, IdentifierIssue } from './issue.ts';
export { isIdentifierIssue } from './issue.ts';
export {
  aiFormat, checkAiValue, checkGln, checkGs1Key, checkGtin, checkSscc, gs1CheckDigit, hasValidCheckPair,
  hasValidGs1CheckDigit, isGs1Date, toGtin14, type Gs1Element,
} from './gs1.ts';
export { GS, parseElementString } from './gs1-element-string.ts';
export { checkDigitalLink, looksLikeDigitalLink, parseDigitalLink, PRIMARY_KEYS, type DigitalLink } from './digital-link.ts';
export {
  checkEpc, checkEpcClass, checkLotCode, digitalLinkLevel, parseEpcUrn, SUYUAN_CLASS_KINDS, SUYUAN_ID_KINDS, type EpcUrn,
} from './epc.ts';
export { EPC_CLASS_SCHEMES, EPC_ID_SCHEMES } from './epc-schemes.ts';
export { checkUscc, orgCodeCheckCharacter, USCC_ALPHABET, usccCheckCharacter } from './uscc.ts';
export {
  checkDetonatorCode, checkDrugIdCode, checkDrugTraceCode, checkHsCode, checkPesticideCode, checkPesticideRegistration,
  checkSeedLabel, checkSeedUnitCode, checkSpecialEquipmentCode, checkTzOffset, checkVetDrugCode,
} from './cn-trace-codes.ts';
export {
  checkRegion, codeListVersions, latestRegionVersion, loadCodeList, regionName, type CodeList,
} from './region.ts';

/**
 * Every identifier format the standard may name, keyed by its `format` name. The object has no
 * prototype, so that looking up a name such as `constructor` finds nothing.
 */
export const IDENTIFIER_FORMATS: Readonly<Record<string, IdentifierCheck>> = Object.freeze(Object.assign(Object.create(null) as Record<string, IdentifierCheck>, {
  gtin: checkGtin,
  gln: checkGln,
  sscc: checkSscc,
  'gs1-digital-link': checkDigitalLink,
  epc: checkEpc,
  'epc-class': checkEpcClass,
  uscc: checkUscc,
  'drug-trace-code': checkDrugTraceCode,
  'drug-id-code': checkDrugIdCode,
  'pesticide-code': checkPesticideCode,
  'vet-drug-code': checkVetDrugCode,
  'seed-unit-code': checkSeedUnitCode,
  'seed-label': checkSeedLabel,
  'special-equipment-code': checkSpecialEquipmentCode,
  'detonator-code': checkDetonatorCode,
  'tz-offset': checkTzOffset,
  'hs-code': checkHsCode,
}));
