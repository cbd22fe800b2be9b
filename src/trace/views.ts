/**
 * Classification views: what a reader may see of a document, derived from the `x-classification`
 * (and `x-entitled`) of every property in the document's schema.
 *
 * The mapping from roles to classifications (the levels are those of `standards/README.md`):
 *
 * | reader                       | public | shared | restricted                        | secret                  |
 * |------------------------------|--------|--------|-----------------------------------|-------------------------|
 * | the public (no key)          | yes    | –      | –                                 | –                       |
 * | standards-body, certifier, operator | yes | yes | –                                | –                       |
 * | regulator                    | yes    | yes    | when a department of the key is in `x-entitled` | –         |
 * | integrator                   | yes    | yes    | when its adapters' department is in `x-entitled` | when the event came through its own feed |
 * | admin                        | yes    | yes    | yes                               | yes                     |
 *
 * A reader's departments are codes of the `department` code list: a regulator key carries them as
 * its scopes; an integrator's come from its adapters' manifests. "Secret" is for the party that sent
 * the value: the integrator whose feed brought the document (`ViewContext.feed`).
 *
 * A field is shown only when its own classification allows it and its parent is shown. A field the
 * schema does not describe, or describes without a classification, is hidden — to everyone but admin.
 * A value whose schema does not describe its inside (a JSON-LD `@context`, an extension field of any
 * value) is shown or hidden whole, by its own classification.
 */
import type { Principal } from '../auth/keys.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../standards/json.ts';

/** Who reads, as far as classifications care. */
export interface Reader {
  /** `public`: public fields only; `shared`: public and shared; `all`: everything (admin). */
  readonly level: 'public' | 'shared' | 'all';
  /** Department codes entitled to restricted fields naming them in `x-entitled`. */
  readonly departments: readonly string[];
  /** Feeds whose own secret fields this reader may see (the sender's). */
  readonly feeds: readonly string[];
}

/** The document's circumstances a view may depend on. */
export interface ViewContext {
  /** The feed (adapter id) that brought the document. */
  readonly feed?: string;
}

export const PUBLIC_READER: Reader = Object.freeze({ level: 'public', departments: [], feeds: [] });
export const ADMIN_READER: Reader = Object.freeze({ level: 'all', departments: [], feeds: [] });

/**
 * The reader a key stands for. `departmentOf` names an adapter's department (from its manifest), for
 * integrators; regulators carry department codes as their key's scopes.
 */
export function readerOf(principal: Principal | undefined, departmentOf: (adapter: string) => string | undefined = () => undefined): Reader {
  if (!principal) return PUBLIC_READER;
  const roles = principal.roles;
  if (roles.includes('admin')) return ADMIN_READER;
  const departments = new Set<string>();
  const feeds: string[] = [];
  if (roles.includes('regulator')) for (const s of principal.scopes) departments.add(s);
  if (roles.includes('integrator')) {
    for (const adapter of principal.scopes) {
      feeds.push(adapter);
      const d = departmentOf(adapter);
      if (d) departments.add(d);
    }
  }
  return { level: 'shared', departments: [...departments], feeds };
}

/** Whether `reader` may see a value classified `classification` (entitled departments `entitled`). */
export function mayRead(reader: Reader, classification: unknown, entitled: unknown, context: ViewContext = {}): boolean {
  if (reader.level === 'all') return true;
  switch (classification) {
    case 'public': return true;
    case 'shared': return reader.level === 'shared';
    case 'restricted': return reader.level === 'shared' && Array.isArray(entitled) && entitled.some((d) => reader.departments.includes(String(d)));
    case 'secret': return reader.level === 'shared' && context.feed !== undefined && reader.feeds.includes(context.feed);
    default: return false;
  }
}

