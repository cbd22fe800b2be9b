/** Reading the fields of a query string or a JSON body: each given at most once, as text; counts within bounds. */
import { SuyuanError } from '../errors.ts';

/** The parameter `name` as text, `undefined` when absent or empty; given twice (an array) is refused. */
export function text(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new SuyuanError('BAD_REQUEST', `${name} must be given once, as text`, { detail: { [name]: value } });
  return value;
}

/** The parameter `name` as an integer from 0 to `max`, `fallback` when absent. */
export function count(source: unknown, name: string, fallback: number, max: number): number {
  const raw = text(source, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new SuyuanError('BAD_REQUEST', `${name} must be an integer from 0 to ${max}`, { detail: { [name]: raw } });
  return n;
}
