// GS1 element strings as printed or scanned: `(01)…(10)…(21)…` or `01…10…<GS>21…`.
import { aiFixedLength, aiFormat, checkAiValue, type Gs1Element } from './gs1.ts';
import { issue, type IdentifierIssue } from './issue.ts';

/** The group separator (FNC1 as transmitted by a scanner) that ends a variable-length value. */
export const GS = '\u001d';

const syntax = (en: string, zh: string): IdentifierIssue => issue('GS1_ELEMENT_SYNTAX', zh, en);

/**
 * Parses a GS1 element string into its elements, in order, each value checked against its AI's
 * format (see `checkAiValue`).
 *
 * Two writings are accepted:
 * - with parentheses, `(01)06901234567892(17)270101(10)A1(21)X9`: values may not contain
 *   parentheses (a choice of ours: CSET 82 allows them, but then the writing is ambiguous);
 * - without, `01069012345678921727010110A1<GS>21X9` as a scanner sends it: a fixed-length value
 *   needs no separator; a variable-length value runs to the next GS (U+001D) or to the end, so it
 *   must be last or be followed by GS.
 *
 * Errors: `GS1_ELEMENT_SYNTAX` (empty, unbalanced parentheses, the same AI twice, a truncated
 * value), `GS1_AI_UNKNOWN`, and the value codes of `checkAiValue`.
 */
export function parseElementString(text: string): readonly Gs1Element[] | IdentifierIssue {
  if (text === '') return syntax('The element string is empty', '元素串为空');
  const elements = text.startsWith('(') ? splitParenthesised(text) : splitRaw(text);
  if (!Array.isArray(elements)) return elements;
  const seen = new Set<string>();
  for (const { ai, value } of elements) {
    if (seen.has(ai)) return syntax(`AI (${ai}) occurs twice`, `应用标识符 (${ai}) 重复出现`);
    seen.add(ai);
    const problem = checkAiValue(ai, value);
    if (problem) return problem;
  }
  return elements;
}

function splitParenthesised(text: string): Gs1Element[] | IdentifierIssue {
  const elements: Gs1Element[] = [];
  const pattern = /\((\d{2,4})\)([^()]*)/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    elements.push({ ai: match[1] ?? '', value: match[2] ?? '' });
  }
  if (pattern.lastIndex !== text.length || elements.length === 0) {
    return syntax('The element string is not a sequence of (AI)value', '元素串不是“(应用标识符)值”的序列');
  }
  return elements;
}

function splitRaw(text: string): Gs1Element[] | IdentifierIssue {
  const elements: Gs1Element[] = [];
  let pos = 0;
  while (pos < text.length) {
    const ai = [2, 3, 4].map((n) => text.slice(pos, pos + n)).find((a) => /^\d+$/.test(a) && aiFormat(a));
    if (ai === undefined) {
      const head = text.slice(pos, pos + 4);
      return issue('GS1_AI_UNKNOWN', `无法识别的应用标识符 "${head}…"`, `No known application identifier at "${head}…"`);
    }
    pos += ai.length;
    const fixed = aiFixedLength(ai);
    let end: number;
    if (fixed !== undefined) {
      end = pos + fixed;
      if (end > text.length) return syntax(`The value of AI (${ai}) is cut short`, `应用标识符 (${ai}) 的值不完整`);
    } else {
      const gs = text.indexOf(GS, pos);
      end = gs < 0 ? text.length : gs;
    }
    elements.push({ ai, value: text.slice(pos, end) });
    pos = text[end] === GS ? end + 1 : end;
  }
  return elements;
}
