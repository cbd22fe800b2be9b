// The domain functions bound in every mapping: identifier checks and normalisation, local times, codes, EPCs.
import type jsonata from 'jsonata';
import { SuyuanError } from '../errors.ts';
import { CBV_WORDS, cbvToWord, cbvWordToUrn, isCbvWord, type CbvVocabulary } from '../standards/cbv.ts';
import { formatDigitalLink } from '../standards/identifiers/digital-link-key.ts';
import { digitalLinkToEpcUrn, epcUrnToDigitalLink } from '../standards/identifiers/epc-digital-link.ts';
import {
  checkDrugTraceCode, checkGtin, checkLotCode, checkRegion, checkUscc, isIdentifierIssue, latestRegionVersion,
  parseDigitalLink, parseElementString, parseEpcUrn, regionName, toGtin14, type IdentifierIssue,
} from '../standards/identifiers/index.ts';
import { issue } from '../standards/identifiers/issue.ts';
import { localTime, utcTime } from './local-time.ts';

/**
 * What a domain function throws when its argument fails a check. JSONata passes it through
 * unchanged (adding `position` and `token`), so its `code` is the problem code (`USCC_CHECK`, …) and the
 * engine answers `MAPPING_FAILED` with `detail.problem` set to it.
 */
export class MappingFunctionError extends Error {
  readonly code: string;
  position?: number;
  token?: string;

  constructor(problem: IdentifierIssue) {
    super(problem.message);
    this.name = 'MappingFunctionError';
    this.code = problem.code;
  }
}

/** One function bound in every mapping: its name without `$`, its JSONata signature, what it does. */
export interface DomainFunction {
  readonly name: string;
  readonly signature: string;
  readonly implementation: (this: jsonata.Focus, ...args: never[]) => unknown;
}

/** The value, or the issue thrown as a `MappingFunctionError`. */
function orFail<T>(value: T | IdentifierIssue): T {
  if (isIdentifierIssue(value)) throw new MappingFunctionError(value);
  return value;
}

/** Identifiers as people type them: full-width digits and letters folded to ASCII (NFKC), spaces trimmed. */
const tidy = (value: string): string => value.normalize('NFKC').trim();

/** `$uscc`: the code trimmed and upper-cased, after the GB 32100 checks (`USCC_LENGTH`, `USCC_CHECK`, …). */
function uscc(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = tidy(value).toUpperCase();
  return orFail(checkUscc(code) ?? code);
}

/** `$gtin`: a GTIN-8/12/13/14 with a valid check digit, written as GTIN-14. */
function gtin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = tidy(value);
  return orFail(checkGtin(code) ?? toGtin14(code));
}

/**
 * `$drugCode`: an NMPA drug trace code as an EPC: 20 digits → `urn:suyuan:id:drug:<code>`; the GS1 form
 * (`(01)…(21)…`, optionally 10 and 17) → the SGTIN Digital Link `https://id.gs1.org/01/<gtin>/21/<serial>`.
 */
function drugCode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const code = tidy(value);
  orFail(checkDrugTraceCode(code) ?? code);
  if (/^\d{20}$/.test(code)) return `urn:suyuan:id:drug:${code}`;
  const elements = orFail(parseElementString(code));
  const part = (ai: string): string => elements.find((e) => e.ai === ai)?.value ?? '';
  return formatDigitalLink('01', toGtin14(part('01')), [['21', part('21')]]);
}

let latestRegion: string | undefined;

/** `$regionName`: the Chinese name of a GB/T 2260 code (`REGION_SYNTAX` unless 6 digits); `undefined` when unlisted. */
function region(code: string | undefined, version?: string): string | undefined {
  if (code === undefined) return undefined;
  const trimmed = code.trim();
  try {
    const v = version ?? (latestRegion ??= latestRegionVersion());
    const problem = checkRegion(trimmed, v);
    if (problem?.code === 'REGION_SYNTAX') throw new MappingFunctionError(problem);
    return regionName(trimmed, v);
  } catch (error) {
    if (error instanceof SuyuanError) throw new MappingFunctionError(issue(error.code, '没有该版本的行政区划代码表', error.message));
    throw error;
  }
}

function vocabulary(vocab: string): CbvVocabulary {
  if (Object.hasOwn(CBV_WORDS, vocab)) return vocab as CbvVocabulary;
  const known = Object.keys(CBV_WORDS).join(', ');
  throw new MappingFunctionError(issue('CBV_VOCABULARY', `没有 CBV 词表 ${vocab}`, `No CBV vocabulary ${vocab}; known: ${known}`));
}

const notAWord = (vocab: string, value: string): MappingFunctionError =>
  new MappingFunctionError(issue('CBV_WORD', `"${value}" 不是 ${vocab} 的 CBV 词`, `"${value}" is not a CBV word of ${vocab}`));

