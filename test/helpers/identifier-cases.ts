// The identifier checks' test data: valid and invalid cases of every format, and generators written from DOMAIN.md
// (see ../identifiers.test.ts).
import { IDENTIFIER_FORMATS } from '../../src/standards/identifiers/index.ts';

// Independent generators, written from DOMAIN.md, so that test data does not lean on the code under test.

/** Appends the GS1 mod-10 check digit. */
export function withCheckDigit(data: string): string {
  let sum = 0;
  [...data].reverse().forEach((d, i) => (sum += Number(d) * (i % 2 === 0 ? 3 : 1)));
  return data + String((10 - (sum % 10)) % 10);
}

export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * A USCC from its first 8 characters and the 8-character organisation code body, both checks
 * computed unless `wrongOrgCheck` (then the organisation check is off by one, the USCC check still right).
 */
export function makeUscc(first8: string, orgBody: string, wrongOrgCheck = false): string {
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
  const orgSum = [...orgBody].reduce((s, ch, i) => s + parseInt(ch, 36) * (orgWeights[i] ?? 0), 0);
  let c = 11 - (orgSum % 11);
  if (wrongOrgCheck) c = c === 1 ? 2 : 1;
  const orgCheck = c === 10 ? 'X' : c === 11 ? '0' : String(c);
  const first17 = first8 + orgBody + orgCheck;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, ch, i) => s + USCC_CHARS.indexOf(ch) * (weights[i] ?? 0), 0);
  return first17 + USCC_CHARS.charAt((31 - (sum % 31)) % 31);
}

export const code = (format: string, value: string): string | null => {
  const check = IDENTIFIER_FORMATS[format];
  if (!check) throw new Error(`no format ${format}`);
  return check(value)?.code ?? null;
};

export const GTIN13 = withCheckDigit('690123456789'); // 6901234567892, as DOMAIN.md
export const GTIN14 = withCheckDigit('0690123456789');
export const GS = '\u001d';

