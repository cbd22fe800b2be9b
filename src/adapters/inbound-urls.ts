/** Deployment addresses of adapters' inbound services (`SUYUAN_INBOUND_URLS`), laid over their manifests at start. */
import { SuyuanError } from '../errors.ts';
import type { LoadedAdapter } from './manifest.ts';

/**
 * The adapters with `urls[id]` as their inbound transport's `url`. Every id named MUST be a loaded
 * adapter whose inbound transport has a URL (a poll), else `ADAPTER_INVALID` names it: a mistyped id
 * must not leave the placeholder in place unnoticed.
 */
export function withInboundUrls(adapters: readonly LoadedAdapter[], urls: Readonly<Record<string, string>>): LoadedAdapter[] {
  for (const id of Object.keys(urls)) {
    const transport = adapters.find((a) => a.manifest.id === id)?.manifest.inbound?.transport;
    if (transport?.url === undefined) {
      throw new SuyuanError('ADAPTER_INVALID', `SUYUAN_INBOUND_URLS names ${id}, which is not an adapter whose inbound transport has a url`, { detail: { adapter: id, field: '/inbound/transport/url' } });
    }
  }
  return adapters.map((a) => {
    const url = urls[a.manifest.id];
    const inbound = a.manifest.inbound;
    if (url === undefined || !inbound) return a;
    return { ...a, manifest: { ...a.manifest, inbound: { ...inbound, transport: { ...inbound.transport, url } } } };
  });
}
