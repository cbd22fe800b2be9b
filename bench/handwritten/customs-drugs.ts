// Hand-written equivalents of the customs and drug-supervision mappings (see ../mapping-handwritten.ts).
/* eslint-disable @typescript-eslint/no-explicit-any -- department records are untyped JSON */
import { asList, child, digitalLink, drugCode, gtin, localTime, need, needText, num, optional, regionName, str, text, trim, uscc, zone, type Rec } from './common.ts';

const CUSTOMS_UNITS: Rec = { '007': 'H87', '011': 'H87', '142': 'H87', '035': 'KGM', '036': 'GRM', '070': 'TNE', '095': 'LTR', '096': 'MLT' };
const COUNTRIES: Rec = {
  FRA: 'FR', ITA: 'IT', ESP: 'ES', PRT: 'PT', DEU: 'DE', AUT: 'AT', GRC: 'GR', HUN: 'HU', GBR: 'GB', IRL: 'IE', NLD: 'NL', BEL: 'BE', DNK: 'DK', CHE: 'CH', GEO: 'GE',
  CHL: 'CL', ARG: 'AR', BRA: 'BR', URY: 'UY', USA: 'US', CAN: 'CA', MEX: 'MX', AUS: 'AU', NZL: 'NZ', ZAF: 'ZA', JPN: 'JP', KOR: 'KR', THA: 'TH', VNM: 'VN', MYS: 'MY', IDN: 'ID',
};

function customsPlace(id: string): string {
  if (/^\d{13}$/.test(id)) return `https://id.gs1.org/414/${(gtin(id) as string).substring(1)}`;
  if (/^urn:suyuan:loc:[0-9A-Z]{18}:/.test(id)) return id;
  throw new Error('the place must be a GLN or a urn:suyuan:loc URN');
}

function customsUnit(code: string): string {
  const u = CUSTOMS_UNITS[code];
  if (u === undefined) throw new Error(`No unit of measure for customs unit code ${code}`);
  return u;
}

export function customsImport(input: any, b: Rec): unknown {
  const root = child(input, 'DecMessage');
  if (root === undefined) throw new Error('Not a customs declaration');
  const head = child(root, 'DecHead');
  if (needText(head, 'IEFlag') !== 'I') throw new Error('Not an import declaration');
  const operator = uscc(needText(head, 'TradeCoScc'));
  const time = localTime(needText(head, 'DDate'), zone(b));
  const location = customsPlace(needText(head, 'GoodsPlaceId'));
  const region = location.startsWith('urn:suyuan:loc:') ? location.substring(17, 23) : operator.substring(2, 8);
  const entryId = needText(head, 'EntryId');
  const certs = asList(child(child(root, 'DecLicenseDocus'), 'LicenseDocu')).filter((d) => text(d, 'DocuCode') === 'A').map((d) => text(d, 'CertCode')).filter((c) => c !== undefined);
  const issuer = b.certificateIssuerGln;
  if (issuer === undefined) throw new Error('The binding certificateIssuerGln is missing');
  const lines = asList(child(child(root, 'DecLists'), 'DecList'));
  if (lines.length === 0) throw new Error('The declaration has no goods line');
  const date = (v: string | undefined): string | undefined => (v === undefined ? undefined : (localTime(v).eventTime as string).substring(0, 10));
  const events = lines.map((line) => {
    const lot = text(line, 'ProdBatchNo');
    const code = gtin(needText(line, 'GoodsBarCode'));
    const qty = num(needText(line, 'GQty'));
    if (!(qty > 0)) throw new Error('The quantity must be positive');
    const origin = needText(line, 'OriginCountry').toUpperCase();
    const country = /^[A-Z]{2}$/.test(origin) ? origin : COUNTRIES[origin];
    if (country === undefined) throw new Error(`Unknown country of origin code ${origin}`);
    return {
      type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'ADD',
      quantityList: [{ epcClass: `https://id.gs1.org/01/${code}${lot === undefined ? '' : `/10/${encodeURIComponent(lot)}`}`, quantity: qty, uom: customsUnit(needText(line, 'GUnit')) }],
      bizStep: 'urn:suyuan:bizstep:importing', disposition: 'active', bizLocation: { id: location },
      bizTransactionList: certs.length > 0 ? certs.map((c) => ({ type: 'cert', bizTransaction: `urn:epcglobal:cbv:bt:${issuer}:${c}` })) : undefined,
      ilmd: {
        'sy:productName': needText(line, 'GName'), 'sy:lotNumber': lot,
        'sy:productionDate': date(text(line, 'ProduceDate')), 'sy:expiryDate': date(text(line, 'ProdValidDt')), 'sy:countryOfOrigin': country,
      },
      'sy:region': region, 'sy:operator': operator, 'sy:category': 'imported-food-wine', 'sy:customsDeclaration': entryId, 'sy:hsCode': needText(line, 'CodeTS'),
    };
  });
  return events.length === 1 ? events[0] : events;
}

