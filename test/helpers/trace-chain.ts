/**
 * A small chain across four departments in three formats, written out as each department sends it:
 * a pig farm's dispatch, the slaughter, the wholesale market's entry and sales, two shops' counter sales
 * (commerce, GBK CSV files); a drug's production and its shipping and receiving between maker and
 * distributor (drug supervision, JSON pushes); the distributor's delivery to a hospital and its receipt
 * (health, SOAP calls); and the invoices behind both chains (tax, e-invoice XML, polled).
 */
import iconv from 'iconv-lite';
import type { DayMessages } from '../../src/demo/index.ts';
import { invoiceXml } from '../../src/demo/index.ts';

export const FARM = { uscc: '91320585MA01YMGC34', name: '太仓市浏河生猪养殖专业合作社', code: '320585-ZC001' };
export const PLANT = { uscc: '91320583MA1MX8T21K', name: '昆山市示例肉类加工有限公司' };
export const MARKET = { uscc: '91320508MA1XR4DP4X', name: '苏州市示例农副产品批发市场有限公司' };
export const SHOP1 = { uscc: '92320508L7Q3XM2E6W', name: '苏州市姑苏区张记鲜肉店' };
export const SHOP2 = { uscc: '92320506MAFGJJTGX2', name: '苏州市吴中区李家猪肉铺' };
export const MAKER = { uscc: '91320706MA1MB2HW4P', name: '连云港康瑞制药有限公司', gln: '6948112000027' };
export const DISTRIBUTOR = { uscc: '91320104MA1P0R7MXF', name: '南京华康医药有限公司' };
export const HOSPITAL = { uscc: '12320106466002171E', name: '南京市鼓楼区人民医院' };

export const LIVE_LOT = `urn:suyuan:class:lot:${FARM.code}.LH25031801`;
export const CARCASS_LOT_NUMBER = 'KS25031801';
export const CARCASS_LOT = `urn:suyuan:class:lot:06937528100018.${CARCASS_LOT_NUMBER}`;
export const DRUG_LOT_NUMBER = '250318';
export const DRUG_LOT = `urn:suyuan:class:lot:06945112000163.${DRUG_LOT_NUMBER}`;
export const DRUG_CODES = ['86123472503180000001', '86123472503180000002', '86123472503180000003', '86123472503180000004'];
/** The codes the hospital received. */
export const DELIVERED = DRUG_CODES.slice(0, 3);

const gbk = (lines: readonly string[]): Uint8Array => iconv.encode(lines.join('\r\n'), 'gbk');
const file = (name: string, lines: readonly string[]) => ({ adapter: 'meat-vegetable-circulation', name, bytes: gbk(lines) });

