/**
 * HMAC signatures of push feeds. An adapter whose inbound transport names `signature.secret` (a
 * credential reference, `env:NAME` or `file:path`) takes a push only when it carries:
 *
 *   X-Suyuan-Timestamp: <Unix seconds>
 *   X-Suyuan-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body bytes>")>
 *
 * The timestamp must be within `SIGNATURE_WINDOW_SECONDS` of the hub's clock, and a signature is
 * taken once: the same signature again within the window is refused as a replay. The signatures seen
 * are remembered per process (a replay through another API process within the window is not caught;
 * run one process behind the push endpoint or keep the window short). Every refusal is
 * `SIGNATURE_INVALID` (401) with `detail.reason`: missing, stale, mismatch, replayed, unconfigured.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SuyuanError } from '../errors.ts';

export const SIGNATURE_HEADER = 'X-Suyuan-Signature';
export const TIMESTAMP_HEADER = 'X-Suyuan-Timestamp';
export const SIGNATURE_WINDOW_SECONDS = 300;

/** The signature header value for a body signed at `timestamp` (Unix seconds) with `secret`. */
export function sign(secret: string, timestamp: number | string, body: Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

function refuse(reason: string, message: string): SuyuanError {
  return new SuyuanError('SIGNATURE_INVALID', message, { detail: { reason } });
}

/** Checks signatures and remembers the ones taken, for replay refusal. */
export class SignatureVerifier {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Throws `SIGNATURE_INVALID` unless `signature` signs `body` at `timestamp` with `secret`, fresh and unseen. */
  verify(secret: string | undefined, timestamp: string | undefined, signature: string | undefined, body: Uint8Array): void {
    if (!secret) throw refuse('unconfigured', 'the feed requires a signature but the hub has no secret for it');
    if (!timestamp || !signature) throw refuse('missing', `a signed push needs the ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers`);
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    const now = this.#now();
    if (Number.isNaN(seconds) || Math.abs(now / 1000 - seconds) > SIGNATURE_WINDOW_SECONDS) {
      throw refuse('stale', `${TIMESTAMP_HEADER} must be Unix seconds within ${SIGNATURE_WINDOW_SECONDS} s of now`);
    }
    const expected = Buffer.from(sign(secret, timestamp, body));
    const given = Buffer.from(signature.trim());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('mismatch', 'the signature does not match the body and timestamp');
    this.#forget(now);
    if (this.#seen.has(signature)) throw refuse('replayed', 'this signed push was already taken');
    this.#seen.set(signature, seconds * 1000 + SIGNATURE_WINDOW_SECONDS * 1000);
  }

  #forget(now: number): void {
    for (const [sig, until] of this.#seen) if (until < now) this.#seen.delete(sig);
  }
}