export function customsRelease(input: any, b: Rec): unknown {
  const root = child(input, 'CiqReleaseMessage');
  if (root === undefined) throw new Error('Not a release result');
  const head = child(root, 'ReleaseHead');
  const operator = uscc(needText(head, 'ConsigneeScc'));
  const time = localTime(needText(head, 'ReleaseTime'), zone(b));
  const location = customsPlace(needText(head, 'InspPlaceId'));
  const region = location.startsWith('urn:suyuan:loc:') ? location.substring(17, 23) : operator.substring(2, 8);
  const cert = text(head, 'CertNo');
  const entryId = text(head, 'EntryId');
  const issuer = b.certificateIssuerGln;
  if (issuer === undefined) throw new Error('The binding certificateIssuerGln is missing');
  const goods = asList(child(child(root, 'ReleaseGoodsList'), 'ReleaseGoods'));
  if (goods.length === 0) throw new Error('The release result has no goods line');
  const events = goods.map((line) => {
    const lot = text(line, 'ProdBatchNo');
    const qty = num(needText(line, 'Qty'));
    if (!(qty > 0)) throw new Error('The quantity must be positive');
    const result = needText(line, 'InspResult');
    const disposition = result === '1' ? 'conformant' : result === '2' ? 'non_conformant' : undefined;
    if (disposition === undefined) throw new Error('InspResult must be 1 or 2');
    return {
      type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
      quantityList: [{ epcClass: `https://id.gs1.org/01/${gtin(needText(line, 'GoodsBarCode'))}${lot === undefined ? '' : `/10/${encodeURIComponent(lot)}`}`, quantity: qty, uom: customsUnit(needText(line, 'QtyUnit')) }],
      bizStep: 'inspecting', disposition, readPoint: { id: location },
      bizTransactionList: cert === undefined ? undefined : [{ type: 'cert', bizTransaction: `urn:epcglobal:cbv:bt:${issuer}:${cert}` }],
      'sy:region': region, 'sy:operator': operator, 'sy:category': 'imported-food-wine', 'sy:inspectionReport': cert,
      'sy:customsDeclaration': entryId, 'sy:hsCode': text(line, 'HsCode'),
    };
  });
  return events.length === 1 ? events[0] : events;
}

const EXPORT_UNITS: Rec = { KGM: '035', GRM: '036', TNE: '070', H87: '011' };

