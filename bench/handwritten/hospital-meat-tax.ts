// Hand-written equivalents of the hospital-procurement, meat-and-vegetable and tax mappings (see ../mapping-handwritten.ts).
/* eslint-disable @typescript-eslint/no-explicit-any -- department records are untyped JSON */
import { asList, drugCode, gtin, localTime, lotClass, need, num, optional, positive, regionName, str, trim, uscc, zone, type Rec } from './common.ts';
import { RECALL_LEVELS } from './customs-drugs.ts';

const HOSPITAL_UNITS: Rec = { 盒: 'BX', 瓶: 'BO', 袋: 'BG', 支: 'H87', 片: 'H87', 粒: 'H87', 丸: 'H87', 千克: 'KGM', 克: 'GRM' };

/** A field of a hospital XML record: a string, or an element's `#text`; trimmed, nothing when blank. */
function field(obj: any, name: string): string | undefined {
  let v = obj?.[name];
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) v = v['#text'];
  if (v === undefined) return undefined;
  const t = trim(str(v));
  return t === '' ? undefined : t;
}

function needField(obj: any, name: string): string {
  const v = field(obj, name);
  if (v === undefined) throw new Error(`lacks ${name}`);
  return v;
}

/** One line of a hospital delivery or receipt: its codes checked against its drug id code. */
function hospitalLine(line: any, quantityField: string) {
  const idCode = field(line, '药品标识码');
  if (idCode !== undefined && !/^\d{7}$/.test(idCode)) throw new Error('drug id code must be 7 digits');
  const gtinCode = field(line, '商品条码') === undefined ? undefined : gtin(field(line, '商品条码'));
  const lot = needField(line, '批号');
  const expiry = needField(line, '有效期至');
  if (!/^\d{4}-\d\d-\d\d$/.test(expiry)) throw new Error('expiry is not YYYY-MM-DD');
  const quantity = num(needField(line, quantityField));
  if (!(quantity > 0)) throw new Error('quantity must be positive');
  const unit = needField(line, '单位');
  const uom = HOSPITAL_UNITS[unit];
  if (uom === undefined) throw new Error(`unknown unit ${unit}`);
  const codes = asList(line['追溯码']).map((c) => (c !== null && typeof c === 'object' ? c['#text'] : c)).filter((c) => c !== undefined);
  const epcs = codes.map((c) => drugCode(trim(str(c))));
  if (codes.length !== 0 && codes.length !== quantity) throw new Error('trace codes and quantity differ');
  if (idCode !== undefined && codes.some((c) => c.length === 20 && c.substring(0, 7) !== idCode)) throw new Error(`a trace code is not of drug ${idCode}`);
  const cls = idCode ?? gtinCode;
  if (codes.length === 0 && cls === undefined) throw new Error('a line without trace codes needs the drug id code or the GTIN');
  return {
    expiry,
    epcList: epcs.length > 0 ? epcs : undefined,
    quantityList: epcs.length === 0 ? [{ epcClass: lotClass(cls, lot), quantity, uom }] : undefined,
  };
}

export function hospitalDelivery(note: any, b: Rec): unknown {
  const doc = (no: string): string => `urn:epcglobal:cbv:bt:${b.platformGln}:${no}`;
  const supplier = uscc(needField(note['配送企业'], '统一社会信用代码'));
  const hospital = uscc(needField(note['医疗机构'], '统一社会信用代码'));
  const supplierRegion = field(note['配送企业'], '行政区划代码') ?? supplier.substring(2, 8);
  if (!regionName(supplierRegion)) throw new Error(`region ${supplierRegion} is not in GB/T 2260`);
  const time = localTime(needField(note, '发货时间'));
  const shipDay = (time.eventTime as string).substring(0, 10);
  const invoice = field(note, '发票号');
  const documents = [
    { type: 'desadv', bizTransaction: doc(needField(note, '配送单号')) },
    { type: 'po', bizTransaction: doc(needField(note, '采购订单号')) },
    ...(invoice === undefined ? [] : [{ type: 'inv', bizTransaction: doc(invoice) }]),
  ];
  const site = `urn:suyuan:loc:${supplier}:${needField(note, '发货仓库编码')}`;
  const lines = asList(note['明细']);
  if (lines.length === 0) throw new Error('the delivery note has no lines');
  const events = lines.map((line) => {
    needField(line, '行号');
    const l = hospitalLine(line, '数量');
    if (!(l.expiry >= shipDay)) throw new Error(`the drug expired on ${l.expiry}`);
    return {
      type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
      epcList: l.epcList, quantityList: l.quantityList, bizStep: 'shipping', disposition: 'in_transit',
      readPoint: { id: site }, bizLocation: { id: site }, bizTransactionList: documents,
      sourceList: [{ type: 'owning_party', source: `urn:suyuan:party:${supplier}` }],
      destinationList: [
        { type: 'owning_party', destination: `urn:suyuan:party:${hospital}` },
        { type: 'location', destination: `urn:suyuan:loc:${hospital}:${b.hospitalSite ?? 'pharmacy'}` },
      ],
      'sy:region': supplierRegion, 'sy:operator': supplier, 'sy:category': 'drugs',
    };
  });
  return events.length === 1 ? events[0] : events;
}

