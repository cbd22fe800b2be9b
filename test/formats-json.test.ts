// The JSON format: parsing within limits, error lines and columns, splitting at a JSON Pointer.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decode, jsonFormat } from '../src/formats/index.ts';
import { caught } from './helpers/caught.ts';


const parse = (text: string, limits?: Parameters<typeof jsonFormat.parse>[1]) => jsonFormat.parse(text, limits);
const where = (text: string) => {
  const error = caught(() => parse(text));
  expect(error.code).toBe('PARSE_JSON');
  return error.detail;
};

const MESSAGE = `{
  "batch": "PC20261129001",
  "records": [
    { "traceCode": "0033010200000012345", "product": "猪白条肉", "weightKg": 85.25 },
    { "traceCode": "0033010200000012346", "product": "猪头", "weightKg": 9.5 }
  ]
}`;

afterEach(() => vi.restoreAllMocks());

describe('jsonFormat.parse', () => {
  it('parses a message, keeping strings as written', () => {
    const parsed = parse(MESSAGE) as { records: { traceCode: string }[] };
    expect(parsed.records[0]?.traceCode).toBe('0033010200000012345');
    expect(jsonFormat.name).toBe('json');
  });

  it('names the line and column of V8 errors that carry a position', () => {
    expect(where('{"a":1')).toEqual({ line: 1, column: 7, offset: 6 }); // Expected ',' or '}'
    expect(where('{\n  "名称": "猪白条肉",\n  "b" 1\n}')).toEqual({ line: 3, column: 7, offset: 24 });
    expect(where('{"a":1}\r\n\r\n}')).toEqual({ line: 3, column: 1, offset: 11 });
    expect(where('["\\x"]')).toMatchObject({ line: 1 });
    expect(where('')).toEqual({ line: 1, column: 1, offset: 0 }); // Unexpected end of JSON input
    expect(where('{\n"a": [1,\n')).toEqual({ line: 3, column: 1, offset: 11 });
  });

  it('locates "Unexpected token" errors, whose V8 message quotes the text instead of a position', () => {
    expect(where('[1,2,]')).toEqual({ line: 1, column: 6, offset: 5 });
    expect(where('{"a":}')).toEqual({ line: 1, column: 6, offset: 5 });
    expect(where('[1,,2]')).toEqual({ line: 1, column: 4, offset: 3 });
    expect(where('中文')).toEqual({ line: 1, column: 1, offset: 0 });
    expect(where(MESSAGE.replace('"猪头",', '"猪头",,'))).toMatchObject({ line: 5, column: 59 });
    expect(where('[{"a":"\\"]"},]')).toMatchObject({ line: 1, column: 14 });
    // columns count characters: the four-byte 𠀀 is one
    expect(where('{"a": 1,\n "𠀀": [true, NaN]}')).toEqual({ line: 2, column: 14, offset: 23 });
  });

  it('refuses a 100 MB text by its length, without parsing it', () => {
    const spy = vi.spyOn(JSON, 'parse');
    const error = caught(() => parse(`[${'0,'.repeat(50 * 1024 * 1024)}0]`));
    expect({ code: error.code, kind: error.kind, limit: error.detail.limit }).toEqual({ code: 'LIMIT_EXCEEDED', kind: 'user', limit: 'maxLength' });
    expect(spy).not.toHaveBeenCalled();
    expect(caught(() => parse('[1,2]', { limits: { maxLength: 4 } })).detail).toEqual({ limit: 'maxLength', max: 4, actual: 5 });
  });

  it('refuses a document nested deeper than the limit', () => {
    const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    expect(() => parse(nested(64))).not.toThrow();
    expect(caught(() => parse(nested(65))).detail).toEqual({ limit: 'maxDepth', max: 64 });
    expect(caught(() => parse(nested(1_000_000))).detail).toMatchObject({ limit: 'maxDepth' });
    const objects = '{"a":'.repeat(4) + '1' + '}'.repeat(4);
    expect(caught(() => parse(objects, { limits: { maxDepth: 3 } })).detail).toEqual({ limit: 'maxDepth', max: 3 });
    expect(() => parse(objects, { limits: { maxDepth: 4 } })).not.toThrow();
  });

  it('refuses more values than the limit', () => {
    expect(caught(() => parse('[1,[2,3],{"a":4}]', { limits: { maxNodes: 6 } })).detail).toEqual({ limit: 'maxNodes', max: 6 });
    expect(() => parse('[1,[2,3],{"a":4}]', { limits: { maxNodes: 7 } })).not.toThrow();
  });
});

describe('jsonFormat.split', () => {
  it('gives the whole document as one record without a record path', () => {
    const parsed = parse(MESSAGE);
    expect(jsonFormat.split(parsed)).toEqual([{ value: parsed, position: { index: 0, path: '' } }]);
  });

  it('gives one record per element of the array at the record path, positioned by JSON Pointer', () => {
    const records = jsonFormat.split(parse(MESSAGE), { recordPath: '/records' });
    expect(records.map((r) => r.position)).toEqual([{ index: 0, path: '/records/0' }, { index: 1, path: '/records/1' }]);
    expect(records[1]?.value).toMatchObject({ product: '猪头' });
    const escaped = jsonFormat.split(parse('{"a/b":{"~x":[[1],[2]]}}'), { recordPath: '/a~1b/~0x' });
    expect(escaped.map((r) => r.position.path)).toEqual(['/a~1b/~0x/0', '/a~1b/~0x/1']);
    expect(jsonFormat.split(parse('[{"a":1}]'), { recordPath: '' })).toEqual([{ value: { a: 1 }, position: { index: 0, path: '/0' } }]);
    expect(jsonFormat.split(parse('{"d":[["x"]]}'), { recordPath: '/d/0' })).toEqual([{ value: 'x', position: { index: 0, path: '/d/0/0' } }]);
  });

  it('refuses a record path that leads nowhere, to a non-array, or is not a pointer', () => {
    const parsed = parse(MESSAGE);
    const detail = (recordPath: string) => {
      const error = caught(() => jsonFormat.split(parsed, { recordPath }));
      expect(error.code).toBe('RECORD_PATH_NOT_FOUND');
      return error.detail;
    };
    expect(detail('/events')).toEqual({ recordPath: '/events', reason: 'missing', at: '/events' });
    expect(detail('/records/7/x')).toEqual({ recordPath: '/records/7/x', reason: 'missing', at: '/records/7' });
    expect(detail('/records/01')).toMatchObject({ reason: 'missing' });
    expect(detail('/batch')).toEqual({ recordPath: '/batch', reason: 'not-an-array', at: '/batch' });
    expect(detail('records')).toMatchObject({ reason: 'invalid-pointer' });
    expect(detail('/a~2')).toMatchObject({ reason: 'invalid-pointer' });
    expect(detail('/__proto__')).toMatchObject({ reason: 'missing' });
  });

  it('reads a GBK message decoded first', () => {
    const { text } = decode(iconv.encode('{"records":[{"品名":"猪蹄"}]}', 'gbk'), { declared: 'GBK' });
    expect(jsonFormat.split(parse(text), { recordPath: '/records' })[0]?.value).toEqual({ 品名: '猪蹄' });
  });

  it('property: any JSON value, pretty-printed, parses back to itself as one record', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const parsed = parse(JSON.stringify(value, null, 2));
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
        expect(jsonFormat.split(parsed)).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });
});
