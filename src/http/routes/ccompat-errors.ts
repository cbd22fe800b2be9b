/**
 * The Confluent-compatible API's one error handler: every error becomes Confluent's
 * `{ error_code, message }` with Confluent's HTTP status, through one table from our codes.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { ErrorCode } from '../../errors.ts';
import { normalise } from '../problem.ts';

/** Confluent's media type, on every answer of this API. */
export const CCOMPAT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** Our codes as Confluent's `[HTTP status, error_code]` (Confluent's `Errors.java`). */
const CONFLUENT_CODES: Partial<Record<ErrorCode, readonly [number, number]>> = {
  SUBJECT_NOT_FOUND: [404, 40401],
  VERSION_NOT_FOUND: [404, 40402],
  SCHEMA_NOT_FOUND: [404, 40403],
  SUBJECT_SOFT_DELETED: [404, 40404],
  SUBJECT_NOT_SOFT_DELETED: [404, 40405],
  VERSION_SOFT_DELETED: [404, 40406],
  VERSION_NOT_SOFT_DELETED: [404, 40407],
  CONFIG_NOT_FOUND: [404, 40408],
  // Confluent answered 409 as the error code too until it introduced 40901; clients test the status.
  SCHEMA_INCOMPATIBLE: [409, 409],
  SCHEMA_INVALID: [422, 42201],
  INVALID_VERSION: [422, 42202],
  INVALID_COMPATIBILITY: [422, 42203],
  SUBJECT_REFERENCED: [422, 42206],
  UNAUTHENTICATED: [401, 40101],
  FORBIDDEN: [403, 40301],
  // What body parsers raise (through `normalise`), answered as Confluent's REST layer does.
  DOCUMENT_UNREADABLE: [400, 400],
  BAD_REQUEST: [400, 400],
  NOT_FOUND: [404, 404],
  PAYLOAD_TOO_LARGE: [413, 413],
  UNSUPPORTED_MEDIA_TYPE: [415, 415],
};

const INTERNAL: readonly [number, number] = [500, 50001];

/** Sends JSON text in Confluent's media type, as bytes so that express adds no charset, as Confluent. */
export function sendConfluent(res: Response, status: number, text: string): void {
  res.status(status).type(CCOMPAT_TYPE).send(Buffer.from(text, 'utf8'));
}

export function sendConfluentError(res: Response, status: number, errorCode: number, message: string): void {
  sendConfluent(res, status, JSON.stringify({ error_code: errorCode, message }));
}

/**
 * The handler: known codes keep their message (the service words them as Confluent does); anything
 * else is a 500 with error code 50001, logged, its message never shown.
 */
export function ccompatErrorHandler(log: (error: unknown) => void = () => undefined): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const normalised = normalise(error);
    const mapped = CONFLUENT_CODES[normalised.code];
    if (!mapped) {
      log(error);
      sendConfluentError(res, INTERNAL[0], INTERNAL[1], 'Internal Server Error');
      return;
    }
    sendConfluentError(res, mapped[0], mapped[1], normalised.message);
  };
}
