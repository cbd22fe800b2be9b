// The domain functions of every mapping, valid and invalid, called from JSONata; local times across midnight and the date line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import { DOMAIN_FUNCTIONS, localTime, MappingEngine, utcTime } from '../src/mapping/index.ts';

// Generous limits: the limits themselves are tested in mapping-engine.test.ts; here a loaded machine must not fail a case.
const engine = new MappingEngine({ limits: { timeoutMs: 10_000 } });
const NOW = new Date('2026-03-01T00:30:00.000Z');

/** Evaluates a JSONata expression in a mapping; `$a`, `$b` are bound to `args`. */
const call = (expression: string, bindings: Record<string, unknown> = {}): Promise<unknown> =>
  engine.evaluate({ id: 'functions', version: '1.0.0', source: expression }, {}, { now: NOW, bindings });

/** The problem (or JSONata) code a call fails with, as MAPPING_FAILED. */
async function problemOf(expression: string, bindings: Record<string, unknown> = {}): Promise<unknown> {
  try {
    await call(expression, bindings);
  } catch (error) {
    expect(error).toBeInstanceOf(SuyuanError);
    expect((error as SuyuanError).code).toBe('MAPPING_FAILED');
    const { detail } = error as SuyuanError;
    return detail.problem ?? detail.jsonataCode;
  }
  throw new Error(`${expression} did not fail`);
}

type Valid = readonly [expression: string, expected: unknown];
type Invalid = readonly [expression: string, problem: string];

function table(name: string, valid: readonly Valid[], invalid: readonly Invalid[]): void {
  describe(name, () => {
    it.each(valid)('%s → %j', async (expression, expected) => {
      expect(await call(expression)).toEqual(expected);
    });
    it.each(invalid)('%s fails with %s', async (expression, problem) => {
      expect(await problemOf(expression)).toBe(problem);
    });
  });
}

table('$uscc', [
  ["$uscc('91350100M000100Y43')", '91350100M000100Y43'],
  ["$uscc('  91110000600037341l ')", '91110000600037341L'],
  ["$uscc('９１３５０１００Ｍ０００１００Ｙ４３')", '91350100M000100Y43'],
], [
  ["$uscc('9135010')", 'USCC_LENGTH'],
  ["$uscc('91350100M00010OY43')", 'USCC_CHARSET'],
  ["$uscc('91350100M000100Y44')", 'USCC_CHECK'],
  ["$uscc(91350100)", 'T0410'],
]);

table('$gtin', [
  ["$gtin('6901234567892')", '06901234567892'],
  ["$gtin('12345678901231')", '12345678901231'],
  ["$gtin('036000291452')", '00036000291452'],
  ["$gtin(' 96385074 ')", '00000096385074'],
], [
  ["$gtin('6901234567893')", 'GS1_CHECK_DIGIT'],
  ["$gtin('123456789')", 'GS1_LENGTH'],
  ["$gtin('69012345678A')", 'GS1_CHARSET'],
  ['$gtin(6901234567892)', 'T0410'],
]);

table('$drugCode', [
  ["$drugCode('81234560000000000001')", 'urn:suyuan:id:drug:81234560000000000001'],
  ["$drugCode('(01)06901234567892(21)ABC123')", 'https://id.gs1.org/01/06901234567892/21/ABC123'],
  ["$drugCode('(01)06901234567892(17)270101(10)L1(21)ABC123')", 'https://id.gs1.org/01/06901234567892/21/ABC123'],
  ["$drugCode('010690123456789221ABC123')", 'https://id.gs1.org/01/06901234567892/21/ABC123'],
], [
  ["$drugCode('1234567890123456789')", 'DRUG_TRACE_CODE_SYNTAX'],
  ["$drugCode('(01)06901234567892(10)L1')", 'DRUG_TRACE_CODE_ELEMENT'],
  ["$drugCode('(01)06901234567892(21)X(11)260101')", 'DRUG_TRACE_CODE_ELEMENT'],
  ["$drugCode('(01)06901234567893(21)X')", 'GS1_CHECK_DIGIT'],
]);

