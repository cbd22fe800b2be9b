/**
 * `suyuan replay`: runs kept inbound messages again — one by id, or every dead letter of a feed — on the hub's
 * database; and replays delivery dead letters (an id that is no kept message, or `--dead-letters` by filter)
 * as new jobs linked to them, which the workers then deliver.
 */
import { Command } from 'commander';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { SuyuanError } from '../errors.ts';
import { replayDeadLetter, replayDeadLetters, type DeadLetterReplay } from '../delivery/index.ts';
import { replayMessage, replayMessages, type ReplayResult } from '../feeds/replay.ts';

interface ReplayFlags {
  data?: string;
  feed?: string;
  code?: string;
  since?: string;
  until?: string;
  force?: boolean;
  deadLetters?: boolean;
  adapter?: string;
}

const print = (results: readonly DeadLetterReplay[]): void => {
  for (const r of results) process.stdout.write(`${r.original} → ${r.replay ?? '-'} ${r.replay ? 'queued' : `failed ${r.errorCode ?? ''}`}\n`);
  if (results.length === 0) process.stdout.write('nothing to replay\n');
  if (results.some((r) => r.replay === null)) process.exitCode = 1;
};

export function replayCommand(): Command {
  return new Command('replay')
    .description('replay a kept inbound message by id, or every rejected or partial message of a feed, as new messages linked to the originals')
    .argument('[id]', 'the kept message (or delivery dead letter) to replay')
    .option('--dead-letters', 'replay the delivery dead letters not yet replayed (narrowed by --adapter, --code, --since, --until)')
    .option('--adapter <adapter>', 'with --dead-letters: only those to this outbound adapter')
    .option('--feed <adapter>', 'replay the dead letters of this adapter')
    .option('--code <code>', 'only those with this error code')
    .option('--since <time>', 'only those received at or after this time (ISO 8601)')
    .option('--until <time>', 'only those received before this time (ISO 8601)')
    .option('--force', 'replay messages already replayed successfully too')
    .option('--data <dir>', 'folder of the hub\'s database and state', 'data')
    .action(async (id: string | undefined, flags: ReplayFlags) => {
      if ([id !== undefined, flags.feed !== undefined, flags.deadLetters === true].filter(Boolean).length !== 1) {
        throw new SuyuanError('BAD_REQUEST', 'give either a message id, --feed <adapter> or --dead-letters');
      }
      const app = await createApp(loadConfig({ dataDir: flags.data ?? 'data', mappingWorkers: 0, logLevel: 'silent' }));
      let results: ReplayResult[];
      try {
        const options = { actor: 'system', audit: app.audit };
        if (flags.deadLetters === true) {
          return print(await replayDeadLetters(app.delivery, {
            ...(flags.adapter === undefined ? {} : { adapter: flags.adapter }), ...(flags.code === undefined ? {} : { code: flags.code }),
            ...(flags.since === undefined ? {} : { since: flags.since }), ...(flags.until === undefined ? {} : { until: flags.until }),
          }, { ...options, force: flags.force === true }));
        }
        if (id !== undefined && !(await app.feeds.message(id))) return print([await replayDeadLetter(app.delivery, id, options)]);
        results = id !== undefined
          ? [await replayMessage(app.feeds, id, options)]
          : await replayMessages(app.feeds, {
            ...(flags.feed === undefined ? {} : { feed: flags.feed }), ...(flags.code === undefined ? {} : { code: flags.code }),
            ...(flags.since === undefined ? {} : { since: flags.since }), ...(flags.until === undefined ? {} : { until: flags.until }),
          }, { ...options, force: flags.force === true });
      } finally {
        await app.close();
      }
      for (const r of results) {
        process.stdout.write(`${r.original} → ${r.messageId ?? '-'} ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}\n`);
      }
      if (results.length === 0) process.stdout.write('nothing to replay\n');
      if (results.some((r) => r.status !== 'accepted')) process.exitCode = 1;
    });
}
