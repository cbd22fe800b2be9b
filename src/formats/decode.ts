/** Decoding a message's bytes to text (UTF-8, GBK, GB18030), and encoding text for the way out. */
import iconv from 'iconv-lite';
import { TextDecoder, TextEncoder } from 'node:util';
import { SuyuanError } from '../errors.ts';

/** The encodings the hub reads and writes. */
export type Encoding = 'utf-8' | 'gbk' | 'gb18030';

export interface DecodeOptions {
  /** The encoding the transport declared (a `charset` parameter, a manifest field); any common label. */
  readonly declared?: Encoding | string | undefined;
  /** Read the `encoding="…"` of an XML prolog (`<?xml … encoding="GBK"?>`) from the first bytes. */
  readonly sniffXmlProlog?: boolean | undefined;
}

export interface Decoded {
  readonly text: string;
  readonly encoding: Encoding;
  /** Whether the bytes began with a byte order mark (it is not part of `text`). */
  readonly bom: boolean;
}

const LABELS: ReadonlyMap<string, Encoding> = new Map<string, Encoding>([
  ...['utf-8', 'utf8', 'unicode-1-1-utf-8', 'x-unicode20utf8'].map((l) => [l, 'utf-8'] as const),
  ...['gbk', 'x-gbk', 'cp936', 'ms936', 'windows-936', 'gb2312', 'gb_2312', 'gb_2312-80', 'csgb2312', 'euc-cn', 'chinese', 'iso-ir-58', 'csiso58gb231280'].map(
    (l) => [l, 'gbk'] as const,
  ),
  ...['gb18030', 'gb-18030', 'gb18030-2000', 'gb18030-2005', 'gb18030-2022', 'cp54936', 'windows-54936'].map((l) => [l, 'gb18030'] as const),
]);

/**
 * The encoding an encoding label names, case-insensitively (`UTF8`, `GBK`, `gb2312`, `cp936`,
 * `GB18030`…). GB2312 is read as GBK, its superset. Throws `ENCODING_UNSUPPORTED` (detail:
 * `{ encoding }`, the label as given) for any other label.
 */
export function encodingOf(label: string): Encoding {
  const encoding = LABELS.get(label.trim().toLowerCase());
  if (encoding === undefined) {
    throw new SuyuanError('ENCODING_UNSUPPORTED', `不支持的字符编码 / unsupported encoding: ${label}`, { detail: { encoding: label } });
  }
  return encoding;
}

type Source = 'bom' | 'xml-prolog' | 'declared' | 'default';

/**
 * Decodes a message's bytes. The encoding is chosen in this order:
 * 1. a byte order mark: UTF-8 `EF BB BF` or GB18030 `84 31 95 33`. A BOM wins over every
 *    declaration, even one that contradicts it: it is written by the program that wrote the bytes,
 *    while a declaration is often a default of a transport or a copied header. A UTF-16 BOM is refused
 *    with `ENCODING_UNSUPPORTED`;
 * 2. with `sniffXmlProlog`, the `encoding` of an XML prolog at the start of the bytes;
 * 3. `declared` (an empty or blank one counts as none);
 * 4. UTF-8.
 *
 * The BOM is not part of `text`. Invalid bytes are never replaced: they throw `DECODE_INVALID` with
 * `detail: { encoding, offset, source }`, where `offset` is the 0-based byte offset (counting any BOM)
 * where the first ill-formed or truncated sequence starts, and `source` says where the encoding
 * came from. An unknown label throws `ENCODING_UNSUPPORTED`. A GBK label is read with the GB18030
 * decoder, as the WHATWG Encoding Standard (and every browser) does: GB18030 is GBK's superset, so
 * the rare characters of names and places that departments write under a "GBK" label (four-byte
 * sequences) are read rather than refused; `80` is €, and `FF` is refused. Valid input is decoded once.
 */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): Decoded {
  const { encoding, source, skip } = choose(bytes, options);
  const body = skip === 0 ? bytes : bytes.subarray(skip);
  let failure: unknown;
  try {
    return { text: decoder(encoding).decode(body), encoding, bom: source === 'bom' };
  } catch (error) {
    failure = error;
  }
  const offset = skip + firstInvalidOffset(body, encoding);
  throw new SuyuanError('DECODE_INVALID', `字节在 ${encoding} 编码下无效 / bytes not valid ${encoding} at offset ${offset}`, {
    cause: failure,
    detail: { encoding, offset, source },
  });
}

function choose(bytes: Uint8Array, options: DecodeOptions): { encoding: Encoding; source: Source; skip: number } {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', source: 'bom', skip: 3 };
  if (b0 === 0x84 && b1 === 0x31 && b2 === 0x95 && b3 === 0x33) return { encoding: 'gb18030', source: 'bom', skip: 4 };
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const encoding = b0 === 0xff ? 'utf-16le' : 'utf-16be';
    throw new SuyuanError('ENCODING_UNSUPPORTED', `不支持的字符编码 / unsupported encoding: ${encoding}`, { detail: { encoding } });
  }
  if (options.sniffXmlProlog === true) {
    const label = xmlPrologEncoding(bytes);
    if (label !== undefined) return { encoding: encodingOf(label), source: 'xml-prolog', skip: 0 };
  }
  const declared = options.declared?.trim();
  if (declared !== undefined && declared !== '') return { encoding: encodingOf(declared), source: 'declared', skip: 0 };
  return { encoding: 'utf-8', source: 'default', skip: 0 };
}

