/**
 * An imported wine on the demo day: the importer's customs declaration and the inspection and
 * quarantine release of the same entry (customs XML pushes), for one lot of Bordeaux.
 */
import type { Cast } from './cast.ts';
import type { Random } from './random.ts';
import { clock, type Lookup, type Push } from './types.ts';

export interface WineDay {
  readonly pushes: readonly Push[];
  readonly lot: string;
  readonly bottles: number;
  readonly lookups: readonly Lookup[];
}

const ADAPTER = 'customs';
const push = (label: string, body: string): Push => ({ adapter: ADAPTER, label, contentType: 'application/xml; charset=utf-8', body });

export function wineDay(random: Random, cast: Cast, day: string): WineDay {
  const { importer } = cast;
  const ymd = day.replace(/-/g, '');
  const entry = `2233${day.slice(0, 4)}1${random.digits(9)}`;
  const cert = `322000${day.slice(2, 4)}${random.digits(10)}`;
  const lot = `L${Number(day.slice(0, 4)) - 2}-${random.int(100, 199)}`;
  const cases = random.int(80, 160);
  const bottles = cases * 6;
  const place = `urn:suyuan:loc:${importer.uscc}:${importer.site}`;
  const declaration = `<?xml version="1.0" encoding="UTF-8"?>
<DecMessage xmlns="http://www.chinaport.gov.cn/dec" version="3.1">
  <DecHead>
    <SeqNo>I${day.slice(0, 4)}${random.digits(13)}</SeqNo>
    <EntryId>${entry}</EntryId>
    <IEFlag>I</IEFlag>
    <IEPort>2233</IEPort>
    <CustomMaster>2233</CustomMaster>
    <IEDate>${ymd}</IEDate>
    <DDate>${ymd}083000</DDate>
    <TradeCoScc>${importer.uscc}</TradeCoScc>
    <TradeName>${importer.name}</TradeName>
    <OwnerScc>${importer.uscc}</OwnerScc>
    <OwnerName>${importer.name}</OwnerName>
    <ConsignorEname>SCEA CHATEAU LAFON-BELAIR</ConsignorEname>
    <TradeCountry>FRA</TradeCountry>
    <TrafMode>2</TrafMode>
    <BillNo>CMDU${day.slice(0, 4)}FR${random.digits(7)}</BillNo>
    <PackNo>${cases}</PackNo>
    <GrossWet>${Math.round(bottles * 1.6)}</GrossWet>
    <NetWt>${Math.round(bottles * 0.75)}</NetWt>
    <GoodsPlace>张家港保税港区 3 号保税仓库</GoodsPlace>
    <GoodsPlaceId>${place}</GoodsPlaceId>
  </DecHead>
  <DecLists>
    <DecList>
      <GNo>1</GNo>
      <CodeTS>2204210000</CodeTS>
      <GName>波尔多干红葡萄酒 750mL</GName>
      <GModel>750毫升/瓶|6瓶/箱|酒精度13.5%|品牌:拉丰贝莱尔</GModel>
      <GoodsBarCode>${importer.wineGtin}</GoodsBarCode>
      <ProdBatchNo>${lot}</ProdBatchNo>
      <ProduceDate>${Number(day.slice(0, 4)) - 2}1108</ProduceDate>
      <GQty>${bottles}</GQty>
      <GUnit>142</GUnit>
      <FirstQty>${Math.round(bottles * 0.75)}</FirstQty>
      <FirstUnit>095</FirstUnit>
      <OriginCountry>FRA</OriginCountry>
      <DeclPrice>6.80</DeclPrice>
      <DeclTotal>${(bottles * 6.8).toFixed(2)}</DeclTotal>
      <TradeCurr>EUR</TradeCurr>
    </DecList>
  </DecLists>
  <DecLicenseDocus>
    <LicenseDocu>
      <DocuCode>A</DocuCode>
      <CertCode>${cert}</CertCode>
    </LicenseDocu>
  </DecLicenseDocus>
</DecMessage>
`;
  const release = `<?xml version="1.0" encoding="UTF-8"?>
<CiqReleaseMessage xmlns="http://www.chinaport.gov.cn/ciq" version="1.0">
  <ReleaseHead>
    <CertNo>${cert}</CertNo>
    <CertName>入境货物检验检疫证明</CertName>
    <EntryId>${entry}</EntryId>
    <InspOrgCode>322000</InspOrgCode>
    <InspOrgName>张家港海关</InspOrgName>
    <ReleaseTime>${clock(day, 600)}</ReleaseTime>
    <ConsigneeScc>${importer.uscc}</ConsigneeScc>
    <ConsigneeName>${importer.name}</ConsigneeName>
    <InspPlace>张家港保税港区 3 号保税仓库</InspPlace>
    <InspPlaceId>${place}</InspPlaceId>
  </ReleaseHead>
  <ReleaseGoodsList>
    <ReleaseGoods>
      <GoodsNo>1</GoodsNo>
      <HsCode>2204210000</HsCode>
      <GoodsName>波尔多干红葡萄酒 750mL</GoodsName>
      <GoodsBarCode>${importer.wineGtin}</GoodsBarCode>
      <ProdBatchNo>${lot}</ProdBatchNo>
      <Qty>${bottles}</Qty>
      <QtyUnit>142</QtyUnit>
      <InspResult>1</InspResult>
      <InspResultName>合格</InspResultName>
    </ReleaseGoods>
  </ReleaseGoodsList>
</CiqReleaseMessage>
`;
  return {
    pushes: [push('import declaration', declaration), push('inspection release', release)],
    lot, bottles,
    // The lot number, as a person reads it off the label; the lot's Digital Link
    // (https://id.gs1.org/01/<GTIN>/10/<lot>, as customs writes it) finds the same events, the tax
    // invoice's urn:suyuan:class:lot:<GTIN>.<lot> included.
    lookups: [{ code: lot, what: `进口葡萄酒批号 / imported wine lot ${lot}: declared and released by customs, invoiced to ${cast.supermarket.name}` }],
  };
}