table('$localTime', [
  ["$localTime('2026-03-01 08:30:00', '+08:00')", { eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2026-03-01 08:30:00')", { eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2026/03/01 08:30:00')", { eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2026/3/1 8:30')", { eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('20260301083000')", { eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2026-03-01')", { eventTime: '2026-03-01T00:00:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('20260301')", { eventTime: '2026-03-01T00:00:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2026-03-01T08:30:00.123456')", { eventTime: '2026-03-01T08:30:00.123+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2028-02-29 12:00:00')", { eventTime: '2028-02-29T12:00:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
  ["$localTime('2026-03-01T00:30:00Z')", { eventTime: '2026-03-01T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00' }],
], [
  ["$localTime('2026-02-30 08:30:00')", 'LOCAL_TIME_INVALID'],
  ["$localTime('2026-02-29')", 'LOCAL_TIME_INVALID'],
  ["$localTime('2026-13-01')", 'LOCAL_TIME_INVALID'],
  ["$localTime('2026-03-01 24:00:00')", 'LOCAL_TIME_INVALID'],
  ["$localTime('2026-03-01 08:60:00')", 'LOCAL_TIME_INVALID'],
  ["$localTime('20260230083000')", 'LOCAL_TIME_INVALID'],
  ["$localTime('2026-03/01')", 'LOCAL_TIME_SYNTAX'],
  ["$localTime('yesterday')", 'LOCAL_TIME_SYNTAX'],
  ["$localTime('2026-03-01 08:30:00', '+8:00')", 'TZ_OFFSET_SYNTAX'],
  ["$localTime('2026-03-01 08:30:00', '+15:00')", 'TZ_OFFSET_RANGE'],
  ["$localTime('2026-03-01T08:30:00+15:00')", 'TZ_OFFSET_RANGE'],
]);

table('$utc', [
  ["$utc('2026-03-01 08:30:00')", '2026-03-01T00:30:00.000Z'],
  ["$utc('2026/03/01 08:30:00', '+08:00')", '2026-03-01T00:30:00.000Z'],
  ["$utc('2026-03-01')", '2026-02-28T16:00:00.000Z'],
], [
  ["$utc('2026-02-30')", 'LOCAL_TIME_INVALID'],
  ["$utc('08:30')", 'LOCAL_TIME_SYNTAX'],
]);

describe('+08:00 across midnight and the date line', () => {
  it.each([
    ['2026-03-01 05:00:00', '+08:00', '2026-02-28T21:00:00.000Z'], // back across midnight and the month
    ['2026-01-01 07:59:59', '+08:00', '2025-12-31T23:59:59.000Z'], // and the year
    ['2024-03-01 00:00:00', '+08:00', '2024-02-29T16:00:00.000Z'], // into a leap day
    ['2026-03-01 08:00:00', '+08:00', '2026-03-01T00:00:00.000Z'], // exactly midnight UTC
    ['2026-03-01 23:30:00', '-11:00', '2026-03-02T10:30:00.000Z'], // west of the date line, forward a day
    ['2026-03-01 00:30:00', '+14:00', '2026-02-28T10:30:00.000Z'], // east of it, back a day
  ])('$utc(%s, %s) = %s', async (text, offset, expected) => {
    expect(await call('$utc($a, $b)', { a: text, b: offset })).toBe(expected);
    expect(utcTime(text, offset)).toBe(expected);
  });

  it.each([
    ['2026-01-01T05:00:00+08:00', '-11:00', '2025-12-31T10:00:00.000-11:00'],
    ['2025-12-31T20:00:00-10:00', '+14:00', '2026-01-01T20:00:00.000+14:00'],
    ['2026-03-01T23:30:00-05:00', '+08:00', '2026-03-02T12:30:00.000+08:00'],
    ['2026-02-28T16:00:00Z', '+08:00', '2026-03-01T00:00:00.000+08:00'],
    ['2026-03-01T00:00:00+0800', '+05:45', '2026-02-28T21:45:00.000+05:45'],
  ])('$localTime(%s, %s) = %s', async (text, offset, expected) => {
    expect(await call('$localTime($a, $b)', { a: text, b: offset })).toEqual({ eventTime: expected, eventTimeZoneOffset: offset });
    expect(localTime(text, offset)).toEqual({ eventTime: expected, eventTimeZoneOffset: offset });
  });

  it('round-trips: the local time read back through $utc is the same instant', async () => {
    const local = (await call("$localTime('2026-12-31 23:59:59.999')")) as { eventTime: string };
    expect(new Date(local.eventTime).toISOString()).toBe(await call("$utc('2026-12-31 23:59:59.999')"));
    expect(local.eventTime).toBe('2026-12-31T23:59:59.999+08:00');
  });
});

table('$regionName', [
  ["$regionName('320583')", '昆山市'],
  ["$regionName('320000')", '江苏省'],
  ["$regionName(' 320585 ', '2024')", '太仓市'],
  ["$exists($regionName('329999'))", false],
], [
  ["$regionName('3205')", 'REGION_SYNTAX'],
  ["$regionName('320583', '1999')", 'CODE_LIST_NOT_FOUND'],
]);

table('$cbvUrn', [
  ["$cbvUrn('bizStep', 'receiving')", 'urn:epcglobal:cbv:bizstep:receiving'],
  ["$cbvUrn('bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping')", 'urn:epcglobal:cbv:bizstep:shipping'],
  ["$cbvUrn('disposition', 'cbv:Disp-in_transit')", 'urn:epcglobal:cbv:disp:in_transit'],
  ["$cbvUrn('bizTransactionType', 'inv')", 'urn:epcglobal:cbv:btt:inv'],
  ["$cbvUrn('bizStep', 'urn:suyuan:bizstep:slaughtering')", 'urn:suyuan:bizstep:slaughtering'],
], [
  ["$cbvUrn('bizStep', 'slaughtering')", 'CBV_WORD'],
  ["$cbvUrn('bizstep', 'receiving')", 'CBV_VOCABULARY'],
  ["$cbvUrn('measurementType', 'Temperature')", 'CBV_NO_URN'],
]);

table('$cbvWord', [
  ["$cbvWord('bizStep', 'urn:epcglobal:cbv:bizstep:receiving')", 'receiving'],
  ["$cbvWord('disposition', 'https://ref.gs1.org/cbv/Disp-in_transit')", 'in_transit'],
  ["$cbvWord('measurementType', 'gs1:Temperature')", 'Temperature'],
  ["$cbvWord('bizStep', 'shipping')", 'shipping'],
  ["$cbvWord('disposition', 'urn:suyuan:disp:quarantine_passed')", 'urn:suyuan:disp:quarantine_passed'],
], [
  ["$cbvWord('bizStep', 'Receiving')", 'CBV_WORD'],
  ["$cbvWord('colour', 'red')", 'CBV_VOCABULARY'],
]);

table('$epcFromDigitalLink', [
  ["$epcFromDigitalLink('https://id.gs1.org/01/12345678901231/21/9999', 10)", 'urn:epc:id:sgtin:2345678901.123.9999'],
  ["$epcFromDigitalLink('https://example.com/01/12345678901231/10/L1', 10)", 'urn:epc:class:lgtin:2345678901.123.L1'],
  ["$epcFromDigitalLink('https://id.gs1.org/414/0614141000418/254/1', 7)", 'urn:epc:id:sgln:0614141.00041.1'],
], [
  ["$epcFromDigitalLink('https://id.gs1.org/01/12345678901231/21/9999')", 'EPC_PREFIX_LENGTH'],
  ["$epcFromDigitalLink('https://id.gs1.org/01/12345678901231/21/9999', 13)", 'EPC_PREFIX_LENGTH'],
  ["$epcFromDigitalLink('https://id.gs1.org/01/12345678901232/21/9999', 10)", 'GS1_CHECK_DIGIT'],
  ["$epcFromDigitalLink('not a link', 10)", 'DL_SYNTAX'],
  ["$epcFromDigitalLink('https://id.gs1.org/415/5412345000013/8020/ABC123', 7)", 'EPC_NO_URN'],
]);

describe('$epcFromDigitalLink with the company prefix length bound by the adapter', () => {
  it('reads $companyPrefixLength when no length is passed', async () => {
    expect(await call("$epcFromDigitalLink('https://id.gs1.org/01/12345678901231/21/9999')", { companyPrefixLength: 10 }))
      .toBe('urn:epc:id:sgtin:2345678901.123.9999');
  });
});

table('$digitalLink', [
  ["$digitalLink('urn:epc:id:sgtin:2345678901.123.9999')", 'https://id.gs1.org/01/12345678901231/21/9999'],
  ["$digitalLink('urn:epc:class:lgtin:4012345.012345.998877')", 'https://id.gs1.org/01/04012345123456/10/998877'],
  ["$digitalLink('urn:epc:id:sscc:0614141.1234567890')", 'https://id.gs1.org/00/106141412345678908'],
], [
  ["$digitalLink('urn:epc:id:sgtin:2345678901.123')", 'EPC_SYNTAX'],
  ["$digitalLink('urn:epc:id:foo:1')", 'EPC_SCHEME'],
  ["$digitalLink('urn:epc:idpat:sgtin:2345678901.*.*')", 'EPC_NO_DIGITAL_LINK'],
  ["$digitalLink('https://id.gs1.org/01/12345678901231')", 'EPC_SYNTAX'],
]);

table('$lotUrn and $lotClass', [
  ["$lotUrn('8123456', 'B2024-01')", 'urn:suyuan:id:lot:8123456.B2024-01'],
  ["$lotUrn(' 06937528100018 ', 'KS240315')", 'urn:suyuan:id:lot:06937528100018.KS240315'],
  ["$lotClass('320585-ZC001', 'LH240301')", 'urn:suyuan:class:lot:320585-ZC001.LH240301'],
], [
  ["$lotUrn('8123456', 'B/1')", 'LOT_SYNTAX'],
  ["$lotUrn('81.23', 'X')", 'LOT_SYNTAX'],
  ["$lotClass('8123456', '')", 'LOT_SYNTAX'],
  ["$lotClass('8123456', '批次一')", 'LOT_SYNTAX'],
]);

describe('every domain function', () => {
  it('answers nothing for a missing argument, as JSONata functions do', async () => {
    for (const f of DOMAIN_FUNCTIONS) {
      const expression = f.signature.startsWith('<ss') ? `$${f.name}('bizStep', missing)` : `$${f.name}(missing)`;
      expect(await call(expression), expression).toBeUndefined();
    }
  });

  it('is in the table of src/mapping/README.md with its signature', () => {
    const readme = readFileSync(new URL('../src/mapping/README.md', import.meta.url), 'utf8');
    for (const f of DOMAIN_FUNCTIONS) {
      expect(readme, f.name).toMatch(new RegExp(`\\| \`\\$${f.name}\\(.*\\| \`${f.signature.replace(/[?()[\]]/g, '\\$&')}\` \\|`));
    }
  });
});
