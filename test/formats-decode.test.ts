// Decoding bytes to text (UTF-8, GBK, GB18030) and encoding back: precedence, strictness, offsets, round trips.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { SuyuanError } from '../src/errors.ts';
import { decode, encode, encodingOf } from '../src/formats/index.ts';
import { caught } from './helpers/caught.ts';

/** The SuyuanError `run` throws (fails the test when it throws nothing or something else). */

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...parts: (Uint8Array | number[])[]): Uint8Array => Buffer.concat(parts.map((p) => Uint8Array.from(p)));
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const GB18030_BOM = [0x84, 0x31, 0x95, 0x33];
const TEXT = '屠宰场: 杭州市余杭区定点屠宰场, 追溯码 0033010200000012345';

describe('decode', () => {
  it('reads UTF-8 by default, with and without a BOM', () => {
    expect(decode(utf8(TEXT))).toEqual({ text: TEXT, encoding: 'utf-8', bom: false });
    expect(decode(bytes(UTF8_BOM, utf8(TEXT)))).toEqual({ text: TEXT, encoding: 'utf-8', bom: true });
    expect(decode(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8', bom: false });
  });

  it('reads GBK and GB18030 text with Chinese when declared, under any common label', () => {
    for (const label of ['GBK', 'gbk', 'gb2312', 'GB_2312-80', 'CP936', ' x-gbk ']) {
      expect(decode(iconv.encode(TEXT, 'gbk'), { declared: label })).toEqual({ text: TEXT, encoding: 'gbk', bom: false });
    }
    const rare = `${TEXT} 𠀀 😀 䶮`;
    for (const label of ['GB18030', 'gb18030']) {
      expect(decode(iconv.encode(rare, 'gb18030'), { declared: label })).toEqual({ text: rare, encoding: 'gb18030', bom: false });
    }
    expect(encodingOf('UTF8')).toBe('utf-8');
    expect(encodingOf('Utf-8')).toBe('utf-8');
  });

  it('refuses an unknown label', () => {
    for (const label of ['big5', 'latin1', 'utf-16', 'gbk2']) {
      const error = caught(() => decode(utf8('x'), { declared: label }));
      expect({ code: error.code, encoding: error.detail.encoding }).toEqual({ code: 'ENCODING_UNSUPPORTED', encoding: label });
    }
    expect(caught(() => decode(bytes([0xff, 0xfe, 0x41, 0x00]))).detail).toEqual({ encoding: 'utf-16le' });
  });

  it('lets a BOM win over a declaration that contradicts it, and strips it', () => {
    expect(decode(bytes(UTF8_BOM, utf8(TEXT)), { declared: 'gbk' })).toEqual({ text: TEXT, encoding: 'utf-8', bom: true });
    const rare = '𠀀 猪白条肉';
    expect(decode(bytes(GB18030_BOM, iconv.encode(rare, 'gb18030')), { declared: 'utf-8', sniffXmlProlog: true })).toEqual({
      text: rare, encoding: 'gb18030', bom: true,
    });
  });

  it('reads the encoding of an XML prolog, over the declaration, only when asked', () => {
    const xml = '<?xml version="1.0" encoding="GB2312"?>\n<检疫>猪</检疫>';
    expect(decode(iconv.encode(xml, 'gbk'), { declared: 'utf-8', sniffXmlProlog: true })).toMatchObject({ text: xml, encoding: 'gbk' });
    expect(decode(iconv.encode(xml.replace('"GB2312"', "'gb18030'"), 'gb18030'), { sniffXmlProlog: true }).encoding).toBe('gb18030');
    expect(caught(() => decode(iconv.encode(xml, 'gbk'), { declared: 'utf-8' })).code).toBe('DECODE_INVALID');
    expect(decode(utf8('<?xml version="1.0"?><a/>'), { declared: 'gbk', sniffXmlProlog: true }).encoding).toBe('gbk');
    expect(caught(() => decode(utf8('<?xml version="1.0" encoding="Shift_JIS"?><a/>'), { sniffXmlProlog: true })).code).toBe('ENCODING_UNSUPPORTED');
  });

  it('refuses GBK bytes declared as UTF-8 at the offset of the first GBK character', () => {
    const message = iconv.encode('code,name\n0033,猪白条肉\n', 'gbk');
    const error = caught(() => decode(message, { declared: 'UTF-8' }));
    expect({ code: error.code, kind: error.kind, ...error.detail }).toEqual({
      code: 'DECODE_INVALID', kind: 'user', encoding: 'utf-8', offset: 15, source: 'declared',
    });
    // offsets count the BOM
    expect(caught(() => decode(bytes(UTF8_BOM, message))).detail).toMatchObject({ offset: 18, source: 'bom' });
  });

  it('finds the offset far into a large message, across chunk boundaries', () => {
    for (const at of [0, 1, 65_535, 65_536, 65_537, 300_001]) {
      const message = bytes(utf8('a'.repeat(at)), [0xd6, 0xd0], utf8('b'.repeat(1000)));
      expect(caught(() => decode(message)).detail).toMatchObject({ offset: at });
    }
    // three-byte characters straddling a chunk boundary, then a bad continuation
    const message = bytes(utf8('中'.repeat(30_000)), [0xe4, 0xb8, 0x41]);
    expect(caught(() => decode(message)).detail).toMatchObject({ offset: 90_000 });
  });

  it('refuses a multi-byte sequence cut off at the end, at its first byte', () => {
    const cut = utf8('追溯码').subarray(0, 8);
    expect(caught(() => decode(cut)).detail).toEqual({ encoding: 'utf-8', offset: 6, source: 'default' });
    const gbk = iconv.encode('追溯码', 'gbk').subarray(0, 5);
    expect(caught(() => decode(gbk, { declared: 'gbk' })).detail).toMatchObject({ encoding: 'gbk', offset: 4 });
    const four = iconv.encode('a𠀀', 'gb18030').subarray(0, 4);
    expect(caught(() => decode(four, { declared: 'gb18030' })).detail).toMatchObject({ encoding: 'gb18030', offset: 1 });
  });

  it('reads GB18030 four-byte characters under a GBK label (as browsers do), refuses invalid trail bytes and FF', () => {
    // Rare characters of names and places, written by systems that call their encoding "GBK".
    expect(decode(iconv.encode('猪𠀀㐀', 'gb18030'), { declared: 'gbk' })).toMatchObject({ text: '猪𠀀㐀', encoding: 'gbk' });
    expect(caught(() => decode(bytes(iconv.encode('猪', 'gbk'), [0x81, 0x7f]), { declared: 'gbk' })).detail).toMatchObject({ offset: 2 });
    // FF is in no GBK sequence (Node's decoder would read it as U+F8F5)
    expect(caught(() => decode(bytes(iconv.encode('猪肉', 'gbk'), [0xff, 0x41]), { declared: 'gbk' })).detail).toMatchObject({ offset: 4 });
    expect(caught(() => decode(bytes([0x41, 0xff, 0x81, 0x7f]), { declared: 'gbk' })).detail).toMatchObject({ offset: 1 });
    expect(caught(() => decode(bytes([0x41, 0x81, 0x7f, 0xff]), { declared: 'gbk' })).detail).toMatchObject({ offset: 1 });
    expect(decode(bytes([0x80]), { declared: 'gbk' }).text).toBe('€');
  });
});

describe('encode', () => {
  it('writes UTF-8, GBK and GB18030 that decode back', () => {
    expect(Buffer.from(encode(TEXT, 'gbk'))).toEqual(iconv.encode(TEXT, 'gbk'));
    for (const encoding of ['utf-8', 'gbk', 'gb18030'] as const) {
      expect(decode(encode(TEXT, encoding), { declared: encoding }).text).toBe(TEXT);
    }
  });

  it('round-trips GB18030 four-byte characters', () => {
    for (const text of ['𠀀', '😀', '猪𠀀肉😀', '\u{10FFFF}', '€']) {
      const written = encode(text, 'gb18030');
      expect(decode(written, { declared: 'gb18030' }).text).toBe(text);
    }
    expect(encode('𠀀', 'gb18030').length).toBe(4);
  });

  it('refuses characters the encoding cannot hold, naming the character and its index', () => {
    const error = caught(() => encode('猪肉 😀 𠀀', 'gbk'));
    expect({ code: error.code, ...error.detail }).toEqual({
      code: 'ENCODING_UNSUPPORTED', encoding: 'gbk', character: '😀', codePoint: 'U+1F600', index: 3,
    });
    expect(caught(() => encode(`${'猪'.repeat(10_000)}\ud800`, 'utf-8')).detail).toMatchObject({ index: 10_000, codePoint: 'U+D800' });
    // a private-use code point that GB18030-2005 and -2022 map differently: the reader could not tell
    expect(caught(() => encode('a\ue78d', 'gb18030')).detail).toMatchObject({ index: 1, codePoint: 'U+E78D' });
  });

  it('property: any string encoded to GB18030 decodes back to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        fc.pre(!text.startsWith('\ufeff')); // a leading U+FEFF reads back as a BOM
        let written: Uint8Array;
        try {
          written = encode(text, 'gb18030');
        } catch (error) {
          // only the private-use code points the editions disagree about are refused
          const detail = (error as SuyuanError).detail;
          expect(detail.codePoint).toMatch(/^U\+E[5-8][0-9A-F]{2}$/);
          return;
        }
        expect(decode(written, { declared: 'gb18030' }).text).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
