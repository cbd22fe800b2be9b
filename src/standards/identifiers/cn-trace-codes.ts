// Chinese trace codes and codes of the plan's categories: drugs, pesticides, veterinary drugs, seeds,
// special equipment, detonators, customs commodity codes, and the event time-zone offset.
//
// Where DOMAIN.md marks a layout *unverified*, the details decided here are ours and each is
// written on its check; a correction changes that check and its tests, nothing else.
import { parseElementString } from './gs1-element-string.ts';
import { issue, isIdentifierIssue, type IdentifierIssue } from './issue.ts';

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * `drug-trace-code` (NMPA): either 20 digits (7-digit drug identification code + serial; no check
 * digit is published, none is checked), or the GS1 form as an element string with or without
 * parentheses: AI 01 (GTIN-14, check digit checked) and AI 21 (serial) required, 10 (batch) and
 * 17 (expiry `YYMMDD`) optional, in any order, no other AI. Issues: `DRUG_TRACE_CODE_SYNTAX`,
 * `DRUG_TRACE_CODE_ELEMENT` (a missing or foreign AI), and the GS1 codes of the element string.
 */
export function checkDrugTraceCode(value: string): IdentifierIssue | null {
  if (/^\d{20}$/.test(value)) return null;
  if (!value.startsWith('(') && !value.startsWith('01')) {
    return issue('DRUG_TRACE_CODE_SYNTAX', '药品追溯码应为 20 位数字或 GS1 元素串', 'A drug trace code is 20 digits or a GS1 element string');
  }
  const elements = parseElementString(value);
  if (isIdentifierIssue(elements)) return elements;
  const foreign = elements.find((e) => !['01', '21', '10', '17'].includes(e.ai));
  if (foreign) {
    return issue('DRUG_TRACE_CODE_ELEMENT', `药品追溯码不应含 (${foreign.ai})`, `A drug trace code may not carry AI (${foreign.ai})`);
  }
  for (const required of ['01', '21']) {
    if (!elements.some((e) => e.ai === required)) {
      return issue('DRUG_TRACE_CODE_ELEMENT', `药品追溯码缺少 (${required})`, `The drug trace code lacks AI (${required})`);
    }
  }
  return null;
}

/** `drug-id-code`: the 7-digit drug identification code. Issue: `DRUG_ID_CODE_SYNTAX`. */
export function checkDrugIdCode(value: string): IdentifierIssue | null {
  return /^\d{7}$/.test(value)
    ? null
    : issue('DRUG_ID_CODE_SYNTAX', '药品标识码应为 7 位数字', 'A drug identification code is 7 digits');
}

/**
 * `pesticide-code`: the 32-digit pesticide label code; the first digit is the registration class
 * (1 PD, 2 WP, 3 temporary). Positions 2–32 are not checked further (their layout is unverified).
 * Issues: `PESTICIDE_CODE_SYNTAX`, `PESTICIDE_CODE_CLASS`.
 */
export function checkPesticideCode(value: string): IdentifierIssue | null {
  if (!/^\d{32}$/.test(value)) {
    return issue('PESTICIDE_CODE_SYNTAX', '农药标签二维码追溯码应为 32 位数字', 'A pesticide label code is 32 digits');
  }
  if (!/^[1-3]/.test(value)) {
    return issue('PESTICIDE_CODE_CLASS', '第 1 位登记类别应为 1–3', 'The first digit (registration class) must be 1, 2 or 3');
  }
  return null;
}

/**
 * A pesticide registration certificate number, the code of `urn:suyuan:class:pesticide:…`.
 * Our decision: `PD`, `WP`, `LS` or `WL` followed by 8 digits (year and sequence, e.g.
 * `PD20080001`) or by the older 5 digits with an optional `-n` suffix (e.g. `PD85150-2`).
 * Issue: `PESTICIDE_REGISTRATION_SYNTAX`.
 */
export function checkPesticideRegistration(value: string): IdentifierIssue | null {
  return /^(PD|WP|LS|WL)(\d{8}|\d{5}(-\d{1,3})?)$/.test(value)
    ? null
    : issue('PESTICIDE_REGISTRATION_SYNTAX', '农药登记证号格式错误', 'Not a pesticide registration number (e.g. PD20080001)');
}

/**
 * `vet-drug-code`: 24 digits whose positions 1–8 are a real calendar date `YYYYMMDD`. Our decision:
 * the year is 2000–2099 (the code system is recent; a check has no clock to test "not in the future").
 * Issues: `VET_DRUG_CODE_SYNTAX`, `VET_DRUG_CODE_DATE`.
 */
export function checkVetDrugCode(value: string): IdentifierIssue | null {
  const m = /^(\d{4})(\d{2})(\d{2})\d{16}$/.exec(value);
  if (!m) return issue('VET_DRUG_CODE_SYNTAX', '兽药追溯码应为 24 位数字', 'A veterinary drug code is 24 digits');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return issue('VET_DRUG_CODE_DATE', '第 1–8 位不是有效日期', 'Positions 1–8 are not a valid date YYYYMMDD');
  }
  return null;
}

