/**
 * `suyuan worker`: only the queue consumers (routing and delivery), no HTTP. Any number of workers
 * share the work: on one machine over the embedded queue (a hub on SQLite: the same `--data`), on any
 * number of machines over Redis (`SUYUAN_REDIS_URL`) with the hub's database on PostgreSQL
 * (`SUYUAN_DATABASE_URL`). A hub on PostgreSQL without Redis has no queue its workers could share
 * (the embedded one is local to each machine), so the worker refuses to start there. SIGTERM or
 * SIGINT stops it gracefully: jobs in flight finish, or return to the queue after the timeout; a worker
 * killed outright leaves its jobs to be taken back after the lease.
 */
import { Command } from 'commander';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { SuyuanError } from '../errors.ts';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run queue consumers only (routing and delivery to subscribers); start as many as needed')
    .option('--data <dir>', 'folder of the hub\'s database and state')
    .option('--concurrency <n>', 'jobs run at once per queue')
    .option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz on this port (0: any free one)')
    .action(async (options: { data?: string; concurrency?: string; metricsPort?: string }) => {
      const config = loadConfig({
        ...(options.data === undefined ? {} : { dataDir: options.data }),
        ...(options.concurrency === undefined ? {} : { workerConcurrency: Number(options.concurrency) }),
        workers: true,
      });
      if (config.databaseUrl !== undefined && config.redisUrl === undefined) {
        throw new SuyuanError('BAD_REQUEST', 'SUYUAN_DATABASE_URL is set but SUYUAN_REDIS_URL is not: a worker of a hub on PostgreSQL needs the shared queue on Redis (the embedded queue is local to one machine)');
      }
      const app = await createApp(config);
      app.startWorkers();
      if (options.metricsPort !== undefined) process.stdout.write(`suyuan worker metrics on ${await app.ops.serve(Number(options.metricsPort), config.host)}/metrics\n`);
      process.stdout.write(`suyuan worker ready (queue: ${config.redisUrl === undefined ? 'embedded' : 'redis'}, database: ${config.databaseUrl === undefined ? 'sqlite' : 'postgresql'}, data: ${config.dataDir}, pid: ${process.pid})\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      process.stdout.write('suyuan worker stopped\n');
    });
}
