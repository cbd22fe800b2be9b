/**
 * The hub's one logger: JSON lines (pino) on stderr. Each line carries the request id and the message
 * id of the work it belongs to (kept in an AsyncLocalStorage, so nothing has to pass them along).
 * Message bodies are never logged; secrets are redacted by path should one ever be passed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.ts';
import { SuyuanError } from '../errors.ts';

export type { Logger };

/** What a line belongs to: the HTTP request and the message being worked on. */
export interface LogContext {
  reqId?: string;
  messageId?: string;
  feed?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Paths pino replaces with `[redacted]`, wherever such a field is logged. */
export const REDACT = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'cookie', '*.cookie', 'headers.cookie', '*.headers.cookie', '*.headers["set-cookie"]',
  'key', '*.key', 'apiKey', '*.apiKey', 'secret', '*.secret', 'password', '*.password', 'token', '*.token',
  'credentials', '*.credentials', 'body', '*.body', 'payload', '*.payload',
];

/** The logger for a configuration; `destination` defaults to stderr. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'suyuan' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...context.getStore() }),
  }, destination ?? pino.destination({ fd: 2, sync: true }));
}

/** Runs `work` with `extra` added to the context of every line logged inside it. */
export function withLogContext<T>(extra: LogContext, work: () => T): T {
  return context.run({ ...context.getStore(), ...extra }, work);
}

export function currentLogContext(): Readonly<LogContext> {
  return context.getStore() ?? {};
}

/**
 * The `log(error)` the parts are given: expected problems (a peer down, bad input) as warnings with
 * their code; unexpected ones as errors with their stack. Never a message body.
 */
export function errorLogger(logger: Logger): (error: unknown) => void {
  return (error: unknown) => {
    if (error instanceof SuyuanError && error.kind !== 'unexpected') {
      logger.warn({ code: error.code, kind: error.kind }, error.message);
    } else {
      const e = error instanceof Error ? error : new Error(String(error));
      logger.error({ code: error instanceof SuyuanError ? error.code : 'INTERNAL', err: { type: e.name, message: e.message, stack: e.stack } }, e.message);
    }
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is a plain token, else a new one),
 * answers it in `X-Request-Id`, and logs one line per request when it ends: method, path without the
 * query, status, time, key id. Never headers or bodies.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const reqId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    res.set('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const principal = res.locals.principal as { keyId?: string } | undefined;
      const line = { reqId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10, ...(principal?.keyId ? { keyId: principal.keyId } : {}) };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    context.run({ reqId }, () => next());
  };
}
