/**
 * Adapter manifests (`adapters/<id>/adapter.json`): their TypeScript shape, and loading them checked
 * against the published `adapter.manifest` subject of the standard plus what a schema cannot see
 * (the folder name, the mappings and WSDL files it names). An invalid manifest stops the boot with
 * the file and the field named.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SuyuanError, type Problem } from '../errors.ts';
import { loadMapping, type MappingDefinition } from '../mapping/index.ts';
import { readJsonFile, type SchemaSource } from '../standards/catalog.ts';
import type { Standards } from '../standards/validator.ts';

export const MANIFEST_SUBJECT = 'adapter.manifest';
export const MANIFEST_VERSION = '^1';
/** The mapping id of records that already are standard events (EPCIS documents). */
export const IDENTITY = 'identity';

export interface FormatSpec {
  readonly kind: 'json' | 'xml' | 'csv' | 'soap' | 'epcis';
  readonly encoding?: 'UTF-8' | 'GBK' | 'GB18030';
  readonly recordPath?: string;
  readonly arrayPaths?: readonly string[];
  readonly delimiter?: string;
  readonly columns?: Readonly<Record<string, string>>;
  readonly requiredColumns?: readonly string[];
  readonly maxBytes?: number;
}

export interface MatchSpec {
  readonly operation?: string;
  readonly root?: string;
  readonly fileName?: string;
  readonly field?: string;
  readonly equals?: string;
}

export interface MessageSpec {
  readonly type: string;
  readonly summary?: string;
  readonly match?: MatchSpec;
  readonly mapping: string;
  readonly standard?: string;
  readonly sources?: Readonly<Record<string, string>>;
  /** This message type's own format, overriding the direction's (adapter.manifest 1.1). */
  readonly format?: FormatSpec;
}

export interface TransportSpec {
  readonly kind: 'http-push' | 'soap-server' | 'poll' | 'file-drop' | 'epcis-capture' | 'http-client' | 'soap-client';
  readonly wsdl?: string;
  readonly soapVersion?: '1.1' | '1.2';
  readonly url?: string;
  readonly operation?: string;
  readonly directory?: string;
  readonly fileNamePattern?: string;
  readonly credentials?: Readonly<Record<string, string>>;
  readonly signature?: { readonly secret: string };
}

export interface DirectionSpec {
  readonly transport: TransportSpec;
  readonly format: FormatSpec;
  readonly messages: readonly MessageSpec[];
}

export interface RetrySpec {
  readonly maxAttempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly jitter?: number;
}

export interface AdapterManifest {
  readonly id: string;
  readonly version: string;
  readonly status: 'experimental' | 'beta' | 'stable' | 'deprecated';
  readonly department: string;
  readonly summary: string;
  readonly direction: 'inbound' | 'outbound' | 'both';
  readonly inbound?: DirectionSpec;
  readonly outbound?: DirectionSpec;
  readonly retry?: RetrySpec;
  readonly schedule?: { readonly everySeconds: number };
  readonly bindings?: Readonly<Record<string, unknown>>;
}

/** A manifest with the folder it came from and its mappings loaded. */
export interface LoadedAdapter {
  readonly manifest: AdapterManifest;
  readonly dir: string;
  /** Mappings by id, for every message type of both directions (identity excluded). */
  readonly mappings: ReadonlyMap<string, MappingDefinition>;
}

function invalid(file: string, problems: Problem[]): SuyuanError {
  const list = problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ');
  return new SuyuanError('ADAPTER_INVALID', `${file}: ${list}`, { problems, detail: { file } });
}

/** Loads and checks one adapter folder. Throws `ADAPTER_INVALID` naming the file and every bad field. */
export function loadAdapter(dir: string, standards: Standards<SchemaSource>, root: string): LoadedAdapter {
  const file = relative(root, join(dir, 'adapter.json'));
  const data = readJsonFile(join(dir, 'adapter.json'));
  const result = standards.validate(MANIFEST_SUBJECT, MANIFEST_VERSION, data);
  if (!result.valid) throw invalid(file, [...result.problems]);
  const manifest = data as AdapterManifest;
  const problems: Problem[] = [];
  const folder = dir.split(/[\\/]/).pop();
  if (manifest.id !== folder) problems.push({ code: 'ADAPTER_ID', path: '/id', message: `标识应与文件夹同名 / must be the folder name "${folder ?? ''}"` });
  const mappings = new Map<string, MappingDefinition>();
  for (const key of ['inbound', 'outbound'] as const) {
    const spec = manifest[key];
    if (!spec) continue;
    if (spec.transport.wsdl !== undefined && !existsSync(join(dir, spec.transport.wsdl))) {
      problems.push({ code: 'ADAPTER_FILE', path: `/${key}/transport/wsdl`, message: `文件不存在 / no file ${spec.transport.wsdl} in the adapter folder` });
    }
    const types = new Set<string>();
    spec.messages.forEach((m, i) => {
      if (types.has(m.type)) problems.push({ code: 'ADAPTER_DUPLICATE_TYPE', path: `/${key}/messages/${i}/type`, message: `消息类型重复 / message type "${m.type}" appears twice` });
      types.add(m.type);
      if (spec.messages.length > 1 && m.match === undefined) problems.push({ code: 'ADAPTER_MATCH', path: `/${key}/messages/${i}`, message: '多种消息类型时每种都要有 match / with several message types each needs a match' });
      if (m.mapping === IDENTITY) return;
      try {
        mappings.set(m.mapping, loadMapping(m.mapping, root));
      } catch (error) {
        problems.push({ code: 'ADAPTER_MAPPING', path: `/${key}/messages/${i}/mapping`, message: `${m.mapping}: ${(error as Error).message}` });
      }
    });
  }
  if (problems.length > 0) throw invalid(file, problems);
  return { manifest, dir, mappings };
}

/** Every adapter under `<root>/adapters/` (folders with an `adapter.json`), in id order; stops at the first invalid one. */
export function loadAdapters(standards: Standards<SchemaSource>, root: string): LoadedAdapter[] {
  const base = join(root, 'adapters');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((name) => statSync(join(base, name)).isDirectory() && existsSync(join(base, name, 'adapter.json')))
    .sort()
    .map((name) => loadAdapter(join(base, name), standards, root));
}
