/** Loads schema documents into nodes and resolves `$ref`: locally by JSON Pointer or anchor, across subjects by a resolver. */
import { SuyuanError } from '../../errors.ts';
import { isJsonObject, readPointer } from '../json.ts';
import { buildNode, type BuildEnv } from './build-node.ts';
import { EMPTY_META, type Node } from './schema-node.ts';

/**
 * Returns the schema document whose `$id` is the absolute `uri` (without fragment), or `undefined`
 * when there is none. Called synchronously while comparing: preload the referenced subjects.
 */
export type SchemaResolver = (uri: string) => unknown;

interface SchemaDocument {
  readonly root: unknown;
  /** The document's absolute `$id` without fragment, when it has one. */
  readonly base: string | undefined;
  readonly env: BuildEnv;
}

const ACCEPT_ALL: Node = { kind: 'empty', meta: EMPTY_META, raw: true };

/**
 * One loader per comparison: documents fetched through the resolver are read once, and a
 * subschema reached through several `$ref`s is one node, which is what the cycle guard relies on.
 */
export class SchemaLoader {
  private readonly external = new Map<string, SchemaDocument>();

  constructor(private readonly resolve: SchemaResolver | undefined) {}

  /** Reads a root schema. Throws `SCHEMA_INVALID` for a value that is not a schema. */
  load(root: unknown): Node {
    const id = isJsonObject(root) && typeof root.$id === 'string' ? absolute(root.$id, undefined) : undefined;
    return buildNode(root, this.document(root, id).env);
  }

  private document(root: unknown, base: string | undefined): SchemaDocument {
    const cache = new WeakMap<object, Node>();
    const doc: SchemaDocument = {
      root, base,
      env: {
        cache,
        refTarget: (ref) => {
          let target: Node | undefined;
          return () => (target ??= this.resolveRef(ref, doc));
        },
      },
    };
    return doc;
  }

  private resolveRef(ref: string, doc: SchemaDocument): Node {
    const hash = ref.indexOf('#');
    const uri = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    let target = doc;
    if (uri !== '') {
      const resolved = absolute(uri, doc.base);
      if (resolved !== doc.base) target = this.externalDocument(resolved, ref);
    }
    const raw = locate(target.root, fragment);
    if (raw === undefined) {
      throw new SuyuanError('SCHEMA_INVALID', `$ref "${ref}" names nothing in its document`, { detail: { ref } });
    }
    return buildNode(raw, target.env);
  }

  private externalDocument(uri: string, ref: string): SchemaDocument {
    const known = this.external.get(uri);
    if (known) return known;
    const root = this.resolve?.(uri);
    if (root === undefined) {
      throw new SuyuanError('SCHEMA_INVALID', `$ref "${ref}" names a schema that cannot be resolved`, { detail: { ref, uri } });
    }
    const doc = this.document(root, uri);
    this.external.set(uri, doc);
    return doc;
  }
}

/** Follows `$ref`s to the node they name; a chain of references that loops accepts everything. */
export function deref(node: Node): Node {
  const seen = new Set<Node>();
  let current = node;
  while (current.kind === 'ref') {
    if (seen.has(current)) return ACCEPT_ALL;
    seen.add(current);
    current = current.target();
  }
  return current;
}

function absolute(uri: string, base: string | undefined): string {
  try {
    const url = base === undefined ? new URL(uri) : new URL(uri, base);
    url.hash = '';
    return url.href;
  } catch {
    return uri;
  }
}

/** The value a fragment names: `''` the root, `/…` a JSON Pointer, otherwise a `$anchor`. */
function locate(root: unknown, fragment: string): unknown {
  let decoded: string;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
  if (decoded === '' || decoded.startsWith('/')) return readPointer(root, decoded);
  return findAnchor(root, decoded);
}

function findAnchor(value: unknown, anchor: string): unknown {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findAnchor(item, anchor);
      if (found !== undefined) return found;
    }
  } else if (isJsonObject(value)) {
    if (value.$anchor === anchor) return value;
    for (const child of Object.values(value)) {
      const found = findAnchor(child, anchor);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
