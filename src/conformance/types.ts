/** The conformance suite's data: requirements, cases, and what a run reports about them. */

/** A text in both languages of the standard. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** What a requirement is about. */
export type RequirementKind = 'minimal' | 'field' | 'alternative' | 'identifier' | 'rule' | 'example' | 'document' | 'interface';

/** Which way data flows for a requirement: the platform sends what it produced, or receives what it is given. */
export type Direction = 'sends' | 'receives';

/** One thing a platform must do to conform; cases exercise it, reports give it a verdict. */
export interface Requirement {
  /** Stable id, e.g. `profile.drugs@1.0.0/ObjectEvent/field/sy:vehicle`. */
  readonly id: string;
  readonly kind: RequirementKind;
  /** `subject@version` the requirement comes from (`interface` requirements: the suite's standard). */
  readonly standard: string;
  /** The category profile (`drugs`, …), or `undefined` for the base subject. */
  readonly profile: string | undefined;
  readonly title: Bilingual;
}

/** One document the suite sends or checks, and what the standard says of it. */
export interface SuiteCase {
  /** Stable id: the requirement id, `#happy` or `#fail`, and a variant when there are several. */
  readonly id: string;
  readonly requirement: string;
  readonly title: Bilingual;
  /** The subject version the document is checked against (a profile's, or the base subject's). */
  readonly subject: string;
  readonly version: string;
  readonly profile: string | undefined;
  readonly expect: 'valid' | 'invalid';
  /** For an invalid case: the problem code the standard reports, and where (JSON Pointer into `document`). */
  readonly code?: string;
  readonly path?: string;
  /** An event (for event subjects) or a subject document. */
  readonly document: unknown;
}

/** A suite for one standard version: its requirements and cases, and what it could not generate. */
export interface Suite {
  /** `subject@version`. */
  readonly standard: string;
  /** The subject versions the suite covers: the base subject and its category profiles. */
  readonly subjects: ReadonlyArray<{ readonly subject: string; readonly version: string; readonly profile: string | undefined }>;
  readonly requirements: readonly Requirement[];
  readonly cases: readonly SuiteCase[];
  /** Requirements found in the standard for which no case could be built, with the reason. */
  readonly uncovered: ReadonlyArray<{ readonly requirement: string; readonly reason: string }>;
}

/** `not-applicable`: the requirement cannot apply to what was run (e.g. query requirements for a SOAP service without a query operation); the report says why. */
export type Verdict = 'pass' | 'fail' | 'untested' | 'not-applicable';

/** What a run found about one case or one check. */
export interface Finding {
  readonly requirement: string;
  /** The case id, or the document file and event for document mode. */
  readonly subjectOf: string;
  readonly verdict: 'pass' | 'fail';
  /** What was seen: status codes, problem codes with paths, hashes. */
  readonly evidence: string;
  readonly path?: string;
}
