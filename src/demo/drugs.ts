/**
 * A drug's path on the demo day: the maker commissions a lot of trace codes and packs the boxes into
 * cases, ships the cases to a distributor, who receives and unpacks them (drug supervision JSON
 * pushes), then delivers boxes to two hospitals, which check them in (hospital procurement SOAP calls).
 */
import type { Cast, Party } from './cast.ts';
import { makeDrugCode } from './identifiers.ts';
import type { Random } from './random.ts';
import { clock, type Broken, type Lookup, type Push, type SoapCall } from './types.ts';

/** The procurement platform's GLN, issuer of delivery note numbers (the hospital adapter's `platformGln`). */
export const PLATFORM_GLN = '6948765000009';

/** A sale the tax invoices must cover. */
export interface DrugSale {
  readonly seller: Party;
  readonly buyer: Party;
  readonly time: string;
  readonly boxes: number;
  readonly invoice: string;
  /** Despatch advice number and its issuer's GLN. */
  readonly desadv: { readonly number: string; readonly gln: string };
}

export interface DrugDay {
  readonly pushes: readonly Push[];
  readonly soap: readonly SoapCall[];
  readonly lot: string;
  readonly sales: readonly DrugSale[];
  readonly lookups: readonly Lookup[];
  readonly broken: readonly Broken[];
}

const DRUG = 'drug-supervision';
const HOSPITAL = 'hospital-procurement';
const SOAP_NS = 'urn:js-yycg:ws:procurement:2024';

