// The CBV 2.0 vocabularies as data, and conversion between bare words, URNs and web URIs.
//
// Word lists are the terms of GS1's EPCIS 2.0 JSON-LD context (`epcis-context.jsonld`), which the
// EPCIS 2.0 JSON Schema repeats as enums. The JSON binding writes bare words (`receiving`), the XML
// binding URNs (`urn:epcglobal:cbv:bizstep:receiving`), the CBV 2.0 web vocabulary web URIs
// (`https://ref.gs1.org/cbv/BizStep-receiving`). Values that are not CBV (local URNs such as
// `urn:suyuan:bizstep:quarantining`, other URIs) pass through every conversion unchanged.

/** CBV business steps (CBV 2.0 §7.1), 41 words. */
export const BIZ_STEPS = [
  'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning',
  'creating_class_instance', 'cycle_counting', 'decommissioning', 'departing', 'destroying', 'disassembling',
  'dispensing', 'encoding', 'entering_exiting', 'holding', 'inspecting', 'installing', 'killing', 'loading',
  'other', 'packing', 'picking', 'receiving', 'removing', 'repackaging', 'repairing', 'replacing',
  'reserving', 'retail_selling', 'sampling', 'sensor_reporting', 'shipping', 'staging_outbound',
  'stock_taking', 'stocking', 'storing', 'transporting', 'unloading', 'unpacking', 'void_shipping',
] as const;

/** CBV dispositions (CBV 2.0 §7.2), 33 words. */
export const DISPOSITIONS = [
  'active', 'available', 'completeness_verified', 'completeness_inferred', 'conformant', 'container_closed',
  'container_open', 'damaged', 'destroyed', 'dispensed', 'disposed', 'encoded', 'expired', 'in_progress',
  'in_transit', 'inactive', 'mismatch_instance', 'mismatch_class', 'mismatch_quantity', 'needs_replacement',
  'no_pedigree_match', 'non_conformant', 'non_sellable_other', 'partially_dispensed', 'recalled', 'reserved',
  'retail_sold', 'returned', 'sellable_accessible', 'sellable_not_accessible', 'stolen', 'unavailable',
  'unknown',
] as const;

/** CBV business transaction types (CBV 2.0 §7.3). */
export const BIZ_TRANSACTION_TYPES = [
  'bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd', 'testres',
  'upevt',
] as const;

/** CBV source/destination types (CBV 2.0 §7.4). */
export const SOURCE_DEST_TYPES = ['owning_party', 'possessing_party', 'location'] as const;

/** CBV error reasons (CBV 2.0 §7.5). */
export const ERROR_REASONS = ['did_not_occur', 'incorrect_data'] as const;

/** Sensor measurement types (GS1 web vocabulary, `gs1:` terms), 72 words. */
export const MEASUREMENT_TYPES = [
  'AbsoluteHumidity', 'AbsorbedDose', 'AbsorbedDoseRate', 'Acceleration', 'Radioactivity', 'Altitude',
  'AmountOfSubstance', 'AmountOfSubstancePerUnitVolume', 'Angle', 'AngularAcceleration', 'AngularMomentum',
  'AngularVelocity', 'Area', 'Capacitance', 'Conductance', 'Conductivity', 'Count', 'Density',
  'Dimensionless', 'DoseEquivalent', 'DoseEquivalentRate', 'DynamicViscosity', 'ElectricCharge',
  'ElectricCurrent', 'ElectricCurrentDensity', 'ElectricFieldStrength', 'Energy', 'Exposure', 'Force',
  'Frequency', 'Illuminance', 'Inductance', 'Irradiance', 'KinematicViscosity', 'Length', 'LinearMomentum',
  'Luminance', 'LuminousFlux', 'LuminousIntensity', 'MagneticFlux', 'MagneticFluxDensity',
  'MagneticVectorPotential', 'Mass', 'MassConcentration', 'MassFlowRate', 'MassPerAreaTime', 'MemoryCapacity',
  'MolalityOfSolute', 'MolarEnergy', 'MolarMass', 'MolarVolume', 'Power', 'Pressure', 'RadiantFlux',
  'RadiantIntensity', 'RelativeHumidity', 'Resistance', 'Resistivity', 'SolidAngle', 'SpecificVolume',
  'Speed', 'SurfaceDensity', 'SurfaceTension', 'Temperature', 'Time', 'Torque', 'Voltage', 'Volume',
  'VolumeFlowRate', 'VolumeFraction', 'VolumetricFlux', 'Wavenumber',
] as const;

/** Sensor alert types (`sensorReport.exception`, GS1 web vocabulary). */
export const SENSOR_ALERT_TYPES = ['ALARM_CONDITION', 'ERROR_CONDITION'] as const;

/** Sensor report components (CBV 2.0 `Comp-` terms). */
export const COMPONENTS = [
  'x', 'y', 'z', 'axial_distance', 'azimuth', 'height', 'spherical_radius', 'polar_angle', 'elevation_angle',
  'easting', 'northing', 'latitude', 'longitude', 'altitude',
] as const;

export type BizStep = (typeof BIZ_STEPS)[number];
export type Disposition = (typeof DISPOSITIONS)[number];
export type BizTransactionType = (typeof BIZ_TRANSACTION_TYPES)[number];
export type SourceDestType = (typeof SOURCE_DEST_TYPES)[number];
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** The vocabularies this module knows, named after the field (or field group) that uses them. */
export type CbvVocabulary =
  | 'bizStep' | 'disposition' | 'bizTransactionType' | 'sourceDestType' | 'errorReason'
  | 'measurementType' | 'sensorAlertType' | 'component';