const PROLOG = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** The `encoding` pseudo-attribute of an XML prolog, read as ASCII from the first bytes. */
function xmlPrologEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512)).toString('latin1');
  const match = PROLOG.exec(head);
  return match === null ? undefined : (match[1] ?? match[2]);
}

/** A fresh strict decoder: nothing is replaced, and a leading BOM (already removed) is kept as text. */
function decoder(encoding: Encoding): TextDecoder {
  return new TextDecoder(encoding === 'gbk' ? 'gb18030' : encoding, { fatal: true, ignoreBOM: true });
}

const CHUNK = 64 * 1024;
/** Longest sequence of the three encodings, in bytes. */
const MAX_SEQUENCE = 4;

/**
 * Where the first ill-formed sequence of `bytes` starts; only called after a decode failed, so
 * valid input never pays for it. One streaming pass finds the 64 KiB chunk where decoding fails
 * (or that the failure is a sequence cut off at the end); a second decoder replays the bytes before
 * that chunk in one call, then feeds the rest byte by byte, remembering after which byte a character
 * last came out: that is where the bad sequence starts.
 */
function firstInvalidOffset(bytes: Uint8Array, encoding: Encoding): number {
  const scan = decoder(encoding);
  let failed = bytes.length;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    try {
      scan.decode(bytes.subarray(start, start + CHUNK), { stream: true });
    } catch {
      failed = start;
      break;
    }
  }
  // Start 2 × MAX_SEQUENCE bytes early: any MAX_SEQUENCE valid bytes complete a character, so the
  // boundary remembered below is a real one before the failing byte is reached.
  const from = Math.max(0, failed - 2 * MAX_SEQUENCE);
  const replay = decoder(encoding);
  replay.decode(bytes.subarray(0, from), { stream: true });
  let boundary = from;
  for (let i = from; i < bytes.length; i += 1) {
    try {
      if (replay.decode(bytes.subarray(i, i + 1), { stream: true }).length > 0) boundary = i + 1;
    } catch {
      return boundary;
    }
  }
  return boundary; // the final flush fails: a sequence cut off at the end starts here
}

/**
 * The 1-based line and column of a UTF-16 offset in decoded text, for error reports. Lines are
 * physical, as an editor shows them: each CR LF, LF or lone CR ends one. Columns count characters
 * (code points), so a four-byte GB18030 character is one column.
 */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit === 0x0a || (unit === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line += 1;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i += 1) if (!isLowSurrogate(text.charCodeAt(i)) || !isHighSurrogate(text.charCodeAt(i - 1))) column += 1;
  return { line, column };
}

/** Characters scanned one by one after a failed round trip, once the failing chunk is found. */
const ENCODE_CHUNK = 4096;

/**
 * Encodes text for a department system. The bytes MUST decode back to `text` (checked, at the cost of
 * one decode): a character the encoding cannot represent — outside GBK, a lone surrogate, or one of
 * the private-use code points whose GB18030 mapping changed between the 2005 and 2022 editions —
 * throws `ENCODING_UNSUPPORTED` with `detail: { encoding, character, codePoint, index }` (`index` in
 * UTF-16 code units), instead of becoming `?`. No BOM is added; a leading U+FEFF reads back as one.
 */
export function encode(text: string, encoding: Encoding): Uint8Array {
  const bytes = encodeRaw(text, encoding);
  if (roundTrips(bytes, text, encoding)) return bytes;
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + ENCODE_CHUNK);
    if (isHighSurrogate(text.charCodeAt(end - 1)) && end < text.length) end += 1;
    const chunk = text.slice(start, end);
    if (!roundTrips(encodeRaw(chunk, encoding), chunk, encoding)) {
      let index = start;
      for (const character of chunk) {
        if (!roundTrips(encodeRaw(character, encoding), character, encoding)) throw unrepresentable(character, index, encoding);
        index += character.length;
      }
    }
    start = end;
  }
  throw unrepresentable(text, 0, encoding); // unreachable: every character round-trips alone
}

function encodeRaw(text: string, encoding: Encoding): Uint8Array {
  return encoding === 'utf-8' ? new TextEncoder().encode(text) : iconv.encode(text, encoding);
}

function roundTrips(bytes: Uint8Array, text: string, encoding: Encoding): boolean {
  try {
    return decoder(encoding).decode(bytes) === text;
  } catch {
    return false;
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function unrepresentable(character: string, index: number, encoding: Encoding): SuyuanError {
  const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return new SuyuanError('ENCODING_UNSUPPORTED', `字符 ${codePoint} 无法以 ${encoding} 编码 / ${codePoint} cannot be written in ${encoding}`, {
    detail: { encoding, character, codePoint, index },
  });
}
