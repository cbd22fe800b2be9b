// The CBV 2.0 EPCIS event hash ID (`ni:///sha-256;…?ver=CBV2.0`) of events and of EPCIS 2.0 JSON-LD documents.
import * as crypto from 'node:crypto';
import { cachedPrefixes, eventPreHash } from './event-prehash.ts';
import { hashFailure, prefixesOf, type Prefixes } from './event-hash-values.ts';

/** The version of the hash algorithm, written after `?ver=`. */
export const EVENT_HASH_VERSION = 'CBV2.0';

export interface EventHashOptions {
  /**
   * The JSON-LD `@context` the event is read with (a document's), for the prefixes of user
   * extensions. An `@context` on the event itself is read after it.
   */
  readonly context?: unknown;
}

/**
 * The prefixes of a frozen, non-array context read alone, by identity: such a context (the
 * standard's, `STANDARD_CONTEXT`) cannot change, and its terms are all it contributes.
 */
const FROZEN_PREFIXES = new WeakMap<object, Prefixes>();

function prefixesFor(event: unknown, options: EventHashOptions): Prefixes {
  const own = typeof event === 'object' && event !== null ? (event as { '@context'?: unknown })['@context'] : undefined;
  const { context } = options;
  if (own !== undefined || typeof context !== 'object' || context === null || Array.isArray(context) || !Object.isFrozen(context)) {
    return prefixesOf(context, own);
  }
  let prefixes = FROZEN_PREFIXES.get(context);
  if (prefixes === undefined) FROZEN_PREFIXES.set(context, (prefixes = cachedPrefixes(prefixesOf(context))));
  return prefixes;
}

/** SHA-256 in hex: the one-shot `crypto.hash` where Node has it (20.12+), else a `Hash` object. */
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash ID of a pre-hash string. */
function hashId(preHash: string): string {
  return `ni:///sha-256;${sha256Hex(preHash)}?ver=${EVENT_HASH_VERSION}`;
}

/**
 * The canonical pre-hash string of an EPCIS 2.0 event in its JSON-LD form (see `eventPreHash`):
 * the same event written with other key orders, bare CBV words or their URNs, other time-zone
 * offsets, or EPC URNs instead of Digital Links, gives the same string.
 * Throws `SuyuanError('EVENT_HASH_FAILED')` whose `detail.field` names the field it cannot read.
 */
export function preHashString(event: unknown, options: EventHashOptions = {}): string {
  return eventPreHash(event, prefixesFor(event, options));
}

/** The event hash ID: `ni:///sha-256;<hex of SHA-256 over the UTF-8 pre-hash string>?ver=CBV2.0`. */
export function eventHash(event: unknown, options: EventHashOptions = {}): string {
  return hashId(preHashString(event, options));
}

/**
 * The events of an EPCIS 2.0 JSON-LD document (`EPCISDocument`: `epcisBody.eventList`;
 * `EPCISQueryDocument`: `epcisBody.queryResults.resultsBody.eventList`), in document order.
 * Throws `EVENT_HASH_FAILED` naming `epcisBody` when neither list is there.
 */
export function documentEvents(document: unknown): readonly unknown[] {
  const body = (document as { epcisBody?: Record<string, unknown> } | null)?.epcisBody;
  const list =
    body?.eventList ??
    (body?.queryResults as { resultsBody?: { eventList?: unknown } } | undefined)?.resultsBody?.eventList ??
    (body?.event === undefined ? undefined : [body.event]);
  if (!Array.isArray(list)) throw hashFailure('epcisBody', 'has no eventList');
  return list;
}

/** One hash per event of an EPCIS 2.0 JSON-LD document, in order, with the prefixes of its `@context`. */
export function documentEventHashes(document: unknown): string[] {
  const context = (document as { '@context'?: unknown } | null)?.['@context'];
  // The document's prefixes are read once for the events without an `@context` of their own.
  let shared: Prefixes | undefined;
  return documentEvents(document).map((event) => {
    const own = typeof event === 'object' && event !== null ? (event as { '@context'?: unknown })['@context'] : undefined;
    if (own !== undefined) return eventHash(event, { context });
    return hashId(eventPreHash(event, (shared ??= cachedPrefixes(prefixesOf(context)))));
  });
}
