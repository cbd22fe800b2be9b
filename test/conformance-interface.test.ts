/**
 * Interface mode against stand-in platforms — one that conforms, and ones that break chosen rules —
 * and the certificates a passing run earns: issued by a certifier through the API, verified offline,
 * refused after any single changed byte, reported as revoked once revoked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { generateSuite, readPublicKey, runInterface, verifyCertificate, type ConformanceReport, type Suite } from '../src/conformance/index.ts';
import { loadConfig } from '../src/config.ts';
import { loadStandards, type Standards } from '../src/standards/index.ts';
import { caught } from './helpers/caught.ts';
import { runCli } from './helpers/cli.ts';
import { startPlatform, type PlatformFlaws } from './helpers/epcis-platform.ts';

const ADMIN = 'conformance-test-admin-key-01';
let standards: Standards;
let suite: Suite;
let good: ConformanceReport;
let dir: string;

const run = async (flaws: PlatformFlaws): Promise<ConformanceReport> => {
  const platform = await startPlatform(standards, flaws);
  try {
    return await runInterface({ suite, endpoint: platform.url, platform: 'stand-in' });
  } finally {
    await platform.close();
  }
};
const failedInterface = (r: ConformanceReport) => r.failed.filter((id) => id.startsWith('interface/')).sort();

beforeAll(async () => {
  standards = await loadStandards();
  suite = generateSuite(standards, 'trace.event@1.0.0', { profiles: ['drugs'] });
  dir = mkdtempSync(join(tmpdir(), 'suyuan-conformance-if-'));
  good = await run({});
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('interface mode', () => {
  it('passes a platform that conforms, in both directions, for the base subject and the profile', () => {
    expect(good.failed).toEqual([]);
    expect(good.passed).toBe(true);
    for (const id of ['interface/capture/accepts-valid', 'interface/capture/refuses-invalid', 'interface/capture/error-body', 'interface/query/returns-stored', 'interface/query/paging', 'interface/capture/duplicate-once']) {
      expect(good.requirements.find((r) => r.id === id)?.verdict, id).toBe('pass');
    }
    const certified = good.levels.filter((l) => l.certified).map((l) => `${l.profile ?? 'base'}/${l.direction}`).sort();
    expect(certified).toEqual(['base/receives', 'base/sends', 'drugs/receives', 'drugs/sends']);
  });

  it('names exactly the rules a platform breaks', async () => {
    const broken = await run({ acceptInvalid: true, loseField: 'sy:vehicle', pageWrong: true, storeDuplicates: true });
    expect(broken.passed).toBe(false);
    expect(failedInterface(broken)).toEqual([
      'interface/capture/duplicate-once', 'interface/capture/refuses-invalid', 'interface/query/paging', 'interface/query/returns-stored',
    ]);
    // Every case requirement that fails is one whose invalid case was accepted.
    const invalidCases = new Set(suite.cases.filter((c) => c.expect === 'invalid').map((c) => c.requirement));
    for (const id of broken.failed.filter((f) => !f.startsWith('interface/'))) expect(invalidCases.has(id), id).toBe(true);
    const lost = broken.requirements.find((r) => r.id === 'interface/query/returns-stored')?.evidence.filter((e) => e.verdict === 'fail') ?? [];
    expect(lost.length).toBeGreaterThan(0);
    for (const e of lost) expect(e.evidence).toContain('/sy:vehicle');
    expect(broken.levels.filter((l) => l.certified)).toEqual([]);
  }, 120_000);

  it.each([
    [{ loseField: 'sy:vehicle' }, ['interface/query/returns-stored']],
    [{ pageWrong: true }, ['interface/query/paging']],
    [{ storeDuplicates: true }, ['interface/capture/duplicate-once']],
  ] as const)('one flaw, one failing rule: %o', async (flaws, expected) => {
    const report = await run(flaws);
    expect(report.failed).toEqual(expected);
  }, 120_000);

  it('one flaw, one failing interface rule: accepting what the standard refuses fails exactly the invalid cases', async () => {
    const report = await run({ acceptInvalid: true });
    expect(failedInterface(report)).toEqual(['interface/capture/refuses-invalid']);
    const invalid = [...new Set(suite.cases.filter((c) => c.expect === 'invalid').map((c) => c.requirement))].sort();
    expect(report.failed.filter((id) => !id.startsWith('interface/')).sort()).toEqual(invalid);
  }, 120_000);

  it('runs from the CLI against an endpoint, writing the report', async () => {
    const platform = await startPlatform(standards, { pageWrong: true });
    try {
      const out = join(dir, 'endpoint.json');
      const result = await runCli(['conformance', 'run', '--standard', 'trace.event@1.0.0', '--profile', 'drugs', '--endpoint', platform.url, '--platform', 'cli stand-in', '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('FAIL interface/query/paging');
      const report = JSON.parse(readFileSync(out, 'utf8')) as ConformanceReport;
      expect(report.failed).toEqual(['interface/query/paging']);
      expect(report.platform).toBe('cli stand-in');
    } finally {
      await platform.close();
    }
  }, 120_000);

  it('says when the endpoint cannot be reached', async () => {
    const platform = await startPlatform(standards);
    await platform.close();
    await expect(runInterface({ suite, endpoint: platform.url })).rejects.toMatchObject({ code: 'CONFORMANCE_ENDPOINT_UNREACHABLE' });
  });
});

describe('certificates', () => {
  let app: App;
  let base: string;
  let certifier: string;
  let integrator: string;
  let certificate: string;
  let publicKey: string;
  const call = (path: string, key?: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    app = await createApp(loadConfig({ port: 0, dataDir: join(dir, 'hub'), adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0 }, {}));
    base = (await app.listen()).url;
    certifier = (await app.keys.create({ name: '认证机构 certifier', roles: ['certifier'] })).key;
    integrator = (await app.keys.create({ name: 'a platform', roles: ['integrator'], scopes: [] })).key;
  });
  afterAll(async () => { await app.close(); });

  it('is issued by a certifier from a passing run, and only from a passing one', async () => {
    expect((await call('/v1/conformance/runs', integrator, { method: 'POST', body: JSON.stringify({ report: good }) })).status).toBe(403);
    const kept = await call('/v1/conformance/runs', certifier, { method: 'POST', body: JSON.stringify({ report: good }) });
    expect(kept.status).toBe(201);
    const keptRun = (await kept.json()) as { id: string };
    const tampered = { ...good, platform: 'someone else' };
    const refused = await call('/v1/conformance/runs', certifier, { method: 'POST', body: JSON.stringify({ report: tampered }) });
    expect(((await refused.json()) as { code: string }).code).toBe('CERTIFICATE_INVALID');
    const failing = await run({ pageWrong: true });
    const keptFailing = (await (await call('/v1/conformance/runs', certifier, { method: 'POST', body: JSON.stringify({ report: failing }) })).json()) as { id: string };
    const notPassed = await call('/v1/conformance/certificates', certifier, { method: 'POST', body: JSON.stringify({ runId: keptFailing.id }) });
    expect(notPassed.status).toBe(409);
    expect(((await notPassed.json()) as { code: string }).code).toBe('CONFORMANCE_NOT_PASSED');
    const issued = await call('/v1/conformance/certificates', certifier, { method: 'POST', body: JSON.stringify({ runId: keptRun.id, days: 30 }) });
    expect(issued.status).toBe(201);
    certificate = await issued.text();
    const body = JSON.parse(certificate) as { certificate: { platform: string; standard: string; profiles: string[]; levels: unknown[]; reportDigest: string; expiresAt: string; issuedAt: string } };
    expect(body.certificate).toMatchObject({ platform: 'stand-in', standard: 'trace.event@1.0.0', profiles: ['base', 'drugs'], reportDigest: good.digest });
    expect(body.certificate.levels).toHaveLength(4);
    expect(Date.parse(body.certificate.expiresAt) - Date.parse(body.certificate.issuedAt)).toBe(30 * 86_400_000);
    const audit = await app.audit.list({ targetPrefix: 'certificate:' });
    expect(audit.map((a) => a.action)).toContain('conformance.issue');
  }, 120_000);

  it('runs a platform\'s endpoint from the hub for a certifier, and shows the report as a page', async () => {
    const platform = await startPlatform(standards);
    try {
      const answer = await call('/v1/conformance/runs', certifier, { method: 'POST', body: JSON.stringify({ standard: 'trace.event@1.0.0', endpoint: platform.url, profiles: ['drugs'], platform: '某平台 / a platform' }) });
      expect(answer.status).toBe(201);
      const summary = (await answer.json()) as { id: string; passed: boolean; digest: string };
      expect(summary.passed).toBe(true);
      const page = await call(`/v1/conformance/runs/${summary.id}?format=html`, certifier);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('符合性检测报告 / Conformance report');
      expect(html).toContain(summary.digest);
      expect(html).toContain('interface/query/paging');
      const runs = (await (await call('/v1/conformance/runs', certifier)).json()) as { runs: Array<{ id: string }> };
      expect(runs.runs.map((r) => r.id)).toContain(summary.id);
      expect((await call(`/v1/conformance/runs/${summary.id}`, integrator)).status).toBe(403);
    } finally {
      await platform.close();
    }
  }, 120_000);

  it('verifies offline with the published key, and fails after any single changed byte', async () => {
    const keyAnswer = await call('/v1/conformance/key');
    expect(keyAnswer.status).toBe(200);
    publicKey = await keyAnswer.text();
    const key = readPublicKey(publicKey);
    expect(verifyCertificate(certificate, key).status).toBe('valid');
    const bytes = Buffer.from(certificate, 'utf8');
    let accepted = 0;
    for (let i = 0; i < bytes.length; i += 1) {
      const changed = Buffer.from(bytes);
      changed[i] = changed[i] === 0x30 ? 0x31 : 0x30;
      try {
        verifyCertificate(changed.toString('utf8'), key);
        accepted += 1;
      } catch {
        // refused, as it must be
      }
    }
    expect(accepted).toBe(0);
    expect(caught(() => verifyCertificate(certificate.replace('"platform":"stand-in"', '"platform":"stand-im"'), key)).code).toBe('CERTIFICATE_INVALID');
  });

  it('is reported as revoked once a certifier revokes it, offline and through the CLI', async () => {
    const serial = (JSON.parse(certificate) as { certificate: { serial: string } }).certificate.serial;
    expect((await call(`/v1/conformance/certificates/${serial}/revoke`, integrator, { method: 'POST', body: JSON.stringify({ reason: 'x' }) })).status).toBe(403);
    const revoked = await call(`/v1/conformance/certificates/${serial}/revoke`, certifier, { method: 'POST', body: JSON.stringify({ reason: '平台数据造假 / falsified data' }) });
    expect(revoked.status).toBe(200);
    const published = await call(`/v1/conformance/certificates/${serial}`);
    expect(published.headers.get('x-revoked-at')).toBeTruthy();
    expect(await published.text()).toBe(certificate);
    const list = await (await call('/v1/conformance/revocations')).text();
    const result = verifyCertificate(certificate, readPublicKey(publicKey), { revocations: list });
    expect(result.status).toBe('revoked');
    expect(result.revocation?.reason).toBe('平台数据造假 / falsified data');
    expect(caught(() => verifyCertificate(certificate, readPublicKey(publicKey), { revocations: list.replace('falsified', 'fa1sified') })).code).toBe('CERTIFICATE_INVALID');
    const files = { cert: join(dir, 'cert.json'), key: join(dir, 'hub.pub.pem'), list: join(dir, 'revocations.json') };
    writeFileSync(files.cert, certificate);
    writeFileSync(files.key, publicKey);
    writeFileSync(files.list, list);
    const cli = await runCli(['conformance', 'verify', files.cert, '--key', files.key, '--revocations', files.list, '--data', join(dir, 'none')]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^REVOKED/);
    const exported = await runCli(['conformance', 'export', '--data', join(dir, 'hub')]);
    expect(exported.stdout).toBe(publicKey);
    const noList = await runCli(['conformance', 'verify', files.cert, '--key', files.key, '--data', join(dir, 'none')]);
    expect(noList.code).toBe(0);
    expect(noList.stdout).toMatch(/^VALID/);
    writeFileSync(files.cert, certificate.replace('trace.event@1.0.0', 'trace.event@1.0.1'));
    expect((await runCli(['conformance', 'verify', files.cert, '--key', files.key])).stderr).toContain('CERTIFICATE_INVALID');
    expect((await app.audit.list({ targetPrefix: `certificate:${serial}` })).map((a) => a.action)).toEqual(['conformance.revoke', 'conformance.issue']);
  }, 60_000);
});
