/**
 * The hub's transports, wired explicitly: adding a transport is adding it to this list.
 * (HTTP push is built into the feeds' HTTP routes.)
 */
import type { Transport } from './contract.ts';
import { epcisCaptureTransport } from './epcis-capture.ts';
import { fileDropTransport } from './file-drop.ts';
import { httpClientTransport } from './http-client.ts';
import { pollTransport } from './poll.ts';
import { soapClientTransport } from './soap-client.ts';
import { soapServerTransport } from './soap-server.ts';

export type { Mount, Transport, TransportContext } from './contract.ts';

/** A fresh set of transports for one hub (each keeps its own timers, watchers and state). */
export function createTransports(): Transport[] {
  return [
    httpClientTransport(),
    epcisCaptureTransport(),
    pollTransport(),
    fileDropTransport(),
    soapServerTransport(),
    soapClientTransport(),
  ];
}