const meatFiles = [
  file('320585MA01YMGC343_CL_20250318033000.csv', [
    '养殖场统一社会信用代码,养殖场名称,养殖场编码,出栏时间,来源批次号,畜禽种类,头数,动物检疫合格证明编号,收货方统一社会信用代码,收货方名称,收货方场所编号,车牌号,产地行政区划代码',
    `${FARM.uscc},${FARM.name},${FARM.code},2025-03-18 03:30:00,LH25031801,生猪,50,3205851250318000042,${PLANT.uscc},${PLANT.name},plant,苏E3M512,320585`,
  ]),
  file('320583MA1MX8T21_TZ_20250318060000.csv', [
    '屠宰企业统一社会信用代码,屠宰企业名称,屠宰线编号,屠宰时间,检疫证号,检疫结果,养殖场编码,来源批次号,头数,产品名称,产品条码,批次号,胴体重量(千克),产地行政区划代码,保质期(天)',
    `${PLANT.uscc},${PLANT.name},line-01,2025-03-18 05:40:00,3205832250318000113,合格,${FARM.code},LH25031801,50,白条猪肉（二分体）,06937528100018,${CARCASS_LOT_NUMBER},4480.5,320585,4`,
  ]),
  file('320508MA1XR4DP4_RJ_20250318091000.csv', [
    '市场统一社会信用代码,市场名称,进场时间,入口编号,供货方统一社会信用代码,供货方名称,供货方场所编号,产品名称,产品条码,批次号,重量(千克),动物产品检疫合格证号,肉品品质检验合格证号,车牌号',
    `${MARKET.uscc},${MARKET.name},2025-03-18 09:10:00,gate-2,${PLANT.uscc},${PLANT.name},plant,白条猪肉（二分体）,06937528100018,${CARCASS_LOT_NUMBER},1250.4,3205832250318000113,KSPJ250318-0086,苏E5K216`,
  ]),
  file('320508MA1XR4DP4_RC_20250318104000.csv', [
    '市场统一社会信用代码,交易时间,出口编号,交易凭证号,批发商统一社会信用代码,摊位编号,采购方统一社会信用代码,采购方名称,采购方场所编号,产品名称,产品条码,批次号,重量(千克),单价(元/千克),动物产品检疫合格证号',
    `${MARKET.uscc},2025-03-18 10:30:00,exit-1,NHQ20250318-000318,${PLANT.uscc},A-017,${SHOP1.uscc},${SHOP1.name},shop,白条猪肉（二分体）,06937528100018,${CARCASS_LOT_NUMBER},186.5,23.80,3205832250318000113`,
    `${MARKET.uscc},2025-03-18 10:40:00,exit-1,NHQ20250318-000319,${PLANT.uscc},A-017,${SHOP2.uscc},${SHOP2.name},shop,白条猪肉（二分体）,06937528100018,${CARCASS_LOT_NUMBER},92,23.80,3205832250318000113`,
  ]),
  file('320508L7Q3XM2E6_LS_20250318160200.csv', [
    '零售商统一社会信用代码,零售商名称,摊位编号,销售时间,产品名称,产品条码,批次号,重量(千克),金额(元),动物产品检疫合格证号,行政区划代码',
    `${SHOP1.uscc},${SHOP1.name},shop,2025-03-18 16:02:00,猪前腿肉,06937528100018,${CARCASS_LOT_NUMBER},1.25,41.25,3205832250318000113,`,
  ]),
  file('320506MAFGJJTGX_LS_20250318171500.csv', [
    '零售商统一社会信用代码,零售商名称,摊位编号,销售时间,产品名称,产品条码,批次号,重量(千克),金额(元),动物产品检疫合格证号,行政区划代码',
    `${SHOP2.uscc},${SHOP2.name},shop,2025-03-18 17:15:00,猪五花肉,06937528100018,${CARCASS_LOT_NUMBER},0.8,30.40,3205832250318000113,`,
  ]),
];

