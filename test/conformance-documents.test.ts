/** The conformance suite as generated from the standard, and document mode on good and bad bundles. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapters } from '../src/adapters/manifest.ts';
import { generateSuite, reportDigest, reportHtml, runDocuments, type Suite } from '../src/conformance/index.ts';
import { epcisJsonToXml } from '../src/formats/epcis/index.ts';
import { MappingEngine } from '../src/mapping/index.ts';
import { loadStandards, REPO_ROOT, type Standards } from '../src/standards/index.ts';
import { caught } from './helpers/caught.ts';
import { runCli } from './helpers/cli.ts';

let standards: Standards;
let suite: Suite;
let dir: string;
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { sy: 'https://standards.suyuan.dev/ns/' }];
const epcis = (events: unknown[]) => ({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-05-01T00:00:00Z', epcisBody: { eventList: events } });
const examples = (subject: string): Array<Record<string, unknown>> => {
  const folder = join(REPO_ROOT, 'standards', subject, '1.0.0', 'examples', 'valid');
  return readdirSync(folder).sort().map((f) => {
    const { '@context': _c, ...event } = JSON.parse(readFileSync(join(folder, f), 'utf8')) as Record<string, unknown>;
    return event;
  });
};
const bundle = (name: string, files: Record<string, string>): string => {
  const at = join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(at, file, '..'), { recursive: true });
    writeFileSync(join(at, file), text);
  }
  return at;
};

beforeAll(async () => {
  standards = await loadStandards();
  suite = generateSuite(standards, 'trace.event@1.0.0', { profiles: ['drugs', 'imported-food-wine'] });
  dir = mkdtempSync(join(tmpdir(), 'suyuan-conformance-docs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the suite of a standard version', () => {
  it('covers the base subject and the chosen profiles with every kind of requirement', () => {
    expect(suite.standard).toBe('trace.event@1.0.0');
    expect(suite.subjects.map((s) => s.subject)).toEqual(['trace.event', 'profile.drugs', 'profile.imported-food-wine']);
    const kinds = new Set(suite.requirements.map((r) => r.kind));
    for (const k of ['minimal', 'field', 'alternative', 'identifier', 'rule', 'example']) expect(kinds).toContain(k);
    for (const type of ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']) {
      expect(suite.cases.some((c) => c.id === `trace.event@1.0.0/${type}/minimal#happy`)).toBe(true);
    }
    expect(suite.cases.find((c) => c.id === 'trace.event@1.0.0/ObjectEvent/rule/event-not-after-record-time#fail')?.code).toBe('RULE_EVENT_AFTER_RECORD_TIME');
    expect(suite.cases.find((c) => c.id === 'profile.drugs@1.0.0/ObjectEvent/identifier/sy:operator/USCC_CHECK#fail')?.code).toBe('USCC_CHECK');
    for (const r of suite.requirements) expect(r.title.zh.length > 0 && r.title.en.length > 0).toBe(true);
  });

  it('labels every case as the standard judges it, and the minimal cases carry no optional member', () => {
    for (const c of suite.cases) {
      const result = standards.validate(c.subject, c.version, c.document);
      if (c.expect === 'valid') expect(result.problems, c.id).toEqual([]);
      else expect(result.problems.some((p) => p.code === c.code && p.path === c.path), c.id).toBe(true);
    }
    const minimal = suite.cases.filter((c) => c.id.endsWith('/minimal#happy'));
    expect(minimal.length).toBeGreaterThanOrEqual(8);
    for (const c of minimal) {
      for (const key of Object.keys(c.document as object).filter((k) => k !== 'type')) {
        const { [key]: _gone, ...rest } = c.document as Record<string, unknown>;
        expect(standards.validate(c.subject, c.version, rest).valid, `${c.id} without ${key}`).toBe(false);
      }
    }
    const vehicle = suite.cases.filter((c) => c.requirement === 'trace.event@1.0.0/ObjectEvent/field/sy:vehicle').map((c) => c.expect);
    expect(vehicle).toEqual(['valid', 'invalid']);
  });

  it('refuses a profile the standard version does not have', () => {
    expect(caught(() => generateSuite(standards, 'trace.event@1.0.0', { profiles: ['spaceships'] })).code).toBe('CONFORMANCE_PROFILE_UNKNOWN');
  });
});

describe('document mode', () => {
  const adapters = () => loadAdapters(standards, REPO_ROOT);
  const customs = join(REPO_ROOT, 'adapters/customs/fixtures/inbound/import-declaration');

  it('passes a good bundle of JSON-LD, XML and a department message through its adapter, and names the levels reached', async () => {
    const drugs = examples('profile.drugs');
    const at = bundle('good', {
      'bundle.json': JSON.stringify({ platform: '某药品追溯平台 / a drug trace platform' }),
      'drugs.jsonld': JSON.stringify(epcis(drugs.slice(0, 3))),
      'drugs.xml': epcisJsonToXml(epcis(drugs.slice(3))),
    });
    mkdirSync(join(at, 'customs'));
    copyFileSync(join(customs, 'bordeaux-wine-zhangjiagang.input.xml'), join(at, 'customs', 'bordeaux-wine-zhangjiagang.xml'));
    const report = await runDocuments({ standards, suite, bundle: at, adapters: adapters(), evaluator: new MappingEngine() });
    expect(report.failed).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.platform).toBe('某药品追溯平台 / a drug trace platform');
    const verdict = (id: string) => report.requirements.find((r) => r.id === id)?.verdict;
    expect(verdict('document/readable')).toBe('pass');
    expect(verdict('document/identified')).toBe('pass');
    expect(verdict('document/round-trip')).toBe('pass');
    expect(verdict('profile.drugs@1.0.0/ObjectEvent/field/sy:vehicle')).toBe('pass');
    const certified = report.levels.filter((l) => l.certified).map((l) => `${l.profile ?? 'base'}/${l.direction}`);
    expect(certified).toEqual(['drugs/sends', 'imported-food-wine/sends']);
    expect(report.digest).toBe(reportDigest(report));
  });

  it('names exactly the requirements a bad bundle fails, with the document, the path and the reason', async () => {
    const drugs = examples('profile.drugs');
    const bad = structuredClone(drugs);
    (bad[5] as Record<string, unknown>)['sy:vehicle'] = '';
    (bad[5] as Record<string, unknown>)['sy:operator'] = '91320104MA1P0R7MXA';
    const at = bundle('bad', { 'drugs.json': JSON.stringify(epcis(bad)), 'broken.xml': '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><unclosed>' });
    mkdirSync(join(at, 'customs'));
    copyFileSync(join(customs, 'consignee-uscc-check.input.xml'), join(at, 'customs', 'consignee-uscc-check.xml'));
    const report = await runDocuments({ standards, suite, bundle: at, adapters: adapters(), evaluator: new MappingEngine() });
    expect(report.passed).toBe(false);
    expect(report.failed).toEqual([
      'document/readable',
      'profile.drugs@1.0.0/ObjectEvent/field/sy:vehicle',
      'profile.drugs@1.0.0/ObjectEvent/identifier/sy:operator/USCC_CHECK',
    ]);
    const evidence = report.requirements.find((r) => r.id === 'profile.drugs@1.0.0/ObjectEvent/field/sy:vehicle')?.evidence.find((e) => e.verdict === 'fail');
    expect(evidence?.path).toBe('/epcisBody/eventList/5/sy:vehicle');
    expect(evidence?.evidence).toMatch(/^SCHEMA_BOUNDS/);
    const readable = report.requirements.find((r) => r.id === 'document/readable')?.evidence.filter((e) => e.verdict === 'fail').map((e) => e.evidence.split(':')[0]);
    expect(readable).toEqual(['PARSE_XML', 'MAPPING_FAILED (USCC_CHECK)']);
    const html = reportHtml(report);
    expect(html).toContain('符合性检测报告 / Conformance report');
    expect(html).toContain('/epcisBody/eventList/5/sy:vehicle');
  });

  it('refuses a bundle that is not a folder, is empty, or names an unknown adapter', async () => {
    const run = (b: string) => runDocuments({ standards, suite, bundle: b, adapters: adapters() });
    await expect(run(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'CONFORMANCE_BUNDLE_INVALID' });
    mkdirSync(join(dir, 'empty'));
    await expect(run(join(dir, 'empty'))).rejects.toMatchObject({ code: 'CONFORMANCE_BUNDLE_INVALID' });
    mkdirSync(join(dir, 'stranger', 'no-such-adapter'), { recursive: true });
    await expect(run(join(dir, 'stranger'))).rejects.toMatchObject({ code: 'CONFORMANCE_BUNDLE_INVALID' });
  });

  it('runs from the CLI, writing the JSON and HTML reports, and exits 1 on a failing bundle', async () => {
    const out = join(dir, 'cli.json');
    const html = join(dir, 'cli.html');
    const result = await runCli(['conformance', 'run', '--standard', 'trace.event@1.0.0', '--profile', 'drugs', '--bundle', join(dir, 'bad'), '--out', out, '--html', html]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL profile.drugs@1.0.0/ObjectEvent/identifier/sy:operator/USCC_CHECK');
    const report = JSON.parse(readFileSync(out, 'utf8')) as { passed: boolean; digest: string };
    expect(report.passed).toBe(false);
    expect(readFileSync(html, 'utf8')).toContain(report.digest);
  });
});
