/**
 * Replays a demo day into a running hub through its real transports: JSON and XML pushed over HTTP
 * with each department's integrator key, SOAP calls over a socket, batch files dropped into the
 * watched folder (written under a temporary name, then renamed in), and the tax gateway polled by
 * the hub itself. Resolves once every message has been taken and kept.
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { SuyuanError } from '../errors.ts';
import { dropDirectory } from '../transports/file-drop.ts';
import { readPollCursor } from '../transports/poll.ts';
import type { DayMessages } from './day.ts';

export interface LoadOptions {
  /** The hub's base URL (`http://host:port`). */
  readonly url: string;
  /** Longest wait for the file drops and the poll to catch up, in milliseconds (default 120 000). */
  readonly timeoutMs?: number;
}

/** What each delivery was answered, for the summary. */
export interface Delivery {
  readonly adapter: string;
  readonly label: string;
  readonly status: number;
}

const SOAP_NS = 'urn:js-yycg:ws:procurement:2024';

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new SuyuanError('DEMO_INCOMPLETE', `the demo day did not finish loading: ${what}`, { detail: { waitingFor: what } });
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function loadDay(app: App, day: DayMessages, options: LoadOptions): Promise<Delivery[]> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const keys = new Map<string, string>();
  const keyOf = async (adapter: string): Promise<string> => {
    let key = keys.get(adapter);
    if (!key) {
      key = (await app.keys.create({ name: `${adapter} (demo)`, roles: ['integrator'], scopes: [adapter] })).key;
      keys.set(adapter, key);
    }
    return key;
  };
  const deliveries: Delivery[] = [];

  for (const p of day.pushes) {
    const res = await fetch(`${options.url}/v1/feeds/${p.adapter}/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${await keyOf(p.adapter)}`, 'content-type': p.contentType }, body: p.body,
    });
    await res.arrayBuffer();
    deliveries.push({ adapter: p.adapter, label: p.label, status: res.status });
  }
  for (const call of day.soap) {
    const res = await fetch(`${options.url}/soap/${call.adapter}`, {
      method: 'POST', body: call.envelope,
      headers: { authorization: `Bearer ${await keyOf(call.adapter)}`, 'content-type': 'text/xml; charset=utf-8', soapaction: `"${SOAP_NS}/${call.operation}"` },
    });
    await res.arrayBuffer();
    deliveries.push({ adapter: call.adapter, label: call.label, status: res.status });
  }
  const folders = new Set<string>();
  for (const f of day.files) {
    const adapter = app.adapters.find((a) => a.manifest.id === f.adapter);
    if (!adapter) throw new SuyuanError('ADAPTER_NOT_FOUND', `the demo drops files for ${f.adapter}, which is not loaded`, { detail: { adapter: f.adapter } });
    const dir = dropDirectory(app.config.dataDir, adapter);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${f.name}.part`), f.bytes);
    await rename(join(dir, `${f.name}.part`), join(dir, f.name));
    folders.add(dir);
  }

  await until('the dropped files', async () => {
    for (const dir of folders) {
      if ((await readdir(dir, { withFileTypes: true })).some((e) => e.isFile())) return false;
    }
    return true;
  }, timeoutMs);
  if (day.invoices.length > 0) {
    await until('the tax gateway', async () => (await readPollCursor(app.db, 'tax'))?.cursor === String(day.invoices.length), timeoutMs);
  }
  return deliveries;
}
