/**
 * The meat-and-vegetable circulation feed over the file-drop transport, end to end: batch files dropped in
 * the watched folder (renamed in, or written slowly in place) are taken once complete, go through the
 * feed, and move to done/ or failed/ with a report; a bad name is refused; closing the hub stops the watcher.
 * (The adapter has no HTTP transport, so there is no HTTP push here.)
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import type { FileReport } from '../src/transports/file-drop-report.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';

const ADAPTER = 'meat-vegetable-circulation';
const FIXTURES = join(REPO_ROOT, 'adapters', ADAPTER, 'fixtures', 'inbound');
const fixture = (type: string, name: string, ext = 'csv'): Buffer => readFileSync(join(FIXTURES, type, `${name}.input.${ext}`));

let repo: TempRoot;
let dataDir: string;
let drops: string;
let app: App;
let closed = false;

/** Writes under a temporary name, then renames in: the way senders are asked to deliver. */
function dropRenamed(name: string, bytes: Uint8Array): void {
  writeFileSync(join(drops, `.${name}.tmp`), bytes);
  renameSync(join(drops, `.${name}.tmp`), join(drops, name));
}

/** Writes in place in two halves with a pause between: taken only once its size stays the same. */
async function dropSlowly(name: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(join(drops, name), 'w');
  const half = Math.floor(bytes.length / 2);
  await handle.write(bytes.subarray(0, half));
  await sleep(300);
  await handle.write(bytes.subarray(half));
  await handle.close();
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the drop folder');
    await sleep(100);
  }
}

const report = (folder: 'done' | 'failed', name: string): FileReport =>
  JSON.parse(readFileSync(join(drops, folder, `${name}.report.json`), 'utf8')) as FileReport;
const pending = (): string[] => readdirSync(drops, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

const SLAUGHTER = '320583000001_TZ_20240315060000.csv';
const ENTRY = '320508000001_RJ_20240315091500.csv';
const VEGETABLES = '320115000001_CJ_20240316033000.xml';
const PARTIAL = '320583000001_TZ_20240315070000.csv';
const STRAY_QUOTE = '320583000001_TZ_20240315080000.csv';
const BAD_NAME = '屠宰-2024-03-15.csv';
const UNKNOWN_TYPE = '320583000001_ZZ_20240315090000.csv';

beforeAll(async () => {
  repo = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings', `adapters/${ADAPTER}`]) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-drop-'));
  app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, logLevel: 'silent', mappingWorkers: 0 }, {}));
  await app.listen();
  drops = join(dataDir, 'drops', ADAPTER);
});
afterAll(async () => {
  if (!closed) await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  repo.cleanup();
});

