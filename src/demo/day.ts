/**
 * The built-in day of province data: one seeded day in Jiangsu, each department's messages in its own
 * format and addressed to its own transport, linked across departments by the same lots, codes and
 * documents. The same seed gives the same bytes.
 */
import { makeCast, type Cast } from './cast.ts';
import { drugDay } from './drugs.ts';
import { meatDay } from './meat.ts';
import { seededRandom } from './random.ts';
import { invoiceNumbers, invoiceXml, type Invoice } from './tax.ts';
import { clock, type Broken, type DropFile, type Lookup, type Push, type SoapCall } from './types.ts';
import { wineDay } from './wine.ts';

export const DEFAULT_SEED = 20250318;
export const DEFAULT_DAY = '2025-03-18';

export interface DemoDay {
  readonly day: string;
  readonly cast: Cast;
  /** Batch files for file-drop feeds, in the order they are dropped. */
  readonly files: readonly DropFile[];
  /** HTTP pushes, in order. */
  readonly pushes: readonly Push[];
  /** SOAP calls, in order. */
  readonly soap: readonly SoapCall[];
  /** The tax gateway's `<EInvoice>` elements, in issue order. */
  readonly invoices: readonly string[];
  /** Codes to look up once the day is loaded. */
  readonly lookups: readonly Lookup[];
  /** The messages broken on purpose. */
  readonly broken: readonly Broken[];
}

/** The messages of a day, each addressed to its transport: what `loadDay` replays. */
export type DayMessages = Pick<DemoDay, 'files' | 'pushes' | 'soap' | 'invoices'>;

export function demoDay(seed = DEFAULT_SEED, day = DEFAULT_DAY): DemoDay {
  const random = seededRandom(seed);
  const cast = makeCast(random);
  const nextInvoice = invoiceNumbers(random, day);
  const meat = meatDay(random, cast, day);
  const drugs = drugDay(random, cast, day, nextInvoice);
  const wine = wineDay(random, cast, day);

  const { drugMaker } = cast;
  const invoices: Invoice[] = drugs.sales.map((s) => {
    const price = s.seller === drugMaker ? 9.8 : 11.5;
    return {
      number: s.invoice, time: s.time, seller: s.seller, buyer: s.buyer, desadv: s.desadv,
      line: { name: `*化学药品制剂*${drugMaker.drug.name}`, spec: drugMaker.drug.spec, unit: '盒', quantity: s.boxes, amount: Math.round(s.boxes * price * 100) / 100,
        rate: 0.13, taxCode: '1070301010000000000', gtin: drugMaker.drug.gtin, batch: drugs.lot },
    };
  });
  for (const sale of meat.sales.filter((s) => s.shop === cast.supermarket)) {
    invoices.push({
      number: nextInvoice(), time: sale.time, seller: sale.lot.plant, buyer: sale.shop,
      line: { name: '*肉及肉制品*白条猪肉', spec: '二分体', unit: '千克', quantity: sale.kilograms, amount: Math.round(sale.kilograms * 22.4 * 100) / 100,
        rate: 0.09, taxCode: '1030101010000000000', gtin: sale.lot.plant.carcassGtin, batch: sale.lot.lot },
    });
  }
  invoices.push({
    number: nextInvoice(), time: clock(day, 840), seller: cast.importer, buyer: cast.supermarket,
    line: { name: '*酒*波尔多干红葡萄酒', spec: '750mL', unit: '瓶', quantity: 120, amount: 120 * 88, rate: 0.13, taxCode: '1030307020000000000', gtin: cast.importer.wineGtin, batch: wine.lot },
  });
  // Broken on purpose: a second wine invoice whose total does not add up.
  invoices.push({
    number: nextInvoice(), time: clock(day, 700), seller: cast.importer, buyer: cast.supermarket, badTotal: true,
    line: { name: '*酒*波尔多干红葡萄酒', spec: '750mL', unit: '瓶', quantity: 24, amount: 24 * 88, rate: 0.13, taxCode: '1030307020000000000', gtin: cast.importer.wineGtin, batch: wine.lot },
  });
  const broken: Broken[] = [...meat.broken, ...drugs.broken, { feed: 'tax', status: 'partial', code: 'MAPPING_FAILED', problem: 'D3137', what: `${cast.importer.name}: an invoice whose total does not add up` }];
  invoices.sort((a, b) => a.time.localeCompare(b.time));

  return {
    day, cast, files: meat.files, pushes: [...wine.pushes, ...drugs.pushes], soap: drugs.soap,
    invoices: invoices.map(invoiceXml), lookups: [...meat.lookups, ...drugs.lookups, ...wine.lookups], broken,
  };
}
