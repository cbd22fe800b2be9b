/**
 * The one error type of the hub, the catalogue of its codes, and the map from code to HTTP status.
 *
 * Every failure that crosses a module boundary is a `SuyuanError` with a stable `code` from
 * `ERROR_CATALOGUE`. The code decides the `kind`:
 * - `user`: bad input. Never retried; the message goes to dead letters with its reason.
 * - `operational`: a peer or resource is unavailable. Retried with backoff.
 * - `unexpected`: a bug. Dead letters and an alert.
 * Tests assert codes, never message text.
 */

export type ErrorKind = 'user' | 'operational' | 'unexpected';

/** One problem found in a document: a stable code, a JSON Pointer into the document, a message. */
export interface Problem {
  readonly code: string;
  /** JSON Pointer (RFC 6901) to the offending value, `""` for the whole document. */
  readonly path: string;
  /** Chinese and English, `中文 / English`. */
  readonly message: string;
  /** Where the value came from in the department's original record (record path and field), when known. */
  readonly source?: string;
}

interface CatalogueEntry {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly title: string;
}

/** Every error code the hub raises. Adding a code here is the only way to raise it. */
export const ERROR_CATALOGUE = {
  // standards and validation
  VALIDATION_FAILED: { kind: 'user', status: 422, title: 'The document does not conform to the standard' },
  SUBJECT_NOT_FOUND: { kind: 'user', status: 404, title: 'No such subject' },
  VERSION_NOT_FOUND: { kind: 'user', status: 404, title: 'No such version of the subject' },
  SCHEMA_INVALID: { kind: 'user', status: 422, title: 'The schema is not a valid schema of the standard' },
  SCHEMA_INCOMPATIBLE: { kind: 'user', status: 409, title: 'The schema is incompatible with released versions' },
  RELEASED_FILE_CHANGED: { kind: 'unexpected', status: 500, title: 'A released registry file changed' },
  VERSION_ALREADY_RELEASED: { kind: 'user', status: 409, title: 'The version is already released' },
  DOCUMENT_UNREADABLE: { kind: 'user', status: 400, title: 'The document cannot be read' },
  UNKNOWN_RULE: { kind: 'user', status: 422, title: 'A schema names a rule the hub does not know' },
  CODE_LIST_NOT_FOUND: { kind: 'user', status: 422, title: 'A schema names a code list the hub does not have' },
  EVENT_HASH_FAILED: { kind: 'user', status: 422, title: 'The event hash cannot be computed' },
  // decoding and parsing (detail names the byte offset, line and column, or element)
  DECODE_INVALID: { kind: 'user', status: 400, title: 'The bytes are not valid in their declared encoding' },
  ENCODING_UNSUPPORTED: { kind: 'user', status: 415, title: 'The encoding is not supported' },
  PARSE_JSON: { kind: 'user', status: 400, title: 'The JSON does not parse' },
  PARSE_XML: { kind: 'user', status: 400, title: 'The XML does not parse' },
  XML_FORBIDDEN: { kind: 'user', status: 400, title: 'The XML uses a forbidden construct (DTD, entity, external reference)' },
  PARSE_CSV: { kind: 'user', status: 400, title: 'The CSV does not parse' },
  CSV_HEADER: { kind: 'user', status: 400, title: 'The CSV header does not match the declared columns' },
  SOAP_ENVELOPE: { kind: 'user', status: 400, title: 'The SOAP envelope is malformed' },
  SOAP_FAULT: { kind: 'operational', status: 502, title: 'The peer answered with a SOAP fault' },
  EPCIS_INVALID: { kind: 'user', status: 400, title: 'The EPCIS document cannot be read' },
  LIMIT_EXCEEDED: { kind: 'user', status: 413, title: 'The message exceeds a size, depth or count limit' },
  RECORD_PATH_NOT_FOUND: { kind: 'user', status: 400, title: 'The message has nothing at the declared record path' },
  // mapping
  MAPPING_COMPILE: { kind: 'user', status: 422, title: 'The mapping does not compile' },
  MAPPING_FAILED: { kind: 'user', status: 422, title: 'The mapping failed on this record' },
  MAPPING_TIMEOUT: { kind: 'user', status: 422, title: 'The mapping ran past its time limit and was stopped' },
  MAPPING_NOT_FOUND: { kind: 'user', status: 404, title: 'No such mapping' },
  BRIDGE_FAILED: { kind: 'user', status: 422, title: 'The document cannot be carried to the other major version of its subject' },
  BRIDGE_NOT_FOUND: { kind: 'unexpected', status: 500, title: 'No bridge mapping joins these major versions of the subject' },
  // adapters and feeds
  ADAPTER_INVALID: { kind: 'user', status: 422, title: 'An adapter manifest is invalid' },
  ADAPTER_NOT_FOUND: { kind: 'user', status: 404, title: 'No such adapter' },
  MESSAGE_TYPE_UNKNOWN: { kind: 'user', status: 422, title: 'The message matches none of the adapter\'s message types' },
  MESSAGE_REJECTED: { kind: 'user', status: 422, title: 'The message does not fit the standard' },
  DELIVERY_REFUSED: { kind: 'user', status: 502, title: 'The destination refused the message' },
  FEED_PAUSED: { kind: 'operational', status: 503, title: 'The feed is paused' },
  FILE_NAME_INVALID: { kind: 'user', status: 422, title: 'The dropped file\'s name does not follow the feed\'s naming rule' },
  // delivery: subscriptions, the queue, dead letters
  SUBSCRIPTION_INVALID: { kind: 'user', status: 422, title: 'The subscription is not valid' },
  SUBSCRIPTION_NOT_FOUND: { kind: 'user', status: 404, title: 'No such subscription' },
  DEAD_LETTER_NOT_FOUND: { kind: 'user', status: 404, title: 'No such dead letter' },
  CIRCUIT_OPEN: { kind: 'operational', status: 503, title: 'The destination keeps failing: its circuit is open until a probe succeeds' },
  JOB_STALLED: { kind: 'unexpected', status: 500, title: 'The job\'s worker died holding it more often than allowed' },
  // registry
  VERSION_RETIRED: { kind: 'user', status: 410, title: 'The version is retired: it resolves for history but refuses new messages' },
  VERSION_IMMUTABLE: { kind: 'user', status: 409, title: 'Only a draft can change' },
  LIFECYCLE_INVALID: { kind: 'user', status: 409, title: 'The version cannot move to that lifecycle status' },
  SUBJECT_REFERENCED: { kind: 'user', status: 422, title: 'Other schemas still reference this subject' },
  SUBJECT_SOFT_DELETED: { kind: 'user', status: 404, title: 'The subject was soft-deleted' },
  VERSION_SOFT_DELETED: { kind: 'user', status: 404, title: 'The version was soft-deleted' },
  SUBJECT_NOT_SOFT_DELETED: { kind: 'user', status: 404, title: 'A subject must be soft-deleted before a permanent delete' },
  VERSION_NOT_SOFT_DELETED: { kind: 'user', status: 404, title: 'A version must be soft-deleted before a permanent delete' },
  SCHEMA_NOT_FOUND: { kind: 'user', status: 404, title: 'No such schema' },
  CONFIG_NOT_FOUND: { kind: 'user', status: 404, title: 'The subject has no compatibility level of its own' },
  INVALID_VERSION: { kind: 'user', status: 422, title: 'The version is not a valid version' },
  INVALID_COMPATIBILITY: { kind: 'user', status: 422, title: 'Not a compatibility level' },
  // access
  UNAUTHENTICATED: { kind: 'user', status: 401, title: 'An API key is needed' },
  FORBIDDEN: { kind: 'user', status: 403, title: 'The key does not allow this' },
  PAYLOAD_TOO_LARGE: { kind: 'user', status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'user', status: 415, title: 'The request body has an unsupported content type' },
  // trace store and queries
  TRACE_CODE_UNKNOWN: { kind: 'user', status: 404, title: 'No stored event names this code' },
  QUERY_PARAMETER_INVALID: { kind: 'user', status: 400, title: 'A query parameter is unknown or its value is invalid' },
  // conformance
  CONFORMANCE_PROFILE_UNKNOWN: { kind: 'user', status: 422, title: 'The standard version has no such category profile' },
  CONFORMANCE_BUNDLE_INVALID: { kind: 'user', status: 400, title: 'The document bundle cannot be read' },
  CONFORMANCE_ENDPOINT_UNREACHABLE: { kind: 'operational', status: 503, title: 'The platform\'s endpoint cannot be reached' },
  CONFORMANCE_RUN_NOT_FOUND: { kind: 'user', status: 404, title: 'No such conformance run' },
  CONFORMANCE_NOT_PASSED: { kind: 'user', status: 409, title: 'The conformance run did not pass: no certificate can be issued' },
  CONFORMANCE_ADAPTER_UNSUITED: { kind: 'user', status: 422, title: 'The adapter sends no message of this standard over SOAP' },
  CERTIFICATE_INVALID: { kind: 'user', status: 422, title: 'The certificate is malformed or its signature does not verify' },
  CERTIFICATE_EXPIRED: { kind: 'user', status: 422, title: 'The certificate has expired' },
  CERTIFICATE_REVOKED: { kind: 'user', status: 409, title: 'The certificate was revoked' },
  CERTIFICATE_NOT_FOUND: { kind: 'user', status: 404, title: 'No such certificate' },
  SIGNATURE_INVALID: { kind: 'user', status: 401, title: 'The push is not signed as its feed requires (missing, stale, mismatched or replayed)' },
  CSRF_REFUSED: { kind: 'user', status: 403, title: 'A change made with the session cookie needs X-Requested-With and the hub\'s own origin' },
  RATE_LIMITED: { kind: 'operational', status: 429, title: 'Too many requests for this key; try again later' },
  // generic
  BAD_REQUEST: { kind: 'user', status: 400, title: 'Bad request' },
  NOT_FOUND: { kind: 'user', status: 404, title: 'Not found' },
  IO_FAILED: { kind: 'operational', status: 503, title: 'A file or peer could not be reached' },
  INTERNAL: { kind: 'unexpected', status: 500, title: 'Internal error' },
  // demo
  DEMO_INCOMPLETE: { kind: 'unexpected', status: 500, title: 'The demo day did not finish loading in time' },
  PORT_IN_USE: { kind: 'operational', status: 503, title: 'The port to listen on is already in use' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface SuyuanErrorOptions {
  readonly cause?: unknown;
  /** Every problem found, for validation failures (STYLE 8). */
  readonly problems?: readonly Problem[];
  /** Extra machine-readable detail, safe to show to the caller. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export class SuyuanError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly problems: readonly Problem[];
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: SuyuanErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SuyuanError';
    this.code = code;
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    this.kind = entry.kind;
    this.status = entry.status;
    this.problems = options.problems ?? [];
    this.detail = options.detail ?? {};
  }
}

/** The HTTP status for an error code; 500 for anything that is not a `SuyuanError`. */
export function statusOf(error: unknown): number {
  return error instanceof SuyuanError ? error.status : 500;
}

/** Whether the error should be retried: only operational errors are. */
export function isRetryable(error: unknown): boolean {
  return error instanceof SuyuanError && error.kind === 'operational';
}
