/**
 * `suyuan serve`: the hub in one process, on its embedded SQLite database — or on PostgreSQL
 * (`SUYUAN_DATABASE_URL`), with `--no-workers` leaving routing and delivery to `suyuan worker` processes.
 * A hub on PostgreSQL without Redis has no worker that could take that work (see `suyuan worker`), so
 * `--no-workers` is refused there rather than leaving every delivery waiting.
 */
import { Command } from 'commander';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { SuyuanError } from '../errors.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the hub: registry API, Confluent-compatible API and documentation, on an embedded SQLite database (or PostgreSQL: SUYUAN_DATABASE_URL)')
    .option('--port <port>', 'TCP port (0: any free port)')
    .option('--host <host>', 'address to listen on')
    .option('--data <dir>', 'folder for the database and state')
    .option('--no-workers', 'run no queue consumers here: routing and delivery are left to `suyuan worker` processes')
    .action(async (options: { port?: string; host?: string; data?: string; workers?: boolean }) => {
      const config = loadConfig({
        ...(options.port === undefined ? {} : { port: Number(options.port) }),
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options.data === undefined ? {} : { dataDir: options.data }),
        ...(options.workers === false ? { workers: false } : {}),
      });
      if (!config.workers && config.databaseUrl !== undefined && config.redisUrl === undefined) {
        throw new SuyuanError('BAD_REQUEST', 'no workers here, and none elsewhere: a hub on PostgreSQL (SUYUAN_DATABASE_URL) without SUYUAN_REDIS_URL keeps its queue on this machine, so `serve` must run its consumers');
      }
      const app = await createApp(config);
      const { url } = await app.listen();
      process.stdout.write(`suyuan listening on ${url} (data: ${config.dataDir})\n`);
      const stop = (): void => {
        void app.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<never>(() => undefined);
    });
}
