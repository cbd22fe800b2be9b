// Value canonicalisation of the event hash: numbers as Python's Decimal writes them, times, compact IRIs, prefixes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SuyuanError } from '../src/errors.ts';
import {
  canonicalNumber, canonicalTime, canonicalValue, expandCurie, expandKey, prefixesOf,
} from '../src/standards/event-hash-values.ts';

describe('canonicalNumber', () => {
  // Each expectation was produced by the reference implementation's rule run on CPython 3 (`Decimal`).
  it.each([
    ['26', '26'], ['26.0', '26'], ['0.10', '0.1'], ['1e3', '1E+3'], ['1.5e3', '1.5E+3'], ['1.50E+3', '1.50E+3'],
    ['-0', '-0'], ['-0.0', '-0'], ['+5', '5'], ['.5', '0.5'], ['5.', '5'], ['1_000', '1000'], ['0012', '12'],
    ['1e-7', '0.0000001'], ['12.1', '12.1'], ['1.00', '1'], ['0E+3', '0E+3'], ['0.000', '0'], ['-1.5e-3', '-0.0015'],
    ['00.50', '0.5'], ['1.0e1', '10'], ['10e-1', '1'], ['0.1E1', '1'], ['1E400', '1E+400'], ['١٢', '12'], ['１２', '12'],
    ['123456789012345678901234567890', '123456789012345678901234567890'], ['200.5', '200.5'],
  ])('%s → %s', (text, expected) => {
    expect(canonicalNumber(text)).toBe(expected);
  });

  it.each(['Infinity', 'nan', '1e', 'e3', '1.2.3', '0x10', '1 000', '2019-10-21', '+01:00', 'ABC123', ''])('%s is not a number', (text) => {
    expect(canonicalNumber(text)).toBeNull();
  });
});

describe('canonicalTime', () => {
  it.each([
    ['2023-02-02T11:04:03.1415Z', '2023-02-02T11:04:03.142Z'],
    ['2023-02-02T11:04:03.1414Z', '2023-02-02T11:04:03.141Z'],
    ['2020-03-04T11:00:30+01:00', '2020-03-04T10:00:30.000Z'],
    ['2005-04-03T20:33:31.116000-06:00', '2005-04-04T02:33:31.116Z'],
    ['2024-05-01T10:30:00+08:00', '2024-05-01T02:30:00.000Z'],
    ['2020-12-31T23:59:59.9996Z', '2021-01-01T00:00:00.000Z'],
    ['2024-02-29t08:00:00+0800', '2024-02-29T00:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(canonicalTime(text, 'eventTime')).toBe(expected);
  });

  it.each(['2020-02-30T00:00:00Z', '2020-01-01T24:00:00Z', '2020-01-01T10:00:00', '2020-01-01', 'noon', '2020-01-01T10:00Z'])(
    '%s is refused with EVENT_HASH_FAILED naming the field',
    (text) => {
      try {
        canonicalTime(text, 'sensorMetadata/time');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(SuyuanError);
        expect((error as SuyuanError).code).toBe('EVENT_HASH_FAILED');
        expect((error as SuyuanError).detail.field).toBe('sensorMetadata/time');
      }
    },
  );
});

/** The Date-object reading of a time that `canonicalTime` used before it computed the calendar itself: its oracle. */
function timeByDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:([Zz])|([+-])(\d\d):?(\d\d))$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', z, sign, oh = '0', om = '0'] = m.map((part) => part ?? '');
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s));
  const valid = date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) && Number(h) < 24
    && Number(mi) < 60 && Number(s) < 60 && Number(oh) < 24 && Number(om) < 60;
  if (!valid) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3)) + (Number(fraction[3] ?? '0') >= 5 ? 1 : 0);
  const offset = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return new Date(date.getTime() + millis - offset * 60_000).toISOString();
}

describe('canonicalTime against the Date-object reading', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  it('agrees on any year, leap days, out-of-range fields, fractions and offsets, or refuses where it refused', () => {
    const text = fc.record({
      y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 99, 100, 1900, 2000, 2024, 2100)),
      mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 61 }), s: fc.integer({ min: 0, max: 61 }),
      fraction: fc.option(fc.stringMatching(/^\d{1,7}$/), { nil: undefined }),
      zone: fc.oneof(fc.constantFrom('Z', 'z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.boolean())
        .map(([sign, hh, mm, colon]) => `${sign}${two(hh)}${colon ? ':' : ''}${two(mm)}`)),
    }).map((t) => `${String(t.y).padStart(4, '0')}-${two(t.mo)}-${two(t.d)}T${two(t.h)}:${two(t.mi)}:${two(t.s)}${t.fraction === undefined ? '' : `.${t.fraction}`}${t.zone}`);
    fc.assert(fc.property(text, (t) => {
      let ours: string | undefined;
      try {
        ours = canonicalTime(t, 'eventTime');
      } catch (error) {
        expect((error as SuyuanError).code).toBe('EVENT_HASH_FAILED');
      }
      expect(ours).toBe(timeByDate(t));
    }), { numRuns: 5_000 });
  });
});

describe('prefixes and values', () => {
  const prefixes = prefixesOf(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { sy: 'https://standards.suyuan.dev/ns/', gs1: 'https://gs1.org/voc/' }]);

  it('expands member names XML style, and only GS1 namespaces in values', () => {
    expect(expandKey('sy:origin', prefixes)).toBe('{https://standards.suyuan.dev/ns/}origin');
    expect(expandKey('cbvmda:lotNumber', prefixes)).toBe('{urn:epcglobal:cbv:mda}lotNumber');
    expect(expandKey('origin', prefixes)).toBe('origin');
    expect(expandCurie('gs1:Temperature', prefixes)).toBe('https://ref.gs1.org/voc/Temperature');
    expect(expandCurie('cbv:Comp-x', prefixes)).toBe('https://ref.gs1.org/cbv/Comp-x');
    expect(expandCurie('sy:origin', prefixes)).toBe('sy:origin');
  });

  it('writes CBV URNs, EPC URNs and Digital Links canonically, and leaves other values alone', () => {
    expect(canonicalValue('urn:epcglobal:cbv:disp:in_transit', prefixes)).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
    expect(canonicalValue('in_transit', prefixes, 'disposition')).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
    expect(canonicalValue('in_transit', prefixes)).toBe('in_transit');
    expect(canonicalValue('urn:epc:id:sgtin:6901234.000567.1001', prefixes)).toBe('https://id.gs1.org/01/06901234005677/21/1001');
    expect(canonicalValue('https://id.example.cn/gtin/6901234005677/ser/1001?17=251231', prefixes)).toBe('https://id.gs1.org/01/06901234005677/21/1001');
    expect(canonicalValue('urn:suyuan:bizstep:quarantining', prefixes, 'bizStep')).toBe('urn:suyuan:bizstep:quarantining');
    expect(canonicalValue('王芳', prefixes)).toBe('王芳');
  });
});