const sender = (uscc: string) => ({ 统一社会信用代码: uscc, 系统: '江苏省药品追溯监管平台' });
const json = (label: string, body: unknown) => ({ adapter: 'drug-supervision', label, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
const move = (kind: string, time: string) => ({
  业务类型: kind, 业务时间: time, 发货单位统一社会信用代码: MAKER.uscc, 发货单位名称: MAKER.name, 发货地点编码: 'fg-wh',
  收货单位统一社会信用代码: DISTRIBUTOR.uscc, 收货单位名称: DISTRIBUTOR.name, 收货地点编码: 'dc-in',
  单据: [{ 单据类型: '随货同行单', 单据号: 'KR-FH-250318-031', 签发单位GLN: MAKER.gln }], 追溯码: DRUG_CODES,
});
const drugPushes = [
  json('production', { msgType: 'PRODUCE', msgId: 'PRODUCE-1', sendTime: '2025-03-18 07:30:00', sender: sender(MAKER.uscc), records: [{
    生产企业统一社会信用代码: MAKER.uscc, 生产企业名称: MAKER.name, 生产线编号: 'line-3', 赋码时间: '2025-03-18 07:30:00', 药品通用名: '阿莫西林胶囊', 规格: '0.25g×24粒',
    药品类别: '制剂', 批准文号: '国药准字H32020316', 生产批号: DRUG_LOT_NUMBER, 生产日期: '2025-03-18', 有效期至: '2027-02-28', 追溯码: DRUG_CODES,
  }] }),
  json('shipping', { msgType: 'SHIP', msgId: 'SHIP-1', sendTime: '2025-03-18 09:00:00', sender: sender(MAKER.uscc), records: [move('销售出库', '2025-03-18 09:00:00')] }),
  json('receiving', { msgType: 'SHIP', msgId: 'SHIP-2', sendTime: '2025-03-18 13:10:00', sender: sender(DISTRIBUTOR.uscc), records: [move('采购入库', '2025-03-18 13:10:00')] }),
];

const envelope = (operation: string, inner: string) => ({
  adapter: 'hospital-procurement', label: operation, operation,
  envelope: `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="urn:js-yycg:ws:procurement:2024">
  <soap:Body><tns:${operation}>${inner}</tns:${operation}></soap:Body>
</soap:Envelope>
`,
});
const line = (quantityTag: string, extra = '') => `<明细><行号>1</行号><通用名>阿莫西林胶囊</通用名><规格>0.25g×24粒/盒</规格><药品标识码>8612347</药品标识码>
  <商品条码>6945112000163</商品条码><批号>${DRUG_LOT_NUMBER}</批号><有效期至>2027-02-28</有效期至><${quantityTag}>3</${quantityTag}><单位>盒</单位>${extra}
  ${DELIVERED.map((c) => `<追溯码>${c}</追溯码>`).join('')}</明细>`;
const hospitalCalls = [
  envelope('SubmitDeliveryNote', `<配送单><配送单号>PS20250318-0417</配送单号><采购订单号>JSYC-DD-20250317-8821</采购订单号>
  <配送企业><统一社会信用代码>${DISTRIBUTOR.uscc}</统一社会信用代码><名称>${DISTRIBUTOR.name}</名称></配送企业><发货仓库编码>dc-out</发货仓库编码>
  <医疗机构><统一社会信用代码>${HOSPITAL.uscc}</统一社会信用代码><名称>${HOSPITAL.name}</名称></医疗机构><发货时间>2025-03-18 15:00:00</发货时间>
  ${line('数量', `<生产企业>${MAKER.name}</生产企业><批准文号>国药准字H32020316</批准文号><生产日期>2025-03-18</生产日期>`)}</配送单>`),
  envelope('SubmitReceipt', `<入库验收单><入库单号>RK20250318-0088</入库单号><配送单号>PS20250318-0417</配送单号><采购订单号>JSYC-DD-20250317-8821</采购订单号>
  <医疗机构><统一社会信用代码>${HOSPITAL.uscc}</统一社会信用代码><名称>${HOSPITAL.name}</名称></医疗机构><药库编码>yk-01</药库编码>
  <配送企业><统一社会信用代码>${DISTRIBUTOR.uscc}</统一社会信用代码><名称>${DISTRIBUTOR.name}</名称></配送企业>
  <验收时间>2025-03-18 17:20:00</验收时间><验收人>王芳</验收人>${line('实收数量', '<验收结论>合格</验收结论>')}</入库验收单>`),
];

const region = (uscc: string) => uscc.slice(2, 8);
const invoices = [
  invoiceXml({
    number: '25322000000000000101', time: '2025-03-18 09:05:00', seller: { uscc: MAKER.uscc, name: MAKER.name, region: region(MAKER.uscc), site: 'fg-wh' },
    buyer: { uscc: DISTRIBUTOR.uscc, name: DISTRIBUTOR.name, region: region(DISTRIBUTOR.uscc), site: 'dc-in' }, desadv: { number: 'KR-FH-250318-031', gln: MAKER.gln },
    line: { name: '*化学药品制剂*阿莫西林胶囊', spec: '0.25g×24粒/盒', unit: '盒', quantity: 4, amount: 39.2, rate: 0.13, taxCode: '1070301010000000000', gtin: '6945112000163', batch: DRUG_LOT_NUMBER },
  }),
  invoiceXml({
    number: '25322000000000000102', time: '2025-03-18 10:35:00', seller: { uscc: PLANT.uscc, name: PLANT.name, region: region(PLANT.uscc), site: 'plant' },
    buyer: { uscc: SHOP1.uscc, name: SHOP1.name, region: region(SHOP1.uscc), site: 'shop' },
    line: { name: '*肉及肉制品*白条猪肉', spec: '二分体', unit: '千克', quantity: 186.5, amount: 4438.7, rate: 0.09, taxCode: '1030101010000000000', gtin: '06937528100018', batch: CARCASS_LOT_NUMBER },
  }),
];

export const CHAIN: DayMessages = { files: meatFiles, pushes: drugPushes, soap: hospitalCalls, invoices };