describe('the meat-and-vegetable circulation file drop', () => {
  it('creates the watched folder with done/ and failed/', () => {
    expect(existsSync(join(drops, 'done'))).toBe(true);
    expect(existsSync(join(drops, 'failed'))).toBe(true);
  });

  it('takes every complete file once, moves it to done/ or failed/ and writes its report', async () => {
    dropRenamed(SLAUGHTER, fixture('slaughter', 'one-lot-kunshan'));
    dropRenamed(VEGETABLES, fixture('vegetable-entry', 'two-suppliers-tonnes', 'xml'));
    dropRenamed(PARTIAL, fixture('slaughter', 'bad-uscc-check'));
    dropRenamed(STRAY_QUOTE, fixture('slaughter', 'stray-quote'));
    dropRenamed(BAD_NAME, fixture('slaughter', 'one-lot-kunshan'));
    dropRenamed(UNKNOWN_TYPE, fixture('slaughter', 'one-lot-kunshan'));
    await dropSlowly(ENTRY, fixture('meat-entry', 'two-suppliers'));
    await until(() => pending().length === 0);

    expect(readdirSync(join(drops, 'done')).sort()).toEqual([ENTRY, `${ENTRY}.report.json`, SLAUGHTER, `${SLAUGHTER}.report.json`, VEGETABLES, `${VEGETABLES}.report.json`].sort());
    const slaughter = report('done', SLAUGHTER);
    expect(slaughter).toMatchObject({ file: SLAUGHTER, adapter: ADAPTER, type: 'slaughter', status: 'accepted', counts: { records: 1, stored: 1 }, problems: [] });
    expect(report('done', ENTRY)).toMatchObject({ type: 'meat-entry', status: 'accepted', counts: { records: 2, stored: 2 } });
    expect(report('done', VEGETABLES)).toMatchObject({ type: 'vegetable-entry', status: 'accepted', counts: { records: 2, stored: 2 } });
    expect((await app.feeds.message(slaughter.messageId ?? ''))?.status).toBe('accepted');
  });

  it('stores the events of every record that fits, once each', async () => {
    // 1 slaughter + 2 meat entries + 2 vegetable entries; the partial file's good row is the slaughter again.
    expect(await app.events.count()).toBe(5);
    const kept = await app.feeds.message(report('done', VEGETABLES).messageId ?? '');
    const hashes = (kept?.outcome as { records: Array<{ events: Array<{ hash: string }> }> }).records.map((r) => r.events[0]?.hash ?? '');
    expect(await app.events.get(hashes[1] ?? '')).toMatchObject({ bizStep: 'urn:suyuan:bizstep:market_entering', 'sy:category': 'vegetables', quantityList: [{ quantity: 2400, uom: 'KGM' }] });
  });

  it('reports every problem of a partial file with its record and line, and keeps the message', async () => {
    const partial = report('failed', PARTIAL);
    expect(partial).toMatchObject({ status: 'partial', counts: { records: 2, duplicate: 1, invalid: 1 } });
    expect(partial.problems).toEqual([expect.objectContaining({ record: 1, line: 3, code: 'MAPPING_FAILED', problem: 'USCC_CHECK' })]);
    expect((await app.feeds.message(partial.messageId ?? ''))?.status).toBe('partial');
  });

  it('reports a GBK file with a stray quote as PARSE_CSV with its line and column', () => {
    const stray = report('failed', STRAY_QUOTE);
    expect(stray).toMatchObject({ status: 'rejected', error: { code: 'PARSE_CSV', line: 2, column: expect.any(Number) as number } });
    expect(existsSync(join(drops, 'failed', STRAY_QUOTE))).toBe(true);
  });

  it('refuses a file whose name breaks the naming rule without keeping it as a message', () => {
    const bad = report('failed', BAD_NAME);
    expect(bad).toMatchObject({ status: 'rejected', error: { code: 'FILE_NAME_INVALID' } });
    expect(bad.messageId).toBeUndefined();
    expect(existsSync(join(drops, 'failed', BAD_NAME))).toBe(true);
  });

  it('keeps a well-named file of no known message type as a rejected message', async () => {
    const unknown = report('failed', UNKNOWN_TYPE);
    expect(unknown).toMatchObject({ status: 'rejected', error: { code: 'MESSAGE_TYPE_UNKNOWN' } });
    expect((await app.feeds.message(unknown.messageId ?? ''))?.status).toBe('rejected');
  });

  it('keeps both files when the same name is dropped twice', async () => {
    dropRenamed(SLAUGHTER, fixture('slaughter', 'one-lot-kunshan'));
    await until(() => pending().length === 0);
    const done = readdirSync(join(drops, 'done')).filter((n) => n.startsWith('320583000001_TZ_20240315060000.') && n.endsWith('.csv'));
    expect(done).toHaveLength(2);
    expect(await app.events.count()).toBe(5);
  });

  it('stops watching when the hub closes', async () => {
    await app.close();
    closed = true;
    const late = '320583000001_TZ_20240315100000.csv';
    dropRenamed(late, fixture('slaughter', 'one-lot-kunshan'));
    await sleep(2500);
    expect(pending()).toEqual([late]);
  });
});
