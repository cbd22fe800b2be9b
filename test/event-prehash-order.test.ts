/** The pre-hash string sorts its lists by code point, not by UTF-16 unit: checked against the obvious definition. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byCodePoint } from '../src/standards/event-prehash.ts';

const reference = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0) ?? 0);
  const y = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
};

describe('code point order', () => {
  it('agrees with comparing code points, for any strings (surrogate pairs and U+E000–U+FFFF included)', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', '中', '\uE000', '\uFFFD', '𠀀', '😀'), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 6 });
    fc.assert(fc.property(text, text, (a, b) => Math.sign(byCodePoint(a, b)) === Math.sign(reference(a, b))), { numRuns: 2000 });
    expect(byCodePoint('\uFFFD', '𠀀')).toBeLessThan(0);
  });
});
