/** SOAP 1.1 and 1.2: reading envelopes whatever their prefix, the SOAP format, and building envelopes and faults. */
import { SuyuanError } from '../errors.ts';
import type { Format, ParseLimits, SourceRecord } from './contract.ts';
import { localName } from './xml-guard.ts';
import { ATTRIBUTE_PREFIX, TEXT_KEY, buildXml, linesFor, parseXmlDocument, pathSteps, rememberLines, selectRecords, type XmlOptions } from './xml.ts';

export type SoapVersion = '1.1' | '1.2';

export const SOAP_NAMESPACES: Readonly<Record<SoapVersion, string>> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

/** A fault as a peer sent it: `code` is the local part of the fault code (`Client`, `Sender`, `Server.Busy`). */
export interface SoapFault {
  readonly code: string;
  readonly reason: string;
  /** The detail element's content as parsed, `undefined` when there is none. */
  readonly detail: unknown;
}

/** A read envelope. `header` and `body` are element contents in the XML format's conventions. */
export interface SoapMessage {
  readonly version: SoapVersion;
  /** The Header's content, `undefined` without a Header. */
  readonly header: unknown;
  readonly body: unknown;
  /** Local name of the first element in the Body (`''` for an empty Body; `Fault` for a fault). */
  readonly operation: string;
  readonly fault?: SoapFault;
}

type Element = Readonly<Record<string, unknown>>;

function asElement(value: unknown): Element {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Element) : {};
}

/** The namespace a prefixed name is bound to by the declarations on `scopes` (innermost first). */
function namespaceOf(name: string, scopes: readonly Element[]): string | undefined {
  const colon = name.indexOf(':');
  const declaration = colon === -1 ? `${ATTRIBUTE_PREFIX}xmlns` : `${ATTRIBUTE_PREFIX}xmlns:${name.slice(0, colon)}`;
  const bound = scopes.find((scope) => typeof scope[declaration] === 'string')?.[declaration];
  return typeof bound === 'string' ? bound : undefined;
}

/** The child elements of `parent` in the envelope namespace `ns` with local name `local`. */
function envelopeChildren(parent: Element, scopes: readonly Element[], ns: string, local: string): unknown[] {
  return Object.entries(parent)
    .filter(([key]) => !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY && localName(key) === local)
    .flatMap(([key, value]) => (Array.isArray(value) ? (value as unknown[]) : [value]).filter((one) => namespaceOf(key, [asElement(one), ...scopes]) === ns));
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return textOf(value[0]);
  const text = asElement(value)[TEXT_KEY];
  return typeof text === 'string' ? text : '';
}

function child(parent: unknown, local: string): unknown {
  const element = asElement(parent);
  const key = Object.keys(element).find((k) => !k.startsWith(ATTRIBUTE_PREFIX) && localName(k) === local);
  return key === undefined ? undefined : element[key];
}

function readFault(version: SoapVersion, fault: unknown): SoapFault {
  if (version === '1.1') {
    return { code: localName(textOf(child(fault, 'faultcode'))), reason: textOf(child(fault, 'faultstring')), detail: child(fault, 'detail') };
  }
  return { code: localName(textOf(child(child(fault, 'Code'), 'Value'))), reason: textOf(child(child(fault, 'Reason'), 'Text')), detail: child(fault, 'Detail') };
}

/** Reads a parsed document as an envelope; `SOAP_ENVELOPE` with `detail.element` (and `found` or `namespace`) when it is not one. */
function readEnvelope(document: Element): SoapMessage {
  const rootName = Object.keys(document)[0] ?? '';
  if (localName(rootName) !== 'Envelope') throw new SuyuanError('SOAP_ENVELOPE', 'the root element is not a SOAP Envelope', { detail: { element: 'Envelope', found: rootName } });
  const envelope = asElement(document[rootName]);
  const ns = namespaceOf(rootName, [envelope]) ?? null;
  const version = (Object.keys(SOAP_NAMESPACES) as SoapVersion[]).find((v) => SOAP_NAMESPACES[v] === ns);
  if (version === undefined || ns === null) throw new SuyuanError('SOAP_ENVELOPE', 'the Envelope is in no SOAP namespace', { detail: { element: 'Envelope', namespace: ns } });
  const headers = envelopeChildren(envelope, [envelope], ns, 'Header');
  const bodies = envelopeChildren(envelope, [envelope], ns, 'Body');
  if (bodies.length !== 1) throw new SuyuanError('SOAP_ENVELOPE', 'an Envelope has exactly one Body', { detail: { element: 'Body', count: bodies.length } });
  if (headers.length > 1) throw new SuyuanError('SOAP_ENVELOPE', 'an Envelope has at most one Header', { detail: { element: 'Header', count: headers.length } });
  const body = bodies[0];
  const first = Object.keys(asElement(body)).find((key) => !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY);
  const operation = first === undefined ? '' : localName(first);
  const faults = operation === 'Fault' ? envelopeChildren(asElement(body), [asElement(body), envelope], ns, 'Fault') : [];
  const message = { version, header: headers[0], body, operation };
  return faults.length > 0 ? { ...message, fault: readFault(version, faults[0]) } : message;
}