/** A schema with its own `$ref`s resolvable (`#/$defs/…`, `#/definitions/…`). */
class Resolver {
  readonly #root: JsonObject;
  constructor(root: JsonObject) { this.#root = root; }

  /** Follows `$ref` chains to the node they name; unknown references resolve to nothing. */
  deref(node: JsonValue | undefined): JsonObject | undefined {
    let current = node;
    for (let hops = 0; isJsonObject(current) && typeof current.$ref === 'string' && hops < 32; hops++) {
      const ref: string = current.$ref;
      if (!ref.startsWith('#/')) return undefined;
      let target: JsonValue | undefined = this.#root;
      for (const raw of ref.slice(2).split('/')) {
        const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        target = isJsonObject(target) ? target[token] : undefined;
      }
      if (!isJsonObject(target)) return undefined;
      // A node with $ref and its own keywords (title, x-classification) keeps its own keywords first.
      const { $ref: _omit, ...own } = current;
      current = { ...target, ...own };
    }
    return isJsonObject(current) ? current : undefined;
  }

  /** The subschemas that apply to `value` at `node`: itself, its allOf, and the matching oneOf/anyOf branches. */
  applicable(node: JsonObject, value: unknown, depth = 0): JsonObject[] {
    const out: JsonObject[] = [node];
    if (depth > 8) return out;
    const lists = (key: string): JsonObject[] => (Array.isArray(node[key]) ? (node[key] as JsonValue[]) : [])
      .map((n) => this.deref(n)).filter((n): n is JsonObject => n !== undefined);
    for (const sub of lists('allOf')) out.push(...this.applicable(sub, value, depth + 1));
    for (const key of ['oneOf', 'anyOf']) {
      for (const sub of lists(key)) if (this.#fits(sub, value)) out.push(...this.applicable(sub, value, depth + 1));
    }
    return out;
  }

  /** Whether a branch fits the value by its `const` properties and basic type (a discriminator check). */
  #fits(branch: JsonObject, value: unknown): boolean {
    const type = branch.type;
    if (type === 'object' && !isJsonObject(value)) return false;
    if (type === 'array' && !Array.isArray(value)) return false;
    if (type === 'string' && typeof value !== 'string') return false;
    if (!isJsonObject(value) || !isJsonObject(branch.properties)) return true;
    for (const [name, prop] of Object.entries(branch.properties)) {
      const p = this.deref(prop);
      if (p && 'const' in p && value[name] !== undefined && value[name] !== p.const) return false;
    }
    return true;
  }
}

const patterns = new Map<string, RegExp>();
const patternOf = (source: string): RegExp => {
  let re = patterns.get(source);
  if (!re) { re = new RegExp(source, 'u'); patterns.set(source, re); }
  return re;
};

/** The schema node describing property `name` among the applicable subschemas, first match wins. */
function propertySchema(r: Resolver, nodes: readonly JsonObject[], name: string): JsonObject | undefined {
  for (const n of nodes) {
    if (isJsonObject(n.properties) && n.properties[name] !== undefined) return r.deref(n.properties[name]);
  }
  for (const n of nodes) {
    if (!isJsonObject(n.patternProperties)) continue;
    for (const [pattern, sub] of Object.entries(n.patternProperties)) {
      if (patternOf(pattern).test(name)) return r.deref(sub);
    }
  }
  for (const n of nodes) if (isJsonObject(n.additionalProperties)) return r.deref(n.additionalProperties);
  return undefined;
}

function itemSchema(r: Resolver, nodes: readonly JsonObject[], index: number): JsonObject | undefined {
  for (const n of nodes) {
    if (Array.isArray(n.prefixItems) && index < n.prefixItems.length) return r.deref(n.prefixItems[index]);
    if (n.items !== undefined && typeof n.items !== 'boolean') return r.deref(n.items);
  }
  return undefined;
}

/** Whether the schema describes the value's inside; when not, the value's classification covers all of it. */
const describesInside = (nodes: readonly JsonObject[]): boolean => nodes.some((n) =>
  n.properties !== undefined || n.patternProperties !== undefined || isJsonObject(n.additionalProperties) || n.items !== undefined || n.prefixItems !== undefined);

function filter(r: Resolver, node: JsonObject, value: unknown, reader: Reader, context: ViewContext): unknown {
  const nodes = r.applicable(node, value);
  if (!describesInside(nodes)) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const sub = itemSchema(r, nodes, i);
      // Items inherit their array's classification unless they carry their own.
      if (!sub) { if (reader.level === 'all') out.push(item); return; }
      const cls = sub['x-classification'];
      if (cls !== undefined && !mayRead(reader, cls, sub['x-entitled'], context)) return;
      out.push(filter(r, sub, item, reader, context));
    });
    return out;
  }
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    const sub = propertySchema(r, nodes, name);
    if (!sub) { if (reader.level === 'all') out[name] = child; continue; }
    if (!mayRead(reader, sub['x-classification'], sub['x-entitled'], context)) continue;
    out[name] = filter(r, sub, child, reader, context);
  }
  return out;
}

/**
 * The part of `document` that `reader` may see under `schema`: a new value, the input untouched.
 * The document's root is shown when the schema's own classification allows it, else `undefined`.
 */
export function visibleFields(schema: JsonObject, document: unknown, reader: Reader, context: ViewContext = {}): unknown {
  const r = new Resolver(schema);
  if (!mayRead(reader, schema['x-classification'], schema['x-entitled'], context)) return undefined;
  return filter(r, schema, document, reader, context);
}

/**
 * Every path of `document` with the classification the schema gives it (`undefined` when none): for
 * tests and audits. Paths are JSON Pointers.
 */
export function classifiedPaths(schema: JsonObject, document: unknown): Array<{ path: string; classification: unknown }> {
  const r = new Resolver(schema);
  const out: Array<{ path: string; classification: unknown }> = [];
  const walk = (node: JsonObject | undefined, value: unknown, path: string, inherited: unknown): void => {
    const cls = node?.['x-classification'] ?? inherited;
    if (path !== '') out.push({ path, classification: node ? cls : undefined });
    if (!node) return;
    const nodes = r.applicable(node, value);
    if (!describesInside(nodes)) return;
    if (Array.isArray(value)) value.forEach((item, i) => walk(itemSchema(r, nodes, i), item, `${path}/${i}`, cls));
    else if (isJsonObject(value)) for (const [k, v] of Object.entries(value)) walk(propertySchema(r, nodes, k), v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, undefined);
  };
  walk(r.deref(schema), document, '', schema['x-classification']);
  return out;
}
