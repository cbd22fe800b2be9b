/**
 * From an adapter's manifest to the pipeline's plans: one inbound plan per message type, and the
 * choice of message type for a message (by SOAP operation, XML root, file name or a JSON field).
 */
import { SuyuanError } from '../errors.ts';
import { decode } from '../formats/decode.ts';
import { formatNamed } from '../formats/registry.ts';
import type { InboundPlan } from '../pipeline/steps.ts';
import { parseSubjectRef } from '../standards/catalog.ts';
import { IDENTITY, type FormatSpec, type LoadedAdapter, type MessageSpec } from './manifest.ts';

/** The format options a manifest's format spec gives the parser. */
export function formatOptions(spec: FormatSpec): Record<string, unknown> {
  const { kind: _kind, encoding: _encoding, maxBytes: _maxBytes, ...options } = spec;
  return options;
}

/** The plan for one inbound message type of an adapter. */
export function inboundPlan(adapter: LoadedAdapter, message: MessageSpec): InboundPlan {
  const spec = adapter.manifest.inbound;
  if (!spec) throw new SuyuanError('ADAPTER_INVALID', `${adapter.manifest.id} receives nothing`);
  const mapping = message.mapping === IDENTITY ? undefined : adapter.mappings.get(message.mapping);
  const produces = message.standard ?? mapping?.manifest.produces ?? 'trace.event@^1';
  const { subject, version } = parseSubjectRef(produces);
  const format = message.format ?? spec.format;
  return {
    feed: adapter.manifest.id,
    ...(format.encoding ? { encoding: format.encoding } : {}),
    format: formatNamed(format.kind),
    formatOptions: formatOptions(format),
    ...(format.maxBytes ? { limits: { maxLength: format.maxBytes } } : {}),
    ...(mapping ? { mapping } : {}),
    ...(adapter.manifest.bindings ? { bindings: adapter.manifest.bindings } : {}),
    standard: { subject, version },
    ...(message.sources ? { sources: message.sources } : {}),
  };
}

/** What a transport knows of a message before it is parsed, to choose its type. */
export interface MessageHints {
  readonly type?: string;
  readonly operation?: string;
  readonly root?: string;
  readonly fileName?: string;
  /** The message parsed as JSON, when it is JSON, for `field` matches. */
  readonly json?: unknown;
}

function fieldAt(json: unknown, pointer: string): unknown {
  let current: unknown = json;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/**
 * The inbound message type a message is: named explicitly (`hints.type`), the only one, or the first
 * whose `match` the hints satisfy. Throws `MESSAGE_TYPE_UNKNOWN` listing the types when none fits.
 */
export function chooseMessage(adapter: LoadedAdapter, hints: MessageHints): MessageSpec {
  const messages = adapter.manifest.inbound?.messages ?? [];
  const named = hints.type === undefined ? undefined : messages.find((m) => m.type === hints.type);
  if (named) return named;
  if (hints.type === undefined && messages.length === 1 && messages[0]) return messages[0];
  if (hints.type === undefined) {
    const found = messages.find((m) => {
      const match = m.match;
      if (!match) return false;
      return (match.operation === undefined || match.operation === hints.operation)
        && (match.root === undefined || match.root === hints.root)
        && (match.fileName === undefined || (hints.fileName !== undefined && new RegExp(match.fileName).test(hints.fileName)))
        && (match.field === undefined || String(fieldAt(hints.json, match.field)) === match.equals);
    });
    if (found) return found;
  }
  throw new SuyuanError('MESSAGE_TYPE_UNKNOWN', `消息不属于适配器 ${adapter.manifest.id} 的任何消息类型 / the message is none of ${adapter.manifest.id}'s message types: ${messages.map((m) => m.type).join(', ')}`, {
    detail: { adapter: adapter.manifest.id, types: messages.map((m) => m.type), ...(hints.type ? { type: hints.type } : {}) },
  });
}

/**
 * Completes a transport's hints from the message itself when the adapter's message types are told
 * apart by content: the local name of the XML root element, or the parsed JSON for field matches.
 * Reading fails quietly — a message that cannot be read is refused by the pipeline, with the reason.
 */
export function sniffHints(adapter: LoadedAdapter, bytes: Uint8Array, hints: MessageHints): MessageHints {
  const spec = adapter.manifest.inbound;
  if (!spec || hints.type !== undefined || spec.messages.length < 2) return hints;
  const byRoot = spec.messages.some((m) => m.match?.root !== undefined) && hints.root === undefined;
  const byField = spec.messages.some((m) => m.match?.field !== undefined) && hints.json === undefined;
  if (!byRoot && !byField) return hints;
  let text: string;
  try {
    text = decode(bytes, { declared: spec.format.encoding, sniffXmlProlog: true }).text;
  } catch {
    return hints;
  }
  const out: { -readonly [K in keyof MessageHints]: MessageHints[K] } = { ...hints };
  if (byRoot) {
    const root = /^\s*(?:<\?[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?([\w.\u4e00-\u9fff-]+)/.exec(text)?.[1];
    if (root !== undefined) out.root = root;
  }
  if (byField) {
    try {
      out.json = JSON.parse(text) as unknown;
    } catch {
      // not JSON: no field can match
    }
  }
  return out;
}
