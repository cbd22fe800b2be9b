/** `SUYUAN_INBOUND_URLS`: a deployment's address of a polled department service, over its manifest's placeholder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const dirs: string[] = [];
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-urls-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SUYUAN_INBOUND_URLS', () => {
  it('is read as adapter=url pairs, and refused when a pair is not one', () => {
    expect(loadConfig({}, { SUYUAN_INBOUND_URLS: 'tax=http://127.0.0.1:9000/v1/invoices, customs=https://example.cn/x' }).inboundUrls)
      .toEqual({ tax: 'http://127.0.0.1:9000/v1/invoices', customs: 'https://example.cn/x' });
    expect(loadConfig({}, {}).inboundUrls).toEqual({});
    for (const bad of ['tax', 'tax=ftp://host/x', '=http://host/x']) {
      expect(() => loadConfig({}, { SUYUAN_INBOUND_URLS: bad })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
  });

  it("replaces the tax adapter's placeholder gateway, and leaves the other adapters as their manifests say", async () => {
    const app = await createApp(loadConfig({ port: 0, dataDir: dataDir(), logLevel: 'silent', mappingWorkers: 0 }, { SUYUAN_INBOUND_URLS: 'tax=http://127.0.0.1:9/v1/invoices' }));
    try {
      const urlOf = (id: string) => app.adapters.find((a) => a.manifest.id === id)?.manifest.inbound?.transport;
      expect(urlOf('tax')?.url).toBe('http://127.0.0.1:9/v1/invoices');
      expect(urlOf('tax')?.credentials).toEqual({ token: 'env:SUYUAN_TAX_EINVOICE_TOKEN' });
      expect(urlOf('customs')?.url).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('stops the boot when it names an adapter that has no inbound url to replace', async () => {
    for (const id of ['no-such-adapter', 'customs']) {
      await expect(createApp(loadConfig({ port: 0, dataDir: dataDir(), logLevel: 'silent', mappingWorkers: 0 }, { SUYUAN_INBOUND_URLS: `${id}=http://127.0.0.1:9/x` })))
        .rejects.toMatchObject({ code: 'ADAPTER_INVALID', detail: { adapter: id } });
    }
  });
});
