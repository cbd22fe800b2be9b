/**
 * A stand-in of the tax department's e-invoice gateway, served on loopback for the demo: it answers the
 * poll protocol of `src/transports/poll.ts` (`GET /v1/invoices?since=<cursor>`, pages of invoices in
 * issue order, `X-Next-Cursor`, `204` when nothing is new) with the demo day's invoices. The cursor is
 * the index after the last invoice served. It asks for the Bearer token `token`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { NEXT_CURSOR_HEADER, SINCE_PARAMETER } from '../transports/poll.ts';
import { invoicePage } from './tax.ts';

export interface EInvoiceGateway {
  /** The invoice list URL, to point the tax adapter at. */
  readonly url: string;
  /** Invoices served so far. */
  served(): number;
  close(): Promise<void>;
}

export async function startEInvoiceGateway(invoices: readonly string[], token: string, pageSize = 3): Promise<EInvoiceGateway> {
  const app = express();
  let served = 0;
  app.get('/v1/invoices', (req, res) => {
    res.set('connection', 'close');
    if (req.get('authorization') !== `Bearer ${token}`) return void res.status(401).end();
    const raw = req.query[SINCE_PARAMETER];
    const since = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : 0;
    const page = invoices.slice(since, since + pageSize);
    if (page.length === 0) return void res.status(204).end();
    served = Math.max(served, since + page.length);
    res.set(NEXT_CURSOR_HEADER, String(since + page.length)).type('application/xml').send(invoicePage(page));
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/invoices`,
    served: () => served,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
