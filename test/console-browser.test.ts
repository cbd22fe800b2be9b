/**
 * The console in a real headless Chromium against a real hub on a loopback port: signing in, a feed's
 * figures changing as messages flow, a message's path, the playground, standards, and every page
 * loading without a console error and without one request leaving the hub.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { chromiumAvailable, launchChromium } from './helpers/chromium.ts';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const available = chromiumAvailable();
const FIXTURES = join(REPO_ROOT, 'adapters/drug-supervision/fixtures/inbound/production');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const drugFixture = (path: string): Buffer => readFileSync(join(REPO_ROOT, 'adapters/drug-supervision/fixtures/inbound', path));

let app: App;
let repo: TempRoot;
/** A department system that receives deliveries (the hub's adapter `dest-a` sends to it). */
let destination: Destination;
let base: string;
let dataDir: string;
let operator: string;
let integrator: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every console error (with the resource it names, if any), page error and request to anywhere but the hub, over the whole run. */
const errors: Array<{ text: string; url: string }> = [];
const outside: string[] = [];
/** APIs this hub does not have (answered "no route"): the console must cope; they are listed, not hidden. */
const absent = new Set<string>();

const push = async (body: Buffer, adapter = 'drug-supervision'): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${base}/v1/feeds/${adapter}/messages`, { method: 'POST', body, headers: { authorization: `Bearer ${integrator}`, 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
};

/** Opens a page of the console by its address's hash and waits for its heading. */
async function open(hash: string, heading: RegExp): Promise<void> {
  await page.evaluate((h) => { (globalThis as any).location.hash = h; }, hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

async function signIn(key: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

describe.skipIf(!available)('the console in Chromium', () => {
  beforeAll(async () => {
    destination = await startDestination();
    repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings', 'adapters']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/dest-a/adapter.json', destinationManifest('dest-a', destination.url));
    dataDir = mkdtempSync(join(tmpdir(), 'suyuan-console-browser-'));
    app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0, workers: true, deliveryRate: 1000 }, {}));
    base = (await app.listen()).url;
    operator = (await app.keys.create({ name: '值班员 Wang', roles: ['operator'] })).key;
    integrator = (await app.keys.create({ name: '药监 integrator', roles: ['integrator'], scopes: ['drug-supervision'] })).key;
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push({ text: `${page.url()}: ${m.text()}`, url: m.location().url }); });
    page.on('pageerror', (e) => errors.push({ text: `${page.url()}: ${e.message}`, url: '' }));
    context.on('request', (r) => { if (new URL(r.url()).origin !== base && !r.url().startsWith('data:')) outside.push(r.url()); });
    context.on('response', async (r) => {
      if (r.status() !== 404) return;
      const body = (await r.json().catch(() => ({}))) as { detail?: string };
      if (body.detail?.startsWith('no route')) absent.add(r.url());
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await destination?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    repo?.cleanup();
  });

  it('refuses an unknown key and signs in with a good one, in the language the browser asks for', async () => {
    await page.goto(`${base}/console`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByLabel('API key').fill('sy_not-a-key-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/unknown, revoked or expired/);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    // Refused keys are console errors of the browser's own (a 401 answer), not of the page.
    errors.length = 0;
    await signIn(operator);
    await page.getByRole('heading', { level: 1, name: 'Feeds' }).waitFor();
  });

  it('shows a feed\'s figures change as messages flow, and its recent messages live', async () => {
    await open('#/feeds', /^Feeds$/);
    const row = page.locator('#feeds-table tr[data-feed="drug-supervision"]');
    const total = row.locator('[data-figure="total"]');
    await expect.poll(() => total.textContent()).toBe('0');
    expect((await push(fixture('preparation-lot.input.json'))).status).toBe(202);
    expect((await push(fixture('two-lots-one-message.input.json'))).status).toBe(202);
    await expect.poll(() => total.textContent(), { timeout: 20_000 }).toBe('2');
    await expect.poll(() => row.locator('[data-figure="errorRatio"]').textContent()).toMatch(/^0(\.0)?%$/);
    expect((await push(fixture('rejected-bad-uscc-and-short-code.input.json'))).status).toBe(422);
    await expect.poll(() => total.textContent(), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => row.locator('[data-figure="errorRatio"]').textContent()).toBe('33.3%');

    await row.getByRole('link', { name: 'drug-supervision' }).click();
    await page.getByRole('heading', { level: 1, name: 'drug-supervision' }).waitFor();
    const recent = page.locator('#recent-messages tbody tr');
    await expect.poll(() => recent.count()).toBe(3);
    await push(fixture('tcm-material-with-origin.input.json'));
    await expect.poll(() => recent.count(), { timeout: 20_000 }).toBe(4);
    expect(await recent.first().textContent()).toContain('accepted');

    // Paused from the console, the feed refuses pushes until it is resumed.
    await open('#/feeds', /^Feeds$/);
    await row.getByRole('button', { name: 'Pause drug-supervision' }).click();
    await expect.poll(() => row.locator('td').first().textContent()).toBe('paused');
    const refused = await push(fixture('preparation-lot.input.json'));
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('FEED_PAUSED');
    await row.getByRole('button', { name: 'Resume drug-supervision' }).click();
    await expect.poll(() => row.locator('td').first().textContent()).not.toBe('paused');
    expect((await push(fixture('preparation-lot.input.json'))).status).toBe(202);
    await expect.poll(() => total.textContent(), { timeout: 20_000 }).toBe('5');
  });

  it('shows a message\'s whole path: every step with digests, sizes, mapping and schema versions, the error', async () => {
    const rejected = await push(fixture('rejected-bad-uscc-and-short-code.input.json'));
    const id = rejected.body.messageId as string;
    await open(`#/messages/${id}`, /Message/);
    const path = page.locator('#message-path tbody tr');
    await expect.poll(() => path.count()).toBeGreaterThan(5);
    const steps = await page.locator('#message-path tbody tr th').allTextContents();
    expect(steps.slice(0, 4)).toEqual(['receive', 'decode', 'parse', 'split']);
    expect(steps).toContain('validate');
    const text = await page.locator('#message-path').textContent();
    expect(text).toMatch(/drug-supervision[\w-]*@\d+\.\d+\.\d+/);
    expect(text).toMatch(/profile\.drugs@\d+\.\d+\.\d+/);
    expect(text).toContain('MAPPING_FAILED');
    const digest = await page.locator('#message-path tbody tr').first().locator('.digest').first().getAttribute('title');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('#message-status').textContent()).toMatch(/rejected|partly accepted/);
    expect(await page.getByRole('list').filter({ hasText: 'USCC_CHECK' }).count()).toBeGreaterThan(0);
    // Replayed, it runs again as a new message linked to this one (the same bytes, so the same problems).
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('link', { name: id }).waitFor();
    expect(page.url()).not.toContain(id);
    expect(await page.locator('#message-status').textContent()).toMatch(/rejected|partly accepted/);
    const replays = (await (await fetch(`${base}/v1/messages/${id}`, { headers: { authorization: `Bearer ${operator}` } })).json()) as any;
    expect(page.url()).toContain(replays.replays[0].id);
  });

  it('opens a dead letter, replays it once the destination takes messages again, and sees it delivered', async () => {
    destination.refusing = true;
    const subscribed = await fetch(`${base}/v1/subscriptions`, {
      method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subscriber: '省药监局 provincial drug administration', adapter: 'dest-a', filter: { categories: ['drugs'] } }),
    });
    expect(subscribed.status).toBe(201);
    expect((await push(fixture('api-gs1-with-expiry.input.json'))).status).toBe(202);

    await open('#/dead-letters', /Dead letters/);
    await page.getByLabel('Feed').fill('dest-a');
    const rows = page.locator('#dead-outbound tbody tr');
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForLoadState('networkidle');
      return rows.count();
    }, { timeout: 30_000 }).toBe(1);
    expect(page.url()).toContain('feed=dest-a');
    expect(await rows.first().textContent()).toContain('DELIVERY_REFUSED');
    expect(Date.parse((await rows.first().locator('time').getAttribute('datetime')) ?? '')).toBeGreaterThan(Date.now() - 600_000);
    // The same filter by another error code matches nothing.
    await page.getByLabel('Error code').fill('IO_FAILED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('#dl-out-title + p').textContent()).toBe('None.');
    await page.getByLabel('Error code').fill('DELIVERY_REFUSED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    // And by time: nothing died after tomorrow began; the filter travels in the address as an instant.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T00:00`;
    await page.getByLabel('From').fill(local);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('#dl-out-title + p').textContent()).toBe('None.');
    expect(decodeURIComponent(page.url())).toMatch(/since=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z/);
    await page.getByLabel('From').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows.count()).toBe(1);

    await rows.first().getByRole('button', { name: /^Inspect/ }).click();
    const letter = page.locator('#dl-letter');
    await expect.poll(() => letter.textContent()).toContain('DELIVERY_REFUSED');
    expect(await letter.textContent()).toContain('省药监局 provincial drug administration');
    expect(destination.processed.size).toBe(0);

    destination.refusing = false;
    await letter.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => page.locator('#dl-replays').textContent(), { timeout: 30_000 }).toContain('delivered');
    expect(destination.processed.size).toBe(1);
    const [delivered] = [...destination.processed.values()];
    expect(JSON.parse(delivered ?? '{}')).toMatchObject({ 'sy:category': 'drugs' });
    // The list shows the replay delivered too.
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Filter' }).click();
      return rows.first().textContent();
    }).toContain('delivered');
  });

  it('runs a mapping in the playground, live, with every problem', async () => {
    const keptCount = async (): Promise<number> => ((await (await fetch(`${base}/v1/messages?feed=drug-supervision`, { headers: { authorization: `Bearer ${operator}` } })).json()) as any).messages.length;
    const before = await keptCount();
    await open('#/playground', /Mapping playground/);
    await page.getByLabel('Adapter').selectOption('drug-supervision');
    await page.getByLabel('Sample').selectOption('production/preparation-lot');
    await expect.poll(() => page.locator('#pg-result').textContent(), { timeout: 20_000 }).toContain('Standard events (1)');
    expect(await page.locator('#pg-result').textContent()).toContain('No problems.');
    expect(JSON.parse((await page.locator('.pg-event').first().textContent()) ?? '{}').type).toBe('ObjectEvent');
    // Break the department's credit code while typing: the problem shows without pressing anything.
    const input = page.getByLabel('Message', { exact: true });
    const text = await input.inputValue();
    const uscc = /"[0-9A-HJ-NPQRTUWXY]{18}"/.exec(text)?.[0];
    expect(uscc).toBeDefined();
    await input.fill(text.replaceAll(uscc ?? '', '"91320000000000000X"'));
    await expect.poll(() => page.locator('#pg-problems').textContent(), { timeout: 20_000 }).toContain('USCC');
    // A department's own file, uploaded: GBK bytes sent as they are, its message type told by its name.
    await page.getByLabel('Adapter').selectOption('meat-vegetable-circulation');
    const upload = join(dataDir, '320583_TZ_20240315054000.csv');
    writeFileSync(upload, readFileSync(join(REPO_ROOT, 'adapters/meat-vegetable-circulation/fixtures/inbound/slaughter/one-lot-kunshan.input.csv')));
    await page.getByLabel('Upload a file').setInputFiles(upload);
    await expect.poll(() => page.locator('#pg-result').textContent(), { timeout: 20_000 }).toMatch(/accepted.*Message type: slaughter/);
    expect(await input.inputValue()).toContain('昆山市示例肉类加工有限公司');
    expect(await page.locator('#pg-result').textContent()).toContain('No problems.');
    // Nothing the playground ran was kept.
    expect(await keptCount()).toBe(before);
  });

  it('reads the standards: subjects, versions with their lifecycle, a version\'s documentation, a diff with its verdict', async () => {
    await open('#/standards', /Standards/);
    await page.getByRole('link', { name: 'trace.event' }).click();
    await page.getByRole('heading', { level: 1, name: 'trace.event', exact: true }).waitFor();
    expect(await page.getByRole('table').first().textContent()).toContain('published');
    await expect.poll(() => page.locator('.docs-host').evaluate((el: any) => el.shadowRoot?.textContent ?? '')).toContain('追溯事件');
    // A subject with two released versions: the diff between them, change by change, with both verdicts.
    await open('#/standards/adapter.manifest', /^adapter\.manifest$/);
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('1.0.0');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('1.1.0');
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page.locator('#diff-result').textContent()).toMatch(/From 1\.0\.0 to 1\.1\.0/);
    const verdicts = await page.locator('#diff-result .verdict li').allTextContents();
    expect(verdicts).toEqual(['Backward (new reads old): compatible', 'Forward (old reads new): incompatible']);
    expect(await page.locator('#diff-result .changes > li').count()).toBeGreaterThan(0);
    expect(page.url()).toContain('from=1.0.0');
  });

  it('looks up a trace: the chain as a picture of parties, places and times, and the recall impact', async () => {
    // The units made in the preparation lot are boxed, shipped by a wholesaler and received by a hospital pharmacy.
    for (const path of ['packaging/units-into-box.input.json', 'shipment/ship-and-receive-in-one-message.input.json']) expect((await push(drugFixture(path))).status).toBe(202);
    await open('#/trace', /Trace/);
    await page.getByLabel('Trace code').fill('86123470240315000017');
    await page.getByRole('button', { name: 'Look up' }).click();
    const picture = page.getByRole('img', { name: 'The chain of 86123470240315000017: 4 events' });
    await picture.waitFor();
    expect(page.url()).toContain('#/trace/86123470240315000017');
    expect(await picture.locator('g.event').count()).toBe(4);
    // One lane per party: the manufacturer, the wholesaler, the hospital.
    const lanes = await picture.locator('g.lane text').allTextContents();
    expect(lanes).toEqual(['91320706MA1MB2HW4P', '91321002MA1MYK3R91', '12320200466008311D']);
    expect(await picture.locator('line').count()).toBe(3);
    const steps = await page.locator('#trace-events tbody th').allTextContents();
    expect(steps).toEqual(['commissioning', 'packing', 'shipping', 'receiving']);
    const places = await page.locator('#trace-events tbody tr td:nth-child(4)').allTextContents();
    expect(places).toContain('urn:suyuan:loc:12320200466008311D:pharmacy');
    // Each event drawn with what happened, where (the site) and when.
    const drawn = await picture.locator('g.event text').allTextContents();
    expect(drawn).toEqual(expect.arrayContaining(['commissioning', 'plant', 'packing', 'line-3', 'shipping', 'dc-out', 'receiving', 'pharmacy']));
    expect(drawn.filter((x) => /\d{1,2}:\d{2}:\d{2}/.test(x))).toHaveLength(4);
    // The recall impact: the pharmacy received affected units, in Wuxi (320200).
    const recipients = page.locator('#recall-recipients tbody tr');
    await expect.poll(() => recipients.count()).toBeGreaterThan(0);
    expect(await page.locator('#recall-recipients').textContent()).toContain('12320200466008311D');
    expect(await page.locator('#recall-regions').textContent()).toContain('320200');
  });

  it('switches to Chinese and back, and remembers the choice', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '数据通道' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.reload();
    await page.getByRole('link', { name: '映射试验场' }).waitFor();
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('link', { name: 'Mapping playground' }).waitFor();
  });

  it('loads every page without a console error and without a request leaving the hub', async () => {
    const pages: Array<[string, RegExp]> = [
      ['#/feeds', /^Feeds$/], ['#/feeds/drug-supervision', /drug-supervision/], ['#/dead-letters', /Dead letters/],
      ['#/standards', /Standards/], ['#/standards/trace.event', /^trace\.event$/], ['#/playground', /Mapping playground/], ['#/trace', /Trace/], ['#/trace/86123470240315000017', /Trace/],
    ];
    for (const [hash, heading] of pages) {
      await open(hash, heading);
      await page.waitForLoadState('networkidle');
    }
    expect(outside).toEqual([]);
    const missing = [...new Set([...absent].map((u) => `${new URL(u).pathname.split('/').slice(0, 3).join('/')}`))];
    if (missing.length > 0) console.warn(`\n*** NOTICE: this hub lacks ${missing.join(', ')}: the console showed their absence ***\n`);
    expect(errors.filter((e) => !absent.has(e.url)).map((e) => e.text)).toEqual([]);
  });

  it('never lets a page left before its answers came overwrite the next one', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/v1/playground', async (route) => { await held; await route.continue(); });
    await open('#/playground', /Mapping playground/);
    await open('#/standards', /Standards/);
    release();
    await page.waitForResponse('**/v1/playground');
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('heading', { level: 1 }).allTextContents()).toEqual(['Standards']);
    await page.unroute('**/v1/playground');
  });

  it('can be used from the keyboard: a skip link to the content, and labelled controls', async () => {
    await page.goto('about:blank');
    await page.goto(`${base}/console/#/playground`);
    await page.getByRole('heading', { level: 1, name: 'Mapping playground' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('main');
    const unlabelled = await page.locator('input, select, textarea, button').evaluateAll((els: any[]) => els
      .filter((el) => !el.hidden && !el.getAttribute('aria-label') && !el.labels?.length && !el.textContent?.trim())
      .map((el) => el.outerHTML));
    expect(unlabelled).toEqual([]);
  });

  it('signs out: the session ends, and the console asks for a key again', async () => {
    await page.goto(`${base}/console/#/feeds`);
    await page.getByRole('heading', { level: 1, name: 'Feeds' }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'suyuan_session')?.httpOnly).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect((await context.cookies()).find((c) => c.name === 'suyuan_session')).toBeUndefined();
    await page.reload();
    await page.getByLabel('API key').waitFor();
  });

  it('shows an integrator only its own feeds, and every page still loads without a console error', async () => {
    errors.length = 0;
    await signIn(integrator);
    await page.getByRole('heading', { level: 1, name: 'Feeds' }).waitFor();
    await expect.poll(() => page.locator('#feeds-table tbody tr').count()).toBe(1);
    expect(await page.locator('#feeds-table tbody tr').getAttribute('data-feed')).toBe('drug-supervision');
    expect(await page.getByRole('button', { name: /^Pause/ }).count()).toBe(0);
    for (const [hash, heading] of [['#/feeds/drug-supervision', /drug-supervision/], ['#/dead-letters', /Dead letters/], ['#/standards/trace.event', /^trace\.event$/],
      ['#/playground', /Mapping playground/], ['#/trace/86123470240315000017', /Trace/]] as Array<[string, RegExp]>) {
      await open(hash, heading);
      await page.waitForLoadState('networkidle');
    }
    await open('#/playground', /Mapping playground/);
    await expect.poll(() => page.getByLabel('Adapter').locator('option').allTextContents()).toEqual([expect.stringMatching(/^drug-supervision/)]);
    await open('#/trace/86123470240315000017', /Trace/);
    await expect.poll(() => page.locator('#impact-title + p').textContent()).toBe('The recall impact is for regulators and operators.');
    expect(errors.map((e) => e.text)).toEqual([]);
  });
});
