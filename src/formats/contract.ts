/**
 * The contract every message format implements (JSON, XML, CSV, SOAP, EPCIS): parse a decoded
 * message, then split it into records that each remember where they came from.
 */

/** Where a record sits in its message, for error reports and provenance. */
export interface Position {
  /** 0-based index of the record in its message. */
  readonly index: number;
  /** 1-based line of the record's start in the text, when the format knows it (CSV, XML). */
  readonly line?: number;
  /** An XPath-like (`/Envelope/Body/Receipts/Receipt[3]`) or JSON Pointer (`/epcisBody/eventList/2`) path. */
  readonly path: string;
}

export interface SourceRecord {
  readonly value: unknown;
  readonly position: Position;
}

/** Limits every parser enforces; exceeding one is a user error naming the limit. */
export interface ParseLimits {
  /** Largest text accepted, in UTF-16 code units (default 64 MiB). */
  readonly maxLength?: number;
  /** Deepest nesting accepted (default 64). */
  readonly maxDepth?: number;
  /** Most elements / values / rows accepted (default 1,000,000). */
  readonly maxNodes?: number;
}

export const DEFAULT_LIMITS: Required<ParseLimits> = { maxLength: 64 * 1024 * 1024, maxDepth: 64, maxNodes: 1_000_000 };

/**
 * A message format. `parse` MUST NOT evaluate anything the message carries (no entities, no
 * includes), MUST keep values as the department wrote them (strings stay strings: trace codes keep
 * their leading zeros), and MUST throw a `SuyuanError` of kind `user` whose `detail` names the line
 * and column, or the element, when the text does not parse. `split` MUST return records in message
 * order, each with its position; a message that is itself one record gives one record.
 */
export interface Format<Options = Record<string, unknown>> {
  readonly name: string;
  parse(text: string, options?: Options & { limits?: ParseLimits }): unknown;
  split(parsed: unknown, options?: Options): SourceRecord[];
}
