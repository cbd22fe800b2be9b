/** Small immutable edits of JSON documents by JSON Pointer, for building the suite's cases. */
import { escapePointerToken, isJsonObject, readPointer } from '../standards/json.ts';

export { readPointer };

export const clone = <T>(value: T): T => structuredClone(value);

function tokens(path: string): string[] {
  return path === '' ? [] : path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A copy of `document` with the value at `path` replaced (created, with objects on the way, when missing). */
export function withValue(document: unknown, path: string, value: unknown): unknown {
  const copy = clone(document);
  const parts = tokens(path);
  const last = parts.pop();
  if (last === undefined) return clone(value);
  let at: unknown = copy;
  for (const t of parts) {
    const next = Array.isArray(at) ? at[Number(t)] : isJsonObject(at) ? at[t] : undefined;
    if (next === undefined && isJsonObject(at)) at[t] = {};
    at = Array.isArray(at) ? at[Number(t)] : (at as Record<string, unknown>)[t];
  }
  if (Array.isArray(at)) at[Number(last)] = clone(value);
  else if (isJsonObject(at)) (at as Record<string, unknown>)[last] = clone(value);
  return copy;
}

/** A copy of `document` without the value at `path` (an array item is spliced out). */
export function without(document: unknown, path: string): unknown {
  const copy = clone(document);
  const parts = tokens(path);
  const last = parts.pop();
  if (last === undefined) return copy;
  const parent = readPointer(copy, parts.map((t) => `/${escapePointerToken(t)}`).join(''));
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isJsonObject(parent)) delete (parent as Record<string, unknown>)[last];
  return copy;
}

/** The pointer of a child. */
export const child = (path: string, token: string | number): string => `${path}/${escapePointerToken(token)}`;

/** Whether `path` is `prefix` or lies under it. */
export const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

/** A path with array indexes written `*`, to name a place in any event of a kind. */
export const generalPath = (path: string): string => path.replace(/\/\d+(?=\/|$)/g, '/*');

/** Every string leaf of a document, with its pointer. */
export function stringLeaves(document: unknown, path = ''): Array<{ path: string; value: string }> {
  if (typeof document === 'string') return [{ path, value: document }];
  if (Array.isArray(document)) return document.flatMap((v, i) => stringLeaves(v, child(path, i)));
  if (isJsonObject(document)) return Object.entries(document).flatMap(([k, v]) => stringLeaves(v, child(path, k)));
  return [];
}
