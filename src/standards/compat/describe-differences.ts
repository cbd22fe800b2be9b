/** The changes between two versions in words, with a verdict per direction, for `suyuan standards diff`. */
import type { Difference } from './diff-context.ts';
import { diffSchemas, type CompatOptions } from './diff-schemas.ts';
import { isDifferenceType, type DifferenceType } from './difference-types.ts';
import { signOf, wordDifference, type DifferenceDetail } from './difference-words.ts';

/** One change: a difference of `diff(original, update)`, or one seen only the other way round. */
export interface DescribedChange {
  readonly type: DifferenceType;
  /** Confluent's path of the change. */
  readonly path: string;
  /** JSON Pointer into the schema as written. */
  readonly pointer: string;
  /** The new version still reads data written with the original, as far as this change goes. */
  readonly backward: boolean;
  /** The original still reads data written with the new version, as far as this change goes. */
  readonly forward: boolean;
  /** `+ optional property "sy:x" added to /properties (closed or partially open content model: backward-compatible, forward-compatible)`. */
  readonly line: string;
  readonly lineZh: string;
  /** For subschemas that lost their match: the incompatible changes found against the closest candidate, worded. */
  readonly causes: ReadonlyArray<{ readonly line: string; readonly lineZh: string }>;
}

export interface DiffDescription {
  /** BACKWARD verdict: every difference of `diffSchemas(original, update)` is compatible. */
  readonly backward: boolean;
  /** FORWARD verdict: every difference of `diffSchemas(update, original)` is compatible. */
  readonly forward: boolean;
  readonly changes: readonly DescribedChange[];
  /** The change lines, then one verdict line per direction. English. */
  readonly lines: readonly string[];
  readonly linesZh: readonly string[];
}

/**
 * Describes going from `original` to `update`. A change's forward verdict is that of the
 * differences the reverse comparison finds at the same path; a change the reverse comparison
 * alone finds is worded from the original to the update and is backward-compatible there.
 * Throws `SCHEMA_INVALID` as `diffSchemas` does.
 */
export function describeDifferences(original: unknown, update: unknown, options: CompatOptions = {}): DiffDescription {
  const ahead = diffSchemas(original, update, options);
  const behind = diffSchemas(update, original, options);
  const incompatibleBehind = new Set(behind.filter((d) => !d.compatible).map((d) => d.path));
  const paths = new Set(ahead.map((d) => d.path));
  const changes = [
    ...ahead.map((d) => describe(d.type, d.detail, d, d.compatible, !incompatibleBehind.has(d.path))),
    ...behind.filter((d) => !paths.has(d.path)).map((d) => {
      const type = inverse(d.type);
      return describe(type, swap(d.detail), d, true, d.compatible);
    }),
  ];
  const backward = ahead.every((d) => d.compatible);
  const forward = behind.every((d) => d.compatible);
  const none = changes.length === 0 ? [['no differences', '无差异']] : [];
  const verdicts = [
    [`backward (the new version reads data written with the old): ${backward ? 'compatible' : 'incompatible'}`,
      `向后（新版本读取旧版本数据）：${backward ? '兼容' : '不兼容'}`],
    [`forward (the old version reads data written with the new): ${forward ? 'compatible' : 'incompatible'}`,
      `向前（旧版本读取新版本数据）：${forward ? '兼容' : '不兼容'}`],
  ];
  return {
    backward, forward, changes,
    lines: [...changes.flatMap((c) => [c.line, ...c.causes.map((k) => k.line)]), ...none.map(([en]) => en ?? ''), ...verdicts.map(([en]) => en ?? '')],
    linesZh: [...changes.flatMap((c) => [c.lineZh, ...c.causes.map((k) => k.lineZh)]), ...none.map(([, zh]) => zh ?? ''), ...verdicts.map(([, zh]) => zh ?? '')],
  };
}

function describe(
  type: DifferenceType, detail: DifferenceDetail, at: Difference, backward: boolean, forward: boolean,
): DescribedChange {
  const words = wordDifference(type, detail, at.pointer);
  const verdict = `${backward ? 'backward-compatible' : 'backward-incompatible'}, ${forward ? 'forward-compatible' : 'forward-incompatible'}`;
  const verdictZh = `${backward ? '向后兼容' : '向后不兼容'}，${forward ? '向前兼容' : '向前不兼容'}`;
  const sign = signOf(type);
  const causes = (at.causes ?? []).map((cause) => {
    const why = wordDifference(cause.type, cause.detail, cause.pointer);
    const context = why.context ? ` (${why.context.en})` : '';
    const contextZh = why.context ? `（${why.context.zh}）` : '';
    return { line: `    because: ${why.en}${context}`, lineZh: `    原因：${why.zh}${contextZh}` };
  });
  return {
    type, path: at.path, pointer: at.pointer, backward, forward, causes,
    line: `${sign} ${words.en} (${words.context ? `${words.context.en}: ` : ''}${verdict})`,
    lineZh: `${sign} ${words.zh}（${words.context ? `${words.context.zh}：` : ''}${verdictZh}）`,
  };
}

const OPPOSITES: ReadonlyArray<readonly [string, string]> = [
  ['_ADDED', '_REMOVED'], ['_INCREASED', '_DECREASED'], ['_EXTENDED', '_NARROWED'], ['_EXPANDED', '_REDUCED'],
];

/** The type a difference seen from the update to the original has seen the other way, where there is one. */
function inverse(type: DifferenceType): DifferenceType {
  for (const [a, b] of OPPOSITES) {
    const flipped = type.endsWith(a) ? type.slice(0, -a.length) + b : type.endsWith(b) ? type.slice(0, -b.length) + a : undefined;
    if (flipped !== undefined) return isDifferenceType(flipped) ? flipped : type;
  }
  return type;
}

/** The detail seen the other way: `from` and `to` exchanged. */
function swap(detail: DifferenceDetail): DifferenceDetail {
  const { from: _from, to: _to, ...rest } = detail;
  return { ...rest, ...('to' in detail ? { from: detail.to } : {}), ...('from' in detail ? { to: detail.from } : {}) };
}