const push = (label: string, body: unknown): Push =>
  ({ adapter: DRUG, label, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(body, null, 2)}\n` });

const envelope = (operation: string, inner: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="${SOAP_NS}">\n` +
  `  <soap:Body>\n    <tns:${operation}>\n${inner}\n    </tns:${operation}>\n  </soap:Body>\n</soap:Envelope>\n`;

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function drugDay(random: Random, cast: Cast, day: string, invoiceNumber: () => string): DrugDay {
  const { drugMaker: maker, distributor, hospitals } = cast;
  const { drug } = maker;
  const yymmdd = day.slice(2).replace(/-/g, '');
  const lot = `${yymmdd}${random.int(1, 9)}`;
  const expiry = `${Number(day.slice(0, 4)) + 2}-${day.slice(5, 7)}-01`;
  const base = random.int(1, 9) * 10_000;
  const units = Array.from({ length: 20 }, (_, i) => makeDrugCode(drug.idCode, Number(`${yymmdd}${String(base + i + 1).padStart(7, '0')}`)));
  const cases = [1, 2].map((i) => makeDrugCode(drug.idCode, Number(`${yymmdd}9${String(base + i).padStart(6, '0')}`)));
  const inCase = (c: number): string[] => units.slice(c * 10, c * 10 + 10);
  const sender = (p: Party) => ({ 统一社会信用代码: p.uscc, 系统: '江苏省药品追溯监管平台' });
  const pushes: Push[] = [];
  const msg = (type: string, time: string, from: Party, records: unknown[]) =>
    ({ msgType: type, msgId: `${type}-${random.digits(10)}`, sendTime: time, sender: sender(from), records });

  pushes.push(push('production', msg('PRODUCE', clock(day, 450), maker, [{
    生产企业统一社会信用代码: maker.uscc, 生产企业名称: maker.name, 生产线编号: 'line-2', 赋码时间: clock(day, 450), 药品通用名: drug.name, 规格: drug.spec,
    药品类别: '制剂', 批准文号: drug.approval, 生产批号: lot, 生产日期: day, 有效期至: expiry, 追溯码: units,
  }])));
  pushes.push(push('packing', msg('PACK', clock(day, 470), maker, [0, 1].map((c) => ({
    企业统一社会信用代码: maker.uscc, 企业名称: maker.name, 作业点编码: 'line-2', 关联时间: clock(day, 465 + c), 操作类型: '装箱',
    上级包装层级: '箱', 上级码: cases[c], 下级包装层级: '最小销售包装', 下级码: inCase(c),
  })))));

  const despatch = `KR-FH-${yymmdd}-${random.digits(3)}`;
  const firstInvoice = invoiceNumber();
  const docs = [
    { 单据类型: '随货同行单', 单据号: despatch, 签发单位GLN: maker.gln },
    { 单据类型: '发票', 单据号: firstInvoice, 签发单位GLN: maker.gln },
  ];
  const move = (kind: string, time: string) => ({
    业务类型: kind, 业务时间: time, 发货单位统一社会信用代码: maker.uscc, 发货单位名称: maker.name, 发货地点编码: maker.site,
    收货单位统一社会信用代码: distributor.uscc, 收货单位名称: distributor.name, 收货地点编码: 'dc-in', 单据: docs, 追溯码: cases,
  });
  pushes.push(push('shipping', msg('SHIP', clock(day, 540), maker, [{ ...move('销售出库', clock(day, 540)), 车牌号: `苏G${random.digits(5)}` }])));
  pushes.push(push('receiving', msg('SHIP', clock(day, 790), distributor, [move('采购入库', clock(day, 790))])));
  pushes.push(push('unpacking', msg('PACK', clock(day, 820), distributor, [0, 1].map((c) => ({
    企业统一社会信用代码: distributor.uscc, 企业名称: distributor.name, 作业点编码: 'dc-in', 关联时间: clock(day, 820 + c), 操作类型: '拆箱',
    上级包装层级: '箱', 上级码: cases[c], 下级包装层级: '最小销售包装', 下级码: inCase(c),
  })))));

  // Broken on purpose: the distributor's scanner cut a trace code short.
  const broken: Broken[] = [{ feed: DRUG, status: 'rejected', code: 'MAPPING_FAILED', problem: 'DRUG_TRACE_CODE_SYNTAX', what: `${distributor.name}: a shipment with a trace code of 19 digits` }];
  pushes.push(push('shipping with a short code', msg('SHIP', clock(day, 1000), distributor, [{
    ...move('采购入库', clock(day, 1000)), 追溯码: [units[0]?.slice(0, 19) ?? ''],
  }])));

  const soap: SoapCall[] = [];
  const sales: DrugSale[] = [{ seller: maker, buyer: distributor, time: clock(day, 545), boxes: 20, invoice: firstInvoice, desadv: { number: despatch, gln: maker.gln } }];
  const counts = [10, random.int(4, 8)];
  for (const [h, hospital] of hospitals.entries()) {
    const boxes = inCase(h).slice(0, counts[h]);
    const note = `PS${yymmdd}-${random.digits(4)}`;
    const order = `JSYC-DD-${yymmdd}-${random.digits(4)}`;
    const invoice = invoiceNumber();
    const codes = boxes.map((c) => `            <追溯码>${c}</追溯码>`).join('\n');
    /** The line of the note or receipt: the drug, its lot, how many boxes; `before` and `after` the quantity, the document's own elements. */
    const drugLines = (quantityTag: string, before: string, after: string) =>
      `          <明细>\n            <行号>1</行号>\n            <通用名>${drug.name}</通用名>\n            <规格>${xml(drug.spec)}</规格>\n` +
      `            <药品标识码>${drug.idCode}</药品标识码>\n            <商品条码>${drug.gtin}</商品条码>\n            <批号>${lot}</批号>\n` +
      `${before}            <有效期至>${expiry}</有效期至>\n            <${quantityTag}>${boxes.length}</${quantityTag}>\n            <单位>盒</单位>\n${after}`;
    soap.push({ adapter: HOSPITAL, label: `delivery note to ${hospital.name}`, operation: 'SubmitDeliveryNote', envelope: envelope('SubmitDeliveryNote',
      `        <配送单>\n          <配送单号>${note}</配送单号>\n          <采购订单号>${order}</采购订单号>\n          <发票号>${invoice}</发票号>\n` +
      `          <配送企业>\n            <统一社会信用代码>${distributor.uscc}</统一社会信用代码>\n            <名称>${distributor.name}</名称>\n          </配送企业>\n` +
      `          <发货仓库编码>dc-out</发货仓库编码>\n` +
      `          <医疗机构>\n            <统一社会信用代码>${hospital.uscc}</统一社会信用代码>\n            <名称>${hospital.name}</名称>\n          </医疗机构>\n` +
      `          <发货时间>${clock(day, 900 + h * 20)}</发货时间>\n` +
      drugLines('数量', `            <生产企业>${maker.name}</生产企业>\n            <批准文号>${drug.approval}</批准文号>\n            <生产日期>${day}</生产日期>\n`, '') +
      `${codes}\n          </明细>\n        </配送单>`) });
    soap.push({ adapter: HOSPITAL, label: `receipt at ${hospital.name}`, operation: 'SubmitReceipt', envelope: envelope('SubmitReceipt',
      `        <入库验收单>\n          <入库单号>RK${yymmdd}-${random.digits(4)}</入库单号>\n          <配送单号>${note}</配送单号>\n          <采购订单号>${order}</采购订单号>\n` +
      `          <医疗机构>\n            <统一社会信用代码>${hospital.uscc}</统一社会信用代码>\n            <名称>${hospital.name}</名称>\n          </医疗机构>\n` +
      `          <药库编码>yk-01</药库编码>\n` +
      `          <配送企业>\n            <统一社会信用代码>${distributor.uscc}</统一社会信用代码>\n            <名称>${distributor.name}</名称>\n          </配送企业>\n` +
      `          <验收时间>${clock(day, 1020 + h * 25)}</验收时间>\n          <验收人>${random.pick(['王芳', '李静', '赵敏'])}</验收人>\n` +
      drugLines('实收数量', '', '            <验收结论>合格</验收结论>\n') +
      `${codes}\n          </明细>\n        </入库验收单>`) });
    sales.push({ seller: distributor, buyer: hospital, time: clock(day, 905 + h * 20), boxes: boxes.length, invoice, desadv: { number: note, gln: PLATFORM_GLN } });
  }

  const lookups: Lookup[] = [
    { code: units[0] ?? '', what: `药品追溯码 / drug trace code: ${drug.name} ${lot}, ${maker.name} → ${distributor.name} → ${hospitals[0]?.name ?? ''}` },
    { code: `urn:suyuan:class:lot:${drug.gtin.padStart(14, '0')}.${lot}`, what: `药品批次 / drug lot ${lot}: who received it`, lot },
  ];
  return { pushes, soap, lot, sales, lookups, broken };
}
