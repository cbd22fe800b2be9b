/** RFC 7807 problems as GS1's EPCIS 2.0 REST binding types them (`epcisException:*`): answers and capture job errors. */
import type { ErrorRequestHandler, Response } from 'express';
import { ERROR_CATALOGUE, type Problem, type SuyuanError } from '../../errors.ts';
import { normalise } from '../../http/problem.ts';

/** The GS1 exception types this interface answers with. */
export const GS1_EXCEPTION = {
  validation: 'epcisException:ValidationException',
  duplicate: 'epcisException:ResourceAlreadyExistsException',
  security: 'epcisException:SecurityException',
  captureLimit: 'epcisException:CaptureLimitExceededException',
  mediaType: 'epcisException:UnsupportedMediaTypeException',
  noSuchResource: 'epcisException:NoSuchResourceException',
  implementation: 'epcisException:ImplementationException',
} as const;

/** One error of a capture job: an RFC 7807 object naming the failing event and its problems. */
export interface CaptureProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The event's `eventID`, when it has one. */
  readonly instance?: string;
  /** The hub's stable error code. */
  readonly code?: string;
  /** Which event: its index in the document and its position (JSON Pointer, or XPath for XML). */
  readonly event?: { readonly index: number; readonly position: string };
  /** The event hash, for a duplicate. */
  readonly eventHash?: string;
  readonly problems?: readonly Problem[];
}

/** The GS1 type for one of the hub's error codes. */
export function gs1TypeOf(error: SuyuanError): string {
  switch (error.code) {
    case 'UNAUTHENTICATED': case 'FORBIDDEN': return GS1_EXCEPTION.security;
    case 'LIMIT_EXCEEDED': case 'PAYLOAD_TOO_LARGE': return GS1_EXCEPTION.captureLimit;
    case 'UNSUPPORTED_MEDIA_TYPE': case 'ENCODING_UNSUPPORTED': return GS1_EXCEPTION.mediaType;
    case 'NOT_FOUND': return GS1_EXCEPTION.noSuchResource;
    default: return error.kind === 'user' ? GS1_EXCEPTION.validation : GS1_EXCEPTION.implementation;
  }
}

export interface CaptureLimits {
  /** Most events one capture may hold (`GS1-EPCIS-Capture-Limit`). */
  readonly events: number;
  /** Most bytes one capture may hold (`GS1-EPCIS-Capture-File-Size-Limit`). */
  readonly bytes: number;
}

/** The headers every answer of the interface carries. */
export function versionHeaders(res: Response): void {
  res.set({ 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0' });
}

/**
 * The interface's error handler: every error becomes `application/problem+json` with GS1's type, the
 * catalogue's status and title, and the hub's `code`; a 413 names the capture limits in its headers.
 */
export function captureErrorHandler(limits: CaptureLimits, log: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const e = normalise(error);
    if (e.kind === 'unexpected') log(error);
    versionHeaders(res);
    if (e.status === 413) res.set({ 'GS1-EPCIS-Capture-Limit': String(limits.events), 'GS1-EPCIS-Capture-File-Size-Limit': String(limits.bytes) });
    const body = {
      type: gs1TypeOf(e), title: ERROR_CATALOGUE[e.code].title, status: e.status, detail: e.message, instance: req.originalUrl,
      code: e.code, ...(e.problems.length > 0 ? { problems: e.problems } : {}), ...e.detail,
    };
    res.status(e.status).type('application/problem+json').send(JSON.stringify(body));
  };
}
