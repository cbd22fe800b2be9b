/**
 * Reading a subject's schema for what the suite must exercise: the cross-field rules (`x-rules`) and
 * the alternatives whose branches each require their own members (`anyOf`/`oneOf` of `required`),
 * with the place in the document where each applies. References are followed across subjects.
 */
import { isJsonObject, type JsonObject } from '../standards/json.ts';

export interface Alternative {
  readonly keyword: 'anyOf' | 'oneOf';
  /** JSON Pointer of the object the branches apply to; array items are written `*`. */
  readonly path: string;
  /** The members each branch requires. */
  readonly branches: ReadonlyArray<readonly string[]>;
}

export interface SchemaFacts {
  readonly rules: readonly string[];
  readonly alternatives: readonly Alternative[];
}

/** Finds a schema by its `$id`. */
export type SchemaLookup = (id: string) => JsonObject | undefined;

const requiredBranches = (branches: unknown[]): string[][] | undefined => {
  const out: string[][] = [];
  for (const b of branches) {
    if (!isJsonObject(b) || !Array.isArray(b.required)) return undefined;
    if (Object.keys(b).some((k) => k !== 'required' && k !== '$comment')) return undefined;
    out.push(b.required.filter((r): r is string => typeof r === 'string'));
  }
  return out.length > 1 ? out : undefined;
};

/**
 * What the schema asks of an event of `type` (for event subjects whose root `oneOf` is told apart by a
 * `discriminator` on `type`), or of any document when `type` is `undefined`.
 */
export function schemaFacts(schema: JsonObject, lookup: SchemaLookup, type: string | undefined): SchemaFacts {
  const rules = new Set<string>();
  const alternatives = new Map<string, Alternative>();
  const seen = new Set<string>();

  const resolve = (ref: string, root: JsonObject): { node: unknown; root: JsonObject } | undefined => {
    const [base, fragment = ''] = ref.split('#');
    const doc = base ? lookup(base) : root;
    if (!doc) return undefined;
    let node: unknown = doc;
    for (const raw of fragment.split('/').filter((t) => t !== '')) {
      node = isJsonObject(node) ? node[raw.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    return { node, root: doc };
  };

  const walk = (node: unknown, root: JsonObject, path: string, depth: number): void => {
    if (!isJsonObject(node) || depth > 40) return;
    if (typeof node.$ref === 'string') {
      const key = `${String(root.$id)}|${node.$ref}|${path}`;
      if (!seen.has(key)) {
        seen.add(key);
        const target = resolve(node.$ref, root);
        if (target) walk(target.node, target.root, path, depth + 1);
      }
    }
    if (Array.isArray(node['x-rules'])) for (const r of node['x-rules']) if (typeof r === 'string') rules.add(r);
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const list = node[keyword];
      if (!Array.isArray(list)) continue;
      const branches = requiredBranches(list);
      if (branches) {
        const key = `${keyword}|${path}|${JSON.stringify(branches)}`;
        if (!alternatives.has(key)) alternatives.set(key, { keyword, path, branches });
        continue;
      }
      const discriminated = isJsonObject(node.discriminator) && type !== undefined;
      for (const b of list) {
        if (discriminated && !branchIsType(b, root, type)) continue;
        walk(b, root, path, depth + 1);
      }
    }
    if (Array.isArray(node.allOf)) for (const b of node.allOf) walk(b, root, path, depth + 1);
    for (const k of ['then', 'else'] as const) walk(node[k], root, path, depth + 1);
    if (isJsonObject(node.properties)) {
      for (const [k, v] of Object.entries(node.properties)) walk(v, root, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    }
    walk(node.items, root, `${path}/*`, depth + 1);
  };

  const branchIsType = (branch: unknown, root: JsonObject, wanted: string): boolean => {
    let node = branch;
    if (isJsonObject(node) && typeof node.$ref === 'string') node = resolve(node.$ref, root)?.node;
    const props = isJsonObject(node) && isJsonObject(node.properties) ? node.properties : undefined;
    const t = props && isJsonObject(props.type) ? props.type.const : undefined;
    return t === undefined || t === wanted;
  };

  walk(schema, schema, '', 0);
  return { rules: [...rules].sort(), alternatives: [...alternatives.values()] };
}