export function hospitalReceipt(receipt: any, b: Rec): unknown {
  const doc = (no: string): string => `urn:epcglobal:cbv:bt:${b.platformGln}:${no}`;
  const hospital = uscc(needField(receipt['医疗机构'], '统一社会信用代码'));
  const supplier = uscc(needField(receipt['配送企业'], '统一社会信用代码'));
  const region = field(receipt['医疗机构'], '行政区划代码') ?? hospital.substring(2, 8);
  if (!regionName(region)) throw new Error(`region ${region} is not in GB/T 2260`);
  const time = localTime(needField(receipt, '验收时间'));
  const po = field(receipt, '采购订单号');
  const documents = [
    { type: 'recadv', bizTransaction: doc(needField(receipt, '入库单号')) },
    { type: 'desadv', bizTransaction: doc(needField(receipt, '配送单号')) },
    ...(po === undefined ? [] : [{ type: 'po', bizTransaction: doc(po) }]),
  ];
  const site = `urn:suyuan:loc:${hospital}:${needField(receipt, '药库编码')}`;
  const lines = asList(receipt['明细']);
  if (lines.length === 0) throw new Error('the receipt has no lines');
  const events = lines.map((line) => {
    needField(line, '行号');
    const l = hospitalLine(line, '实收数量');
    const verdict = needField(line, '验收结论');
    const accepted = verdict === '合格' ? true : verdict === '拒收' ? false : undefined;
    if (accepted === undefined) throw new Error('验收结论 must be 合格 or 拒收');
    if (!accepted && field(line, '拒收原因') === undefined) throw new Error('a refusal needs its reason');
    return {
      type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
      epcList: l.epcList, quantityList: l.quantityList, bizStep: accepted ? 'receiving' : 'inspecting', disposition: accepted ? 'sellable_not_accessible' : 'non_conformant',
      readPoint: { id: site }, bizLocation: { id: site }, bizTransactionList: documents,
      sourceList: [{ type: 'owning_party', source: `urn:suyuan:party:${supplier}` }],
      destinationList: [{ type: 'owning_party', destination: `urn:suyuan:party:${hospital}` }],
      'sy:region': region, 'sy:operator': hospital, 'sy:category': 'drugs',
    };
  });
  return events.length === 1 ? events[0] : events;
}

const HOSPITAL_ACTIONS: Rec = { stop_sale: '停止销售', stop_use: '停止使用', seal: '就地封存', return: '退回', destroy: '销毁', notify_customers: '通知患者', report_inventory: '报告库存', other: '其他' };
const HOSPITAL_STATUSES: Rec = { issued: '已发布', in_progress: '召回中', completed: '已完成', withdrawn: '已撤销' };

