/**
 * Document mode: a platform's own documents, checked one by one. A bundle is a folder: its
 * `*.json`/`*.jsonld`/`*.xml` files are EPCIS 2.0 documents (JSON-LD or XML); each sub-folder named
 * after an adapter holds that department system's messages, read through the adapter's inbound plan
 * (offline, in memory); an optional `bundle.json` gives `{ "platform": "<name>" }`.
 *
 * Each event is validated against its category's profile (by `sy:category`; the base subject when it
 * has none or its profile is not in the suite, then held to its category's profile all the same),
 * identified (CBV 2.0 event hash) and round-tripped: JSON-LD → XML → JSON-LD gives as many events with
 * the same hashes (bare words and URNs, time-zone forms and key order may change, meaning may not),
 * and a second trip changes nothing at all. Every problem is a failed
 * requirement with the document, the path and the reason; every member carried without a problem is
 * a requirement met. What a platform's documents show is what it sends.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { chooseMessage, inboundPlan, sniffHints } from '../adapters/plans.ts';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import { SuyuanError, type Problem } from '../errors.ts';
import { epcisFormat, epcisJsonToXml, epcisXmlToJson, type EpcisParsed } from '../formats/epcis/index.ts';
import { jsonDifferences, type MappingEvaluator } from '../mapping/index.ts';
import { MemoryEventSink } from '../pipeline/events.ts';
import { MemoryProvenance } from '../pipeline/provenance.ts';
import { failureOf, runMessage } from '../pipeline/run.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import { eventHash } from '../standards/event-hash.ts';
import { isJsonObject } from '../standards/json.ts';
import { STANDARD_CONTEXT } from '../standards/paths.ts';
import type { Standards } from '../standards/validator.ts';
import { buildReport, type ConformanceReport } from './report.ts';
import { RequirementIndex } from './requirement-map.ts';
import type { Finding, Requirement, Suite } from './types.ts';

const EPCIS_FILE = /\.(?:json|jsonld|xml)$/i;
export const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export interface DocumentRunOptions {
  readonly standards: Standards<SchemaSource>;
  readonly suite: Suite;
  readonly bundle: string;
  /** The platform's name; else `bundle.json`'s, else the folder's name. */
  readonly platform?: string;
  /** The adapters, for sub-folders of department messages. */
  readonly adapters?: readonly LoadedAdapter[];
  readonly evaluator?: MappingEvaluator;
  readonly now?: () => Date;
}

const documentRequirement = (suite: Suite, name: string, zh: string, en: string): Requirement =>
  ({ id: `document/${name}`, kind: 'document', standard: suite.standard, profile: undefined, title: { zh, en } });

export function documentRequirements(suite: Suite): Requirement[] {
  return [
    documentRequirement(suite, 'readable', '文档可读：EPCIS 2.0 JSON-LD 或 XML，或经适配器读入的部门格式', 'The document reads: EPCIS 2.0 JSON-LD or XML, or a department format through its adapter'),
    documentRequirement(suite, 'identified', '每个事件可计算 CBV 2.0 事件哈希', 'Every event has a CBV 2.0 event hash'),
    documentRequirement(suite, 'round-trip', 'JSON-LD → XML → JSON-LD 往返后事件相同、哈希相同', 'JSON-LD → XML → JSON-LD gives the same events with the same hashes'),
  ];
}

interface Item {
  readonly file: string;
  readonly adapter?: string;
}

function listBundle(bundle: string, adapters: readonly LoadedAdapter[]): { platform: string | undefined; items: Item[] } {
  if (!existsSync(bundle) || !statSync(bundle).isDirectory()) {
    throw new SuyuanError('CONFORMANCE_BUNDLE_INVALID', `文档包不是目录 ${bundle} / the bundle is not a folder`, { detail: { bundle } });
  }
  let platform: string | undefined;
  const manifest = join(bundle, 'bundle.json');
  if (existsSync(manifest)) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch (cause) {
      throw new SuyuanError('CONFORMANCE_BUNDLE_INVALID', 'bundle.json is not JSON', { cause, detail: { file: 'bundle.json' } });
    }
    if (isJsonObject(data) && typeof data.platform === 'string') platform = data.platform;
  }
  const items: Item[] = [];
  for (const entry of readdirSync(bundle, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile() && entry.name !== 'bundle.json' && EPCIS_FILE.test(entry.name)) items.push({ file: join(bundle, entry.name) });
    if (entry.isDirectory()) {
      if (!adapters.some((a) => a.manifest.id === entry.name && a.manifest.inbound)) {
        throw new SuyuanError('CONFORMANCE_BUNDLE_INVALID', `没有接收消息的适配器 ${entry.name} / the folder ${entry.name} names no inbound adapter`, {
          detail: { folder: entry.name, adapters: adapters.filter((a) => a.manifest.inbound).map((a) => a.manifest.id) },
        });
      }
      for (const f of readdirSync(join(bundle, entry.name)).sort()) items.push({ file: join(bundle, entry.name, f), adapter: entry.name });
    }
  }
  if (items.length === 0) throw new SuyuanError('CONFORMANCE_BUNDLE_INVALID', `文档包为空 ${bundle} / the bundle holds no document`, { detail: { bundle } });
  return { platform, items };
}

