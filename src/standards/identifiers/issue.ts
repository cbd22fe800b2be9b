// The contract every identifier check shares: its result type and the helper that builds an issue.
// (Kept apart from index.ts so that the check modules can use it without an import cycle.)

/** Why a value fails a check: a stable code and a message written `中文 / English`. */
export interface IdentifierIssue {
  readonly code: string;
  readonly message: string;
}

/**
 * A check of one identifier format: `null` when the value is valid, otherwise the first issue
 * found. A check is pure (no clock, no I/O after its code list is loaded) and never throws.
 */
export type IdentifierCheck = (value: string) => IdentifierIssue | null;

/** Builds an issue whose message is `zh / en`. */
export function issue(code: string, zh: string, en: string): IdentifierIssue {
  return { code, message: `${zh} / ${en}` };
}

/** `table[key]` when `table` has it as its own property (never an inherited `constructor`, `toString`…). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** True when a value returned by a parser is an issue rather than a parsed result. */
export function isIdentifierIssue(value: unknown): value is IdentifierIssue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
