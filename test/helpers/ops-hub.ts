/** A running hub for the operations tests: a throwaway repository with the test slaughterhouse feed, a key per role, and fetch helpers. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import type { Role } from '../../src/auth/keys.ts';
import { loadConfig, type ConfigOverrides } from '../../src/config.ts';
import { REPO_ROOT } from '../../src/standards/index.ts';
import { slaughterManifest } from './slaughter.ts';
import { tempRoot } from './temp-standard.ts';

export const ADMIN_KEY = 'ops-test-admin-key-0000001';

export interface OpsHub {
  readonly app: App;
  readonly base: string;
  /** A key per role; `integrator` is scoped to `test-slaughter`, `stranger` is an integrator of another adapter. */
  readonly keys: Readonly<Record<Role | 'stranger', string>>;
  call(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; json: unknown; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/** A hub with the test slaughterhouse feed (`test-slaughter`), plus `adapters` (manifests by id), `copy` (this repository's adapters, by id; the integrator key is scoped to them too) and `files` (more files of the repository, by path). */
export async function startOpsHub(options: { adapters?: Record<string, unknown>; copy?: readonly string[]; config?: ConfigOverrides; slaughter?: Record<string, unknown>; files?: Record<string, unknown> } = {}): Promise<OpsHub> {
  const repo = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
  repo.write('adapters/test-slaughter/adapter.json', { ...slaughterManifest('example-slaughter'), ...(options.slaughter ?? {}) });
  for (const [id, manifest] of Object.entries(options.adapters ?? {})) repo.write(`adapters/${id}/adapter.json`, manifest);
  for (const [path, content] of Object.entries(options.files ?? {})) repo.write(path, content);
  for (const id of options.copy ?? []) cpSync(join(REPO_ROOT, 'adapters', id), join(repo.root, 'adapters', id), { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'suyuan-ops-'));
  const app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, adminKey: ADMIN_KEY, logLevel: 'silent', mappingWorkers: 0, ...(options.config ?? {}) }, {}));
  const base = (await app.listen()).url;
  const make = async (role: Role, scopes: string[] = []) => (await app.keys.create({ name: `${role} key`, roles: [role], scopes })).key;
  const keys = {
    admin: ADMIN_KEY,
    'standards-body': await make('standards-body'),
    integrator: await make('integrator', ['test-slaughter', ...(options.copy ?? [])]),
    stranger: await make('integrator', ['another-feed']),
    operator: await make('operator'),
    certifier: await make('certifier'),
    regulator: await make('regulator'),
  };
  return {
    app, base, keys,
    async call(method, path, { key, body, headers = {} } = {}) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined || body instanceof Uint8Array || typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: unknown;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: res.status, json, text, headers: res.headers };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      repo.cleanup();
    },
  };
}

/** Samples of a Prometheus text exposition: `name{a="x",b="y"}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (m?.[1] && m[3]) samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

/** The value of one sample with exactly these labels (in any order), or `undefined`. */
export function sample(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const [key, value] of samples) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
    if (m?.[1] !== name) continue;
    const have = (m[2] ?? '').split(/,(?=[a-zA-Z_]+=")/).filter((s) => s !== '').sort().join(',');
    if (have === want) return value;
  }
  return undefined;
}
