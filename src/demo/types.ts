/** The demo day's messages, each in its department's own format and addressed to its transport. */

/** A batch file for a file-drop feed. */
export interface DropFile {
  readonly adapter: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A message for an HTTP push feed (`POST /v1/feeds/<adapter>/messages`). */
export interface Push {
  readonly adapter: string;
  readonly label: string;
  readonly contentType: string;
  readonly body: string;
}

/** A SOAP call to a SOAP-server feed (`POST /soap/<adapter>`). */
export interface SoapCall {
  readonly adapter: string;
  readonly label: string;
  readonly operation: string;
  readonly envelope: string;
}

/** A code worth looking up after the demo, and what it is. */
export interface Lookup {
  readonly code: string;
  readonly what: string;
  /** The lot number to assess a recall of (`/v1/recall-impact?lot=`), where the code is a lot. */
  readonly lot?: string;
}

/** A message broken on purpose, to show what the hub does with it. */
export interface Broken {
  readonly feed: string;
  /** What the feed's outcome for it is: some records stored and the bad one kept (`partial`), or nothing stored (`rejected`). */
  readonly status: 'partial' | 'rejected';
  /** The kept message's error code. */
  readonly code: string;
  /** The check that failed underneath (e.g. `USCC_CHECK`), where there is one. */
  readonly problem?: string;
  readonly what: string;
}

/** Beijing time `YYYY-MM-DD HH:mm:ss` of `day` at `minutes` after midnight. */
export function clock(day: string, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${day} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

/** `YYYYMMDDHHmmss` of a `clock` time, for file names. */
export const compact = (time: string): string => time.replace(/[-: ]/g, '');
