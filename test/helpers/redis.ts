/**
 * A real `redis-server` for tests, on a free loopback port in a temp dir, without persistence, killed
 * after. When the binary is missing the Redis tests are skipped with a loud notice — except under CI
 * (`CI` set), where a missing Redis fails the run, so skipped Redis tests can never pass unnoticed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as a Redis that is away. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT), with its data. */
  thaw(): void;
}

/** Whether `redis-server` can run here; throws under CI when it cannot. */
export function redisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  if (process.env.CI) throw new Error('redis-server is not installed, and CI must not skip the Redis tests (.ci/run installs it)');
  console.warn('\n*** NOTICE: redis-server is not installed: the Redis (BullMQ) half of the queue contract suite is SKIPPED ***\n');
  return false;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')); });
    socket.once('error', () => resolve(false));
  });
}

/** Starts a server and waits until it answers PING. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'suyuan-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i += 1) {
    if (await answers(port)) break;
    if (i > 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not start');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    freeze() { child.kill('SIGSTOP'); },
    thaw() { child.kill('SIGCONT'); },
    async stop() {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
