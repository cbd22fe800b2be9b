/**
 * The event hash after its speed-ups (cached prefixes and canonical values, one-shot SHA-256, fewer
 * allocations) gives the same hash as before on generated events: every field shape, CBV words and
 * URNs, EPC URNs and Digital Links, numbers, zone offsets, user extensions, ILMD, sensors; values
 * repeated across events so that cached ones are reused; events alone, with the standard context,
 * and inside documents. Failures must fail alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentEventHashes, eventHash } from '../src/standards/event-hash.ts';
import { STANDARD_CONTEXT } from '../src/standards/paths.ts';
import { oracleEventHash } from './helpers/event-hash-oracle.ts';

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

const epc = fc.oneof(
  fc.nat({ max: 40 }).map((n) => `urn:epc:id:sgtin:0614141.107346.${n}`),
  fc.nat({ max: 40 }).map((n) => `https://id.gs1.org/01/00614141073467/21/${n}`),
  fc.nat({ max: 40 }).map((n) => `https://example.com/gtin/614141073467/ser/${n}?x=1`),
  pick('urn:epc:id:sscc:0614141.1234567890', 'urn:epc:class:lgtin:4012345.012345.998877', 'urn:epc:idpat:sgtin:4012345.012345.*',
    'urn:epc:id:sgln:0614141.00777.0', 'urn:epc:id:giai:0614141.A%2FB', 'urn:epc:id:sgtin:0614141.107346.bad%zz', 'urn:suyuan:id:drug:86900001'),
);
const time = fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }),
  fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), pick('', '.5', '.1415', '.9999', ',25'), pick('Z', '+08:00', '-05:30', '+0100'))
  .map(([y, mo, d, h, mi, f, z]) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:07${f}${z}`);
const offset = pick('+08:00', '-05:30', '+00:00');
const bizStep = pick('receiving', 'shipping', 'urn:epcglobal:cbv:bizstep:receiving', 'https://ref.gs1.org/cbv/BizStep-commissioning', 'cbv:BizStep-packing', 'sy:slaughtering', 'not-a-step');
const disposition = pick('in_transit', 'urn:epcglobal:cbv:disp:active', 'gs1:Disp-expired', 'unknown_word');
const location = pick('urn:epc:id:sgln:0614141.00777.0', 'urn:suyuan:loc:91320104MA1P0R7MXF:dc-out', 'https://id.gs1.org/414/0614141007772');
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer(), pick('26.0', '1e3', '0.10', ' 7 ', '1_000', '١٢'));
const scalar = fc.oneof(pick('a', '', ' x ', 'gs1:Temperature', 'urn:epcglobal:cbv:btt:po', 'sy:thing', '中文'), number, fc.boolean());
const extensionValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 2 }),
    fc.dictionary(pick('sy:a', 'sy:b', 'ex:c', 'd', '#text', 'rdfs:comment'), tie('v'), { maxKeys: 3 })),
})).v;
const extensions = fc.dictionary(pick('sy:region', 'sy:operator', 'ex:note', 'other', 'sy:time', 'sy:startTime'), extensionValue, { maxKeys: 3 });
const quantity = fc.record({ epcClass: pick('urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/L1'), quantity: number, uom: pick('KGM', 'LTR') }, { requiredKeys: ['epcClass'] });
const typed = (name: string, types: string[]) => fc.record({ type: pick(...types), [name]: location }, { requiredKeys: [name] });
const report = fc.record({
  type: pick('Temperature', 'gs1:Temperature', 'urn:epcglobal:cbv:mt:x'), value: number, uom: pick('CEL', 'FAR'),
  time, component: pick('x', 'y'), stringValue: scalar,
}, { requiredKeys: ['type'] });
const sensor = fc.record({
  sensorMetadata: fc.record({ time, deviceID: location }, { requiredKeys: [] }),
  sensorReport: fc.array(report, { maxLength: 3 }),
}, { requiredKeys: [] });

const event = fc.record({
  type: pick('ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'),
  eventTime: time,
  eventTimeZoneOffset: offset,
  eventID: pick('ni:///x', 'urn:uuid:1'),
  recordTime: time,
  epcList: fc.array(epc, { maxLength: 4 }),
  parentID: epc,
  childEPCs: fc.array(epc, { maxLength: 2 }),
  inputEPCList: fc.array(epc, { maxLength: 2 }),
  quantityList: fc.array(quantity, { maxLength: 2 }),
  action: pick('ADD', 'OBSERVE', 'DELETE'),
  bizStep,
  disposition,
  persistentDisposition: fc.record({ set: fc.array(disposition, { maxLength: 2 }), unset: disposition }, { requiredKeys: [] }),
  readPoint: fc.record({ id: location }),
  bizLocation: fc.tuple(location, extensions).map(([id, ext]) => ({ id, ...ext })),
  bizTransactionList: fc.array(typed('bizTransaction', ['po', 'desadv', 'urn:epcglobal:cbv:btt:inv', 'custom']), { maxLength: 2 }),
  sourceList: fc.array(typed('source', ['owning_party', 'location', 'urn:epcglobal:cbv:sdt:possessing_party']), { maxLength: 2 }),
  sensorElementList: fc.array(sensor, { maxLength: 2 }),
  ilmd: extensions,
  '@context': pick({ ex: 'https://ns.example.com/epcis/' }, [{ sy: 'https://other.example/sy/' }]),
}, { requiredKeys: ['type', 'eventTime'] }).chain((e) => extensions.map((ext) => ({ ...ext, ...e })));

const hashOrError = (f: () => string): string => {
  try {
    return f();
  } catch (error) {
    return `error ${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
};

describe('event hash against the implementation before its speed-ups', () => {
  it('gives the same hash (or the same failure) for generated events, alone and with the standard context', () => {
    fc.assert(fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), (events) => {
      for (const e of [...events, ...events]) {
        expect(hashOrError(() => eventHash(e))).toBe(hashOrError(() => oracleEventHash(e)));
        expect(hashOrError(() => eventHash(e, { context: STANDARD_CONTEXT }))).toBe(hashOrError(() => oracleEventHash(e, STANDARD_CONTEXT)));
      }
    }), { numRuns: 300 });
  });

  it('gives the same hashes for the events of generated documents', () => {
    const context = pick(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { sy: 'https://standards.suyuan.dev/ns/', ex: 'https://ns.example.com/epcis/' }], { gs1: 'https://elsewhere.example/' }, undefined);
    fc.assert(fc.property(context, fc.array(event, { minLength: 1, maxLength: 8 }), (ctx, eventList) => {
      const document = { '@context': ctx, type: 'EPCISDocument', epcisBody: { eventList } };
      const expected = (() => {
        try {
          return eventList.map((e) => oracleEventHash(e, ctx)).join('\n');
        } catch (error) {
          return `error ${(error as { code?: string }).code}: ${(error as Error).message}`;
        }
      })();
      expect(hashOrError(() => documentEventHashes(document).join('\n'))).toBe(expected);
    }), { numRuns: 200 });
  });

  it('is still right after its value cache has been emptied, and for a frozen context read twice', () => {
    const base = { type: 'ObjectEvent', eventTime: '2026-11-29T08:00:00+08:00', action: 'OBSERVE', bizStep: 'receiving' };
    const first = eventHash(base, { context: STANDARD_CONTEXT });
    for (let i = 0; i < 20_000; i++) eventHash({ ...base, epcList: [`urn:epc:id:sgtin:0614141.107346.${i}`] }, { context: STANDARD_CONTEXT });
    expect(eventHash(base, { context: STANDARD_CONTEXT })).toBe(first);
    expect(first).toBe(oracleEventHash(base, STANDARD_CONTEXT));
    expect(eventHash({ ...base, 'sy:x': 'y' }, { context: STANDARD_CONTEXT })).toBe(oracleEventHash({ ...base, 'sy:x': 'y' }, STANDARD_CONTEXT));
  });
});
