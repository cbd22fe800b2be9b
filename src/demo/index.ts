/**
 * `suyuan demo`: a hub on its embedded defaults with a built-in day of province data replayed through
 * its real transports. The tax adapter's placeholder gateway is replaced, for this hub only, by a
 * stand-in served on loopback (`SUYUAN_INBOUND_URLS` does the same for a real deployment).
 */
import { createApp, type App } from '../app.ts';
import { loadConfig, type ConfigOverrides } from '../config.ts';
import { demoDay, type DemoDay } from './day.ts';
import { startEInvoiceGateway } from './gateway.ts';
import { loadDay, type Delivery } from './load.ts';
import { summarize, type DaySummary } from './summary.ts';

export { demoDay, DEFAULT_DAY, DEFAULT_SEED, type DayMessages, type DemoDay } from './day.ts';
export { startEInvoiceGateway, type EInvoiceGateway } from './gateway.ts';
export { loadDay, type Delivery } from './load.ts';
export { invoicePage, invoiceXml, type Invoice } from './tax.ts';
export type { DaySummary, FeedSummary, KeptProblem } from './summary.ts';

/** The token the stand-in gateway asks for, when `SUYUAN_TAX_EINVOICE_TOKEN` names none. */
export const DEMO_TAX_TOKEN = 'suyuan-demo-einvoice-token';

export interface DemoOptions {
  /** Configuration overrides of the hub (data folder, port, …); the environment supplies the rest. */
  readonly config: ConfigOverrides;
  /** The token the tax adapter sends (its credential `env:SUYUAN_TAX_EINVOICE_TOKEN` MUST resolve to it). */
  readonly taxToken: string;
  readonly seed?: number;
  readonly timeoutMs?: number;
}

export interface RunningDemo {
  readonly app: App;
  readonly url: string;
  readonly day: DemoDay;
  readonly deliveries: readonly Delivery[];
  readonly summary: DaySummary;
  /** A key with the operator role, for the `/v1` API. */
  readonly operatorKey: string;
  /** Stops the hub and the stand-in gateway. */
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const day = demoDay(options.seed);
  const gateway = await startEInvoiceGateway(day.invoices, options.taxToken);
  let app: App;
  try {
    const config = loadConfig({ ...options.config, inboundUrls: { ...options.config.inboundUrls, tax: gateway.url } });
    app = await createApp(config);
  } catch (error) {
    await gateway.close();
    throw error;
  }
  const close = async (): Promise<void> => {
    await app.close();
    await gateway.close();
  };
  try {
    const { url } = await app.listen();
    const deliveries = await loadDay(app, day, { url, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
    const operatorKey = (await app.keys.create({ name: 'demo operator', roles: ['operator'] })).key;
    return { app, url, day, deliveries, summary: await summarize(app), operatorKey, close };
  } catch (error) {
    await close();
    throw error;
  }
}