/** Every word of every vocabulary, for schemas that use the lists as enums. */
export const CBV_WORDS: { readonly [V in CbvVocabulary]: readonly string[] } = {
  bizStep: BIZ_STEPS,
  disposition: DISPOSITIONS,
  bizTransactionType: BIZ_TRANSACTION_TYPES,
  sourceDestType: SOURCE_DEST_TYPES,
  errorReason: ERROR_REASONS,
  measurementType: MEASUREMENT_TYPES,
  sensorAlertType: SENSOR_ALERT_TYPES,
  component: COMPONENTS,
};

/** The web vocabulary bases: CBV terms and GS1 web vocabulary terms (the `gs1:` prefix of EPCIS 2.0). */
export const CBV_WEB_BASE = 'https://ref.gs1.org/cbv/';
export const GS1_VOC_BASE = 'https://ref.gs1.org/voc/';

interface Forms {
  /** URN prefix of the XML binding; null when the vocabulary has no URN form. */
  readonly urn: string | null;
  /** The compact form's prefix (`cbv:BizStep-`, `gs1:`). */
  readonly curie: string;
  readonly web: string;
}

const FORMS: { readonly [V in CbvVocabulary]: Forms } = {
  bizStep: { urn: 'urn:epcglobal:cbv:bizstep:', curie: 'cbv:BizStep-', web: `${CBV_WEB_BASE}BizStep-` },
  disposition: { urn: 'urn:epcglobal:cbv:disp:', curie: 'cbv:Disp-', web: `${CBV_WEB_BASE}Disp-` },
  bizTransactionType: { urn: 'urn:epcglobal:cbv:btt:', curie: 'cbv:BTT-', web: `${CBV_WEB_BASE}BTT-` },
  sourceDestType: { urn: 'urn:epcglobal:cbv:sdt:', curie: 'cbv:SDT-', web: `${CBV_WEB_BASE}SDT-` },
  errorReason: { urn: 'urn:epcglobal:cbv:er:', curie: 'cbv:ER-', web: `${CBV_WEB_BASE}ER-` },
  measurementType: { urn: null, curie: 'gs1:', web: GS1_VOC_BASE },
  sensorAlertType: { urn: null, curie: 'gs1:', web: GS1_VOC_BASE },
  component: { urn: null, curie: 'cbv:Comp-', web: `${CBV_WEB_BASE}Comp-` },
};

const WORD_SETS = new Map<CbvVocabulary, ReadonlySet<string>>(
  (Object.keys(CBV_WORDS) as CbvVocabulary[]).map((vocab) => [vocab, new Set(CBV_WORDS[vocab])]),
);

/** True when `value` is a bare word of `vocab` (case-sensitive, as the standard writes it). */
export function isCbvWord(vocab: CbvVocabulary, value: string): boolean {
  return WORD_SETS.get(vocab)?.has(value) ?? false;
}

/** The URN of a bare word; null when `word` is not a word of `vocab` or `vocab` has no URN form. */
export function cbvWordToUrn(vocab: CbvVocabulary, word: string): string | null {
  const { urn } = FORMS[vocab];
  return urn !== null && isCbvWord(vocab, word) ? urn + word : null;
}

/** The web URI of a bare word; null when `word` is not a word of `vocab`. */
export function cbvWordToWebUri(vocab: CbvVocabulary, word: string): string | null {
  return isCbvWord(vocab, word) ? FORMS[vocab].web + word : null;
}

/**
 * The bare word for a value of `vocab` in any of its forms: word, URN, web URI or compact IRI
 * (`cbv:BizStep-receiving`, `gs1:Temperature`). Anything else, including URN-shaped values whose
 * word is not in the vocabulary, is returned unchanged.
 */
export function cbvToWord(vocab: CbvVocabulary, value: string): string {
  const { urn, curie, web } = FORMS[vocab];
  for (const prefix of [urn, web, curie]) {
    if (prefix !== null && value.startsWith(prefix)) {
      const word = value.slice(prefix.length);
      if (isCbvWord(vocab, word)) return word;
    }
  }
  return value;
}

/** The URN form of a CBV value in any form; non-CBV values, and vocabularies without URNs, unchanged. */
export function cbvToUrn(vocab: CbvVocabulary, value: string): string {
  return cbvWordToUrn(vocab, cbvToWord(vocab, value)) ?? value;
}

/** The web URI form of a CBV value in any form; non-CBV values unchanged. */
export function cbvToWebUri(vocab: CbvVocabulary, value: string): string {
  return cbvWordToWebUri(vocab, cbvToWord(vocab, value)) ?? value;
}

const URN_TO_WEB: ReadonlyArray<readonly [string, string]> = Object.values(FORMS).flatMap((f) =>
  f.urn === null ? [] : [[f.urn, f.web] as const],
);

/**
 * Rewrites a CBV URN of any vocabulary to its web URI by prefix (`urn:epcglobal:cbv:disp:x` →
 * `https://ref.gs1.org/cbv/Disp-x`), whether or not `x` is a standard word, as the CBV 2.0 event hash
 * requires. Other values are returned unchanged.
 */
export function cbvUrnToWebUri(value: string): string {
  for (const [urn, web] of URN_TO_WEB) if (value.startsWith(urn)) return web + value.slice(urn.length);
  return value;
}
