// The `epc` and `epc-class` formats: EPC URNs (GS1 Tag Data Standard), Digital Links, local trace-code URNs.
import {
  checkDetonatorCode, checkDrugIdCode, checkDrugTraceCode, checkPesticideCode, checkPesticideRegistration,
  checkSeedUnitCode, checkSpecialEquipmentCode, checkVetDrugCode,
} from './cn-trace-codes.ts';
import { looksLikeDigitalLink, parseDigitalLink, type DigitalLink } from './digital-link.ts';
import { checkEpcComponents, EPC_CLASS_SCHEMES, EPC_ID_SCHEMES } from './epc-schemes.ts';
import { issue, isIdentifierIssue, own, type IdentifierCheck, type IdentifierIssue } from './issue.ts';

/** An EPC URN split into its parts; `components` are as written (percent-escapes kept). */
export interface EpcUrn {
  /** `id` (`urn:epc:id:…`), `class` (`urn:epc:class:…`) or `idpat` (`urn:epc:idpat:…`). */
  readonly kind: 'id' | 'class' | 'idpat';
  readonly scheme: string;
  readonly components: readonly string[];
}

/**
 * Parses and checks an EPC pure-identity URN (`urn:epc:id:<scheme>:…`), EPC class URN
 * (`urn:epc:class:lgtin:…`) or identity pattern (`urn:epc:idpat:<scheme>:…`, where trailing
 * components may be `*`). Components are checked per scheme as `epc-schemes.ts` describes.
 * Issues: `EPC_SYNTAX`, `EPC_SCHEME` (a scheme the Tag Data Standard does not define), `EPC_CHECK_DIGIT`.
 */
export function parseEpcUrn(uri: string): EpcUrn | IdentifierIssue {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/.exec(uri);
  if (!m) return issue('EPC_SYNTAX', 'EPC URN 应写作 urn:epc:id|class|idpat:<方案>:…', 'An EPC URN is urn:epc:id|class|idpat:<scheme>:…');
  const kind = m[1] as EpcUrn['kind'];
  const scheme = m[2] ?? '';
  const spec = own(kind === 'class' ? EPC_CLASS_SCHEMES : EPC_ID_SCHEMES, scheme);
  if (!spec) return issue('EPC_SCHEME', `未知的 EPC 方案 ${kind}:${scheme}`, `Unknown EPC scheme ${kind}:${scheme}`);
  const components = checkEpcComponents(scheme, spec, m[3] ?? '', kind === 'idpat');
  if (isIdentifierIssue(components)) return components;
  return { kind, scheme, components };
}

