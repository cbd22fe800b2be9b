// The CBV 2.0 EPCIS event hash ID (`ni:///sha-256;…?ver=CBV2.0`) of events and of EPCIS 2.0 JSON-LD documents.
import { createHash } from 'node:crypto';
import { eventPreHash } from './event-prehash.ts';
import { hashFailure, prefixesOf } from './event-hash-values.ts';

/** The version of the hash algorithm, written after `?ver=`. */
export const EVENT_HASH_VERSION = 'CBV2.0';

export interface EventHashOptions {
  /**
   * The JSON-LD `@context` the event is read with (a document's), for the prefixes of user
   * extensions. An `@context` on the event itself is read after it.
   */
  readonly context?: unknown;
}

function prefixesFor(event: unknown, options: EventHashOptions) {
  const own = typeof event === 'object' && event !== null ? (event as { '@context'?: unknown })['@context'] : undefined;
  return prefixesOf(options.context, own);
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
  const digest = createHash('sha256').update(preHashString(event, options), 'utf8').digest('hex');
  return `ni:///sha-256;${digest}?ver=${EVENT_HASH_VERSION}`;
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
  return documentEvents(document).map((event) => eventHash(event, { context }));
}