export function hospitalRecall(n: any): unknown {
  if (n.category !== 'drugs') throw new Error('only drug recalls go to hospitals');
  const after = (s: unknown, prefix: string): string | undefined => (typeof s !== 'string' ? undefined : s.includes(prefix) ? s.substring(s.indexOf(prefix) + prefix.length) : s);
  return {
    召回通知: {
      召回编号: n.recallId, 通告标题: n.title, 发布单位统一社会信用代码: n.issuer?.uscc, 发布单位名称: n.issuer?.name,
      发布单位类型: n.issuer?.kind === 'authority' ? '监管部门' : '企业', 召回级别: RECALL_LEVELS[String(n.level)], 召回原因: n.reason,
      召回药品: asList(n.products).map((p) => {
        if (p.drugIdCode === undefined && p.gtin === undefined && p.epcs === undefined && p.classId === undefined) throw new Error(`product ${p.name} has no identifier`);
        const fromClass = after(p.classId, 'urn:suyuan:class:drug:');
        const beforeDot = fromClass === undefined ? undefined : fromClass.includes('.') ? fromClass.substring(0, fromClass.indexOf('.')) : fromClass;
        return {
          药品名称: p.name, 规格: p.specification,
          药品标识码: p.drugIdCode !== undefined ? p.drugIdCode : beforeDot !== undefined && beforeDot.length > 0 ? fromClass : undefined,
          商品条码: p.gtin, 批号: p.lots, 追溯码: p.epcs === undefined ? undefined : asList(p.epcs).map((e) => after(e, 'urn:suyuan:id:drug:')),
          涉及数量: p.quantity?.value, 单位: p.quantity?.uom,
        };
      }),
      生产日期起: n.productionPeriod?.start, 生产日期止: n.productionPeriod?.end, 涉及地区: n.regionsAffected,
      要求措施: asList(n.actionsRequired).map((a) => HOSPITAL_ACTIONS[a]).filter((a) => a !== undefined),
      措施说明: n.actionsDescription, 发布时间: n.issuedAt, 完成期限: n.completeBy, 状态: HOSPITAL_STATUSES[n.status], 咨询电话: n.contactPhone,
    },
  };
}

function marketLot(row: Rec): { epcClass: string; quantity: number; uom: string } {
  return { epcClass: lotClass(gtin(need(row, '产品条码')), need(row, '批次号')), quantity: positive(row, '重量(千克)'), uom: 'KGM' };
}

export function meatEntry(row: Rec, b: Rec): unknown {
  const market = uscc(need(row, '市场统一社会信用代码'));
  const supplier = uscc(need(row, '供货方统一社会信用代码'));
  const time = localTime(need(row, '进场时间'), zone(b));
  const inspection = optional(row, '肉品品质检验合格证号');
  const vehicle = optional(row, '车牌号');
  return {
    type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
    quantityList: [marketLot(row)], bizStep: 'urn:suyuan:bizstep:market_entering',
    readPoint: { id: `urn:suyuan:loc:${market}:${need(row, '入口编号')}` }, bizLocation: { id: `urn:suyuan:loc:${market}:${b.marketSite ?? 'market'}` },
    sourceList: [{ type: 'possessing_party', source: `urn:suyuan:loc:${supplier}:${need(row, '供货方场所编号')}` }],
    'sy:region': market.substring(2, 8), 'sy:operator': market, 'sy:category': 'meat-poultry',
    'sy:quarantineCertificate': need(row, '动物产品检疫合格证号'), 'sy:inspectionReport': inspection, 'sy:vehicle': vehicle,
  };
}

export function meatExit(row: Rec, b: Rec): unknown {
  const market = uscc(need(row, '市场统一社会信用代码'));
  const seller = uscc(need(row, '批发商统一社会信用代码'));
  const buyer = uscc(need(row, '采购方统一社会信用代码'));
  const time = localTime(need(row, '交易时间'), zone(b));
  return {
    type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
    quantityList: [marketLot(row)], bizStep: 'urn:suyuan:bizstep:market_exiting',
    readPoint: { id: `urn:suyuan:loc:${market}:${need(row, '出口编号')}` }, bizLocation: { id: `urn:suyuan:loc:${market}:${b.marketSite ?? 'market'}` },
    sourceList: [{ type: 'owning_party', source: `urn:suyuan:loc:${seller}:${need(row, '摊位编号')}` }],
    destinationList: [{ type: 'owning_party', destination: `urn:suyuan:loc:${buyer}:${optional(row, '采购方场所编号') ?? 'shop'}` }],
    'sy:region': market.substring(2, 8), 'sy:operator': market, 'sy:category': 'meat-poultry', 'sy:quarantineCertificate': need(row, '动物产品检疫合格证号'),
  };
}

