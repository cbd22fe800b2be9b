/**
 * The demo's cast: the enterprises, markets, shops and hospitals of one day in Jiangsu, with names,
 * GB/T 2260 regions and identifiers that pass the standard's checks. Every identifier is drawn from
 * the seeded random source, so the same seed gives the same cast.
 */
import { makeGln, makeGtin13, makeUscc, type UsccKind } from './identifiers.ts';
import type { Random } from './random.ts';

export interface Party {
  readonly uscc: string;
  readonly name: string;
  /** GB/T 2260 county code where it is registered (positions 3–8 of its USCC). */
  readonly region: string;
  /** Its site code in location URNs (`urn:suyuan:loc:<uscc>:<site>`). */
  readonly site: string;
}

export interface Farm extends Party {
  /** The farm's code in the meat-and-vegetable system (region + `-ZC` + number): the live animal lots' class code. */
  readonly farmCode: string;
}

export interface Plant extends Party {
  /** GTIN-13 of its carcass product (白条猪肉). */
  readonly carcassGtin: string;
  /** Two letters starting its lot numbers. */
  readonly lotPrefix: string;
}

export interface DrugMaker extends Party {
  readonly gln: string;
  /** The drug: 7-digit identification code, GTIN-13 of the box, names. */
  readonly drug: { readonly idCode: string; readonly gtin: string; readonly name: string; readonly spec: string; readonly approval: string };
}

export interface Cast {
  readonly farms: readonly Farm[];
  readonly plants: readonly Plant[];
  readonly markets: readonly Party[];
  readonly shops: readonly Party[];
  readonly supermarket: Party;
  readonly drugMaker: DrugMaker;
  readonly distributor: Party & { readonly gln: string };
  readonly hospitals: readonly Party[];
  readonly importer: Party & { readonly wineGtin: string };
}

const party = (random: Random, kind: UsccKind, region: string, name: string, site: string): Party =>
  ({ uscc: makeUscc(random, kind, region), name, region, site });

export function makeCast(random: Random): Cast {
  const farm = (region: string, name: string, n: number): Farm =>
    ({ ...party(random, '91', region, name, 'farm'), farmCode: `${region}-ZC${String(n).padStart(3, '0')}` });
  const plant = (region: string, name: string, prefix: string, lotPrefix: string): Plant =>
    ({ ...party(random, '91', region, name, 'plant'), carcassGtin: makeGtin13(prefix, 1), lotPrefix });
  const makerPrefix = `6948${random.digits(3)}`;
  const distributorPrefix = `6952${random.digits(3)}`;
  return {
    farms: [
      farm('320585', '太仓市浏河生猪养殖专业合作社', random.int(1, 99)),
      farm('320282', '宜兴市丁蜀生态养猪场', random.int(1, 99)),
      farm('320722', '东海县牛山生猪养殖有限公司', random.int(1, 99)),
    ],
    plants: [
      plant('320583', '昆山市苏润肉类加工有限公司', `6937${random.digits(3)}`, 'KS'),
      plant('320282', '宜兴市荆溪肉联厂有限公司', `6938${random.digits(3)}`, 'YX'),
    ],
    markets: [
      party(random, '91', '320508', '苏州南环桥农副产品批发市场有限公司', 'market'),
      party(random, '91', '320213', '无锡朝阳农产品大市场有限公司', 'market'),
    ],
    shops: [
      party(random, '92', '320508', '苏州市姑苏区张记鲜肉店', 'shop'),
      party(random, '92', '320506', '苏州市吴中区李家猪肉铺', 'shop'),
      party(random, '92', '320505', '苏州市虎丘区王氏肉品摊', 'stall-12'),
      party(random, '92', '320213', '无锡市梁溪区陈记鲜肉店', 'shop'),
      party(random, '92', '320214', '无锡市新吴区周家肉铺', 'shop'),
    ],
    supermarket: party(random, '91', '320508', '苏州市姑苏区惠民生鲜超市有限公司', 'store'),
    drugMaker: {
      ...party(random, '91', '320706', '连云港康瑞制药有限公司', 'fg-wh'),
      gln: makeGln(makerPrefix, 2),
      drug: {
        idCode: `86${random.digits(5)}`, gtin: makeGtin13(makerPrefix, 16), name: '阿莫西林胶囊', spec: '0.25g×24粒/盒',
        approval: `国药准字H3202${random.digits(4)}`,
      },
    },
    distributor: { ...party(random, '91', '320104', '南京华康医药有限公司', 'dc'), gln: makeGln(distributorPrefix, 1) },
    hospitals: [
      party(random, '12', '320106', '南京市鼓楼区人民医院', 'pharmacy'),
      party(random, '12', '320115', '南京市江宁区中医院', 'pharmacy'),
    ],
    importer: { ...party(random, '91', '320582', '张家港保税区华澳酒业有限公司', 'bonded-wh-3'), wineGtin: '3760123450010' },
  };
}
