// The CSV format: strict quoting, errors at physical line and column, Chinese header mapping, row lines, limits.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvFormat, decode, type CsvOptions } from '../src/formats/index.ts';
import { caught } from './helpers/caught.ts';


type Options = CsvOptions & { limits?: { maxLength?: number; maxNodes?: number } };
const records = (text: string, options: Options = {}) => csvFormat.split(csvFormat.parse(text, options), options);
const failure = (text: string, options: Options = {}) => {
  const error = caught(() => records(text, options));
  return { code: error.code, ...error.detail };
};

const COLUMNS = { 追溯码: 'traceCode', 屠宰企业: 'plant', 产品名称: 'product', '重量(千克)': 'weightKg', 备注: 'note' };
const SLAUGHTER = [
  '追溯码,屠宰企业,产品名称,重量(千克),备注',
  '0033010200000012345,杭州市余杭区定点屠宰场,猪白条肉,85.25,',
  '0033010200000012346,"宁波市鄞州区生猪定点屠宰厂, 二车间","猪头",9.50,"规格 ""A级"""',
  '0033010200000012347,嘉兴五丰食品有限公司,猪蹄,3.20,"第一车次',
  '第二车次已补录"',
  '0033010200000012348,嘉兴五丰食品有限公司,猪肝,1.05,冷链 -18℃',
].join('\r\n');

afterEach(() => vi.restoreAllMocks());