/** `[Y0001][M01][D01][H01][m01][s01]` in Beijing time. */
function beijingStamp(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function customsRareEarth(e: any): unknown {
  if (e.bizStep !== 'urn:suyuan:bizstep:exporting') throw new Error('Only export events are declared');
  const quantities: any[] = e.quantityList ?? [];
  if (quantities.length === 0) throw new Error('An export declaration needs quantities by lot');
  const owner = (e.destinationList ?? []).find((d: any) => /owning_party$/.test(d.type))?.destination;
  return {
    DecMessage: {
      '@_xmlns': 'http://www.chinaport.gov.cn/dec', '@_version': '3.1',
      DecHead: {
        EntryId: e['sy:customsDeclaration'], IEFlag: 'E', DDate: beijingStamp(e.eventTime), TradeCoScc: e['sy:operator'], RegionCode: e['sy:region'],
        GoodsPlaceId: e.readPoint?.id !== undefined ? e.readPoint.id : e.bizLocation?.id,
        OverseasConsigneeCode: owner !== undefined ? owner : e.destinationList?.[0]?.destination, TraceEventId: e.eventID,
      },
      DecLists: {
        DecList: quantities.map((q, i) => {
          const link = q.epcClass.startsWith('urn:epc:class:lgtin:') ? digitalLink(q.epcClass) : q.epcClass;
          const m = /^https?:\/\/[^/]+(?:\/[^?#]*)?\/01\/(\d{14})(?:\/10\/([^/?#]+))?/.exec(link);
          if (m === null) throw new Error(`The class ${q.epcClass} has no GTIN`);
          const unit = EXPORT_UNITS[q.uom ?? 'H87'];
          if (unit === undefined) throw new Error(`No customs unit code for ${q.uom}`);
          return {
            GNo: String(i + 1), CodeTS: e['sy:hsCode'], GoodsBarCode: m[1], ProdBatchNo: m[2] !== undefined ? decodeURIComponent(m[2]) : undefined,
            GQty: String(q.quantity), GUnit: unit,
          };
        }),
      },
    },
  };
}

export function drugPackaging(row: Rec, b: Rec): unknown {
  const operator = uscc(need(row, '企业统一社会信用代码'));
  const time = localTime(need(row, '关联时间'), zone(b));
  const kind = need(row, '操作类型');
  const what = kind === '装箱' ? { action: 'ADD', bizStep: 'packing' } : kind === '拆箱' ? { action: 'DELETE', bizStep: 'unpacking' } : undefined;
  if (what === undefined) throw new Error('操作类型 must be 装箱 or 拆箱');
  const parent = drugCode(need(row, '上级码'));
  const children: string[] = asList(row['下级码']).map((c) => drugCode(trim(str(c))));
  if (kind === '装箱' && children.length === 0) throw new Error('Packing needs the child codes');
  if (children.includes(parent)) throw new Error('The parent code is also among the child codes');
  if (new Set(children).size !== children.length) throw new Error('A child code appears twice');
  const region = optional(row, '行政区划代码');
  return {
    type: 'AggregationEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: what.action, parentID: parent,
    childEPCs: children.length > 0 ? children : undefined, bizStep: what.bizStep, readPoint: { id: `urn:suyuan:loc:${operator}:${need(row, '作业点编码')}` },
    'sy:region': region !== undefined ? region : operator.substring(2, 8), 'sy:operator': operator, 'sy:category': 'drugs',
  };
}

const DRUG_KINDS: Rec = { 制剂: 'preparation', 原料药: 'api', 中药材: 'tcm-material', 中药饮片: 'tcm-decoction-piece' };

export function drugProduction(row: Rec, b: Rec): unknown {
  const date = (field: string): string | undefined => {
    const v = optional(row, field);
    return v === undefined ? undefined : (localTime(v).eventTime as string).substring(0, 10);
  };
  const operator = uscc(need(row, '生产企业统一社会信用代码'));
  const time = localTime(need(row, '赋码时间'), zone(b));
  const lot = need(row, '生产批号');
  const expiry = date('有效期至');
  const kind = DRUG_KINDS[need(row, '药品类别')];
  if (kind === undefined) throw new Error('药品类别 is unknown');
  const codes = asList(row['追溯码']);
  if (codes.length === 0) throw new Error('The field 追溯码 is missing or empty');
  const epcs = codes.map((code) => {
    const t = trim(str(code));
    const batch = /\(10\)([A-Za-z0-9._-]+)/.exec(t)?.[1];
    if (batch !== undefined && batch !== lot) throw new Error('The batch in a trace code is not the lot');
    const yymmdd = /\(17\)(\d{6})/.exec(t)?.[1];
    if (yymmdd !== undefined && yymmdd.substring(4, 6) !== '00' && expiry !== `20${yymmdd.substring(0, 2)}-${yymmdd.substring(2, 4)}-${yymmdd.substring(4, 6)}`) {
      throw new Error('The expiry in a trace code is not 有效期至');
    }
    return drugCode(t);
  });
  const line = optional(row, '生产线编号');
  const spec = optional(row, '规格');
  const region = optional(row, '行政区划代码');
  const produced = date('生产日期');
  return {
    type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'ADD', epcList: epcs,
    bizStep: 'commissioning', disposition: 'active', readPoint: line === undefined ? undefined : { id: `urn:suyuan:loc:${operator}:${line}` },
    bizLocation: { id: `urn:suyuan:loc:${operator}:${optional(row, '厂区编码') ?? 'plant'}` },
    ilmd: {
      'sy:productName': spec === undefined ? need(row, '药品通用名') : `${need(row, '药品通用名')} ${spec}`, 'sy:lotNumber': lot,
      'sy:productionDate': produced ? produced : need(row, '生产日期'), 'sy:expiryDate': expiry, 'sy:drugKind': kind,
      'sy:registrationNumber': optional(row, '批准文号'), 'sy:originRegion': optional(row, '产地行政区划代码'), 'sy:manufacturer': operator,
    },
    'sy:region': region !== undefined ? region : operator.substring(2, 8), 'sy:operator': operator, 'sy:category': 'drugs',
  };
}

export const RECALL_LEVELS: Rec = { 1: '一级', 2: '二级', 3: '三级' };
const RECALL_ACTIONS: Rec = { stop_sale: '停止销售', stop_use: '停止使用', seal: '就地封存', return: '退回供货方', destroy: '销毁', notify_customers: '通知下游客户', report_inventory: '报告库存和销售数量', other: '其他措施' };
const RECALL_STATUSES: Rec = { issued: '已发布', in_progress: '进行中', completed: '已完成', withdrawn: '已撤销' };

/** `[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]` at a ±hhmm offset. */
function stamp(iso: string, offset: string): string {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(offset);
  const minutes = m === null ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const d = new Date(Date.parse(iso) + minutes * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function drugRecallOut(n: any, b: Rec): unknown {
  if (n.category !== 'drugs') throw new Error('The drug supervision system takes drug recalls only');
  const traceCode = (epc: string): string => {
    const nmpa = /^urn:suyuan:id:drug:(\d{20})$/.exec(epc)?.[1];
    if (nmpa !== undefined) return nmpa;
    const gs1 = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/01\/(\d{14})\/21\/([^/?#]+)$/.exec(epc);
    if (gs1 !== null) return `(01)${gs1[1]}(21)${decodeURIComponent(gs1[2] as string)}`;
    throw new Error(`Item ${epc} is no drug trace code`);
  };
  return {
    msgType: 'RECALL', 召回编号: n.recallId, 标题: n.title, 召回级别: RECALL_LEVELS[String(n.level)],
    发布单位: { 类型: n.issuer?.kind === 'authority' ? '监管部门' : '企业', 统一社会信用代码: n.issuer?.uscc, 名称: n.issuer?.name },
    召回原因: n.reason,
    召回药品: asList(n.products).map((p) => ({
      药品名称: p.name, 规格: p.specification,
      药品标识码: p.drugIdCode ?? /^urn:suyuan:class:drug:(\d{7})$/.exec(String(p.classId))?.[1] ?? /^urn:suyuan:id:drug:(\d{7})\d{13}$/.exec(String(p.epcs?.[0]))?.[1],
      商品条码: p.gtin, 批号: p.lots === undefined ? undefined : asList(p.lots), 追溯码: p.epcs === undefined ? undefined : asList(p.epcs).map(traceCode),
      召回数量: p.quantity?.value, 数量单位: p.quantity?.uom,
    })),
    生产日期起: n.productionPeriod?.start, 生产日期止: n.productionPeriod?.end,
    涉及地区: n.regionsAffected === undefined ? undefined : asList(n.regionsAffected).map((r) => ({ 行政区划代码: r, 名称: regionName(r) })),
    要求措施: asList(n.actionsRequired).map((a) => RECALL_ACTIONS[a]).filter((a) => a !== undefined),
    措施说明: n.actionsDescription, 发布时间: stamp(n.issuedAt, b.timeZone ?? '+0800'), 完成时限: n.completeBy,
    召回状态: RECALL_STATUSES[n.status], 联系电话: n.contactPhone,
  };
}

const SHIPMENT_KINDS: Rec = {
  发货: { bizStep: 'shipping', disposition: 'in_transit' }, 销售出库: { bizStep: 'shipping', disposition: 'in_transit' },
  收货: { bizStep: 'receiving', disposition: 'sellable_not_accessible' }, 采购入库: { bizStep: 'receiving', disposition: 'sellable_not_accessible' },
};
const DOCUMENT_TYPES: Rec = { 随货同行单: 'desadv', 采购订单: 'po', 发票: 'inv' };

export function drugShipment(row: Rec, b: Rec): unknown {
  const kind = SHIPMENT_KINDS[need(row, '业务类型')];
  if (kind === undefined) throw new Error('业务类型 is unknown');
  const shipping = kind.bizStep === 'shipping';
  const time = localTime(need(row, '业务时间'), zone(b));
  const from = `urn:suyuan:loc:${uscc(need(row, '发货单位统一社会信用代码'))}:${need(row, '发货地点编码')}`;
  const to = `urn:suyuan:loc:${uscc(need(row, '收货单位统一社会信用代码'))}:${need(row, '收货地点编码')}`;
  const operator = uscc(need(row, shipping ? '发货单位统一社会信用代码' : '收货单位统一社会信用代码'));
  const codes = asList(row['追溯码']);
  if (codes.length === 0) throw new Error('The field 追溯码 is missing or empty');
  const documents = row['单据'] === undefined ? undefined : asList(row['单据']).map((d) => {
    const type = DOCUMENT_TYPES[trim(str(d['单据类型']))];
    if (type === undefined) throw new Error('单据类型 is unknown');
    const gln = trim(str(d['签发单位GLN']));
    if (!/^\d{13}$/.test(gln)) throw new Error('签发单位GLN must be a 13-digit GLN');
    gtin(gln);
    const number = trim(str(d['单据号']));
    if (number === '') throw new Error('A document has no 单据号');
    return { type, bizTransaction: `urn:epcglobal:cbv:bt:${gln}:${number}` };
  });
  const region = optional(row, '行政区划代码');
  return {
    type: 'ObjectEvent', eventTime: time.eventTime, eventTimeZoneOffset: time.eventTimeZoneOffset, action: 'OBSERVE',
    epcList: codes.map((c) => drugCode(trim(str(c)))), bizStep: kind.bizStep, disposition: kind.disposition,
    readPoint: shipping ? { id: from } : undefined, bizLocation: shipping ? undefined : { id: to },
    bizTransactionList: documents, sourceList: [{ type: 'owning_party', source: from }], destinationList: [{ type: 'owning_party', destination: to }],
    'sy:region': region !== undefined ? region : operator.substring(2, 8), 'sy:operator': operator, 'sy:category': 'drugs', 'sy:vehicle': optional(row, '车牌号'),
  };
}
