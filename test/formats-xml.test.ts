// The XML format: department samples, value and name conventions, record positions, malformed and hostile input, the builder.
import { describe, expect, it } from 'vitest';
import type { SuyuanError } from '../src/errors.ts';
import { buildXml, xmlFormat } from '../src/formats/index.ts';
import { caught } from './helpers/caught.ts';


/** Runs `run`, which must throw, and says how long it took and how much the heap grew. */
function measured(run: () => unknown): { error: SuyuanError; ms: number; heapGrowth: number } {
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const error = caught(run);
  return { error, ms: performance.now() - start, heapGrowth: process.memoryUsage().heapUsed - heapBefore };
}

const parse = (text: string, options: Parameters<typeof xmlFormat.parse>[1] = {}): any => xmlFormat.parse(text, options);

// 海关进口报关单 (customs import declaration), default namespace, Chinese text, codes with leading zeros.
const CUSTOMS = `<?xml version="1.0" encoding="UTF-8"?>
<DecMessage xmlns="http://www.chinaport.gov.cn/dec" Version="3.1">
  <DecHead>
    <SeqNo>000012345678901234</SeqNo>
    <IEFlag>I</IEFlag>
    <TradeCode>0012345678</TradeCode>
    <TradeName>上海某某医药有限公司</TradeName>
    <DeclTrnRel>0</DeclTrnRel>
  </DecHead>
  <DecLists>
    <DecList>
      <GNo>1</GNo><CodeTS>3004909099</CodeTS><GName>阿莫西林胶囊</GName><GModel>0.25g*24粒/盒</GModel>
      <GQty>100.00</GQty><DeclPrice>012.50</DeclPrice><OriginCountry>CHN</OriginCountry>
    </DecList>
    <DecList>
      <GNo>2</GNo><CodeTS>3004201990</CodeTS><GName>头孢克肟片</GName><GModel>0.1g*6片/盒</GModel>
      <GQty>1e3</GQty><DeclPrice>0x1F</DeclPrice><OriginCountry>DEU</OriginCountry>
    </DecList>
  </DecLists>
</DecMessage>`;

// 增值税电子发票 (tax e-invoice): prefixes, attributes on prefixed elements, text beside attributes, CDATA, a PI.
const INVOICE = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="einvoice.xsl"?>
<inv:EInvoice xmlns:inv="urn:chinatax:einvoice:1.0" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" InvoiceType="01">
  <inv:Header>
    <inv:InvoiceNumber>00240512</inv:InvoiceNumber>
    <inv:IssueDate>2024-05-12</inv:IssueDate>
    <inv:Seller inv:TaxId="91310000MA1FL0XK2B">  上海某某药业有限公司  </inv:Seller>
    <inv:Paid>true</inv:Paid>
  </inv:Header>
  <inv:Items>
    <inv:Item inv:LineNo="001">
      <inv:Name>*化学药品制剂*阿莫西林胶囊</inv:Name><inv:Quantity>0100</inv:Quantity>
      <inv:Amount currency="CNY">1250.00</inv:Amount>
    </inv:Item>
  </inv:Items>
  <inv:Remark><![CDATA[备注：<含尖括号> & 符号 <!DOCTYPE 不是声明>]]></inv:Remark>
  <!-- <!ENTITY 注释里的不是声明> -->
  <inv:Note>中&#x6587;&#25991;&amp;&lt;&gt;&quot;&apos;</inv:Note>
  <ds:Signature><ds:SignatureValue>MEUCIQ==</ds:SignatureValue></ds:Signature>
