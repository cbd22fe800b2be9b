// Hand-written JavaScript equivalents of the department mappings in mappings/, the yardstick of bench/mapping.ts.
// Each function does what its mapping does on a valid record: the same domain functions (identifier checks, local
// times), the same fields, an Error where the mapping raises one. Fields the mapping leaves out may be undefined
// here (JSON drops them), as hand-written code would leave them.
import type { HandWritten } from './handwritten/common.ts';
import { customsImport, customsRelease, customsRareEarth, drugPackaging, drugProduction, drugRecallOut, drugShipment } from './handwritten/customs-drugs.ts';
import { hospitalDelivery, hospitalReceipt, hospitalRecall, meatEntry, meatExit, meatRetail, slaughter, vegetableEntry, taxInvoice } from './handwritten/hospital-meat-tax.ts';

export type { HandWritten };

/** The hand-written equivalent of each department mapping, by mapping id. */
export const HANDWRITTEN: Readonly<Record<string, HandWritten>> = {
  'customs-import-declaration': customsImport,
  'customs-inspection-release': customsRelease,
  'customs-rare-earth-export': customsRareEarth,
  'drug-supervision-packaging': drugPackaging,
  'drug-supervision-production': drugProduction,
  'drug-supervision-recall-out': drugRecallOut,
  'drug-supervision-shipment': drugShipment,
  'hospital-procurement-delivery': hospitalDelivery,
  'hospital-procurement-recall': hospitalRecall,
  'hospital-procurement-receipt': hospitalReceipt,
  'meat-vegetable-meat-entry': meatEntry,
  'meat-vegetable-meat-exit': meatExit,
  'meat-vegetable-meat-retail': meatRetail,
  'meat-vegetable-slaughter': slaughter,
  'meat-vegetable-vegetable-entry': vegetableEntry,
  'tax-einvoice': taxInvoice,
};