const LOT = /^([A-Za-z0-9-]{1,30})\.((?:[A-Za-z0-9\-._!'()*+,:;=]|%[0-9A-Fa-f]{2}){1,20})$/;

/**
 * The code of `urn:suyuan:id:lot:…`: `<class-code>.<lot>`, split at the first dot. Our decision:
 * the class code is 1–30 letters, digits and hyphens (a drug identification code, a pesticide
 * registration number, a GTIN…); the lot is 1–20 URN-safe characters. Issue: `LOT_SYNTAX`.
 */
export function checkLotCode(value: string): IdentifierIssue | null {
  return LOT.test(value) ? null : issue('LOT_SYNTAX', '批次标识应写作 <类别代码>.<批号>', 'A lot is written <class-code>.<lot>');
}

/** The check of the code in `urn:suyuan:id:<kind>:<code>`, by kind. */
export const SUYUAN_ID_KINDS: Readonly<Record<string, IdentifierCheck>> = {
  drug: checkDrugTraceCode, pesticide: checkPesticideCode, vetdrug: checkVetDrugCode, seed: checkSeedUnitCode,
  se: checkSpecialEquipmentCode, detonator: checkDetonatorCode, lot: checkLotCode,
};

/**
 * The check of the code in `urn:suyuan:class:<kind>:<code>`, by kind: `drug` (7-digit drug
 * identification code), `pesticide` (registration number) and, our decision, `lot` (a lot is a class
 * in EPCIS terms, as `urn:epc:class:lgtin` is).
 */
export const SUYUAN_CLASS_KINDS: Readonly<Record<string, IdentifierCheck>> = {
  drug: checkDrugIdCode, pesticide: checkPesticideRegistration, lot: checkLotCode,
};

/**
 * What a value identifies: one object, a class the `epc-class` format accepts, a class it does not
 * accept (a GMN, a GRAI without serial…), or nothing known (any other absolute URI).
 */
type Level = 'instance' | 'class' | 'other-class' | 'other';
interface Classified {
  readonly level: Level;
  readonly issue: IdentifierIssue | null;
}

function classifySuyuan(value: string): Classified {
  const m = /^urn:suyuan:(id|class):([a-z]+):(.+)$/.exec(value);
  if (!m) {
    return { level: 'other', issue: issue('EPC_SYNTAX', '本地追溯码应写作 urn:suyuan:id|class:<种类>:<代码>', 'A local trace code is urn:suyuan:id|class:<kind>:<code>') };
  }
  const level: Level = m[1] === 'id' ? 'instance' : 'class';
  const check = own(level === 'instance' ? SUYUAN_ID_KINDS : SUYUAN_CLASS_KINDS, m[2] ?? '');
  if (!check) return { level, issue: issue('SUYUAN_KIND', `未知的本地代码种类 ${m[1]}:${m[2]}`, `Unknown local code kind ${m[1]}:${m[2]}`) };
  let code: string;
  try {
    code = decodeURIComponent(m[3] ?? '');
  } catch {
    return { level, issue: issue('EPC_SYNTAX', '百分号编码错误', 'Bad percent-encoding') };
  }
  return { level, issue: check(code) };
}

/** Whether a Digital Link names one object (`instance`) or a class of objects. */
export function digitalLinkLevel(link: DigitalLink): 'instance' | 'class' {
  const ais = link.qualifiers.map((q) => q.ai);
  const { ai, value } = link.primaryKey;
  if (ai === '01' || ai === '8006') return ais.includes('21') || ais.includes('235') ? 'instance' : 'class';
  if (ai === '8010') return ais.includes('8011') ? 'instance' : 'class';
  if (ai === '8003') return value.length > 14 ? 'instance' : 'class';
  if (ai === '253' || ai === '255') return value.length > 13 ? 'instance' : 'class';
  return ai === '8013' ? 'class' : 'instance';
}

function classify(value: string): Classified {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value)) {
    return { level: 'other', issue: issue('EPC_SYNTAX', '不是绝对 URI', 'Not an absolute URI') };
  }
  if (/^urn:epc:/i.test(value)) {
    const urn = parseEpcUrn(value);
    if (isIdentifierIssue(urn)) return { level: 'other', issue: urn };
    return { level: urn.kind === 'id' ? 'instance' : 'class', issue: null };
  }
  if (/^urn:suyuan:/i.test(value)) return classifySuyuan(value);
  if (looksLikeDigitalLink(value)) {
    const link = parseDigitalLink(value);
    if (isIdentifierIssue(link)) return { level: 'other', issue: link };
    if (digitalLinkLevel(link) === 'instance') return { level: 'instance', issue: null };
    const lotClass = link.primaryKey.ai === '01' && link.qualifiers.every((q) => q.ai === '22' || q.ai === '10');
    return { level: lotClass ? 'class' : 'other-class', issue: null };
  }
  return { level: 'other', issue: null };
}

/**
 * `epc`: an instance identifier: an EPC pure-identity URN, a GS1 Digital Link naming one object
 * (with a serial where the key needs one), `urn:suyuan:id:<kind>:<code>` checked by its kind, or
 * any other absolute URI (`scheme:rest`, no spaces). Class identifiers are refused with
 * `EPC_NOT_INSTANCE`, before any problem in their code; otherwise the issue is the URN's, the
 * Digital Link's or the kind's own (`EPC_SYNTAX`, `EPC_SCHEME`, `SUYUAN_KIND`, `GS1_CHECK_DIGIT`, …).
 */
export function checkEpc(value: string): IdentifierIssue | null {
  const { level, issue: problem } = classify(value);
  if (level === 'class' || level === 'other-class') {
    return issue('EPC_NOT_INSTANCE', '这是类别标识，不是单品标识', 'This identifies a class, not one object');
  }
  return problem;
}

/**
 * `epc-class`: a class identifier: `urn:epc:class:lgtin:…`, `urn:epc:idpat:…`, a Digital Link with
 * key 01 and no qualifier but 22 and 10, or `urn:suyuan:class:<kind>:<code>`. Instance identifiers
 * and any other URI are refused with `EPC_NOT_CLASS`; otherwise the issue is the code's own.
 */
export function checkEpcClass(value: string): IdentifierIssue | null {
  const { level, issue: problem } = classify(value);
  const notClass = issue('EPC_NOT_CLASS', '不是本标准接受的类别标识', 'Not a class identifier the standard accepts');
  if (level === 'instance' || level === 'other-class') return notClass;
  return problem ?? (level === 'class' ? null : notClass);
}