export function meatRetail(row: Rec, b: Rec): unknown {
  const retailer = uscc(need(row, '零售商统一社会信用代码'));
  const time = localTime(need(row, '销售时间'), zone(b));
  const stall = `urn:suyuan:loc:${retailer}:${need(row, '摊位编号')}`;
  const region = optional(row, '行政区划代码') ?? retailer.substring(2, 8);
  return {
    type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
    quantityList: [marketLot(row)], bizStep: 'retail_selling', disposition: 'retail_sold', readPoint: { id: stall }, bizLocation: { id: stall },
    'sy:region': region, 'sy:operator': retailer, 'sy:category': 'meat-poultry', 'sy:quarantineCertificate': optional(row, '动物产品检疫合格证号'),
  };
}

export function slaughter(row: Rec, b: Rec): unknown {
  const operator = uscc(need(row, '屠宰企业统一社会信用代码'));
  const time = localTime(need(row, '屠宰时间'), zone(b));
  const day = (time.eventTime as string).substring(0, 10);
  const lot = need(row, '批次号');
  const origin = need(row, '产地行政区划代码');
  const plantRegion = optional(row, '屠宰场行政区划代码') ?? operator.substring(2, 8);
  const outcome = need(row, '检疫结果');
  const shelfDays = optional(row, '保质期(天)') === undefined ? undefined : positive(row, '保质期(天)', true);
  if (!regionName(origin)) throw new Error(`Origin region ${origin} is not in GB/T 2260`);
  const disposition = outcome === '合格' ? 'urn:suyuan:disp:quarantine_passed' : outcome === '不合格' ? 'urn:suyuan:disp:quarantine_failed' : undefined;
  if (disposition === undefined) throw new Error('检疫结果 must be 合格 or 不合格');
  return {
    type: 'TransformationEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset,
    inputQuantityList: [{ epcClass: lotClass(need(row, '养殖场编码'), need(row, '来源批次号')), quantity: positive(row, '头数', true), uom: 'H87' }],
    outputQuantityList: [{ epcClass: lotClass(gtin(need(row, '产品条码')), lot), quantity: positive(row, '胴体重量(千克)'), uom: 'KGM' }],
    bizStep: 'urn:suyuan:bizstep:slaughtering', disposition,
    readPoint: { id: `urn:suyuan:loc:${operator}:${need(row, '屠宰线编号')}` }, bizLocation: { id: `urn:suyuan:loc:${operator}:${b.plantSite ?? 'plant'}` },
    ilmd: {
      'sy:productName': need(row, '产品名称'), 'sy:lotNumber': lot, 'sy:productionDate': day,
      'sy:expiryDate': shelfDays === undefined ? undefined : new Date(Date.parse(`${day}T00:00:00Z`) + shelfDays * 86_400_000).toISOString().substring(0, 10),
      'sy:originRegion': origin, 'sy:manufacturer': operator,
    },
    'sy:region': plantRegion, 'sy:operator': operator, 'sy:category': 'meat-poultry', 'sy:quarantineCertificate': need(row, '检疫证号'),
  };
}

