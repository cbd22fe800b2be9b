/** Structured logs: JSON lines from the real binary, with request and message ids, and never a key or a message body. */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, errorLogger, withLogContext } from '../src/ops/index.ts';
import { SuyuanError } from '../src/errors.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot } from './helpers/temp-standard.ts';

const BIN = fileURLToPath(new URL('../bin/suyuan.js', import.meta.url));
type Line = Record<string, unknown>;

function collector(): { stream: Writable; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line); done(); } });
  return { stream, lines };
}

describe('the logger', () => {
  it('puts the request and message ids on every line logged while a message is worked on', async () => {
    const { stream, lines } = collector();
    const logger = createLogger({ logLevel: 'info' }, stream);
    await withLogContext({ reqId: 'r-1' }, () => withLogContext({ messageId: 'm-1', feed: 'tax' }, async () => {
      logger.info('first');
      await new Promise((r) => setTimeout(r, 5));
      errorLogger(logger)(new SuyuanError('IO_FAILED', 'peer down'));
    }));
    logger.info('after');
    expect(lines.map((l) => [l.msg, l.reqId, l.messageId, l.feed])).toEqual([['first', 'r-1', 'm-1', 'tax'], ['peer down', 'r-1', 'm-1', 'tax'], ['after', undefined, undefined, undefined]]);
    expect(lines[1]).toMatchObject({ level: 'warn', code: 'IO_FAILED', service: 'suyuan' });
  });

  it('redacts authorization headers, keys, secrets, credentials and bodies wherever they are passed', () => {
    const { stream, lines } = collector();
    createLogger({ logLevel: 'info' }, stream).info({ headers: { authorization: 'Bearer sy_secret', cookie: 'suyuan_session=ss_x' }, key: 'sy_k', secret: 's', password: 'p', body: '<数据/>', req: { headers: { authorization: 'Basic x' } } }, 'careless');
    const text = JSON.stringify(lines[0]);
    for (const leaked of ['sy_secret', 'ss_x', 'sy_k', '"s"', '"p"', '数据', 'Basic x']) expect(text).not.toContain(leaked);
    expect(text).toContain('[redacted]');
  });
});

describe('suyuan serve logs', () => {
  it('one JSON line per request and per kept message, ids on each, no key and no body', async () => {
    const repo = tempRoot();
    for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
    repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
    const data = mkdtempSync(join(tmpdir(), 'suyuan-logs-'));
    const admin = 'logs-test-admin-key-000000001';
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', data], {
      env: { ...process.env, SUYUAN_ROOT: repo.root, SUYUAN_ADMIN_KEY: admin, SUYUAN_LOG_LEVEL: 'info', SUYUAN_MAPPING_WORKERS: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    let okId = '';
    let badId = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /listening on (\S+)/.exec(out); if (m?.[1]) resolve(m[1]); });
        child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      const made = await fetch(`${base}/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'slaughterhouse', roles: ['integrator'], scopes: ['test-slaughter'] }) });
      const key = ((await made.json()) as { key: string }).key;
      const push = (lot: string, id: string, uscc?: string) => fetch(`${base}/v1/feeds/test-slaughter/messages`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'x-request-id': id }, body: slaughterCsv(slaughterRow(lot, uscc)) });
      okId = ((await (await push('LOGLOT1', 'push-ok')).json()) as { messageId: string }).messageId;
      badId = ((await (await push('LOGLOT2', 'push-bad', '91320583MA1MX8T21X')).json()) as { messageId: string }).messageId;
      expect((await fetch(`${base}/v1/subjects`, { headers: { authorization: 'Bearer sy_wrong-key-for-logs' } })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const lines = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
    for (const line of lines) expect(line).toMatchObject({ service: 'suyuan', level: expect.any(String), time: expect.any(String) });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.find((l) => l.reqId === 'push-ok')).toMatchObject({ method: 'POST', path: '/v1/feeds/test-slaughter/messages', status: 202, keyId: expect.stringMatching(/^k_/) });
    expect(requests.find((l) => l.path === '/v1/subjects')).toMatchObject({ status: 401 });
    const kept = lines.filter((l) => l.msg === 'message kept');
    expect(kept).toEqual([
      expect.objectContaining({ level: 'info', reqId: 'push-ok', messageId: okId, feed: 'test-slaughter', outcome: 'ok', status: 'accepted' }),
      expect.objectContaining({ level: 'warn', reqId: 'push-bad', messageId: badId, feed: 'test-slaughter', outcome: 'mapping_error', status: 'rejected' }),
    ]);
    for (const leaked of [admin, 'sy_wrong-key-for-logs', 'LOGLOT1', 'LOGLOT2', '91320583MA1MX8T21X', '昆山市']) expect(stderr).not.toContain(leaked);
    rmSync(data, { recursive: true, force: true });
    repo.cleanup();
  }, 60_000);
});