</inv:EInvoice>`;

// 医院药品入库单 (hospital drug receipts), CRLF line ends, 20-digit drug trace codes.
const RECEIPTS = [
  '<ReceiptList hospital="0571001">',
  '  <Receipt no="R0001"><DrugCode>81012340000012345678</DrugCode><Batch>0012</Batch><Qty>10</Qty></Receipt>',
  '  <Receipt no="R0002">',
  '    <DrugCode>81012340000012345679</DrugCode><Batch>0013</Batch><Qty>5</Qty>',
  '  </Receipt>',
  '  <Other/>',
  '  <Receipt no="R0003"/>',
  '</ReceiptList>',
].join('\r\n');

describe('department samples', () => {
  it('reads a customs declaration with every value a string, leading zeros kept', () => {
    const doc = parse(CUSTOMS);
    expect(doc.DecMessage['@_xmlns']).toBe('http://www.chinaport.gov.cn/dec');
    expect(doc.DecMessage['@_Version']).toBe('3.1');
    expect(doc.DecMessage.DecHead).toEqual({
      SeqNo: '000012345678901234', IEFlag: 'I', TradeCode: '0012345678', TradeName: '上海某某医药有限公司', DeclTrnRel: '0',
    });
    const [first, second] = doc.DecMessage.DecLists.DecList;
    expect(first).toMatchObject({ GNo: '1', CodeTS: '3004909099', GName: '阿莫西林胶囊', GQty: '100.00', DeclPrice: '012.50' });
    expect(second).toMatchObject({ GQty: '1e3', DeclPrice: '0x1F' });
  });

  it('splits the declaration lines with XPath positions and lines', () => {
    const options = { recordPath: 'DecMessage/DecLists/DecList' };
    const records = xmlFormat.split(xmlFormat.parse(CUSTOMS, options), options);
    expect(records.map((r) => r.position)).toEqual([
      { index: 0, path: '/DecMessage/DecLists/DecList[1]', line: 11 },
      { index: 1, path: '/DecMessage/DecLists/DecList[2]', line: 15 },
    ]);
    expect((records[1]?.value as any).GName).toBe('头孢克肟片');
  });

  it('keeps prefixes, prefixed attributes, text beside attributes, CDATA as text; drops PIs and comments; decodes references', () => {
    const doc = parse(INVOICE, { arrayPaths: ['EInvoice/Items/Item'] });
    const invoice = doc['inv:EInvoice'];
    expect(Object.keys(doc)).toEqual(['inv:EInvoice']);
    expect(invoice['@_InvoiceType']).toBe('01');
    expect(invoice['@_xmlns:ds']).toBe('http://www.w3.org/2000/09/xmldsig#');
    expect(invoice['inv:Header']).toEqual({
      'inv:InvoiceNumber': '00240512',
      'inv:IssueDate': '2024-05-12',
      'inv:Seller': { '#text': '上海某某药业有限公司', '@_inv:TaxId': '91310000MA1FL0XK2B' },
      'inv:Paid': 'true',
    });
    expect(invoice['inv:Items']['inv:Item']).toEqual([
      { '@_inv:LineNo': '001', 'inv:Name': '*化学药品制剂*阿莫西林胶囊', 'inv:Quantity': '0100', 'inv:Amount': { '#text': '1250.00', '@_currency': 'CNY' } },
    ]);
    expect(invoice['inv:Remark']).toBe('备注：<含尖括号> & 符号 <!DOCTYPE 不是声明>');
    expect(invoice['inv:Note']).toBe('中文文&<>"\'');
    expect(invoice['ds:Signature']).toEqual({ 'ds:SignatureValue': 'MEUCIQ==' });
    expect(JSON.stringify(doc)).not.toContain('xml-stylesheet');
  });

  it('matches record paths on local names, with a leading slash, and counts lines across CRLF', () => {
    const options = { recordPath: '/ReceiptList/Receipt' };
    const records = xmlFormat.split(xmlFormat.parse(RECEIPTS, options), options);
    expect(records.map((r) => r.position)).toEqual([
      { index: 0, path: '/ReceiptList/Receipt[1]', line: 2 },
      { index: 1, path: '/ReceiptList/Receipt[2]', line: 3 },
      { index: 2, path: '/ReceiptList/Receipt[3]', line: 7 },
    ]);
    expect(records.map((r) => r.value)).toEqual([
      { '@_no': 'R0001', DrugCode: '81012340000012345678', Batch: '0012', Qty: '10' },
      { '@_no': 'R0002', DrugCode: '81012340000012345679', Batch: '0013', Qty: '5' },
      { '@_no': 'R0003' },
    ]);
    const invoiceItems = { recordPath: 'EInvoice/Items/Item' };
    expect(xmlFormat.split(xmlFormat.parse(INVOICE, invoiceItems), invoiceItems)[0]?.position).toEqual({ index: 0, path: '/EInvoice/Items/Item[1]', line: 11 });
  });

  it('indexes repeated containers, omits lines for a path the document was not parsed for, and is one record without a path', () => {
    const text = '<R><Box><Item>1</Item></Box><Box><Item>2</Item><Item>3</Item></Box></R>';
    const records = xmlFormat.split(parse(text), { recordPath: 'R/Box/Item' });
    expect(records.map((r) => [r.position.path, r.value, r.position.line])).toEqual([
      ['/R/Box[1]/Item[1]', '1', undefined], ['/R/Box[2]/Item[1]', '2', undefined], ['/R/Box[2]/Item[2]', '3', undefined],
    ]);
    expect(xmlFormat.split(parse(text))).toEqual([{ value: parse(text), position: { index: 0, path: '/', line: 1 } }]);
  });

  it('reads Chinese element and attribute names, and keeps CDATA verbatim (untrimmed, references not decoded)', () => {
    expect(parse('<报关单 编号="0012"><商品>阿莫西林</商品></报关单>')).toEqual({ 报关单: { 商品: '阿莫西林', '@_编号': '0012' } });
    expect(parse('<a>\n  <![CDATA[  x &amp; ]]>\n</a>')).toEqual({ a: '  x &amp; ' });
  });

  it('splits 150,000 records in one pass, with their lines', () => {
    const text = `<List>\n${Array.from({ length: 150_000 }, (_, i) => `<Item><Code>${String(i).padStart(8, '0')}</Code></Item>`).join('\n')}\n</List>`;
    const options = { recordPath: 'List/Item' };
    const start = performance.now();
    const records = xmlFormat.split(xmlFormat.parse(text, options), options);
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(records).toHaveLength(150_000);
    expect(records.at(-1)).toEqual({ value: { Code: '00149999' }, position: { index: 149_999, path: '/List/Item[150000]', line: 150_001 } });
  });

  it('refuses a record path with nothing at it, naming what did match', () => {
    const error = caught(() => xmlFormat.split(parse(RECEIPTS), { recordPath: 'ReceiptList/Receipts/Receipt' }));
    expect(error.code).toBe('RECORD_PATH_NOT_FOUND');
    expect(error.detail).toEqual({ recordPath: 'ReceiptList/Receipts/Receipt', matched: '/ReceiptList' });
  });
});

describe('malformed XML', () => {
  it.each([
    ['a mismatched end tag', '<a>\n  <b>\n</a>', { line: 3, column: 1 }],
    ['an unclosed root', '<a>\n<b></b>', { line: 1, column: 1 }],
    ['an undeclared entity', '<a>\n  <b>&nbsp;</b></a>', { line: 2, column: 6, entity: 'nbsp' }],
    ['a bare ampersand', '<a x="1 & 2"/>', { line: 1, column: 9 }],
    ['a character reference XML does not allow', '<a>&#0;</a>', { line: 1, column: 4 }],
    ['an unterminated comment', '<a>\n<!-- never closed</a>', { line: 2, column: 5 }],
    ['a second root', '<a/>\n<b/>', { line: 2, column: 1 }],
    ['text after the root', '<a/>\n  x', { line: 2, column: 3 }],
    ['text before the root', '\uFEFF<?xml version="1.0"?>\nx<a/>', { line: 2, column: 1 }],
  ])('refuses %s with PARSE_XML and its line and column', (_name, text, where) => {
    const error = caught(() => parse(text));
    expect(error.code).toBe('PARSE_XML');
    expect(error.kind).toBe('user');
    expect(error.detail).toMatchObject(where);
  });
});

describe('hostile XML', () => {
  const laughs = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">'];
  for (let n = 1; n <= 9; n++) laughs.push(` <!ENTITY lol${n} "${`&lol${n === 1 ? '' : n - 1};`.repeat(10)}">`);
  laughs.push(']>', '<lolz>&lol9;</lolz>');

  it('refuses a billion laughs before expanding anything', () => {
    const { error, ms, heapGrowth } = measured(() => parse(laughs.join('\n')));
    expect(error.code).toBe('XML_FORBIDDEN');
    expect(error.detail).toEqual({ construct: 'DOCTYPE', line: 2, column: 1 });
    expect(ms).toBeLessThan(50);
    expect(heapGrowth).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses an external entity without reading it', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE DecMessage [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<DecMessage>&xxe;</DecMessage>';
    expect(caught(() => parse(xxe)).detail).toMatchObject({ construct: 'DOCTYPE', line: 2 });
  });

  /**
   * A DOCTYPE that declares nothing is refused too: an external subset (`SYSTEM "x.dtd"`) is a
   * fetch waiting to happen, an internal subset can add default attributes that change what the
   * document says, and SOAP forbids DTDs outright. One rule (no DTD, ever) is simpler to trust
   * than telling harmless DTDs from harmful ones; no department message needs one.
   */
  it.each([
    ['an external DTD', '<!DOCTYPE DecMessage SYSTEM "DecMessage.dtd"><DecMessage/>'],
    ['a bare DOCTYPE', '<!DOCTYPE html><html/>'],
    ['a lower-case doctype', '<!doctype html><html/>'],
  ])('refuses %s', (_name, text) => {
    const error = caught(() => parse(text));
    expect(error.code).toBe('XML_FORBIDDEN');
    expect(error.detail).toMatchObject({ construct: 'DOCTYPE', line: 1, column: 1 });
  });

  it('refuses DTD declarations outside the prolog and names the prototype cannot hold, but not declaration-like text in CDATA', () => {
    expect(caught(() => parse('<a>\n<!ENTITY x "y"></a>')).detail).toEqual({ construct: 'ENTITY', line: 2, column: 1 });
    expect(caught(() => parse('<a><constructor>1</constructor></a>')).detail).toMatchObject({ construct: 'name', element: 'constructor' });
    expect(caught(() => parse('<a><__proto__><polluted>1</polluted></__proto__></a>')).code).toBe('XML_FORBIDDEN');
    expect(parse('<a><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]></a>')).toEqual({ a: '<!DOCTYPE x [<!ENTITY y "z">]>' });
  });

  it('refuses a depth bomb of 10,000 nested elements at the depth limit, without a deep stack', () => {
    const bomb = `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`;
    const { error, ms } = measured(() => parse(bomb));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.detail).toEqual({ limit: 'maxDepth', max: 64, line: 1, column: 64 * 3 + 1 });
    expect(ms).toBeLessThan(100);
    expect(parse('<a><b><c/></b></a>', { limits: { maxDepth: 3 } })).toEqual({ a: { b: { c: '' } } });
    expect(caught(() => parse('<a><b><c><d/></c></b></a>', { limits: { maxDepth: 3 } })).detail).toMatchObject({ limit: 'maxDepth' });
  });

  it('refuses an element-count bomb before building a tree', () => {
    const bomb = `<r>\n${'<e/>'.repeat(1_000_000)}</r>`;
    const { error, ms } = measured(() => parse(bomb));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.detail).toMatchObject({ limit: 'maxNodes', max: 1_000_000, line: 2 });
    expect(ms).toBeLessThan(2_000);
    expect(caught(() => parse(`<r>${'<e>1</e>'.repeat(10)}</r>`, { limits: { maxNodes: 10 } })).detail).toMatchObject({ limit: 'maxNodes', max: 10 });
  });

  it('refuses a 100 MB body by its length, without reading it', () => {
    const huge = `<!DOCTYPE x>${'a'.repeat(100 * 1024 * 1024)}`;
    const { error, ms } = measured(() => parse(huge));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.status).toBe(413);
    expect(error.detail).toEqual({ limit: 'maxLength', max: 64 * 1024 * 1024 });
    expect(ms).toBeLessThan(20);
    expect(caught(() => parse('<a>0123456789</a>', { limits: { maxLength: 10 } })).detail).toEqual({ limit: 'maxLength', max: 10 });
  });
});

describe('buildXml', () => {
  it('writes the conventions parse reads, with a prolog, and reads back the same', () => {
    const doc = parse(INVOICE);
    const text = buildXml(doc);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?><inv:EInvoice ')).toBe(true);
    expect(parse(text)).toEqual(doc);
    expect(parse(buildXml(parse(CUSTOMS), { format: true }))).toEqual(parse(CUSTOMS));
  });

  it('escapes text and attribute values', () => {
    const value = { 'ns:R': { '@_a': `"引号" 'q' <&>`, T: '<b>粗</b> & ]]> "x"', E: '', N: null, L: ['0012', '0013'] } };
    const text = buildXml(value, { declaration: false });
    expect(text).not.toMatch(/<b>|& |]]>/);
    expect(parse(text)).toEqual({ 'ns:R': { '@_a': `"引号" 'q' <&>`, T: '<b>粗</b> & ]]> "x"', E: '', N: '', L: ['0012', '0013'] } });
  });

  it('names the encoding in the prolog and refuses what is not an encoding name', () => {
    expect(buildXml({ a: '中' }, { encoding: 'GB18030' })).toBe('<?xml version="1.0" encoding="GB18030"?><a>中</a>');
    expect(caught(() => buildXml({ a: '1' }, { encoding: 'x"?><evil' })).detail).toEqual({ encoding: 'x"?><evil' });
  });
});