export function vegetableEntry(row: Rec, b: Rec): unknown {
  const market = uscc(need(row, '市场统一社会信用代码'));
  const supplier = uscc(need(row, '供货方统一社会信用代码'));
  const time = localTime(need(row, '进场时间'), zone(b));
  const weight = row['重量'];
  const unit = weight?.['@_单位'] !== undefined ? trim(weight['@_单位']) : '千克';
  const n = num(weight?.['#text'] !== undefined ? trim(weight['#text']) : need(row, '重量'));
  if (!(n > 0)) throw new Error('The field 重量 must be a positive number');
  const kilograms = unit === '千克' ? n : unit === '吨' ? n * 1000 : undefined;
  if (kilograms === undefined) throw new Error('The weight unit must be 千克 or 吨');
  const origin = need(row, '产地行政区划代码');
  if (!regionName(origin)) throw new Error(`Origin region ${origin} is not in GB/T 2260`);
  const result = need(row, '检测结果');
  const disposition = result === '合格' ? 'conformant' : result === '不合格' ? 'non_conformant' : undefined;
  if (disposition === undefined) throw new Error('检测结果 must be 合格 or 不合格');
  return {
    type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
    quantityList: [{ epcClass: lotClass(need(row, '商品编码'), need(row, '批次号')), quantity: kilograms, uom: 'KGM' }],
    bizStep: 'urn:suyuan:bizstep:market_entering', disposition,
    readPoint: { id: `urn:suyuan:loc:${market}:${need(row, '入口编号')}` }, bizLocation: { id: `urn:suyuan:loc:${market}:${b.marketSite ?? 'market'}` },
    sourceList: [{ type: 'possessing_party', source: `urn:suyuan:loc:${supplier}:${optional(row, '基地编号') ?? 'base'}` }],
    'sy:region': market.substring(2, 8), 'sy:operator': market, 'sy:category': 'vegetables',
    'sy:inspectionReport': need(row, '检测凭证号'), 'sy:vehicle': optional(row, '车牌号'),
  };
}

const TAX_UNITS: Rec = {
  千克: 'KGM', 公斤: 'KGM', 克: 'GRM', 吨: 'TNE', 升: 'LTR', 毫升: 'MLT', 箱: 'CS', 盒: 'BX', 瓶: 'BO', 袋: 'BG', 包: 'PK', 罐: 'CA', 套: 'SET',
  个: 'H87', 件: 'H87', 支: 'H87', 只: 'H87', 头: 'H87', 台: 'H87', 片: 'H87',
};