/** Every format: values that MUST pass, and values that MUST fail with the given code. */
export const CASES: Record<string, { valid: string[]; invalid: [string, string][] }> = {
  gtin: {
    valid: ['6901234567892', '12345678901231', withCheckDigit('6901234'), withCheckDigit('01234567890'), GTIN14],
    invalid: [['690123456789X', 'GS1_CHARSET'], ['69012345678', 'GS1_LENGTH'], ['6901234567891', 'GS1_CHECK_DIGIT'], ['', 'GS1_CHARSET']],
  },
  gln: {
    valid: [withCheckDigit('690123400001')],
    invalid: [['12345678901231', 'GS1_LENGTH'], [withCheckDigit('690123400001').replace(/.$/, (d) => String((Number(d) + 1) % 10)), 'GS1_CHECK_DIGIT']],
  },
  sscc: {
    valid: ['123456789012345675', withCheckDigit('36901234000000001')],
    invalid: [['123456789012345670', 'GS1_CHECK_DIGIT'], ['12345678901234567', 'GS1_LENGTH'], ['1234567890123456 5', 'GS1_CHARSET']],
  },
  'gs1-digital-link': {
    valid: [
      'https://id.gs1.org/01/12345678901231/21/9999',
      `https://trace.example.cn/p/q/01/${GTIN14}/22/V1/10/L%2F01/21/S1?17=270131&3103=000525&utm=x`,
      `https://example.com/01/${GTIN13}?17=280200`,
      'https://id.gs1.org/00/123456789012345675',
      `https://id.gs1.org/414/${withCheckDigit('690123400001')}/254/DOCK-3`,
      `https://id.gs1.org/8003/0${withCheckDigit('690123400001')}A17`,
      'https://id.gs1.org/8004/6901234XYZ-1',
      `https://id.gs1.org/8018/${withCheckDigit('69012340000000001')}/8019/12`,
      `https://id.gs1.org/253/${withCheckDigit('690123400001')}INV42`,
      'https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K',
      `http://example.com:8080/01/${GTIN14}/235/TPX1`,
    ],
    invalid: [
      ['ftp://id.gs1.org/01/12345678901231', 'DL_SYNTAX'],
      ['https://id.gs1.org/01/12345678901231/', 'DL_SYNTAX'],
      ['https://id.gs1.org/01/12345678901231/21/A B', 'DL_SYNTAX'],
      ['https://id.gs1.org/01/12345678901231/21/%E0%A4%A', 'DL_SYNTAX'],
      ['https://example.com/products/123', 'DL_PRIMARY_KEY'],
      ['https://id.gs1.org/01/12345678901234', 'GS1_CHECK_DIGIT'],
      ['https://id.gs1.org/01/1234567890123', 'GS1_CHECK_DIGIT'],
      ['https://id.gs1.org/01/12345678901231/21/S1/10/L1', 'DL_QUALIFIER_ORDER'],
      ['https://id.gs1.org/01/12345678901231/10/L1/10/L2', 'DL_QUALIFIER_ORDER'],
      ['https://id.gs1.org/01/12345678901231/235/T/21/S', 'DL_QUALIFIER_ORDER'],
      ['https://id.gs1.org/01/12345678901231/254/X', 'DL_QUALIFIER'],
      ['https://id.gs1.org/00/123456789012345675/21/1', 'DL_QUALIFIER'],
      ['https://id.gs1.org/01/12345678901231?17=271301', 'GS1_DATE'],
      ['https://id.gs1.org/01/12345678901231?17=270230', 'GS1_DATE'],
      ['https://id.gs1.org/01/12345678901231?17=2701', 'GS1_LENGTH'],
      ['https://id.gs1.org/01/12345678901231?21=S1', 'DL_ATTRIBUTE'],
      ['https://id.gs1.org/01/12345678901231?17=270101&17=270102', 'DL_ATTRIBUTE'],
      ['https://id.gs1.org/01/12345678901231/10/%C3%A9', 'GS1_CHARSET'],
      ['https://id.gs1.org/01/12345678901231/21/123456789012345678901', 'GS1_LENGTH'],
      ['https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310cXK', 'GS1_CHECK_PAIR'],
      ['https://id.gs1.org/8018/123456789012345678/8019/1', 'GS1_CHECK_DIGIT'],
    ],
  },
  epc: {
    valid: [
      'urn:epc:id:sgtin:2345678901.123.9999',
      "urn:epc:id:sgtin:0614141.112345.A%2Fb-._!'()*+,:;=%22",
      'urn:epc:id:sscc:0614141.1234567890',
      'urn:epc:id:sgln:0614141.12345.400',
      'urn:epc:id:sgln:061414112345..0',
      'urn:epc:id:grai:0614141.12345.400',
      'urn:epc:id:giai:0614141.12345.400',
      'urn:epc:id:gsrn:0614141.1234567890',
      'urn:epc:id:gsrnp:0614141.1234567890',
      'urn:epc:id:gdti:0614141.12345.400',
      'urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345',
      'urn:epc:id:sgcn:4012345.67890.04711',
      'urn:epc:id:ginc:0614141.xyz47%2F11',
      'urn:epc:id:gsin:0614141.123456789',
      'urn:epc:id:itip:4012345.012345.01.02.987',
      "urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB",
      'urn:epc:id:pgln:1234567.89012',
      'urn:epc:id:gid:95100000.12345.400',
      'urn:epc:id:usdod:2S194.12345678901',
      'urn:epc:id:adi:W81X9C.3KL984PX1.2WMA52',
      'urn:epc:id:adi:2S194..%23A1',
      'urn:epc:id:bic:CSQU3054383',
      'urn:epc:id:imovn:9176187',
      'https://id.gs1.org/01/12345678901231/21/9999',
      'https://id.gs1.org/00/123456789012345675',
      'https://example.org/things/1',
      'urn:uuid:9d2b7f3a-2c55-4c7e-9a41-5f0f5b7d8e11',
      'urn:suyuan:id:drug:81234560000000000012',
      `urn:suyuan:id:drug:(01)${GTIN14}(17)270101(10)B1(21)S0001`,
      `urn:suyuan:id:pesticide:1${'2'.repeat(31)}`,
      `urn:suyuan:id:vetdrug:20240229${'0'.repeat(16)}`,
      'urn:suyuan:id:seed:A1B2C3',
      'urn:suyuan:id:se:311031010201500001',
      'urn:suyuan:id:detonator:5340229A00001',
      'urn:suyuan:id:lot:8123456.B2024-01',
    ],
    invalid: [
      ['not a uri', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtin:2345678901.123.99 99', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtin:2345678901.12.9999', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtin:23456.12345678.9999', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtin:2345678901.123.a/b', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtin:2345678901.123', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtin:2345678901.123.123456789012345678901', 'EPC_SYNTAX'],
      ['urn:epc:id:gid:95100000.012345.400', 'EPC_SYNTAX'],
      ['URN:EPC:ID:SGTIN:2345678901.123.9999', 'EPC_SYNTAX'],
      ['urn:epc:id:sgtn:2345678901.123.9999', 'EPC_SCHEME'],
      ['urn:epc:class:sgtin:2345678901.123.9999', 'EPC_SCHEME'],
      ['urn:epc:id:bic:CSQU3054384', 'EPC_CHECK_DIGIT'],
      ['urn:epc:id:imovn:9176188', 'EPC_CHECK_DIGIT'],
      ['urn:epc:class:lgtin:4012345.012345.998877', 'EPC_NOT_INSTANCE'],
      ['urn:epc:idpat:sgtin:4012345.012345.*', 'EPC_NOT_INSTANCE'],
      ['https://id.gs1.org/01/12345678901231/10/L1', 'EPC_NOT_INSTANCE'],
      ['https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K', 'EPC_NOT_INSTANCE'],
      ['urn:suyuan:class:drug:8123456', 'EPC_NOT_INSTANCE'],
      ['https://id.gs1.org/01/12345678901234/21/1', 'GS1_CHECK_DIGIT'],
      ['urn:suyuan:id:cheese:123', 'SUYUAN_KIND'],
      ['urn:suyuan:bizstep:filling', 'EPC_SYNTAX'],
      ['urn:suyuan:id:drug:8123456000000000001', 'DRUG_TRACE_CODE_SYNTAX'],
      [`urn:suyuan:id:pesticide:4${'2'.repeat(31)}`, 'PESTICIDE_CODE_CLASS'],
      [`urn:suyuan:id:vetdrug:20230229${'0'.repeat(16)}`, 'VET_DRUG_CODE_DATE'],
      ['urn:suyuan:id:seed:A1B2C3-', 'SEED_UNIT_CODE_SYNTAX'],
      ['urn:suyuan:id:se:311031010180000001', 'SPECIAL_EQUIPMENT_CODE_YEAR'],
      ['urn:suyuan:id:detonator:5341329A00001', 'DETONATOR_CODE_DATE'],
      ['urn:suyuan:id:lot:8123456', 'LOT_SYNTAX'],
      ['urn:suyuan:id:drug:%E0%A4%A', 'EPC_SYNTAX'],
    ],
  },
  'epc-class': {
    valid: [
      'urn:epc:class:lgtin:4012345.012345.998877',
      'urn:epc:idpat:sgtin:4012345.012345.*',
      'urn:epc:idpat:sgtin:4012345.*.*',
      'urn:epc:idpat:sscc:*.*',
      'https://id.gs1.org/01/12345678901231/10/L1',
      'https://id.gs1.org/01/12345678901231',
      'https://id.gs1.org/01/12345678901231/22/V2/10/L1',
      'urn:suyuan:class:drug:8123456',
      'urn:suyuan:class:pesticide:PD20080001',
      'urn:suyuan:class:pesticide:PD85150-2',
      'urn:suyuan:class:lot:PD20080001.2024A',
    ],
    invalid: [
      ['urn:epc:id:sgtin:2345678901.123.9999', 'EPC_NOT_CLASS'],
      ['https://id.gs1.org/01/12345678901231/21/9999', 'EPC_NOT_CLASS'],
      ['https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K', 'EPC_NOT_CLASS'],
      ['https://example.org/classes/1', 'EPC_NOT_CLASS'],
      ['urn:suyuan:id:drug:81234560000000000012', 'EPC_NOT_CLASS'],
      ['urn:epc:idpat:sgtin:*.012345.*', 'EPC_SYNTAX'],
      ['urn:epc:class:lgtin:4012345.01234.998877', 'EPC_SYNTAX'],
      ['https://id.gs1.org/01/12345678901234/10/L1', 'GS1_CHECK_DIGIT'],
      ['urn:suyuan:class:drug:81234567', 'DRUG_ID_CODE_SYNTAX'],
      ['urn:suyuan:class:pesticide:XX20080001', 'PESTICIDE_REGISTRATION_SYNTAX'],
      ['urn:suyuan:class:seed:ABC', 'SUYUAN_KIND'],
      ['class', 'EPC_SYNTAX'],
    ],
  },
  uscc: {
    valid: ['91350100M000100Y43', '91110000600037341L', makeUscc('91320100', 'MA1X2Y3K'), makeUscc('52320000', '50000000')],
    invalid: [
      ['91350100M000100Y4', 'USCC_LENGTH'],
      ['91350100M000100Y433', 'USCC_LENGTH'],
      ['91350100M000100I43', 'USCC_CHARSET'],
      ['91350100m000100y43', 'USCC_CHARSET'],
      [makeUscc('9132A100', 'MA1X2Y3K'), 'USCC_REGION'],
      ['91350100M000100Y44', 'USCC_CHECK'],
      [makeUscc('91320100', 'MA1X2Y3K', true), 'USCC_ORG_CHECK'],
    ],
  },
  'drug-trace-code': {
    valid: [
      '81234560000000000012',
      `(01)${GTIN14}(17)270101(10)B1(21)S0001`,
      `(01)${GTIN14}(21)S0001`,
      `(21)S0001(01)${GTIN14}`,
      `01${GTIN14}17270101` + `10B1${GS}21S0001`,
      `01${GTIN14}21S0001`,
    ],
    invalid: [
      ['8123456000000000001', 'DRUG_TRACE_CODE_SYNTAX'],
      ['A1234560000000000012', 'DRUG_TRACE_CODE_SYNTAX'],
      [`(01)${GTIN14}(10)B1`, 'DRUG_TRACE_CODE_ELEMENT'],
      [`(01)${GTIN14}(11)270101(21)S1`, 'DRUG_TRACE_CODE_ELEMENT'],
      [`(01)06901234567890(21)S1`, 'GS1_CHECK_DIGIT'],
      [`(01)${GTIN14}(17)271301(21)S1`, 'GS1_DATE'],
      [`(01)${GTIN14}(21)`, 'GS1_LENGTH'],
      [`(01)${GTIN14}(21)S1(21)S2`, 'GS1_ELEMENT_SYNTAX'],
      [`(01)${GTIN14}(21)S1)`, 'GS1_ELEMENT_SYNTAX'],
      [`01${GTIN14}99X`, 'GS1_AI_UNKNOWN'],
      [`01${GTIN14}10B121S1`, 'DRUG_TRACE_CODE_ELEMENT'],
      [`01${GTIN14.slice(0, 10)}`, 'GS1_ELEMENT_SYNTAX'],
    ],
  },
  'drug-id-code': {
    valid: ['8123456', '0000001'],
    invalid: [['812345', 'DRUG_ID_CODE_SYNTAX'], ['81234567', 'DRUG_ID_CODE_SYNTAX'], ['812345A', 'DRUG_ID_CODE_SYNTAX']],
  },
  'pesticide-code': {
    valid: [`1${'0'.repeat(31)}`, `2${'9'.repeat(31)}`, `3${'12345678'.repeat(3)}1234567`],
    invalid: [[`4${'0'.repeat(31)}`, 'PESTICIDE_CODE_CLASS'], [`0${'0'.repeat(31)}`, 'PESTICIDE_CODE_CLASS'], ['1'.repeat(31), 'PESTICIDE_CODE_SYNTAX'], [`1${'0'.repeat(30)}A`, 'PESTICIDE_CODE_SYNTAX']],
  },
  'vet-drug-code': {
    valid: [`20240229${'1'.repeat(16)}`, `20151231${'0'.repeat(16)}`],
    invalid: [
      [`20230229${'1'.repeat(16)}`, 'VET_DRUG_CODE_DATE'],
      [`20241301${'1'.repeat(16)}`, 'VET_DRUG_CODE_DATE'],
      [`20240431${'1'.repeat(16)}`, 'VET_DRUG_CODE_DATE'],
      [`19991231${'1'.repeat(16)}`, 'VET_DRUG_CODE_DATE'],
      [`20240101${'1'.repeat(15)}`, 'VET_DRUG_CODE_SYNTAX'],
    ],
  },
  'seed-unit-code': {
    valid: ['A1B2C3', '1', 'abcdefghij0123456789'],
    invalid: [['', 'SEED_UNIT_CODE_SYNTAX'], ['abcdefghij01234567890', 'SEED_UNIT_CODE_SYNTAX'], ['AB-12', 'SEED_UNIT_CODE_SYNTAX'], ['种子01', 'SEED_UNIT_CODE_SYNTAX']],
  },
  'seed-label': {
    valid: ['郑单958\n河南秋乐种业科技股份有限公司\nA1B2C3\nhttps://zzxx.example.cn/s/A1B2C3', '品种\r\n公司\r\nX1\r\nhttp://trace.example.cn/x\r\n'],
    invalid: [
      ['郑单958\n公司\nA1B2C3', 'SEED_LABEL_LINES'],
      ['郑单958\n\nA1B2C3\nhttps://x.example.cn/', 'SEED_LABEL_LINES'],
      ['郑单958\n公司\nA1B2C3\nhttps://x.example.cn/\nextra', 'SEED_LABEL_LINES'],
      ['郑单958\n公司\nA1-B2\nhttps://x.example.cn/', 'SEED_UNIT_CODE_SYNTAX'],
      ['郑单958\n公司\nA1B2C3\nftp://x.example.cn/', 'SEED_LABEL_URL'],
      ['郑单958\n公司\nA1B2C3\nnot a url', 'SEED_LABEL_URL'],
    ],
  },
  'special-equipment-code': {
    valid: ['311031010201500001', '2310AB12C199900123'],
    invalid: [['31103101020150000', 'SPECIAL_EQUIPMENT_CODE_SYNTAX'], ['3110310ab201500001', 'SPECIAL_EQUIPMENT_CODE_SYNTAX'], ['311031010190000001', 'SPECIAL_EQUIPMENT_CODE_YEAR'], ['311031010210000001', 'SPECIAL_EQUIPMENT_CODE_YEAR']],
  },
  'detonator-code': {
    valid: ['5340229A00001', '0191231100000'],
    invalid: [
      ['534022A00001', 'DETONATOR_CODE_SYNTAX'],
      ['5340229a00001', 'DETONATOR_CODE_SYNTAX'],
      ['5341329A00001', 'DETONATOR_CODE_DATE'],
      ['5340431A00001', 'DETONATOR_CODE_DATE'],
      ['5340100A00001', 'DETONATOR_CODE_DATE'],
      ['5340230A00001', 'DETONATOR_CODE_DATE'],
    ],
  },
  'tz-offset': {
    valid: ['+08:00', '-12:00', '+14:00', '-00:00', '+05:45', '-03:30'],
    invalid: [['+14:30', 'TZ_OFFSET_RANGE'], ['-12:30', 'TZ_OFFSET_RANGE'], ['08:00', 'TZ_OFFSET_SYNTAX'], ['+8:00', 'TZ_OFFSET_SYNTAX'], ['+08:60', 'TZ_OFFSET_SYNTAX'], ['Z', 'TZ_OFFSET_SYNTAX'], ['+0800', 'TZ_OFFSET_SYNTAX']],
  },
  'hs-code': {
    valid: ['22042100', '2204210000'],
    invalid: [['220421', 'HS_CODE_SYNTAX'], ['220421000', 'HS_CODE_SYNTAX'], ['2204.21.00', 'HS_CODE_SYNTAX']],
  },
};
