// EPC URN ↔ GS1 Digital Link: the Tag Data Standard conversions, check digits, escapes, partitions, round trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDigitalLink, digitalLinkKey } from '../src/standards/identifiers/digital-link-key.ts';
import { digitalLinkToEpcUrn, epcUrnToDigitalLink } from '../src/standards/identifiers/epc-digital-link.ts';
import { hasValidGs1CheckDigit } from '../src/standards/identifiers/gs1.ts';

/** [URN, Digital Link] pairs: the domain example and every key of the reference implementation's `epcisDocWithAllGS1Keys`. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['urn:epc:id:sgtin:2345678901.123.9999', 'https://id.gs1.org/01/12345678901231/21/9999'],
  ['urn:epc:id:sgtin:4012345.012345.12', 'https://id.gs1.org/01/04012345123456/21/12'],
  ['urn:epc:id:sscc:4012345.0000000333', 'https://id.gs1.org/00/040123450000003338'],
  ['urn:epc:id:sgln:4012345.00011.987', 'https://id.gs1.org/414/4012345000115/254/987'],
  ['urn:epc:id:sgln:0012345.11111.0', 'https://id.gs1.org/414/0012345111112'],
  ['urn:epc:id:grai:4012345.66666.87', 'https://id.gs1.org/8003/0401234566666387'],
  ['urn:epc:id:giai:4012345.AAbb', 'https://id.gs1.org/8004/4012345AAbb'],
  ['urn:epc:id:gsrn:4012345.9876540000', 'https://id.gs1.org/8018/401234598765400000'],
  ['urn:epc:id:gsrnp:4012345.0000098765', 'https://id.gs1.org/8017/401234500000987658'],
  ['urn:epc:id:gdti:4012345.55555.98', 'https://id.gs1.org/253/401234555555498'],
  ['urn:epc:id:sgcn:4012345.99999.44', 'https://id.gs1.org/255/401234599999044'],
  ['urn:epc:id:cpi:4012345.ABC.123', 'https://id.gs1.org/8010/4012345ABC/8011/123'],
  ['urn:epc:id:ginc:4012345.333', 'https://id.gs1.org/401/4012345333'],
  ['urn:epc:id:gsin:4012345.999987654', 'https://id.gs1.org/402/40123459999876541'],
  ['urn:epc:id:itip:4012345.012345.01.02.999', 'https://id.gs1.org/8006/040123451234560102/21/999'],
  ['urn:epc:id:upui:4012345.012345.AB12', 'https://id.gs1.org/01/04012345123456/235/AB12'],
  ['urn:epc:id:pgln:4012345.00225', 'https://id.gs1.org/417/4012345002256'],
  ['urn:epc:class:lgtin:4054739.099914.20160711', 'https://id.gs1.org/01/04054739999148/10/20160711'],
  ['urn:epc:idpat:sgtin:4054739.099914.*', 'https://id.gs1.org/01/04054739999148'],
  ['urn:epc:idpat:grai:4012345.66666.*', 'https://id.gs1.org/8003/04012345666663'],
  ['urn:epc:idpat:gdti:4012345.55555.*', 'https://id.gs1.org/253/4012345555554'],
  ['urn:epc:idpat:sgcn:4012345.99999.*', 'https://id.gs1.org/255/4012345999990'],
  ['urn:epc:idpat:cpi:4012345.ABC.*', 'https://id.gs1.org/8010/4012345ABC'],
  ['urn:epc:idpat:itip:4012345.012345.01.02.*', 'https://id.gs1.org/8006/040123451234560102'],
  ['urn:epc:id:sgtin:6901234.000567.AB%2FC-1', 'https://id.gs1.org/01/06901234005677/21/AB%2FC-1'],
  ['urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345', 'https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345'],
];

const cpLengthOf = (urn: string): number => (urn.split(':')[4] ?? '').split('.')[0]?.length ?? 0;

describe('EPC URN → Digital Link', () => {
  it.each(PAIRS)('%s → %s', (urn, dl) => {
    expect(epcUrnToDigitalLink(urn)).toBe(dl);
  });

  it('percent-encodes for the URI what the URN writes raw', () => {
    expect(epcUrnToDigitalLink("urn:epc:id:sgtin:4012345.012345.a!b(c)'*+,:;=")).toBe(
      'https://id.gs1.org/01/04012345123456/21/a%21b%28c%29%27%2A%2B%2C%3A%3B%3D',
    );
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:4012345.012345.%22%25%26%3C%3E%3F')).toBe(
      'https://id.gs1.org/01/04012345123456/21/%22%25%26%3C%3E%3F',
    );
  });

  it.each([
    'urn:epc:id:sgtin:4012345.12345.1', // item reference one digit short
    'urn:epc:id:sgtin:40123.0123456.1', // company prefix of five digits
    'urn:epc:id:sgtin:4012345.012345.123456789012345678901', // serial of 21 characters
    'urn:epc:id:sgtin:4012345.012345.a%2', // broken escape
    'urn:epc:id:sgtin:4012345.012345', // no serial
    'urn:epc:id:sscc:4012345.000000033', // one digit short
    'urn:epc:id:sgcn:4012345.99999.4a', // non-numeric coupon serial
    'urn:epc:id:cpi:4012345.abc.1', // lower case in a component/part reference
    'urn:epc:id:foo:4012345.1', // no such scheme
    'urn:epc:idpat:sgtin:4012345.*.*', // wildcard before the last component
    'urn:epc:idpat:sscc:4012345.*', // a pattern without a Digital Link form
    'urn:epc:class:lgtin:4012345.012345', // no lot
    'urn:suyuan:id:drug:81234567890123456789', // a local trace code
    'https://id.gs1.org/01/04012345123456/21/12',
    '',
  ])('gives null for %s', (value) => {
    expect(epcUrnToDigitalLink(value)).toBeNull();
  });
});

describe('Digital Link → EPC URN', () => {
  it.each(PAIRS)('%s ← %s', (urn, dl) => {
    expect(digitalLinkToEpcUrn(dl, cpLengthOf(urn))).toBe(urn);
  });

  it('reads any host, short names, and ignores the query string and a CPV', () => {
    expect(digitalLinkToEpcUrn('https://example.com/shop/gtin/4012345123456/cpv/2A/ser/12?17=201225', 7))
      .toBe('urn:epc:id:sgtin:4012345.012345.12');
    expect(digitalLinkToEpcUrn('http://id.gs1.de/01/04012345123456/10/L1/21/12', 7)).toBe('urn:epc:id:sgtin:4012345.012345.12');
  });

  it('gives null without a company prefix length, with a wrong check digit, or for keys without an EPC form', () => {
    const dl = 'https://id.gs1.org/01/12345678901231/21/9999';
    expect(digitalLinkToEpcUrn(dl)).toBeNull();
    expect(digitalLinkToEpcUrn(dl, 5)).toBeNull();
    expect(digitalLinkToEpcUrn(dl, 13)).toBeNull();
    expect(digitalLinkToEpcUrn('https://id.gs1.org/01/12345678901232/21/9999', 10)).toBeNull();
    expect(digitalLinkToEpcUrn('https://id.gs1.org/8006/040123451234560102/10/L1', 7)).toBeNull();
    expect(digitalLinkToEpcUrn('https://id.gs1.org/8013/ABC123', 7)).toBeNull();
    expect(digitalLinkToEpcUrn('https://example.com/products/42', 7)).toBeNull();
    expect(digitalLinkToEpcUrn('urn:epc:id:sgtin:4012345.012345.12', 7)).toBeNull();
  });
});

describe('round trips (properties)', () => {
  const digits = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const cset82 = [...'!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'];
  const text = (max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...cset82), minLength: 1, maxLength: max });
  const esc = (v: string): string => v.replace(/["%&/<>?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const cp = fc.integer({ min: 6, max: 12 }).chain((n) => digits(n));

  /** A URN of each scheme built from its parts, the URN writer's escapes applied. */
  const urns: fc.Arbitrary<string> = fc.oneof(
    cp.chain((c) => fc.tuple(digits(13 - c.length), text(20)).map(([i, s]) => `urn:epc:id:sgtin:${c}.${i}.${esc(s)}`)),
    cp.chain((c) => digits(17 - c.length).map((r) => `urn:epc:id:sscc:${c}.${r}`)),
    cp.chain((c) => fc.tuple(digits(12 - c.length), text(20)).map(([l, e]) => `urn:epc:id:sgln:${c}.${l}.${esc(e)}`)),
    cp.chain((c) => fc.tuple(digits(12 - c.length), text(16)).map(([t, s]) => `urn:epc:id:grai:${c}.${t}.${esc(s)}`)),
    cp.chain((c) => text(30 - c.length).map((r) => `urn:epc:id:giai:${c}.${esc(r)}`)),
    cp.chain((c) => digits(17 - c.length).map((r) => `urn:epc:id:gsrn:${c}.${r}`)),
    cp.chain((c) => digits(17 - c.length).map((r) => `urn:epc:id:gsrnp:${c}.${r}`)),
    cp.chain((c) => fc.tuple(digits(12 - c.length), text(17)).map(([t, s]) => `urn:epc:id:gdti:${c}.${t}.${esc(s)}`)),
    cp.chain((c) => fc.tuple(digits(12 - c.length), fc.integer({ min: 1, max: 12 }).chain(digits)).map(([r, s]) => `urn:epc:id:sgcn:${c}.${r}.${s}`)),
    cp.chain((c) => fc.tuple(fc.string({ unit: fc.constantFrom(...'0123456789ABCXYZ-#/'), minLength: 1, maxLength: 30 - c.length }), fc.integer({ min: 1, max: 12 }).chain(digits))
      .map(([r, s]) => `urn:epc:id:cpi:${c}.${esc(r)}.${s}`)),
    cp.chain((c) => text(30 - c.length).map((r) => `urn:epc:id:ginc:${c}.${esc(r)}`)),
    cp.chain((c) => digits(16 - c.length).map((r) => `urn:epc:id:gsin:${c}.${r}`)),
    cp.chain((c) => fc.tuple(digits(13 - c.length), digits(2), digits(2), text(20)).map(([i, p, t, s]) => `urn:epc:id:itip:${c}.${i}.${p}.${t}.${esc(s)}`)),
    cp.chain((c) => fc.tuple(digits(13 - c.length), text(28)).map(([i, x]) => `urn:epc:id:upui:${c}.${i}.${esc(x)}`)),
    cp.chain((c) => digits(12 - c.length).map((r) => `urn:epc:id:pgln:${c}.${r}`)),
    cp.chain((c) => fc.tuple(digits(13 - c.length), text(20)).map(([i, l]) => `urn:epc:class:lgtin:${c}.${i}.${esc(l)}`)),
    cp.chain((c) => digits(13 - c.length).map((i) => `urn:epc:idpat:sgtin:${c}.${i}.*`)),
    cp.chain((c) => digits(12 - c.length).map((t) => `urn:epc:idpat:grai:${c}.${t}.*`)),
  );

  it('URN → Digital Link → URN gives the URN back, for every scheme and partition', () => {
    fc.assert(fc.property(urns, (urn) => {
      const dl = epcUrnToDigitalLink(urn);
      expect(dl).not.toBeNull();
      expect(digitalLinkToEpcUrn(dl ?? '', cpLengthOf(urn))).toBe(urn);
    }), { numRuns: 2000 });
  });

  it('every Digital Link made from a URN is already canonical and its numeric key has a valid check digit', () => {
    fc.assert(fc.property(urns, (urn) => {
      const dl = epcUrnToDigitalLink(urn) ?? '';
      expect(canonicalDigitalLink(dl)).toBe(dl);
      const key = digitalLinkKey(dl);
      const numeric: Record<string, (v: string) => string> = {
        '01': (v) => v, '00': (v) => v, '414': (v) => v, '417': (v) => v, '8017': (v) => v, '8018': (v) => v,
        '402': (v) => v, '8006': (v) => v.slice(0, 14), '8003': (v) => v.slice(1, 14), '253': (v) => v.slice(0, 13),
        '255': (v) => v.slice(0, 13),
      };
      const of = key && numeric[key.ai];
      if (key && of) expect(hasValidGs1CheckDigit(of(key.value))).toBe(true);
    }), { numRuns: 1000 });
  });
});

