/**
 * Finding the smallest valid document: drop whatever the standard lets go, one member at a time,
 * keeping a drop only when the document stays valid. What remains is what the standard requires
 * (for that kind of event), read from the standard itself through its validator.
 */
import { isJsonObject } from '../standards/json.ts';
import { child, readPointer, under, without } from './json-edit.ts';

export type IsValid = (document: unknown) => boolean;

/**
 * The document with every member removed that can be removed while it stays valid, except those at
 * or under (or above) a path in `keep`; lists are cut to their first item where that stays valid.
 * `type` is always kept. The document MUST be valid to start with.
 */
export function minimize(document: unknown, isValid: IsValid, keep: readonly string[] = []): unknown {
  let current = document;
  const protectedPath = (path: string): boolean => keep.some((k) => under(k, path) || under(path, k));
  const visit = (path: string): void => {
    const value = readPointer(current, path);
    if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        const p = child(path, key);
        if (path === '' && key === 'type') continue;
        if (!protectedPath(p)) {
          const candidate = without(current, p);
          if (isValid(candidate)) {
            current = candidate;
            continue;
          }
        }
        visit(p);
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 1; i -= 1) {
        const p = child(path, i);
        if (protectedPath(p)) continue;
        const candidate = without(current, p);
        if (isValid(candidate)) current = candidate;
      }
      if (value.length > 0) visit(child(path, 0));
    }
  };
  // Repeat until nothing more goes: a member may become removable once a later one (a category naming a profile) is gone.
  for (let pass = 0; pass < 4; pass += 1) {
    const before = current;
    visit('');
    if (before === current) break;
  }
  return current;
}
