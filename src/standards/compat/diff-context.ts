/** The state of one comparison: where it is, what it found, and the pairs on the way (the cycle guard). */
import { escapePointerToken } from '../json.ts';
import { isCompatibleChange, type DifferenceType } from './difference-types.ts';
import { wordDifference, type DifferenceDetail } from './difference-words.ts';
import type { Node } from './schema-node.ts';

/** One difference between two schemas, found by `diffSchemas(original, update)`. */
export interface Difference {
  readonly type: DifferenceType;
  /** Confluent's `jsonPath`: `#/` and Confluent's segments (`#/properties/foo`, `#/items/0`, `#/allOf/1/enum`). */
  readonly path: string;
  /** JSON Pointer (RFC 6901) into the schema as written, `""` for its root: `/properties/foo`, `/prefixItems/0`. */
  readonly pointer: string;
  /** Whether the type is in Confluent's compatible changes. */
  readonly compatible: boolean;
  /** English, for logs and answers. */
  readonly message: string;
  readonly messageZh: string;
  readonly detail: DifferenceDetail;
  /**
   * For `COMBINED_TYPE_SUBSCHEMAS_CHANGED` only: the incompatible differences of each unmatched
   * original subschema against its closest unmatched update subschema. Not Confluent's (it
   * reports none); for people reading `describeDifferences`, never counted in verdicts.
   */
  readonly causes?: readonly Difference[];
}

/**
 * One step of a path. `confluent` is Confluent's segment text; `pointer` the tokens of the same
 * step in the schema as written: none for the parts of a synthetic combinator, `prefixItems` where
 * Confluent says `items`.
 */
export interface Segment {
  readonly confluent: string;
  readonly pointer: readonly string[];
}

/** A keyword step whose Confluent segment and pointer token are the same. */
export function step(...tokens: readonly string[]): Segment {
  return { confluent: tokens.join('/'), pointer: tokens };
}

/** What the comparisons of a run share. */
export interface DiffRun {
  readonly compare: (ctx: DiffContext, original: Node | undefined, update: Node | undefined) => void;
  /** Compare `format`, `x-rules` and `x-code-list` (our dialect) or not (Confluent's). */
  readonly extensions: boolean;
  readonly codeList: ((ref: string) => readonly string[] | undefined) | undefined;
  readonly inProgress: Map<Node, Set<Node>>;
}

export class DiffContext {
  readonly differences: Difference[] = [];

  private constructor(private readonly run: DiffRun, private readonly path: Segment[]) {}

  static start(run: DiffRun): DiffContext {
    return new DiffContext(run, []);
  }

  get extensions(): boolean {
    return this.run.extensions;
  }

  get codeList(): DiffRun['codeList'] {
    return this.run.codeList;
  }

  /** A context at the same place with no differences yet: to try a comparison and keep it or not. */
  sub(): DiffContext {
    return new DiffContext(this.run, [...this.path]);
  }

  /** Runs `body` one step further down. */
  within(segment: Segment, body: () => void): void {
    this.path.push(segment);
    try {
      body();
    } finally {
      this.path.pop();
    }
  }

  /** Records a difference here, or one step further down when `segment` is given. */
  add(type: DifferenceType, detail: DifferenceDetail = {}, segment?: Segment, causes?: readonly Difference[]): void {
    const path = segment ? [...this.path, segment] : this.path;
    const pointer = path.flatMap((s) => s.pointer).map((t) => `/${escapePointerToken(t)}`).join('');
    const words = wordDifference(type, detail, pointer);
    const context = words.context ? ` (${words.context.en})` : '';
    const contextZh = words.context ? `（${words.context.zh}）` : '';
    this.differences.push({
      type,
      path: `#/${path.map((s) => s.confluent).join('/')}`,
      pointer,
      compatible: isCompatibleChange(type),
      message: `${words.en}${context}`,
      messageZh: `${words.zh}${contextZh}`,
      detail,
      ...(causes && causes.length > 0 ? { causes } : {}),
    });
  }

  addAll(differences: readonly Difference[]): void {
    this.differences.push(...differences);
  }

  /** Whether every difference found so far is compatible. */
  get compatible(): boolean {
    return this.differences.every((d) => d.compatible);
  }

  compare(original: Node | undefined, update: Node | undefined): void {
    this.run.compare(this, original, update);
  }

  /** Whether this pair is being compared further up (a recursive schema come round again). */
  comparing(original: Node, update: Node): boolean {
    return this.run.inProgress.get(original)?.has(update) ?? false;
  }

  /**
   * Runs `body` unless this pair is already being compared further up: that is a recursive
   * schema come round again, taken as compatible, as Confluent does.
   */
  guard(original: Node, update: Node, body: () => void): void {
    const updates = this.run.inProgress.get(original) ?? new Set<Node>();
    if (updates.has(update)) return;
    updates.add(update);
    this.run.inProgress.set(original, updates);
    try {
      body();
    } finally {
      updates.delete(update);
    }
  }
}
