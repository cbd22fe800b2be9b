/**
 * Identifier checks of the standard: one check per `format` name that schemas may use.
 *
 * A check returns `null` when the value is valid, or the first issue found: a stable code
 * (`GS1_CHECK_DIGIT`, `USCC_CHECK`, …) and a message `中文 / English` naming what is wrong.
 * Checks are pure and never throw.
 */

export interface IdentifierIssue {
  readonly code: string;
  readonly message: string;
}

export type IdentifierCheck = (value: string) => IdentifierIssue | null;

/** Every identifier format the standard may name, keyed by its `format` name. */
export const IDENTIFIER_FORMATS: Readonly<Record<string, IdentifierCheck>> = {};
