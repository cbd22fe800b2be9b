/**
 * The console's conformance page in a real headless Chromium against a real hub: a certifier starts a
 * run against a conforming stand-in EPCIS platform, sees it pass with every requirement's verdict,
 * issues a certificate, sees it listed as valid, revokes it with a reason and sees it listed as
 * revoked (and in the hub's signed revocation list); an operator's key is not shown the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadStandards } from '../src/standards/index.ts';
import { chromiumAvailable, launchChromium } from './helpers/chromium.ts';
import { startPlatform, type Platform } from './helpers/epcis-platform.ts';
import { startRecallPlatform } from './helpers/soap-recall-platform.ts';

const available = chromiumAvailable();

let app: App;
let base: string;
let dataDir: string;
let platform: Platform;
let certifier: string;
let operator: string;
let admin: string;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
/** Every console error and page error, over the whole run. */
const errors: string[] = [];

/** Signs in from a fresh browser context (no cookie, nothing remembered). */
async function signIn(key: string): Promise<void> {
  await context?.close();
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await page.goto(`${base}/console`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').waitFor();
}

describe.skipIf(!available)('the conformance page in Chromium', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-console-conformance-'));
    app = await createApp(loadConfig({ port: 0, dataDir, logLevel: 'silent', mappingWorkers: 0 }, {}));
    base = (await app.listen()).url;
    platform = await startPlatform(await loadStandards());
    certifier = (await app.keys.create({ name: '认证机构 Li', roles: ['certifier'] })).key;
    operator = (await app.keys.create({ name: '值班员 Wang', roles: ['operator'] })).key;
    admin = (await app.keys.create({ name: '管理员 Zhao', roles: ['admin'] })).key;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a certifier run the suite against a platform, issue a certificate and revoke it', async () => {
    await signIn(certifier);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Conformance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
    await expect.poll(() => page.locator('#conf-runs-title + p').textContent()).toBe('No runs yet.');

    await page.getByLabel('Endpoint URL').fill(platform.url);
    await page.getByLabel('Profiles (comma separated, optional)').fill('drugs');
    await page.getByLabel('Platform name (optional)').fill('某追溯平台 stand-in');
    await page.getByRole('button', { name: 'Start run' }).click();

    // The run's report: passed, every requirement with a verdict and evidence, the levels per profile and direction.
    await page.getByRole('heading', { level: 1, name: 'Report: 某追溯平台 stand-in' }).waitFor({ timeout: 120_000 });
    expect(await page.locator('#conf-verdict').textContent()).toBe('passed');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('某追溯平台 stand-in passed.');
    const rows = page.locator('#conf-requirements tbody tr');
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await page.locator('#conf-requirements tbody tr[data-verdict="fail"]').count()).toBe(0);
    const passing = page.locator('#conf-requirements tbody tr[data-verdict="pass"]').first();
    expect(await passing.locator('td').nth(2).textContent()).toBe('pass');
    expect((await passing.locator('ul.evidence li').first().textContent())?.length).toBeGreaterThan(5);
    const levels = await page.locator('#conf-levels tbody tr').allTextContents();
    expect(levels.some((l) => l.startsWith('drugs') && l.includes('reached'))).toBe(true);
    expect(levels.some((l) => l.startsWith('base') && l.includes('reached'))).toBe(true);
    const htmlLink = page.getByRole('link', { name: 'The report as a page' });
    const html = await page.evaluate(async (href) => (await fetch(href as string)).text(), await htmlLink.getAttribute('href'));
    expect(html).toContain('某追溯平台 stand-in');

    // Issue a certificate from the passing run, valid for 30 days.
    await page.getByLabel('Valid for (days)').fill('30');
    await page.getByRole('button', { name: 'Issue certificate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Certificate [0-9a-f-]{36} issued\.$/);
    const serial = /Certificate (\S+) issued/.exec((await page.getByRole('status').textContent()) ?? '')?.[1] ?? '';

    // The run is listed with its verdict counts; the certificate as valid, expiring in 30 days.
    const run = page.locator('#conf-runs tbody tr');
    await expect.poll(() => run.count()).toBe(1);
    expect(await run.locator('th').textContent()).toBe('某追溯平台 stand-in');
    await expect.poll(() => run.locator('[data-figure="counts"]').textContent()).toMatch(/^\d+ pass · 0 fail · \d+ untested$/);
    const cert = page.locator(`#conf-certificates tr[data-serial="${serial}"]`);
    await expect.poll(() => cert.locator('[data-figure="status"]').textContent()).toBe('valid');
    const expires = await cert.locator('td time').nth(1).getAttribute('datetime');
    expect(Math.round((Date.parse(expires ?? '') - Date.now()) / 86_400_000)).toBe(30);

    // Revoking asks for a reason; with one, the certificate is listed as revoked and is in the signed list.
    const reason = cert.getByLabel(`Reason to revoke ${serial}`);
    await cert.getByRole('button', { name: `Revoke ${serial}` }).click();
    expect(await reason.evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing)).toBe(true);
    await reason.fill('   ');
    await cert.getByRole('button', { name: `Revoke ${serial}` }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Say why the certificate is revoked.');
    expect(await cert.locator('[data-figure="status"]').textContent()).toBe('valid');
    await cert.getByLabel(`Reason to revoke ${serial}`).fill('平台改版后未重新测试 / changed without a new run');
    await cert.getByRole('button', { name: `Revoke ${serial}` }).click();
    await expect.poll(() => page.locator(`#conf-certificates tr[data-serial="${serial}"] [data-figure="status"]`).textContent()).toMatch(/^revoked /);
    expect(await page.getByRole('status').textContent()).toBe(`Certificate ${serial} is revoked.`);
    const list = JSON.parse(await (await fetch(`${base}/v1/conformance/revocations`)).text()) as { revocations?: { revoked: Array<{ serial: string; reason: string }> } };
    expect(JSON.stringify(list)).toContain(serial);
    expect(JSON.stringify(list)).toContain('changed without a new run');

    // The page speaks Chinese too.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '符合性认证' }).waitFor();
    await expect.poll(() => page.locator(`#conf-certificates tr[data-serial="${serial}"] [data-figure="status"]`).textContent()).toMatch(/^已撤销 /);
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
    await signOut();
  }, 180_000);

  it('shows a run that did not pass with the failing requirements first and issues nothing from it', async () => {
    const flawed = await startPlatform(await loadStandards(), { acceptInvalid: true });
    try {
      await signIn(certifier);
      await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
      await page.getByLabel('Endpoint URL').fill(flawed.url);
      await page.getByLabel('Platform name (optional)').fill('lax platform');
      await page.getByRole('button', { name: 'Start run' }).click();
      await page.getByRole('heading', { level: 1, name: 'Report: lax platform' }).waitFor({ timeout: 120_000 });
      expect(await page.locator('#conf-verdict').textContent()).toBe('not passed');
      await expect.poll(() => page.getByRole('status').textContent()).toBe('lax platform did not pass.');
      const first = page.locator('#conf-requirements tbody tr').first();
      expect(await first.getAttribute('data-verdict')).toBe('fail');
      expect(await first.locator('ul.evidence li').first().textContent()).toMatch(/^fail /);
      expect(await page.locator('#conf-no-issue').textContent()).toBe('The run did not pass: it earns no certificate.');
      expect(await page.getByRole('button', { name: 'Issue certificate' }).count()).toBe(0);
      await page.getByRole('link', { name: '← Conformance' }).click();
      const lax = page.locator('#conf-runs tbody tr', { hasText: 'lax platform' });
      await expect.poll(() => lax.locator('td').nth(3).textContent()).toBe('not passed');
      await expect.poll(() => lax.locator('[data-figure="counts"]').textContent()).toMatch(/^\d+ pass · [1-9]\d* fail · \d+ untested$/);
      await signOut();
    } finally {
      await flawed.close();
    }
  }, 180_000);

  it('does not show the page to an operator\'s key', async () => {
    await signIn(operator);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Feeds' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Conformance' }).count()).toBe(0);
    await page.evaluate(() => { (globalThis as any).location.hash = '#/conformance'; });
    await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
    expect(await page.getByText('Conformance is for certifiers.').isVisible()).toBe(true);
    expect(await page.locator('#conf-run-form').count()).toBe(0);
    await signOut();
  });

  it('shows the page to an admin\'s key, with the runs and certificates', async () => {
    await signIn(admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conformance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
    await expect.poll(() => page.locator('#conf-runs tbody tr').count()).toBe(2);
    await expect.poll(() => page.locator('#conf-certificates tbody tr[data-status="revoked"]').count()).toBe(1);
    await signOut();
  });

  it('runs a hospital\'s SOAP recall service through its adapter, showing what does not apply and why', async () => {
    const credentials = { user: 'console-hub', password: 'console-recall-pw-3' };
    const saved = [process.env.HOSPITAL_RECALL_USER, process.env.HOSPITAL_RECALL_PASSWORD];
    process.env.HOSPITAL_RECALL_USER = credentials.user;
    process.env.HOSPITAL_RECALL_PASSWORD = credentials.password;
    const hospital = await startRecallPlatform(credentials);
    try {
      await signIn(certifier);
      await page.getByRole('heading', { level: 1, name: 'Conformance' }).waitFor();
      await page.getByLabel('Standard (subject@version)').fill('notice.recall@1');
      await page.getByLabel('Endpoint URL').fill(hospital.url);
      await page.getByLabel('SOAP service of adapter (optional)').fill('hospital-procurement');
      await page.getByLabel('Platform name (optional)').fill('某医院 hospital');
      await page.getByRole('button', { name: 'Start run' }).click();
      await page.getByRole('heading', { level: 1, name: 'Report: 某医院 hospital' }).waitFor({ timeout: 120_000 });
      expect(await page.locator('#conf-verdict').textContent()).toBe('passed');
      const soap = page.locator('#conf-requirements tbody tr[data-requirement="interface/soap/client-fault"]');
      expect(await soap.getAttribute('data-verdict')).toBe('pass');
      expect(await soap.locator('ul.evidence li').first().textContent()).toContain('fault Client');
      const paging = page.locator('#conf-requirements tbody tr[data-requirement="interface/query/paging"]');
      expect(await paging.getAttribute('data-verdict')).toBe('not-applicable');
      expect(await paging.locator('td').nth(2).textContent()).toBe('not applicable');
      expect(await paging.locator('td').nth(3).textContent()).toContain('hospital-recall.wsdl has no query operation');
      await signOut();
    } finally {
      await hospital.close();
      [process.env.HOSPITAL_RECALL_USER, process.env.HOSPITAL_RECALL_PASSWORD] = saved;
      if (saved[0] === undefined) delete process.env.HOSPITAL_RECALL_USER;
      if (saved[1] === undefined) delete process.env.HOSPITAL_RECALL_PASSWORD;
    }
  }, 180_000);

  it('loads without a console error', () => {
    expect(errors).toEqual([]);
  });
});