/** `$cbvUrn`: the URN of a CBV value in any form; other URIs (`urn:suyuan:bizstep:…`) pass unchanged. */
function cbvUrn(vocab: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = vocabulary(vocab);
  const word = cbvToWord(v, value);
  if (!isCbvWord(v, word)) {
    if (value.includes(':')) return value;
    throw notAWord(vocab, value);
  }
  const urn = cbvWordToUrn(v, word);
  if (urn === null) throw new MappingFunctionError(issue('CBV_NO_URN', `词表 ${vocab} 没有 URN 形式`, `Vocabulary ${vocab} has no URN form`));
  return urn;
}

/** `$cbvWord`: the bare word of a CBV value in any form; other URIs pass unchanged. */
function cbvWord(vocab: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = vocabulary(vocab);
  const word = cbvToWord(v, value);
  if (isCbvWord(v, word) || value.includes(':')) return word;
  throw notAWord(vocab, value);
}

/**
 * `$epcFromDigitalLink`: the EPC URN of a GS1 Digital Link. A Digital Link does not say where the GS1
 * Company Prefix ends: its length comes from the second argument, else from the binding
 * `$companyPrefixLength`, else the call fails with `EPC_PREFIX_LENGTH`.
 */
function epcFromDigitalLink(this: jsonata.Focus, uri: string | undefined, prefixLength?: number): string | undefined {
  if (uri === undefined) return undefined;
  orFail(parseDigitalLink(uri));
  const bound: unknown = this.environment.lookup('companyPrefixLength');
  const length = prefixLength ?? (typeof bound === 'number' ? bound : undefined);
  if (length === undefined || !Number.isInteger(length) || length < 6 || length > 12) {
    throw new MappingFunctionError(issue(
      'EPC_PREFIX_LENGTH', '需要 6–12 位的厂商识别代码长度（第二个参数或 $companyPrefixLength）',
      'The company prefix length (6–12) is needed: pass it, or bind companyPrefixLength',
    ));
  }
  const urn = digitalLinkToEpcUrn(uri, length);
  if (urn === null) throw new MappingFunctionError(issue('EPC_NO_URN', '该数字链接没有 EPC URN 形式', 'This Digital Link has no EPC URN form'));
  return urn;
}

/** `$digitalLink`: the canonical GS1 Digital Link of an EPC URN (`urn:epc:id|class|idpat:…`). */
function digitalLink(urn: string | undefined): string | undefined {
  if (urn === undefined) return undefined;
  const link = epcUrnToDigitalLink(urn.trim());
  if (link !== null) return link;
  orFail(parseEpcUrn(urn.trim()));
  throw new MappingFunctionError(issue('EPC_NO_DIGITAL_LINK', '该 EPC 没有数字链接形式', 'This EPC has no GS1 Digital Link form'));
}

/**
 * `<class-code>.<lot>` after `checkLotCode` (`LOT_SYNTAX`), or `undefined` when either part is missing. The
 * code splits at its first dot, so a class code with a dot is refused rather than read back differently.
 */
function lotCode(classCode: string | undefined, lot: string | undefined): string | undefined {
  if (classCode === undefined || lot === undefined) return undefined;
  const code = `${tidy(classCode)}.${tidy(lot)}`;
  const problem = checkLotCode(code) ?? (tidy(classCode).includes('.') ? issue('LOT_SYNTAX', '类别代码不能含“.”', 'A class code has no dot') : null);
  return orFail(problem ?? code);
}

const fromIssue = <T>(f: (text: string, offset?: string) => T | IdentifierIssue) =>
  (text: string | undefined, offset?: string): T | undefined => (text === undefined ? undefined : orFail(f(text, offset)));

/** Every domain function, in the order of the table in `README.md`. */
export const DOMAIN_FUNCTIONS: readonly DomainFunction[] = [
  { name: 'uscc', signature: '<s-:s>', implementation: uscc },
  { name: 'gtin', signature: '<s-:s>', implementation: gtin },
  { name: 'drugCode', signature: '<s-:s>', implementation: drugCode },
  { name: 'localTime', signature: '<s-s?:o>', implementation: fromIssue(localTime) },
  { name: 'utc', signature: '<s-s?:s>', implementation: fromIssue(utcTime) },
  { name: 'regionName', signature: '<s-s?:s>', implementation: region },
  { name: 'cbvUrn', signature: '<ss:s>', implementation: cbvUrn },
  { name: 'cbvWord', signature: '<ss:s>', implementation: cbvWord },
  { name: 'epcFromDigitalLink', signature: '<s-n?:s>', implementation: epcFromDigitalLink },
  { name: 'digitalLink', signature: '<s-:s>', implementation: digitalLink },
  { name: 'lotUrn', signature: '<ss:s>', implementation: (c: string | undefined, l: string | undefined) => mapDefined(lotCode(c, l), (code) => `urn:suyuan:id:lot:${code}`) },
  { name: 'lotClass', signature: '<ss:s>', implementation: (c: string | undefined, l: string | undefined) => mapDefined(lotCode(c, l), (code) => `urn:suyuan:class:lot:${code}`) },
];

function mapDefined<T, U>(value: T | undefined, f: (v: T) => U): U | undefined {
  return value === undefined ? undefined : f(value);
}