/** Reads a SOAP envelope (XML checks and limits as in the XML format, then `SOAP_ENVELOPE`); a fault is returned, not thrown. */
export function parseSoap(text: string, limits?: ParseLimits): SoapMessage {
  return readEnvelope(parseXmlDocument(text, limits === undefined ? {} : { limits }).document);
}

const BODY = ['Envelope', 'Body'];

/**
 * The SOAP format: `parse` returns a `SoapMessage` and throws `SOAP_FAULT` (operational, with
 * `version`, `code`, `reason`, `faultDetail`) when the Body holds a fault; record and array paths
 * are relative to the Body. Without a record path the Body's content is the one record.
 */
export const soapFormat: Format<XmlOptions> = {
  name: 'soap',
  parse(text, options = {}) {
    const relative = pathSteps(options.recordPath);
    const { document, lines } = parseXmlDocument(text, {
      recordSteps: relative.length === 0 ? [] : [...BODY, ...relative],
      arraySteps: (options.arrayPaths ?? []).map((path) => [...BODY, ...pathSteps(path)]),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    const message = readEnvelope(document);
    if (message.fault !== undefined) {
      const { code, reason, detail } = message.fault;
      throw new SuyuanError('SOAP_FAULT', `SOAP fault ${code}: ${reason}`, { detail: { version: message.version, code, reason, faultDetail: detail } });
    }
    rememberLines(message, relative.join('/'), lines);
    return message;
  },
  split(parsed, options = {}): SourceRecord[] {
    const body = (parsed as Partial<SoapMessage> | null)?.body;
    const steps = pathSteps(options.recordPath);
    if (steps.length === 0) return [{ value: body, position: { index: 0, path: '/Envelope/Body' } }];
    const recordPath = steps.join('/');
    return selectRecords(body, steps, { path: '/Envelope/Body', ordinals: [1, 1], recordPath }, linesFor(parsed, recordPath));
  },
};

const PREFIX = 'soap';

/** Writes an envelope of `version` around `body` (and `header` when given), prefix `soap`, with the XML prolog. */
export function buildSoapEnvelope(version: SoapVersion, body: unknown, header?: unknown): string {
  const envelope: Record<string, unknown> = { [`${ATTRIBUTE_PREFIX}xmlns:${PREFIX}`]: SOAP_NAMESPACES[version] };
  if (header !== undefined) envelope[`${PREFIX}:Header`] = header;
  envelope[`${PREFIX}:Body`] = body ?? '';
  return buildXml({ [`${PREFIX}:Envelope`]: envelope });
}

/** The fault codes each version defines (SOAP 1.1 §4.4.1, SOAP 1.2 Part 1 §5.4.6). */
export type SoapFaultCode<V extends SoapVersion> = V extends '1.1'
  ? 'Client' | 'Server' | 'VersionMismatch' | 'MustUnderstand'
  : 'Sender' | 'Receiver' | 'VersionMismatch' | 'MustUnderstand' | 'DataEncodingUnknown';

export interface SoapFaultInput<V extends SoapVersion> {
  readonly code: SoapFaultCode<V>;
  readonly reason: string;
  /** Content of the detail element (elements as objects, or text); none when `undefined`. */
  readonly detail?: unknown;
  /** Language of the 1.2 reason text (default `zh-CN`). */
  readonly lang?: string;
}

/** Writes a fault envelope: 1.1 `faultcode`/`faultstring`/`detail`, 1.2 `Code/Value`, `Reason/Text` with `xml:lang`, `Detail`. */
export function buildSoapFault<V extends SoapVersion>(version: V, fault: SoapFaultInput<V>): string {
  const p = PREFIX;
  const detail = fault.detail;
  const body =
    version === '1.1'
      ? { faultcode: `${p}:${fault.code}`, faultstring: fault.reason, ...(detail === undefined ? {} : { detail }) }
      : {
          [`${p}:Code`]: { [`${p}:Value`]: `${p}:${fault.code}` },
          [`${p}:Reason`]: { [`${p}:Text`]: { [`${ATTRIBUTE_PREFIX}xml:lang`]: fault.lang ?? 'zh-CN', [TEXT_KEY]: fault.reason } },
          ...(detail === undefined ? {} : { [`${p}:Detail`]: detail }),
        };
  return buildSoapEnvelope(version, { [`${p}:Fault`]: body });
}

/** The media type of a SOAP message: `text/xml` for 1.1, `application/soap+xml` for 1.2, both UTF-8. */
export function soapContentType(version: SoapVersion): string {
  return version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}

/**
 * The HTTP headers of a SOAP request: 1.1 carries `SOAPAction` (quoted, empty when there is no
 * action: 1.1 requests MUST have the header), 1.2 carries the action as a media-type parameter.
 */
export function soapHttpHeaders(version: SoapVersion, action?: string): Record<string, string> {
  const quoted = JSON.stringify(action ?? '');
  if (version === '1.1') return { 'content-type': soapContentType(version), soapaction: quoted };
  return { 'content-type': action === undefined ? soapContentType(version) : `${soapContentType(version)}; action=${quoted}` };
}

/** The HTTP status of a fault response: always 500 in 1.1; in 1.2, 400 for `Sender` and 500 otherwise (SOAP 1.2 Part 2 §7.5.2.2). */
export function soapFaultStatus(version: SoapVersion, code: string): number {
  return version === '1.2' && code === 'Sender' ? 400 : 500;
}
