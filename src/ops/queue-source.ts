/** Queues as the metrics read them: the queue contract's counts and its oldest due waiting job. */
import type { Queue } from '../queue/contract.ts';
import type { QueueSource } from './metrics.ts';

/** A queue for `HubMetrics.watchQueue`. */
export function queueSource(name: string, queue: Pick<Queue, 'counts' | 'oldestWaiting'>): QueueSource {
  return { name, counts: () => queue.counts(), oldestWaiting: () => queue.oldestWaiting() };
}
