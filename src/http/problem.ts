/**
 * The one error handler of the native API: every error becomes an RFC 7807 problem document with
 * the error's stable code, its HTTP status from the catalogue, and, for validation, every problem.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { ERROR_CATALOGUE, SuyuanError, statusOf } from '../errors.ts';

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly problems?: ReadonlyArray<{ code: string; path: string; message: string }>;
  readonly [extra: string]: unknown;
}

/** Errors that body parsers and express raise, mapped to our codes. */
export function normalise(error: unknown): SuyuanError {
  if (error instanceof SuyuanError) return error;
  const e = error as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') return new SuyuanError('PAYLOAD_TOO_LARGE', e.message ?? 'request body too large', { cause: error });
  if (e.type === 'entity.parse.failed') return new SuyuanError('DOCUMENT_UNREADABLE', `the body is not valid JSON: ${e.message ?? ''}`, { cause: error });
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new SuyuanError('UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported encoding', { cause: error });
  return new SuyuanError('INTERNAL', 'internal error', { cause: error });
}

export function problemOf(error: SuyuanError, instance?: string): ProblemDocument {
  return {
    type: `https://standards.suyuan.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_CATALOGUE[error.code].title,
    status: statusOf(error),
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.problems.length > 0 ? { problems: error.problems } : {}),
    ...error.detail,
  };
}

export function sendProblem(res: Response, error: SuyuanError, instance?: string): void {
  res.status(statusOf(error)).type('application/problem+json').send(JSON.stringify(problemOf(error, instance)));
}

/** The native API's error handler: problem+json, 500s logged with their cause, never their bodies. */
export function problemHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const normalised = normalise(error);
    if (normalised.kind === 'unexpected') log(error);
    sendProblem(res, normalised, req.originalUrl);
  };
}