export function taxInvoice(input: any): unknown {
  const data = input.EInvoiceData;
  const tax = input.TaxSupervisionInfo;
  const t = (v: unknown): string | undefined => (typeof v === 'string' && trim(v) !== '' ? trim(v) : undefined);
  const needT = (v: unknown, name: string): string => {
    const r = t(v);
    if (r === undefined) throw new Error(`${name} is missing`);
    return r;
  };
  const decimal = (s: string, name: string): number => {
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(s)) throw new Error(`${name} is not a number: ${s}`);
    return Number(s);
  };
  const money = (v: unknown, name: string): number => decimal(needT(v, name), name);
  const optionalNumber = (v: unknown, name: string): number | undefined => (t(v) === undefined ? undefined : decimal(t(v) as string, name));
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 0.0100001;
  const invoiceNumber = (v: unknown, name: string): string => {
    const n = needT(v, name);
    if (!/^[0-9]{20}$/.test(n)) throw new Error(`${name} must be 20 digits`);
    return n;
  };
  const red = data.RedInvoiceInformation !== undefined;
  const invoiceNo = invoiceNumber(tax.InvoiceNumber, 'InvoiceNumber');
  const seller = uscc(needT(data.SellerInformation?.SellerIdNum, 'SellerIdNum'));
  needT(data.SellerInformation?.SellerName, 'SellerName');
  const buyer = uscc(needT(data.BuyerInformation?.BuyerIdNum, 'BuyerIdNum'));
  needT(data.BuyerInformation?.BuyerName, 'BuyerName');
  const time = localTime(needT(tax.IssueTime, 'IssueTime'), '+08:00');
  const items = asList(data.IssuItemInformation);
  if (items.length === 0) throw new Error('The invoice has no items');
  const lines = items.map((it) => {
    needT(it.ItemName, 'ItemName');
    const quantity = optionalNumber(it.Quantity, 'Quantity');
    const price = optionalNumber(it.UnPrice, 'UnPrice');
    const amount = money(it.Amount, 'Amount');
    const rate = money(it.TaxRate, 'TaxRate');
    const lineTax = money(it.ComTaxAm, 'ComTaxAm');
    if (quantity !== undefined && price !== undefined && !near(amount, quantity * price)) throw new Error('Amount is not Quantity × UnPrice');
    if (!near(lineTax, amount * rate)) throw new Error('ComTaxAm is not Amount × TaxRate');
    if (red ? amount > 0 : amount < 0) throw new Error('the amount has the wrong sign');
    const product = t(it.ProductCode);
    const gtin14 = product === undefined ? undefined : gtin(product);
    const batch = t(it.BatchNumber);
    if (batch !== undefined && gtin14 === undefined) throw new Error('BatchNumber without ProductCode');
    return { quantity, unit: t(it.MeaUnits), amount, tax: lineTax, class: batch !== undefined ? lotClass(gtin14, batch) : gtin14 !== undefined ? `https://id.gs1.org/01/${gtin14}` : undefined };
  });
  const basic = data.BasicInformation;
  const totalAmount = money(basic?.TotalAmWithoutTax, 'TotalAmWithoutTax');
  const totalTax = money(basic?.TotalTaxAm, 'TotalTaxAm');
  const total = money(basic?.['TotalTax-includedAmount'], 'TotalTax-includedAmount');
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (!near(totalAmount, sum(lines.map((l) => l.amount)))) throw new Error('TotalAmWithoutTax is not the sum of the items');
  if (!near(totalTax, sum(lines.map((l) => l.tax)))) throw new Error('TotalTaxAm is not the sum of the items');
  if (!near(total, totalAmount + totalTax)) throw new Error('TotalTax-includedAmount is not TotalAmWithoutTax + TotalTaxAm');
  if (red ? total >= 0 : total <= 0) throw new Error('the total has the wrong sign');
  const unitNames = [...new Set(lines.map((l) => l.unit).filter((u) => u !== undefined))];
  const uom = unitNames.length === 1 && lines.every((l) => l.quantity !== undefined) ? TAX_UNITS[unitNames[0] as string] : undefined;
  const quantity = uom !== undefined ? Math.abs(sum(lines.map((l) => l.quantity as number))) : undefined;
  const invoice = {
    type: 'inv', bizTransaction: `urn:suyuan:bt:${seller}:${invoiceNo}`, 'sy:quantity': quantity, 'sy:uom': uom,
    'sy:unitPrice': quantity !== undefined && lines.length === 1 && quantity > 0 ? Number((Math.abs(total) / quantity).toFixed(4)) : undefined,
    'sy:amount': Math.abs(total), 'sy:currency': 'CNY',
  };
  const original = red ? { type: 'inv', bizTransaction: `urn:suyuan:bt:${seller}:${invoiceNumber(data.RedInvoiceInformation.OriginalInvoiceNumber, 'OriginalInvoiceNumber')}` } : undefined;
  const references = asList(data.RelatedDocument).map((d) => {
    const kind = needT(d['@_Type'], 'RelatedDocument/@Type');
    const ref = needT(typeof d === 'string' ? d : d['#text'], 'RelatedDocument');
    const gln = t(d['@_IssuerGLN']);
    if (kind !== 'desadv' && kind !== 'po') throw new Error('RelatedDocument/@Type must be desadv or po');
    return { type: kind, bizTransaction: gln !== undefined ? `urn:epcglobal:cbv:bt:${(gtin(gln) as string).substring(1)}:${ref}` : `urn:suyuan:bt:${kind === 'po' ? buyer : seller}:${ref}` };
  });
  const region = seller.substring(2, 8);
  const goods = lines.filter((l) => l.class !== undefined).map((l) => {
    const code = l.unit === undefined ? undefined : TAX_UNITS[l.unit];
    return { epcClass: l.class, quantity: code !== undefined && l.quantity !== undefined ? Math.abs(l.quantity) : undefined, uom: code !== undefined && l.quantity !== undefined ? code : undefined };
  });
  if (!red && goods.length === 0) throw new Error('No item carries a ProductCode');
  return {
    type: 'TransactionEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: red ? 'DELETE' : 'ADD',
    bizTransactionList: [invoice, ...(original === undefined ? [] : [original]), ...references],
    quantityList: goods.length > 0 ? goods : undefined,
    sourceList: [{ type: 'owning_party', source: `urn:suyuan:party:${seller}` }],
    destinationList: [{ type: 'owning_party', destination: `urn:suyuan:party:${buyer}` }],
    'sy:region': regionName(region) !== undefined ? region : undefined, 'sy:operator': seller,
  };
}