/** `seed-unit-code`: 1 to 20 ASCII letters and digits. Issue: `SEED_UNIT_CODE_SYNTAX`. */
export function checkSeedUnitCode(value: string): IdentifierIssue | null {
  return /^[A-Za-z0-9]{1,20}$/.test(value)
    ? null
    : issue('SEED_UNIT_CODE_SYNTAX', '单元识别代码应为不超过 20 位的字母或数字', 'A seed unit code is at most 20 letters and digits');
}

/**
 * `seed-label`: the seed label QR content, four lines separated by LF or CRLF (one trailing line
 * break allowed): variety name, producer or importer, unit code (`seed-unit-code`), http(s) trace
 * URL. Our decision: spaces around a line are ignored. Issues: `SEED_LABEL_LINES`,
 * `SEED_UNIT_CODE_SYNTAX`, `SEED_LABEL_URL`.
 */
export function checkSeedLabel(value: string): IdentifierIssue | null {
  const lines = value.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => l.trim());
  if (lines.length !== 4 || lines.some((l) => l === '')) {
    return issue('SEED_LABEL_LINES', '种子标签二维码应为四行非空内容', 'A seed label holds four non-empty lines');
  }
  const unit = checkSeedUnitCode(lines[2] ?? '');
  if (unit) return unit;
  let url: URL | undefined;
  try {
    url = new URL(lines[3] ?? '');
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return issue('SEED_LABEL_URL', '第四行应为追溯网址', 'The fourth line must be an http(s) trace URL');
  }
  return null;
}

/**
 * `special-equipment-code`: 18 characters, variety (4 digits) + manufacturer (5 digits or capitals)
 * + year of manufacture (4 digits) + sequence (5 digits). Our decision: a plausible year is
 * 1950–2099 (a check has no clock). Issues: `SPECIAL_EQUIPMENT_CODE_SYNTAX`, `SPECIAL_EQUIPMENT_CODE_YEAR`.
 */
export function checkSpecialEquipmentCode(value: string): IdentifierIssue | null {
  const m = /^\d{4}[0-9A-Z]{5}(\d{4})\d{5}$/.exec(value);
  if (!m) {
    return issue('SPECIAL_EQUIPMENT_CODE_SYNTAX', '特种设备代码应为 18 位：品种 4 + 制造单位 5 + 年份 4 + 顺序号 5', 'A special equipment code is 4 variety + 5 manufacturer + 4 year + 5 sequence');
  }
  const year = Number(m[1]);
  if (year < 1950 || year > 2099) {
    return issue('SPECIAL_EQUIPMENT_CODE_YEAR', `制造年份 ${year} 不合理`, `Year of manufacture ${year} is not plausible`);
  }
  return null;
}

/**
 * `detonator-code` (GA 441): 13 characters, enterprise (2 digits) + last digit of the year +
 * month (01–12) + day + feature (1 digit or capital, our decision) + sequence (5 digits). The day
 * must exist in the month; 29 February is accepted because the year is known only by its last digit.
 * Issues: `DETONATOR_CODE_SYNTAX`, `DETONATOR_CODE_DATE`.
 */
export function checkDetonatorCode(value: string): IdentifierIssue | null {
  const m = /^\d{2}\d(\d{2})(\d{2})[0-9A-Z]\d{5}$/.exec(value);
  if (!m) {
    return issue('DETONATOR_CODE_SYNTAX', '雷管编码应为 13 位：企业 2 + 年 1 + 月 2 + 日 2 + 特征 1 + 流水 5', 'A detonator code is 2 enterprise + 1 year + 2 month + 2 day + 1 feature + 5 sequence');
  }
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) {
    return issue('DETONATOR_CODE_DATE', '雷管编码中的月、日无效', 'The month or day in the detonator code is not valid');
  }
  return null;
}

/** `hs-code`: a Chinese customs commodity code, 8 or 10 digits. Issue: `HS_CODE_SYNTAX`. */
export function checkHsCode(value: string): IdentifierIssue | null {
  return /^(\d{8}|\d{10})$/.test(value)
    ? null
    : issue('HS_CODE_SYNTAX', '海关商品编码应为 8 或 10 位数字', 'A customs commodity code is 8 or 10 digits');
}

/** `tz-offset`: `±hh:mm` with minutes 00–59, from -12:00 to +14:00. Issues: `TZ_OFFSET_SYNTAX`, `TZ_OFFSET_RANGE`. */
export function checkTzOffset(value: string): IdentifierIssue | null {
  const m = /^([+-])(\d\d):([0-5]\d)$/.exec(value);
  if (!m) return issue('TZ_OFFSET_SYNTAX', '时区偏移应写作 ±hh:mm', 'A time-zone offset is written ±hh:mm');
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  if (minutes < -720 || minutes > 840) {
    return issue('TZ_OFFSET_RANGE', '时区偏移应在 -12:00 到 +14:00 之间', 'A time-zone offset lies between -12:00 and +14:00');
  }
  return null;
}
