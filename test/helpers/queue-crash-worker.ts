/**
 * A consumer that takes one job, says so on stdout, and hangs until it is killed: the queue contract
 * suite kills it with SIGKILL to leave a job held by a dead consumer.
 * Arguments: `sqlite <file> <queue> <leaseMs>` or `redis <url> <queue> <leaseMs>`.
 */
import { migrate, openSqlite } from '../../src/db/index.ts';
import { createBullmqQueue, createSqliteQueue, QUEUE_MIGRATIONS, type Queue, type QueueOptions } from '../../src/queue/index.ts';

const [engine, where, name, lease] = process.argv.slice(2);
const options: QueueOptions = { name: name ?? '', leaseMs: Number(lease), retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50, jitter: 0 } };
let queue: Queue;
if (engine === 'sqlite') {
  const db = openSqlite<unknown>(where ?? '');
  await migrate(db, QUEUE_MIGRATIONS);
  queue = createSqliteQueue(db, { ...options, pollMs: 10 });
} else {
  queue = createBullmqQueue(where ?? '', options);
}
queue.consume(async (job) => {
  process.stdout.write(`active ${job.id}\n`);
  await new Promise(() => undefined);
}, { concurrency: 1 });