describe('constrained canonical Digital Link (for the event hash)', () => {
  it.each([
    ['https://id.gs1.de/00/040123451111111110', 'https://id.gs1.org/00/040123451111111110'],
    ['https://example.com/253/4012345000054987', 'https://id.gs1.org/253/4012345000054987'],
    ['https://brand.example/a/b/gtin/4012345123456/cpv/2/lot/L1/ser/7?17=201225#top', 'https://id.gs1.org/01/04012345123456/21/7'],
    ['https://id.gs1.org/01/04012345123456/10/L1', 'https://id.gs1.org/01/04012345123456/10/L1'],
    ['https://id.gs1.org/01/04012345123456/22/V2', 'https://id.gs1.org/01/04012345123456'],
    ['https://id.gs1.org/8018/401234598765400000/8019/12', 'https://id.gs1.org/8018/401234598765400000'],
    ["https://id.gs1.org/01/04012345123456/21/a%2fb'c", 'https://id.gs1.org/01/04012345123456/21/a%2Fb%27c'],
  ])('%s → %s', (uri, canonical) => {
    expect(canonicalDigitalLink(uri)).toBe(canonical);
  });

  it.each([
    'https://www.ncbi.nlm.nih.gov/taxonomy/1126011',
    'http://www.opengis.net/def/crs/EPSG/0/27700',
    'https://id.gs1.org/01/ABC',
    'https://id.gs1.org/01/04012345123456/17/201225',
    'urn:epc:id:sgtin:4012345.012345.12',
    'geo:50.947573340894124,6.922120147375441',
  ])('gives null for %s', (uri) => {
    expect(canonicalDigitalLink(uri)).toBeNull();
  });
});
