// CBV 2.0 vocabularies: the word lists, and conversion between words, URNs and web URIs in every direction.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BIZ_STEPS, BIZ_TRANSACTION_TYPES, CBV_WORDS, DISPOSITIONS, ERROR_REASONS, MEASUREMENT_TYPES, SOURCE_DEST_TYPES,
  cbvToUrn, cbvToWebUri, cbvToWord, cbvUrnToWebUri, cbvWordToUrn, cbvWordToWebUri, isCbvWord, type CbvVocabulary,
} from '../src/standards/cbv.ts';

const VOCABULARIES = Object.keys(CBV_WORDS) as CbvVocabulary[];
const WITH_URN: CbvVocabulary[] = ['bizStep', 'disposition', 'bizTransactionType', 'sourceDestType', 'errorReason'];

describe('word lists', () => {
  it('has the 41 business steps of CBV 2.0, sampling and sensor_reporting among them', () => {
    expect(BIZ_STEPS).toHaveLength(41);
    expect(BIZ_STEPS).toEqual(expect.arrayContaining(['receiving', 'sampling', 'sensor_reporting', 'void_shipping']));
  });

  it('has the dispositions, transaction types, source/destination types and error reasons the domain names', () => {
    expect(DISPOSITIONS).toHaveLength(33);
    expect(DISPOSITIONS).toEqual(expect.arrayContaining([
      'active', 'in_transit', 'recalled', 'destroyed', 'expired', 'damaged', 'dispensed', 'retail_sold', 'returned',
      'sellable_accessible', 'non_sellable_other', 'conformant', 'non_conformant',
    ]));
    expect([...BIZ_TRANSACTION_TYPES].sort()).toEqual(
      ['bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd', 'testres', 'upevt'],
    );
    expect([...SOURCE_DEST_TYPES].sort()).toEqual(['location', 'owning_party', 'possessing_party']);
    expect(ERROR_REASONS).toEqual(['did_not_occur', 'incorrect_data']);
    expect(MEASUREMENT_TYPES).toHaveLength(72);
  });

  it('has no duplicate words in any vocabulary', () => {
    for (const vocab of VOCABULARIES) expect(new Set(CBV_WORDS[vocab]).size).toBe(CBV_WORDS[vocab].length);
  });
});

describe('conversion', () => {
  it('converts the domain example in every direction', () => {
    const word = 'receiving', urn = 'urn:epcglobal:cbv:bizstep:receiving', web = 'https://ref.gs1.org/cbv/BizStep-receiving';
    expect(cbvWordToUrn('bizStep', word)).toBe(urn);
    expect(cbvWordToWebUri('bizStep', word)).toBe(web);
    for (const form of [word, urn, web, 'cbv:BizStep-receiving']) {
      expect(cbvToWord('bizStep', form)).toBe(word);
      expect(cbvToUrn('bizStep', form)).toBe(urn);
      expect(cbvToWebUri('bizStep', form)).toBe(web);
    }
  });

  it('uses the URN and web prefixes of each vocabulary', () => {
    expect(cbvToUrn('disposition', 'in_transit')).toBe('urn:epcglobal:cbv:disp:in_transit');
    expect(cbvToWebUri('disposition', 'in_transit')).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
    expect(cbvToUrn('bizTransactionType', 'po')).toBe('urn:epcglobal:cbv:btt:po');
    expect(cbvToWebUri('bizTransactionType', 'po')).toBe('https://ref.gs1.org/cbv/BTT-po');
    expect(cbvToUrn('sourceDestType', 'owning_party')).toBe('urn:epcglobal:cbv:sdt:owning_party');
    expect(cbvToWebUri('sourceDestType', 'location')).toBe('https://ref.gs1.org/cbv/SDT-location');
    expect(cbvToUrn('errorReason', 'did_not_occur')).toBe('urn:epcglobal:cbv:er:did_not_occur');
    expect(cbvToWebUri('errorReason', 'incorrect_data')).toBe('https://ref.gs1.org/cbv/ER-incorrect_data');
    expect(cbvToWebUri('measurementType', 'Temperature')).toBe('https://ref.gs1.org/voc/Temperature');
    expect(cbvToWord('measurementType', 'gs1:Temperature')).toBe('Temperature');
    expect(cbvToWebUri('sensorAlertType', 'ALARM_CONDITION')).toBe('https://ref.gs1.org/voc/ALARM_CONDITION');
    expect(cbvToWebUri('component', 'latitude')).toBe('https://ref.gs1.org/cbv/Comp-latitude');
  });

  it('round-trips every word of every vocabulary through each form', () => {
    for (const vocab of VOCABULARIES) {
      for (const word of CBV_WORDS[vocab]) {
        expect(isCbvWord(vocab, word)).toBe(true);
        expect(cbvToWord(vocab, cbvToWebUri(vocab, word))).toBe(word);
        expect(cbvToWord(vocab, cbvToUrn(vocab, word))).toBe(word);
        expect(cbvToWebUri(vocab, cbvToUrn(vocab, word))).toBe(cbvToWebUri(vocab, word));
      }
    }
  });

  it('gives no URN for vocabularies that have none, and leaves their values as they are', () => {
    expect(cbvWordToUrn('measurementType', 'Temperature')).toBeNull();
    expect(cbvToUrn('component', 'x')).toBe('x');
  });

  it('passes local and unknown values through unchanged', () => {
    const values = [
      'urn:suyuan:bizstep:quarantining', 'urn:suyuan:disp:quarantine_passed', 'quarantining', 'Receiving',
      'http://epcis.example.com/user/vocab/bizstep/exampling', 'urn:epcglobal:cbv:bizstep:quarantining', '',
    ];
    for (const vocab of WITH_URN) {
      for (const value of values) {
        expect(cbvToWord(vocab, value)).toBe(value);
        expect(cbvToUrn(vocab, value)).toBe(value);
        expect(cbvToWebUri(vocab, value)).toBe(value);
      }
    }
    expect(cbvWordToUrn('bizStep', 'quarantining')).toBeNull();
    expect(cbvWordToWebUri('disposition', 'receiving')).toBeNull();
  });

  it('leaves arbitrary strings unchanged unless they are a form of a word (property)', () => {
    fc.assert(fc.property(fc.constantFrom(...VOCABULARIES), fc.string(), (vocab, value) => {
      const word = cbvToWord(vocab, value);
      expect(word === value || isCbvWord(vocab, word)).toBe(true);
      if (!isCbvWord(vocab, word)) expect(cbvToWebUri(vocab, value)).toBe(value);
    }));
  });

  it('rewrites CBV URNs to web URIs by prefix, for the event hash, whatever the word', () => {
    expect(cbvUrnToWebUri('urn:epcglobal:cbv:bizstep:receiving')).toBe('https://ref.gs1.org/cbv/BizStep-receiving');
    expect(cbvUrnToWebUri('urn:epcglobal:cbv:disp:my_own')).toBe('https://ref.gs1.org/cbv/Disp-my_own');
    expect(cbvUrnToWebUri('urn:epcglobal:cbv:er:incorrect_data')).toBe('https://ref.gs1.org/cbv/ER-incorrect_data');
    expect(cbvUrnToWebUri('urn:epcglobal:cbv:bt:5200001000008:4711')).toBe('urn:epcglobal:cbv:bt:5200001000008:4711');
    expect(cbvUrnToWebUri('urn:suyuan:bizstep:filling')).toBe('urn:suyuan:bizstep:filling');
  });
});
