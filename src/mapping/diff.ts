// A readable difference between an expected and an actual JSON value: one line per place, named by JSON Pointer.

const pointer = (path: string, key: string | number): string => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Where `actual` differs from `expected`, each line `<pointer>: expected <json>, got <json>` (`""` is
 * the whole value; `nothing` stands for an absent value). Objects are compared key by key regardless of
 * order, arrays item by item. Empty when the two are equal as JSON values.
 */
export function jsonDifferences(expected: unknown, actual: unknown, path = ''): string[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const lines: string[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      lines.push(...jsonDifferences(expected[i], actual[i], pointer(path, i)));
    }
    return lines;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((key) => jsonDifferences(expected[key], actual[key], pointer(path, key)));
  }
  if (Object.is(expected, actual) || (expected === 0 && actual === 0)) return [];
  return [`${path === '' ? '(whole value)' : path}: expected ${show(expected)}, got ${show(actual)}`];
}