const withoutContext = (e: unknown): unknown => {
  if (!isJsonObject(e)) return e;
  const { '@context': _c, ...rest } = e;
  return rest;
};

export async function runDocuments(options: DocumentRunOptions): Promise<ConformanceReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { suite, standards } = options;
  const adapters = options.adapters ?? [];
  const { platform, items } = listBundle(options.bundle, adapters);
  const index = new RequirementIndex(suite.requirements);
  const findings: Finding[] = [];
  const base = suite.subjects[0];
  if (!base) throw new SuyuanError('INTERNAL', 'a suite has its base subject');
  const subjectOf = (event: unknown): { subject: string; version: string } => {
    const category = isJsonObject(event) ? event['sy:category'] : undefined;
    return suite.subjects.find((s) => s.profile !== undefined && s.profile === category) ?? base;
  };
  const add = (requirement: string, subjectOf: string, verdict: 'pass' | 'fail', evidence: string, path?: string): void => {
    findings.push({ requirement, subjectOf, verdict, evidence, ...(path === undefined ? {} : { path }) });
  };

  /** Checks the events of one EPCIS document (JSON-LD form) read from `name`. */
  const checkEvents = (name: string, document: Record<string, unknown>, eventPointer: (i: number) => string): void => {
    const events = epcisEventList(document);
    const context = document['@context'];
    const hashes: string[] = [];
    events.forEach((event, i) => {
      const at = eventPointer(i);
      const { subject, version } = subjectOf(event);
      const standard = `${subject}@${version}`;
      const type = isJsonObject(event) && typeof event.type === 'string' ? event.type : 'document';
      const problems: Problem[] = [...standards.validate(subject, version, withoutContext(event)).problems];
      // An event naming a category whose profile the suite leaves out is still held to that profile (as the suite's cases are).
      const category = isJsonObject(event) ? event['sy:category'] : undefined;
      if (subject === base.subject && typeof category === 'string' && standards.catalog.subjects().includes(`profile.${category}`)) {
        const known = new Set(problems.map((p) => `${p.code}|${p.path}`));
        problems.push(...standards.validate(`profile.${category}`, 'latest', withoutContext(event)).problems.filter((p) => !known.has(`${p.code}|${p.path}`)));
      }
      const failed = new Set<string>();
      for (const p of problems) {
        const req = index.forProblem(standard, type, p);
        failed.add(req);
        add(req, `${name}${at}`, 'fail', `${p.code}: ${p.message}`, `${at}${p.path}`);
      }
      for (const req of index.metBy(standard, type, withoutContext(event), failed)) add(req, `${name}${at}`, 'pass', problems.length === 0 ? 'valid' : 'carried without a problem');
      try {
        const hash = eventHash(event, { context });
        hashes.push(hash);
        add('document/identified', `${name}${at}`, 'pass', hash);
      } catch (error) {
        hashes.push('');
        const f = failureOf(error);
        add('document/identified', `${name}${at}`, 'fail', `${f.code}: ${f.message}`, `${at}${typeof f.detail.field === 'string' ? `/${f.detail.field}` : ''}`);
      }
    });
    try {
      const once = epcisXmlToJson(epcisJsonToXml(document));
      const back = epcisEventList(once);
      const twice = epcisEventList(epcisXmlToJson(epcisJsonToXml(once)));
      const backContext = once['@context'];
      const problems: string[] = [];
      if (back.length !== events.length) problems.push(`${events.length} events became ${back.length}`);
      back.forEach((e, i) => {
        const hash = eventHash(e, { context: backContext });
        if (hashes[i] && hash !== hashes[i]) problems.push(`${eventPointer(i)}: hash ${hashes[i]} became ${hash}`);
      });
      problems.push(...jsonDifferences(back.map(withoutContext), twice.map(withoutContext)).map((d) => `second trip: ${d}`));
      if (problems.length === 0) add('document/round-trip', name, 'pass', `${events.length} events, equal hashes after JSON-LD → XML → JSON-LD`);
      else add('document/round-trip', name, 'fail', problems.slice(0, 10).join('; '));
    } catch (error) {
      const f = failureOf(error);
      add('document/round-trip', name, 'fail', `${f.code}: ${f.message}`, typeof f.detail.path === 'string' ? f.detail.path : undefined);
    }
  };

  for (const item of items) {
    const name = relative(options.bundle, item.file);
    const bytes = readFileSync(item.file);
    if (item.adapter === undefined) {
      let parsed: EpcisParsed;
      try {
        parsed = epcisFormat.parse(bytes.toString('utf8')) as EpcisParsed;
      } catch (error) {
        const f = failureOf(error);
        add('document/readable', name, 'fail', `${f.code}: ${f.message}`, typeof f.detail.path === 'string' ? f.detail.path : undefined);
        continue;
      }
      add('document/readable', name, 'pass', `EPCIS 2.0 ${parsed.syntax}`);
      const origins = parsed.origins;
      checkEvents(name, parsed.document, (i) => origins?.[i]?.path ?? eventListPointer(parsed.document, i));
      continue;
    }
    const adapter = adapters.find((a) => a.manifest.id === item.adapter) as LoadedAdapter;
    if (!options.evaluator) throw new SuyuanError('INTERNAL', 'department messages need a mapping evaluator');
    let outcome;
    try {
      const plan = inboundPlan(adapter, chooseMessage(adapter, sniffHints(adapter, bytes, { fileName: basename(item.file) })));
      outcome = await runMessage(new Uint8Array(bytes), plan, { standards, evaluator: options.evaluator, provenance: new MemoryProvenance(), events: new MemoryEventSink(), now }, `conformance:${name}`);
    } catch (error) {
      const f = failureOf(error);
      add('document/readable', name, 'fail', `${f.code}: ${f.message}`);
      continue;
    }
    if (outcome.error) {
      add('document/readable', name, 'fail', `${outcome.error.code}: ${outcome.error.message}`);
      continue;
    }
    add('document/readable', name, 'pass', `${item.adapter}: ${outcome.records.length} records`);
    for (const r of outcome.records) {
      if (r.error && r.problems.length === 0) {
        const inner = typeof r.error.detail.problem === 'string' ? ` (${r.error.detail.problem})` : '';
        add('document/readable', `${name} record ${r.index}`, 'fail', `${r.error.code}${inner}: ${r.error.message}`, r.position.path);
      }
      for (const p of r.problems) add('document/readable', `${name} record ${r.index}`, 'fail', `${p.code}: ${p.message}${p.source ? ` (${p.source})` : ''}`, `${r.position.path}${p.path}`);
    }
    const events = outcome.records.flatMap((r) => r.events.map((e) => e.event));
    if (events.length > 0) {
      const document = { '@context': [GS1_CONTEXT, STANDARD_CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: startedAt.toISOString(), epcisBody: { eventList: events } };
      checkEvents(name, document, (i) => `/epcisBody/eventList/${i}`);
    }
  }
  return buildReport({
    platform: options.platform ?? platform ?? basename(options.bundle), mode: 'document', target: basename(options.bundle), suite,
    extra: documentRequirements(suite), findings, directionOf: () => 'sends', startedAt, finishedAt: now(),
  });
}

function epcisEventList(document: Record<string, unknown>): unknown[] {
  const body = isJsonObject(document.epcisBody) ? document.epcisBody : {};
  if (Array.isArray(body.eventList)) return body.eventList;
  const results = isJsonObject(body.queryResults) && isJsonObject(body.queryResults.resultsBody) ? body.queryResults.resultsBody : {};
  return Array.isArray(results.eventList) ? results.eventList : [];
}

const eventListPointer = (document: Record<string, unknown>, i: number): string =>
  isJsonObject(document.epcisBody) && Array.isArray(document.epcisBody.eventList) ? `/epcisBody/eventList/${i}` : `/epcisBody/queryResults/resultsBody/eventList/${i}`;
