/**
 * `suyuan demo`: starts the hub on its embedded defaults, replays a built-in day of province data
 * through the real transports (HTTP push, SOAP, file drop, poll of a stand-in tax gateway on loopback),
 * prints what came in and the codes to look up, and keeps serving until Ctrl-C (`--once`: load and exit).
 *
 * The data folder is a fresh temporary one, removed on exit, unless `--data` names one to keep. The
 * hub logs at `warn` unless `--log-level` says otherwise, so that what it prints is the summary.
 * The tax adapter's credential is set to the stand-in gateway's token for this process: the demo's
 * tax adapter talks to nothing else. When the port is taken, it says so, naming the port and
 * `--port`, and exits with status 2 (`PORT_IN_USE`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Config } from '../config.ts';
import { SuyuanError } from '../errors.ts';
import { DEFAULT_SEED, DEMO_TAX_TOKEN, startDemo, type RunningDemo } from '../demo/index.ts';

interface DemoFlags { port?: string; host?: string; data?: string; seed?: string; once?: boolean; logLevel: string }

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const num = (s: number | string, n: number): string => String(s).padStart(n);

/** What the demo prints once the day is loaded. */
export function demoReport(demo: RunningDemo, dataNote: string): string {
  const { url, day, summary } = demo;
  const out: string[] = [];
  out.push(`Suyuan demo: a day of province data (${day.day}), replayed through the hub's own transports`);
  out.push(`hub ${url}   data ${dataNote}`, '');
  out.push(`${pad('feed', 28)}${pad('transport', 13)}${num('messages', 8)}${num('accepted', 10)}${num('partial', 9)}${num('rejected', 10)}${num('records', 9)}`);
  for (const f of summary.feeds) {
    out.push(`${pad(f.feed, 28)}${pad(f.transport, 13)}${num(f.messages, 8)}${num(f.accepted, 10)}${num(f.partial, 9)}${num(f.rejected, 10)}${num(f.recordsStored, 9)}`);
  }
  out.push(`events stored: ${summary.events}`, '');
  out.push('broken on purpose, kept with their problems (GET /v1/messages?status=partial,rejected):');
  for (const b of day.broken) {
    const kept = summary.problems.find((p) => p.feed === b.feed && p.status === b.status);
    out.push(`  ${pad(b.feed, 28)}${pad(b.status, 9)}${b.code}${b.problem ? ` (${b.problem})` : ''}  ${b.what}${kept ? `  /v1/messages/${kept.messageId}` : ''}`);
  }
  out.push('', 'trace codes to look up:');
  for (const l of day.lookups) {
    const code = encodeURIComponent(l.code);
    out.push(`  ${l.code}`, `    ${l.what}`, `    ${url}/t/${code}`, `    ${url}/v1/trace/${code}`);
    if (l.lot !== undefined) out.push(`    ${url}/v1/recall-impact?lot=${encodeURIComponent(l.lot)}   (with the key below)`);
  }
  out.push('', 'open:', `  ${url}/console       the operator console`, `  ${url}/docs          the published standard`);
  out.push(`  API key (operator) for /v1: ${demo.operatorKey}`, `    curl -H "Authorization: Bearer ${demo.operatorKey}" ${url}/v1/messages`);
  return `${out.join('\n')}\n`;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('run the hub with a built-in day of province data replayed through its real transports, and print codes to look up')
    .option('--port <port>', 'TCP port (0: any free port)')
    .option('--host <host>', 'address to listen on')
    .option('--data <dir>', 'keep the database and state in this folder (default: a temporary folder, removed on exit)')
    .option('--seed <n>', `seed of the day's data (default ${DEFAULT_SEED})`)
    .option('--once', 'load the day, print the summary and exit')
    .option('--log-level <level>', 'the hub\'s log on stderr: silent, error, warn (the messages kept with problems), info, debug', 'warn')
    .action(async (flags: DemoFlags) => {
      const temporary = flags.data === undefined;
      const dataDir = flags.data ?? mkdtempSync(join(tmpdir(), 'suyuan-demo-'));
      const cleanup = (): void => { if (temporary) rmSync(dataDir, { recursive: true, force: true }); };
      process.env.SUYUAN_TAX_EINVOICE_TOKEN = DEMO_TAX_TOKEN;
      let demo: RunningDemo;
      try {
        demo = await startDemo({
          taxToken: DEMO_TAX_TOKEN,
          ...(flags.seed === undefined ? {} : { seed: Number(flags.seed) }),
          config: {
            dataDir, logLevel: flags.logLevel as Config['logLevel'],
            ...(flags.port === undefined ? {} : { port: Number(flags.port) }),
            ...(flags.host === undefined ? {} : { host: flags.host }),
          },
        });
      } catch (error) {
        cleanup();
        const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
        if (e?.code === 'EADDRINUSE') {
          const port = e.port ?? flags.port;
          throw new SuyuanError('PORT_IN_USE', `端口 ${port} 已被占用 / port ${port}${e.address ? ` on ${e.address}` : ''} is already in use: stop what listens there, or choose another port with --port <port> (--port 0: any free port)`, { cause: error, detail: { port, ...(e.address ? { host: e.address } : {}) } });
        }
        throw error;
      }
      process.stdout.write(demoReport(demo, temporary ? `${dataDir} (removed on exit)` : dataDir));
      if (flags.once) {
        await demo.close();
        cleanup();
        return;
      }
      process.stdout.write('serving until Ctrl-C\n');
      const stop = (): void => {
        void demo.close().then(() => { cleanup(); process.exit(0); });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<never>(() => undefined);
    });
}
