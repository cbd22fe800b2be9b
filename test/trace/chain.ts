/** A small chain of standard events for the trace store tests: pig farm → slaughterhouse → market → two retailers, and a drug case. */
import { eventHash } from '../../src/standards/event-hash.ts';
import type { IdentifiedEvent } from '../../src/pipeline/events.ts';

export const FARM = '91320115MA1R2K3P2E';
export const SLAUGHTER = '91320100134758298F';
export const MARKET = '91321200MA20B3KD2G';
export const R1 = '91110000600037341L';
export const R2 = '91350100M000100Y43';
export const PIG1 = 'urn:epc:id:sgtin:6923456.010001.PIG1';
export const PIG2 = 'urn:epc:id:sgtin:6923456.010001.PIG2';
export const LOT = 'JN20240315';
export const CARCASS = `https://id.gs1.org/01/06901234567892/10/${LOT}`;
export const OTHER_LOT = 'https://id.gs1.org/01/06901234567892/10/JN20240316';
export const DRUG1 = 'urn:suyuan:id:drug:81002131234567899001';
export const DRUG2 = 'urn:suyuan:id:drug:81002131234567899002';
export const CASE = 'urn:epc:id:sscc:6945678.0000000101';

const base = (time: string, operator: string, region: string) => ({
  eventTime: `2024-03-${time}+08:00`, eventTimeZoneOffset: '+08:00', 'sy:operator': { 'sy:uscc': operator, 'sy:name': `企业${operator.slice(-4)}` }, 'sy:place': { 'sy:region': region },
});
const party = (uscc: string) => `urn:suyuan:party:${uscc}`;
const shipTo = (to: string) => ({ destinationList: [{ type: 'owning_party', destination: party(to) }] });
const cls = (epcClass: string, quantity: number) => ({ quantityList: [{ epcClass, quantity, uom: 'KGM' }] });

export const EVENTS: Record<string, Record<string, unknown>> = {
  pigsBorn: { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', epcList: [PIG1, PIG2], ...base('01T08:00:00', FARM, '320115') },
  pigsShipped: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: [PIG1, PIG2], ...shipTo(SLAUGHTER), ...base('14T20:00:00', FARM, '320115') },
  slaughter: { type: 'TransformationEvent', bizStep: 'urn:suyuan:bizstep:slaughtering', inputEPCList: [PIG1, PIG2], outputQuantityList: [{ epcClass: CARCASS, quantity: 180, uom: 'KGM' }], ilmd: { 'sy:lotNumber': LOT }, bizLocation: { id: `urn:suyuan:loc:${SLAUGHTER}:plant` }, ...base('15T06:40:00', SLAUGHTER, '320115') },
  toMarket: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', ...cls(CARCASS, 180), ...shipTo(MARKET), bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:suyuan:bt:desadv:DA-1' }], ...base('15T07:00:00', SLAUGHTER, '320115') },
  atMarket: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'urn:epcglobal:cbv:bizstep:receiving', ...cls(CARCASS, 180), bizLocation: { id: `urn:suyuan:loc:${MARKET}:hall-2` }, ...base('15T08:10:00', MARKET, '320114') },
  invoice: { type: 'TransactionEvent', action: 'ADD', bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:suyuan:bt:inv:INV-1', 'sy:amount': 5400 }, { type: 'desadv', bizTransaction: 'urn:suyuan:bt:desadv:DA-1' }], ...base('15T09:00:00', SLAUGHTER, '320115') },
  toR1: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', ...cls(CARCASS, 100), ...shipTo(R1), ...base('15T10:00:00', MARKET, '320114') },
  toR2: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', ...cls(CARCASS, 80), ...shipTo(R2), ...base('15T10:05:00', MARKET, '320114') },
  atR1: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', ...cls(CARCASS, 100), bizLocation: { id: `urn:suyuan:loc:${R1}:shop` }, ...base('15T11:00:00', R1, '320102') },
  atR2: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', ...cls(CARCASS, 80), bizLocation: { id: `urn:suyuan:loc:${R2}:shop` }, ...base('15T11:30:00', R2, '320205') },
  otherLot: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', ...cls(OTHER_LOT, 50), ...base('16T11:00:00', '91320100MA1XXXXX0X', '320106') },
  mistaken: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', ...cls(CARCASS, 5), ...base('15T12:00:00', '91320200MA1YYYYY0Y', '320211') },
  drugsMade: { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', epcList: [DRUG1, DRUG2], ilmd: { 'sy:lotNumber': 'B2403' }, ...base('01T09:00:00', '91320500MA1DRUG00A', '320505') },
  packed: { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', parentID: CASE, childEPCs: [DRUG1, DRUG2], ...base('01T10:00:00', '91320500MA1DRUG00A', '320505') },
  caseShipped: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: ['https://id.gs1.org/00/069456780000001017'], ...shipTo('91320100MA1DIST00B'), ...base('02T09:00:00', '91320500MA1DRUG00A', '320505') },
  caseReceived: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', epcList: [CASE], ...base('02T15:00:00', '91320100MA1DIST00B', '320102') },
};

export const hashOf = (name: string): string => eventHash(EVENTS[name]);

export const identified = (name: string, feed = 'test'): IdentifiedEvent => ({ hash: hashOf(name), event: EVENTS[name], messageId: `m-${name}`, recordIndex: 0, feed });