describe('csvFormat', () => {
  it('maps Chinese header titles to field names and keeps values as written', () => {
    const { text } = decode(iconv.encode(`${SLAUGHTER}\r\n`, 'gbk'), { declared: 'GBK' });
    const got = records(text, { columns: COLUMNS, requiredColumns: ['traceCode', '产品名称'] });
    expect(got.map((r) => r.value)).toEqual([
      { traceCode: '0033010200000012345', plant: '杭州市余杭区定点屠宰场', product: '猪白条肉', weightKg: '85.25', note: '' },
      { traceCode: '0033010200000012346', plant: '宁波市鄞州区生猪定点屠宰厂, 二车间', product: '猪头', weightKg: '9.50', note: '规格 "A级"' },
      { traceCode: '0033010200000012347', plant: '嘉兴五丰食品有限公司', product: '猪蹄', weightKg: '3.20', note: '第一车次\r\n第二车次已补录' },
      { traceCode: '0033010200000012348', plant: '嘉兴五丰食品有限公司', product: '猪肝', weightKg: '1.05', note: '冷链 -18℃' },
    ]);
    expect(csvFormat.name).toBe('csv');
  });

  it('positions records at the physical line where their row starts, past quoted line breaks', () => {
    expect(records(SLAUGHTER, { columns: COLUMNS }).map((r) => r.position)).toEqual([
      { index: 0, line: 2, path: '/0' },
      { index: 1, line: 3, path: '/1' },
      { index: 2, line: 4, path: '/2' },
      { index: 3, line: 6, path: '/3' },
    ]);
    const lf = 'a,b\n"x\n\ny",1\n\n"z\r\nw",2\n3,"\n"\n4,5';
    expect(records(lf).map((r) => r.position.line)).toEqual([2, 6, 8, 10]);
  });

  it('refuses a stray quote in an unquoted field at its line and column', () => {
    const text = SLAUGHTER.replace('猪肝,1.05', '猪肝,1"05');
    expect(failure(text)).toEqual({ code: 'PARSE_CSV', line: 6, column: 36, reason: 'quote-in-unquoted-field' });
    expect(failure('a,b\n1,x"y\n')).toEqual({ code: 'PARSE_CSV', line: 2, column: 4, reason: 'quote-in-unquoted-field' });
  });

  it('refuses text after a closing quote, and an unclosed quote at the quote that opened it', () => {
    expect(failure('a,b,c\n1,"xy"z,3\n')).toEqual({ code: 'PARSE_CSV', line: 2, column: 7, reason: 'text-after-closing-quote' });
    expect(failure('a,b\n1,"x" \n')).toMatchObject({ line: 2, column: 6, reason: 'text-after-closing-quote' });
    expect(failure('a,b\n1,"x\n\n2,3\n')).toEqual({ code: 'PARSE_CSV', line: 2, column: 3, reason: 'unclosed-quote' });
    expect(failure(`${SLAUGHTER}\r\n5,"a\r\nb",c,"d""e""f\r\n`)).toMatchObject({ line: 8, column: 6, reason: 'unclosed-quote' });
  });

  it('refuses a row with the wrong number of fields', () => {
    expect(failure('a,b,c\n1,2\n3,4,5\n')).toEqual({ code: 'PARSE_CSV', line: 2, column: 4, reason: 'field-count', expected: 3, actual: 2 });
    expect(failure('a,b,c\n1,2,3\n"4\n4",5,6,7\n')).toEqual({ code: 'PARSE_CSV', line: 4, column: 8, reason: 'field-count', expected: 3, actual: 4 });
    expect(failure(`${SLAUGHTER}\r\n0033,多一列,猪蹄,1.00,,x`)).toMatchObject({ line: 7, column: 19, expected: 5, actual: 6 });
    expect(failure('a;b\n1;2\n3\n', { delimiter: ';', header: false })).toMatchObject({ line: 3, expected: 2, actual: 1 });
  });

  it('refuses a line break outside quotes that is not the file\'s own (mixed line endings)', () => {
    expect(failure('a,b\r\n1,2\n3,4\r\n')).toEqual({ code: 'PARSE_CSV', line: 2, column: 4, reason: 'line-break-in-unquoted-field' });
  });

  it('refuses a header without a required column, naming every missing one', () => {
    const error = caught(() => records(SLAUGHTER, { columns: COLUMNS, requiredColumns: ['traceCode', '检疫证号', 'quarantineNo'] }));
    expect({ code: error.code, missing: error.detail.missing, line: error.detail.line }).toEqual({
      code: 'CSV_HEADER', missing: ['检疫证号', 'quarantineNo'], line: 1,
    });
    expect(failure('\r\n', { requiredColumns: ['追溯码'] })).toMatchObject({ code: 'CSV_HEADER', missing: ['追溯码'], line: 1 });
    expect(failure('追溯码,品名,追溯码\n1,2,3')).toMatchObject({ code: 'CSV_HEADER', duplicate: '追溯码' });
    expect(failure('追溯码,编号\n1,2', { columns: { 追溯码: 'code', 编号: 'code' } })).toMatchObject({ code: 'CSV_HEADER', duplicate: 'code' });
  });

  it('trims header titles (not values), skips empty lines by default, and reads other delimiters', () => {
    expect(records('\r\n 追溯码 ,\t品名\r\n\r\n 007 ,猪蹄 \r\n\r\n', { columns: { 追溯码: 'code' } }).map((r) => [r.value, r.position.line])).toEqual([
      [{ code: ' 007 ', 品名: '猪蹄 ' }, 4],
    ]);
    expect(failure('a,b\n\n1,2', { skipEmptyLines: false })).toMatchObject({ line: 2, reason: 'field-count', actual: 1 });
    expect(records('追溯码\t品名\n007\t"猪\t蹄"', { delimiter: '\t' })[0]?.value).toEqual({ 追溯码: '007', 品名: '猪\t蹄' });
    expect(records('007;猪蹄\n008;猪头', { delimiter: ';', header: false }).map((r) => r.value)).toEqual([['007', '猪蹄'], ['008', '猪头']]);
    expect(records('')).toEqual([]);
    expect(records('a,b\n')).toEqual([]);
    expect(records('__proto__,b\n1,2')[0]?.value).toEqual(Object.fromEntries([['__proto__', '1'], ['b', '2']]));
    expect(caught(() => records('a', { delimiter: '"' })).code).toBe('BAD_REQUEST');
  });

  it('refuses a 100 MB text by its length, without parsing it', () => {
    const spy = vi.spyOn(Papa, 'parse');
    const text = `a,b\n${'0033,猪白条肉\n'.repeat(10 * 1024 * 1024)}`;
    expect(text.length).toBeGreaterThan(100 * 1024 * 1024);
    expect(failure(text)).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'maxLength', max: 64 * 1024 * 1024, actual: text.length });
    expect(spy).not.toHaveBeenCalled();
  });

  it('refuses more rows than the limit', () => {
    expect(records('a\n1\n2', { limits: { maxNodes: 2 } })).toHaveLength(2);
    expect(records('a\n1\n2\n', { limits: { maxNodes: 2 } })).toHaveLength(2);
    expect(failure('a\n1\n2\n3', { limits: { maxNodes: 2 } })).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'maxNodes', max: 2 });
    expect(failure('a\n1\n2\n3\n4\n5', { limits: { maxNodes: 2 } })).toMatchObject({ limit: 'maxNodes' });
    expect(failure('1\n2\n3', { header: false, limits: { maxNodes: 2 } })).toMatchObject({ limit: 'maxNodes' });
  });

  it('property: any table written as CSV reads back with its values and the line each row starts on', () => {
    const value = fc.stringMatching(/^[a-z0-9猪肉𠀀 ,"\r\n]{0,8}$/u);
    const quote = (v: string): string => (/[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (width, table, newline) => {
        const rows = table.map((row) => row.slice(0, width));
        const header = Array.from({ length: width }, (_, i) => `列${i}`);
        let line = 2;
        const lines: number[] = [];
        for (const row of rows) {
          lines.push(line);
          line += 1 + row.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
        }
        const text = [header, ...rows].map((row) => row.map(quote).join(',')).join(newline);
        const got = records(text);
        expect(got.map((r) => r.value)).toEqual(rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]]))));
        expect(got.map((r) => r.position.line)).toEqual(lines);
      }),
      { numRuns: 300 },
    );
  });
});
