/**
 * The meat chain of the demo day, as the meat-and-vegetable circulation system's batch files (CSV in
 * GBK, named `<node>_<type>_<time>.csv`): live pigs leave their farms (CL), are slaughtered into
 * carcass lots (TZ), enter wholesale markets (RJ), are sold to shops (RC), and sold at the counter (LS).
 * The farm's live lot is the slaughter's input; the carcass lot is named at every later step.
 */
import iconv from 'iconv-lite';
import type { Cast, Farm, Party, Plant } from './cast.ts';
import type { Random } from './random.ts';
import { clock, compact, type Broken, type DropFile, type Lookup } from './types.ts';

const ADAPTER = 'meat-vegetable-circulation';

const cell = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function csvFile(node: Party, type: string, time: string, header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): DropFile {
  const text = [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\r\n');
  return { adapter: ADAPTER, name: `${node.region}${node.uscc.slice(8, 17)}_${type}_${compact(time)}.csv`, bytes: iconv.encode(text, 'gbk') };
}

/** A carcass lot: where it came from and how much there is. */
export interface CarcassLot {
  readonly plant: Plant;
  readonly farm: Farm;
  readonly liveLot: string;
  readonly heads: number;
  readonly lot: string;
  readonly kilograms: number;
  /** The animal product quarantine certificate issued at slaughter. */
  readonly certificate: string;
}

export interface MeatDay {
  readonly files: readonly DropFile[];
  readonly lots: readonly CarcassLot[];
  /** Wholesale sales at the markets, by buyer. */
  readonly sales: ReadonlyArray<{ readonly shop: Party; readonly lot: CarcassLot; readonly kilograms: number; readonly time: string }>;
  readonly lookups: readonly Lookup[];
  readonly broken: readonly Broken[];
}

const CUTS = ['猪前腿肉', '猪后腿肉', '猪五花肉', '猪里脊', '猪排骨'] as const;

export function meatDay(random: Random, cast: Cast, day: string): MeatDay {
  const yymmdd = day.slice(2).replace(/-/g, '');
  const files: DropFile[] = [];
  const broken: Broken[] = [];
  const [kunshan, yixing] = cast.plants as [Plant, Plant];
  const [suzhou, wuxi] = cast.markets as [Party, Party];
  const plantOf = (i: number): Plant => (i < 2 ? kunshan : yixing);

  // Farms: one lot of live pigs each, with the animal quarantine certificate (A) issued at origin.
  const lots: CarcassLot[] = cast.farms.map((farm, i) => {
    const heads = random.int(40, 120);
    const plant = plantOf(i);
    return {
      plant, farm, liveLot: `LH${yymmdd}${String(i + 1).padStart(2, '0')}`, heads,
      lot: `${plant.lotPrefix}${yymmdd}${String(i + 1).padStart(2, '0')}`,
      kilograms: Math.round(heads * random.int(820, 940)) / 10,
      certificate: `${plant.region}2${yymmdd}${random.digits(6)}`,
    };
  });
  for (const [i, lot] of lots.entries()) {
    const time = clock(day, 200 + i * 20);
    files.push(csvFile(lot.farm, 'CL', time,
      ['养殖场统一社会信用代码', '养殖场名称', '养殖场编码', '出栏时间', '来源批次号', '畜禽种类', '头数', '动物检疫合格证明编号', '收货方统一社会信用代码', '收货方名称', '收货方场所编号', '车牌号', '产地行政区划代码'],
      [[lot.farm.uscc, lot.farm.name, lot.farm.farmCode, time, lot.liveLot, '生猪', lot.heads, `${lot.farm.region}1${yymmdd}${random.digits(6)}`,
        lot.plant.uscc, lot.plant.name, lot.plant.site, `苏E${random.pick(['5K', '7Q', '3M'])}${random.digits(3)}`, lot.farm.region]]));
  }

  // Slaughter: one TZ file per plant, a row per live lot.
  for (const plant of cast.plants) {
    const own = lots.filter((l) => l.plant === plant);
    const time = clock(day, 330 + cast.plants.indexOf(plant) * 15);
    files.push(csvFile(plant, 'TZ', time,
      ['屠宰企业统一社会信用代码', '屠宰企业名称', '屠宰线编号', '屠宰时间', '检疫证号', '检疫结果', '养殖场编码', '来源批次号', '头数', '产品名称', '产品条码', '批次号', '胴体重量(千克)', '产地行政区划代码', '保质期(天)'],
      own.map((l, j) => [plant.uscc, plant.name, `line-0${j + 1}`, clock(day, 330 + j * 25), l.certificate, '合格', l.farm.farmCode, l.liveLot, l.heads,
        '白条猪肉（二分体）', plant.carcassGtin, l.lot, l.kilograms, l.farm.region, 4])));
  }

  // Wholesale: Kunshan's lots go to Suzhou, Yixing's to Wuxi; each market's entries and exits in one file each.
  const marketOf = (l: CarcassLot): Party => (l.plant === kunshan ? suzhou : wuxi);
  const buyersOf = (market: Party): readonly Party[] => (market === suzhou ? [...cast.shops.slice(0, 3), cast.supermarket] : cast.shops.slice(3));
  const sales: Array<{ shop: Party; lot: CarcassLot; kilograms: number; time: string }> = [];
  for (const [m, market] of cast.markets.entries()) {
    const own = lots.filter((l) => marketOf(l) === market);
    const entryTime = clock(day, 420 + m * 10);
    const entries = own.map((l) => ({ l, kilograms: Math.round(l.kilograms * random.int(55, 85)) / 100 }));
    files.push(csvFile(market, 'RJ', entryTime,
      ['市场统一社会信用代码', '市场名称', '进场时间', '入口编号', '供货方统一社会信用代码', '供货方名称', '供货方场所编号', '产品名称', '产品条码', '批次号', '重量(千克)', '动物产品检疫合格证号', '肉品品质检验合格证号', '车牌号'],
      entries.map(({ l, kilograms }, j) => [market.uscc, market.name, clock(day, 420 + m * 10 + j * 7), 'gate-1', l.plant.uscc, l.plant.name, l.plant.site,
        '白条猪肉（二分体）', l.plant.carcassGtin, l.lot, kilograms, l.certificate, `${l.plant.lotPrefix}PJ${yymmdd}-${random.digits(4)}`, `苏${random.pick(['E', 'B'])}${random.digits(5)}`])));
    const exits: Array<ReadonlyArray<string | number>> = [];
    let minute = 540 + m * 5;
    for (const { l } of entries) {
      for (const shop of buyersOf(market)) {
        const kilograms = Math.round(random.int(300, 1800)) / 10;
        sales.push({ shop, lot: l, kilograms, time: clock(day, minute) });
        exits.push([market.uscc, clock(day, minute), 'exit-1', `JY${yymmdd}-${random.digits(6)}`, l.plant.uscc, `A-0${random.int(10, 40)}`, shop.uscc, shop.name, shop.site,
          '白条猪肉（二分体）', l.plant.carcassGtin, l.lot, kilograms, (random.int(2200, 2600) / 100).toFixed(2), l.certificate]);
        minute += 3;
      }
    }
    files.push(csvFile(market, 'RC', clock(day, minute),
      ['市场统一社会信用代码', '交易时间', '出口编号', '交易凭证号', '批发商统一社会信用代码', '摊位编号', '采购方统一社会信用代码', '采购方名称', '采购方场所编号', '产品名称', '产品条码', '批次号', '重量(千克)', '单价(元/千克)', '动物产品检疫合格证号'],
      exits));
  }

  // Retail: each shop's counter sales of the day, one LS file per shop. The last shop's file carries a
  // row typed with a wrong check character in the shop's credit code: that row is kept with its
  // problem, the others are stored, and the file goes to failed/ with its report.
  const retailers = [...cast.shops, cast.supermarket];
  for (const [s, shop] of retailers.entries()) {
    const own = sales.filter((x) => x.shop === shop);
    const rows: Array<Array<string | number>> = [];
    let minute = 660 + s * 11;
    for (const { lot } of own) {
      const count = random.int(2, 4);
      for (let k = 0; k < count; k++) {
        const kilograms = random.int(40, 300) / 100;
        rows.push([shop.uscc, shop.name, shop.site, clock(day, minute), random.pick(CUTS), lot.plant.carcassGtin, lot.lot, kilograms,
          (kilograms * random.int(28, 42)).toFixed(2), lot.certificate, shop.region]);
        minute += random.int(9, 40);
      }
    }
    if (s === retailers.length - 2) {
      const typo = [...(rows[0] ?? [])];
      const uscc = String(typo[0]);
      typo[0] = uscc.slice(0, 17) + (uscc.endsWith('1') ? '2' : '1');
      typo[3] = clock(day, minute);
      rows.push(typo);
      broken.push({ feed: ADAPTER, status: 'partial', code: 'MAPPING_FAILED', problem: 'USCC_CHECK', what: `${shop.name}: a retail row with a mistyped credit code` });
    }
    files.push(csvFile(shop, 'LS', clock(day, Math.min(minute, 1430)),
      ['零售商统一社会信用代码', '零售商名称', '摊位编号', '销售时间', '产品名称', '产品条码', '批次号', '重量(千克)', '金额(元)', '动物产品检疫合格证号', '行政区划代码'], rows));
  }

  const [first] = lots;
  const lookups: Lookup[] = first ? [
    { code: `urn:suyuan:class:lot:${first.plant.carcassGtin.padStart(14, '0')}.${first.lot}`, what: `猪肉胴体批次 ${first.lot} / carcass lot: ${first.farm.name} → ${first.plant.name} → ${suzhou.name} → shops`, lot: first.lot },
  ] : [];
  return { files, lots, sales, lookups, broken };
}
