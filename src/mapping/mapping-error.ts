// JSONata's errors, the guard's and the domain functions' turned into `SuyuanError`s that name the place in the mapping.
import { SuyuanError } from '../errors.ts';
import { MappingFunctionError } from './functions.ts';
import { LimitError } from './guard.ts';

/** Which mapping an error is about, and its source (for line and column). */
export interface MappingRef {
  readonly id: string;
  readonly version: string;
  readonly source: string;
}

/** What jsonata throws: a plain object (or an Error) with a code such as `S0201`, `T2001`, `D3137`. */
interface JsonataErrorLike {
  readonly code?: unknown;
  readonly position?: unknown;
  readonly token?: unknown;
  readonly message?: unknown;
}

/**
 * Line and column (both from 1) of a jsonata `position`, which counts the characters up to the end of
 * the offending token: the place named is the token's last character.
 */
export function lineColumn(source: string, position: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(position, source.length) - 1);
  const before = source.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

function where(ref: MappingRef, error: JsonataErrorLike): Record<string, unknown> {
  const position = typeof error.position === 'number' ? error.position : undefined;
  return {
    mapping: `${ref.id}@${ref.version}`,
    ...(position === undefined ? {} : { position, ...lineColumn(ref.source, position) }),
    ...(typeof error.token === 'string' ? { token: error.token } : {}),
  };
}

const textOf = (error: JsonataErrorLike): string => (typeof error.message === 'string' ? error.message : String(error));
const at = (detail: Record<string, unknown>): string => (detail.line === undefined ? '' : ` (${detail.line}:${detail.column})`);

/** `MAPPING_COMPILE` for a syntax error; `detail`: `{ mapping, jsonataCode, position, token, line, column }`. */
export function compileError(ref: MappingRef, cause: unknown): SuyuanError {
  const error = (cause ?? {}) as JsonataErrorLike;
  const detail = { ...where(ref, error), jsonataCode: error.code };
  return new SuyuanError('MAPPING_COMPILE', `映射 ${ref.id}@${ref.version} 语法错误 / Mapping ${ref.id}@${ref.version} does not compile${at(detail)}: ${textOf(error)}`, { cause, detail });
}

/**
 * The error of a failed evaluation: `MAPPING_TIMEOUT` when the time budget ran out; `MAPPING_FAILED` for a
 * JSONata error (`detail.jsonataCode`: `T2001`, `D3137` from `$error`, …), a domain function's check
 * (`detail.problem`: `USCC_CHECK`, …), the depth budget or the stack (`detail.limit`); `INTERNAL` otherwise.
 */
export function evaluationError(ref: MappingRef, thrown: unknown): SuyuanError {
  // `$eval` wraps what its expression throws as D3121; the guard's and the functions' errors keep their meaning.
  const inner = (thrown as { code?: unknown; error?: unknown } | undefined)?.error;
  const cause = (thrown as { code?: unknown } | undefined)?.code === 'D3121' && (inner instanceof LimitError || inner instanceof MappingFunctionError) ? inner : thrown;
  if (cause instanceof SuyuanError) return cause;
  const name = `${ref.id}@${ref.version}`;
  if (cause instanceof LimitError) {
    const detail = { mapping: name, limit: cause.limit, [cause.limit]: cause.value };
    return cause.limit === 'timeoutMs'
      ? new SuyuanError('MAPPING_TIMEOUT', `映射 ${name} 超过 ${cause.value} 毫秒，已停止 / Mapping ${name} ran past ${cause.value} ms and was stopped`, { cause, detail })
      : new SuyuanError('MAPPING_FAILED', `映射 ${name} 嵌套超过 ${cause.value} 层 / Mapping ${name} nested deeper than ${cause.value}`, { cause, detail });
  }
  if (cause instanceof RangeError && /call stack/i.test(cause.message)) {
    return new SuyuanError('MAPPING_FAILED', `映射 ${name} 递归过深 / Mapping ${name} recursed too deeply`, { cause, detail: { mapping: name, limit: 'stack' } });
  }
  const error = (cause ?? {}) as JsonataErrorLike;
  if (cause instanceof MappingFunctionError) {
    const detail = { ...where(ref, error), problem: cause.code };
    return new SuyuanError('MAPPING_FAILED', `映射 ${name} 出错${at(detail)} / Mapping ${name} failed${at(detail)}: ${cause.message}`, { cause, detail });
  }
  if (typeof error.code === 'string' && /^[A-Z]\d{4}$/.test(error.code)) {
    const detail = { ...where(ref, error), jsonataCode: error.code };
    return new SuyuanError('MAPPING_FAILED', `映射 ${name} 出错${at(detail)} / Mapping ${name} failed${at(detail)}: ${textOf(error)}`, { cause, detail });
  }
  return new SuyuanError('INTERNAL', `映射 ${name} 执行时发生内部错误 / Internal error evaluating mapping ${name}: ${textOf(error)}`, { cause, detail: { mapping: name } });
}
