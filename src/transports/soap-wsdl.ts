/** Reading an adapter's WSDL (1.1, document/literal): its operations, their elements and actions, and serving it at an address. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SuyuanError } from '../errors.ts';
import { ATTRIBUTE_PREFIX, parseXmlDocument } from '../formats/xml.ts';
import { localName } from '../formats/xml-guard.ts';

/** An element's qualified name: its namespace and local name. */
export interface QName {
  readonly ns: string;
  readonly local: string;
}

export interface WsdlOperation {
  readonly name: string;
  /** The element the request's Body carries. */
  readonly input?: QName;
  /** The element the response's Body carries. */
  readonly output?: QName;
  /** The SOAPAction of the first binding that names one. */
  readonly soapAction?: string;
}

export interface Wsdl {
  readonly text: string;
  readonly targetNamespace: string;
  readonly operations: ReadonlyMap<string, WsdlOperation>;
}

type El = Readonly<Record<string, unknown>>;

function kids(parent: unknown, local: string): El[] {
  if (typeof parent !== 'object' || parent === null) return [];
  return Object.entries(parent as El)
    .filter(([key]) => !key.startsWith(ATTRIBUTE_PREFIX) && key !== '#text' && localName(key) === local)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((v): v is El => typeof v === 'object' && v !== null);
}

const attr = (el: El, name: string): string | undefined => {
  const v = el[`${ATTRIBUTE_PREFIX}${name}`];
  return typeof v === 'string' ? v : undefined;
};

/** Reads a WSDL 1.1 text. `ADAPTER_INVALID` (naming the file) when it is not one. */
export function parseWsdl(text: string, file: string): Wsdl {
  let root: El | undefined;
  try {
    const { document } = parseXmlDocument(text);
    root = kids(document, 'definitions')[0];
  } catch (cause) {
    throw new SuyuanError('ADAPTER_INVALID', `${file} is not readable XML`, { cause, detail: { file } });
  }
  if (!root) throw new SuyuanError('ADAPTER_INVALID', `${file} is not a WSDL 1.1 document`, { detail: { file } });
  const definitions = root;
  const targetNamespace = attr(definitions, 'targetNamespace') ?? '';
  const qname = (value: string | undefined): QName | undefined => {
    if (value === undefined) return undefined;
    const colon = value.indexOf(':');
    const prefix = colon === -1 ? '' : value.slice(0, colon);
    const ns = attr(definitions, prefix ? `xmlns:${prefix}` : 'xmlns') ?? targetNamespace;
    return { ns, local: value.slice(colon + 1) };
  };
  const messages = new Map(kids(definitions, 'message').map((m) => [attr(m, 'name') ?? '', m]));
  const elementOf = (ref: string | undefined): QName | undefined => {
    const message = messages.get(qname(ref)?.local ?? '');
    return qname(kids(message, 'part').map((p) => attr(p, 'element')).find((e) => e !== undefined));
  };
  const actions = new Map<string, string>();
  for (const binding of kids(definitions, 'binding')) {
    for (const op of kids(binding, 'operation')) {
      const action = kids(op, 'operation').map((o) => attr(o, 'soapAction')).find((a) => a !== undefined && a !== '');
      const name = attr(op, 'name') ?? '';
      if (action !== undefined && !actions.has(name)) actions.set(name, action);
    }
  }
  const operations = new Map<string, WsdlOperation>();
  for (const portType of kids(definitions, 'portType')) {
    for (const op of kids(portType, 'operation')) {
      const name = attr(op, 'name') ?? '';
      const input = elementOf(kids(op, 'input')[0] && attr(kids(op, 'input')[0] as El, 'message'));
      const output = elementOf(kids(op, 'output')[0] && attr(kids(op, 'output')[0] as El, 'message'));
      const soapAction = actions.get(name);
      operations.set(name, { name, ...(input ? { input } : {}), ...(output ? { output } : {}), ...(soapAction ? { soapAction } : {}) });
    }
  }
  return { text, targetNamespace, operations };
}

/** Reads the WSDL file an adapter's manifest names, relative to the adapter folder. */
export function loadWsdl(dir: string, file: string): Wsdl {
  return parseWsdl(readFileSync(join(dir, file), 'utf8'), file);
}

/** The WSDL text with every SOAP 1.1 and 1.2 port address set to `location`. */
export function wsdlAt(wsdl: Wsdl, location: string): string {
  const escaped = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return wsdl.text.replace(/(<(?:[\w.-]+:)?address\b[^>]*?\blocation=")[^"]*(")/g, `$1${escaped}$2`);
}

/** The operation a request names: by its Body's first element (document/literal), else by its SOAPAction. */
export function operationOf(wsdl: Wsdl, bodyElement: string, soapAction: string | undefined): WsdlOperation | undefined {
  const ops = [...wsdl.operations.values()];
  return ops.find((op) => op.input?.local === bodyElement)
    ?? (soapAction ? ops.find((op) => op.soapAction === soapAction || op.name === soapAction) : undefined);
}
