/** Names across the bindings: XML namespaces ↔ JSON-LD prefixes, in both directions, and the `@context` ↔ `xmlns` declarations. */
import { SuyuanError } from '../../errors.ts';
import { BINDING_NAMESPACES, GS1_PREFIXES, NS } from './layout.ts';
import { XML_NS, type XElement } from './xml-read.ts';

/** An XML NCName (a name without a colon): a letter or `_`, then letters, digits, marks, `.`, `-`, `_`, `·`. */
export const NCNAME = /^[\p{L}_][\p{L}\p{N}\p{M}_.\-\u00B7\u203F\u2040]*$/u;
/** Prefixes the XML side keeps for itself. */
const XML_RESERVED = new Set(['xml', 'xmlns', 'xsi', 'xsd', 'epcis', 'epcisq']);
/** Namespaces with a fixed JSON prefix that never enters an `@context`. */
const FIXED: ReadonlyMap<string, string> = new Map([[NS.xsi, 'xsi'], [NS.xsd, 'xsd'], [XML_NS, 'xml']]);

export function invalid(message: string, detail: Record<string, unknown>): SuyuanError {
  return new SuyuanError('EPCIS_INVALID', message, { detail });
}

/**
 * JSON member names for the XML names of one document. Each namespace takes the prefix its first
 * declaration gives it (documents order), renamed with a number only when that prefix is taken by
 * another namespace or kept by the binding; a default namespace becomes `ns`, `ns1`, ….
 */
export class JsonNames {
  private readonly prefixes = new Map<string, string>(FIXED);
  private readonly taken = new Set<string>(['xsi', 'xsd', 'xml', 'xmlns']);
  private readonly declared: Array<readonly [string, string]> = [];

  constructor(root: XElement) {
    const visit = (el: XElement): void => {
      for (const [prefix, uri] of el.decls) this.allocate(prefix, uri);
      el.children.forEach(visit);
    };
    visit(root);
  }

  private allocate(preferred: string, uri: string): void {
    if (uri === '' || BINDING_NAMESPACES.has(uri) || this.prefixes.has(uri)) return;
    const base = preferred === '' ? 'ns' : preferred;
    let name = base;
    for (let n = 1; this.taken.has(name); n++) name = `${base}${String(n)}`;
    this.prefixes.set(uri, name);
    this.taken.add(name);
    this.declared.push([name, uri]);
  }

  /**
   * The `@context` of the converted document: GS1's context, then every namespace the XML declares
   * except the binding's own and `cbvmda` as the XML binding writes it (GS1's context already defines
   * that prefix, and the event hash reads an undeclared `cbvmda` as exactly that namespace).
   */
  context(contextUrl: string): unknown[] {
    const terms = Object.fromEntries(this.declared.filter(([p, uri]) => !(p === 'cbvmda' && uri === NS.cbvmda)));
    return Object.keys(terms).length === 0 ? [contextUrl] : [contextUrl, terms];
  }

  /** The JSON name of an element or attribute: `prefix:local`, or `local` for no namespace. */
  name(ns: string, local: string, path: string): string {
    if (ns === '') return local;
    const prefix = this.prefixes.get(ns);
    if (prefix === undefined) throw invalid(`${path}: an element of the EPCIS binding's namespace is not an extension`, { element: path, namespace: ns });
    return `${prefix}:${local}`;
  }
}

/** The string-valued terms of a JSON-LD `@context` (a URL, an object, or an array of them), later ones winning. */
export function contextTerms(context: unknown): Map<string, string> {
  const terms = new Map<string, string>();
  const visit = (c: unknown): void => {
    if (Array.isArray(c)) c.forEach(visit);
    else if (typeof c === 'object' && c !== null) {
      for (const [term, iri] of Object.entries(c)) if (!term.startsWith('@') && typeof iri === 'string') terms.set(term, iri);
    }
  };
  visit(context);
  return terms;
}

/**
 * XML names for the JSON member names of one document, and the `xmlns` declarations they need. Every
 * string-valued term of the document's `@context` is declared (so that it comes back); a prefix the
 * context leaves to GS1's context (`cbvmda`, `gs1`, `rdfs`, `sbdh`, …) is declared when used.
 */
export class XmlNames {
  private readonly terms: Map<string, string>;
  private readonly used = new Map<string, string>();

  constructor(context: unknown) {
    this.terms = new Map([...contextTerms(context)].filter(([term, iri]) => NCNAME.test(term) && !XML_RESERVED.has(term) && iri !== ''));
  }

  /** Declares `xsi` or `xsd` because a value needs it. */
  need(prefix: 'xsi' | 'xsd'): void {
    this.used.set(prefix, prefix === 'xsi' ? NS.xsi : NS.xsd);
  }

  /** The qualified name for a member name (`prefix:local` or `local`); throws `EPCIS_INVALID` naming `path` when XML cannot hold it. */
  qname(member: string, path: string): string {
    const colon = member.indexOf(':');
    const prefix = colon === -1 ? '' : member.slice(0, colon);
    const local = member.slice(colon + 1);
    if (!NCNAME.test(local) || (colon !== -1 && !NCNAME.test(prefix))) {
      throw invalid(`${path}: ${JSON.stringify(member)} is not a prefixed name XML can carry`, { path, member });
    }
    if (prefix === 'xsi' || prefix === 'xml') {
      if (prefix === 'xsi') this.need('xsi');
      return member;
    }
    if (colon === -1) return member;
    const uri = XML_RESERVED.has(prefix) ? undefined : (this.terms.get(prefix) ?? GS1_PREFIXES[prefix]);
    if (uri === undefined) throw invalid(`${path}: the prefix ${prefix} is not declared in the @context`, { path, prefix });
    this.used.set(prefix, uri);
    return member;
  }

  /** `xmlns` attributes for the root: the binding's namespaces first, then the context's terms, then the prefixes used beyond them. */
  declarations(binding: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
    const all = new Map<string, string>([...binding.map(([p, uri]) => [p, uri] as const), ...this.terms, ...this.used]);
    return [...all].map(([prefix, uri]) => [`xmlns:${prefix}`, uri] as const);
  }
}
