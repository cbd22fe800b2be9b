/**
 * The tax department's e-invoices of the demo day (the fully digitalised e-invoice XML the tax adapter
 * polls), each for goods that moved that day: the product code and batch on the item line, and the
 * despatch advice it pays for, so that an invoice joins the shipment it covers.
 */
import type { Party } from './cast.ts';
import type { Random } from './random.ts';

export interface InvoiceLine {
  readonly name: string;
  readonly spec: string;
  /** Unit as written on the invoice (盒, 千克, 瓶). */
  readonly unit: string;
  readonly quantity: number;
  /** Amount without tax, yuan. */
  readonly amount: number;
  readonly rate: number;
  readonly taxCode: string;
  readonly gtin: string;
  readonly batch: string;
}

export interface Invoice {
  readonly number: string;
  readonly time: string;
  readonly seller: Party;
  readonly buyer: Party;
  readonly line: InvoiceLine;
  readonly desadv?: { readonly number: string; readonly gln: string };
  /** Breaks the total on purpose (the invoice is kept with its problem, the rest of its page stored). */
  readonly badTotal?: boolean;
}

/** Fresh 20-digit invoice numbers (2-digit year, 3200 for Jiangsu, a running number). */
export function invoiceNumbers(random: Random, day: string): () => string {
  let n = random.int(10_000_000, 90_000_000);
  return () => `${day.slice(2, 4)}3220000${String(n++).padStart(11, '0')}`;
}

const money = (n: number): string => n.toFixed(2);

/** One `<EInvoice>` element. */
export function invoiceXml(inv: Invoice): string {
  const { line } = inv;
  const tax = Math.round(line.amount * line.rate * 100) / 100;
  const total = Math.round((line.amount + tax) * 100) / 100 + (inv.badTotal ? 10 : 0);
  return `  <EInvoice>
    <Header>
      <EInvoiceTag>SWEI3200</EInvoiceTag>
      <Version>1.0</Version>
      <InherentLabel>
        <EInvoiceType LabelCode="01" LabelName="增值税专用发票"/>
      </InherentLabel>
    </Header>
    <EInvoiceData>
      <SellerInformation>
        <SellerIdNum>${inv.seller.uscc}</SellerIdNum>
        <SellerName>${inv.seller.name}</SellerName>
      </SellerInformation>
      <BuyerInformation>
        <BuyerIdNum>${inv.buyer.uscc}</BuyerIdNum>
        <BuyerName>${inv.buyer.name}</BuyerName>
      </BuyerInformation>
      <BasicInformation>
        <TotalAmWithoutTax>${money(line.amount)}</TotalAmWithoutTax>
        <TotalTaxAm>${money(tax)}</TotalTaxAm>
        <TotalTax-includedAmount>${money(total)}</TotalTax-includedAmount>
      </BasicInformation>
      <IssuItemInformation>
        <ItemName>${line.name}</ItemName>
        <SpecMod>${line.spec}</SpecMod>
        <MeaUnits>${line.unit}</MeaUnits>
        <Quantity>${line.quantity}</Quantity>
        <UnPrice>${(line.amount / line.quantity).toFixed(6)}</UnPrice>
        <Amount>${money(line.amount)}</Amount>
        <TaxRate>${line.rate}</TaxRate>
        <ComTaxAm>${money(tax)}</ComTaxAm>
        <TaxClassificationCode>${line.taxCode}</TaxClassificationCode>
        <ProductCode>${line.gtin}</ProductCode>
        <BatchNumber>${line.batch}</BatchNumber>
      </IssuItemInformation>${inv.desadv ? `\n      <RelatedDocument Type="desadv" IssuerGLN="${inv.desadv.gln}">${inv.desadv.number}</RelatedDocument>` : ''}
    </EInvoiceData>
    <TaxSupervisionInfo>
      <InvoiceNumber>${inv.number}</InvoiceNumber>
      <IssueTime>${inv.time}</IssueTime>
      <TaxBureauCode>1${inv.seller.region}0000</TaxBureauCode>
      <TaxBureauName>国家税务总局江苏省税务局</TaxBureauName>
    </TaxSupervisionInfo>
  </EInvoice>`;
}

/** A page of invoices as the gateway answers it. */
export const invoicePage = (invoices: readonly string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<EInvoicePage xmlns="urn:suyuan:ns:jiangsu-tax:einvoice:1">\n${invoices.join('\n')}\n</EInvoicePage>\n`;
