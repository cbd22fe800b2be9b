/**
 * One capture through the pipeline: its events are held back until the whole document is known, an
 * event captured before is a duplicate (unless it declares the earlier one erroneous), and then either
 * everything is stored or nothing (`rollback`), or everything that fits (`proceed`).
 */
import { ERROR_CATALOGUE, type ErrorCode } from '../../errors.ts';
import type { FeedService } from '../../feeds/service.ts';
import type { EventSink, IdentifiedEvent } from '../../pipeline/events.ts';
import type { FailureInfo, MessageOutcome, RecordOutcome } from '../../pipeline/run.ts';
import type { CaptureErrorBehaviour, CaptureJobs } from './jobs.ts';
import { GS1_EXCEPTION, type CaptureProblem } from './problems.ts';

interface Held {
  readonly identified: IdentifiedEvent;
  /** An accepted error declaration of an event stored before, kept beside it rather than as a new event. */
  readonly declaration: boolean;
}

const hasDeclaration = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && (event as Record<string, unknown>).errorDeclaration !== undefined;

const duplicate = (r: RecordOutcome, hash: string, eventId: string | undefined): CaptureProblem => ({
  type: GS1_EXCEPTION.duplicate, title: '事件已采集 / The event was captured before', status: 409,
  detail: `事件 ${hash} 已存在 / an identical event (same CBV 2.0 event hash) is already stored`,
  ...(eventId ? { instance: eventId } : {}), event: { index: r.index, position: r.position.path }, eventHash: hash,
});

function failure(error: FailureInfo, r?: RecordOutcome, eventId?: string, problems: RecordOutcome['problems'] = []): CaptureProblem {
  const entry = ERROR_CATALOGUE[error.code as ErrorCode] as { status: number; title: string } | undefined;
  return {
    type: error.kind === 'user' ? GS1_EXCEPTION.validation : GS1_EXCEPTION.implementation,
    title: entry?.title ?? 'Internal error', status: error.kind === 'user' ? 400 : 500, detail: error.message, code: error.code,
    ...(eventId ? { instance: eventId } : {}), ...(r ? { event: { index: r.index, position: r.position.path } } : {}),
    ...(problems.length > 0 ? { problems } : {}),
  };
}

/** Every failing event of an outcome, one RFC 7807 object each; `eventIds` are the document's, in order. */
export function captureProblems(outcome: MessageOutcome, eventIds: ReadonlyArray<string | undefined>): CaptureProblem[] {
  if (outcome.error) return [failure(outcome.error)];
  return outcome.records.flatMap((r): CaptureProblem[] => {
    const id = eventIds[r.index];
    if (r.status === 'duplicate') return r.events.map((e) => duplicate(r, e.hash, id));
    if (r.status === 'invalid' || r.status === 'failed') {
      return [failure(r.error ?? { code: 'VALIDATION_FAILED', kind: 'user', message: '', detail: {} }, r, id, r.problems)];
    }
    return [];
  });
}

const ROLLED_BACK: FailureInfo = {
  code: 'MESSAGE_REJECTED', kind: 'user', detail: { captureErrorBehaviour: 'rollback' },
  message: '已回滚：同一采集中有事件未通过 / rolled back: another event of the capture failed',
};

/** The outcome with its status as the capture sees it: a duplicate is not stored, so it does not count. */
function restated(outcome: MessageOutcome, records: readonly RecordOutcome[]): MessageOutcome {
  if (outcome.error) return outcome;
  const stored = records.filter((r) => r.status === 'stored').length;
  return { ...outcome, records, status: stored === records.length ? 'accepted' : stored === 0 ? 'rejected' : 'partial' };
}

export interface CaptureSpec {
  readonly id: string;
  readonly behaviour: CaptureErrorBehaviour;
  /** The document's events' `eventID`s, in order, to name failing events. */
  readonly eventIds: ReadonlyArray<string | undefined>;
  readonly now: () => Date;
}

/**
 * The event store of one capture (`sink`) and its ending (`settle`), for `FeedService.runBuiltIn`.
 * After `settle`, `errors` holds every failing event. Captures MUST run one at a time: the duplicate
 * check and the commit are not one transaction.
 */
export class CaptureRun {
  errors: CaptureProblem[] = [];
  readonly #held: Held[] = [];
  #store: EventSink | undefined;
  readonly feeds: FeedService;
  readonly jobs: CaptureJobs;
  readonly capture: CaptureSpec;

  constructor(feeds: FeedService, jobs: CaptureJobs, capture: CaptureSpec) {
    this.feeds = feeds;
    this.jobs = jobs;
    this.capture = capture;
  }

  readonly sink = (store: EventSink): EventSink => {
    this.#store = store;
    return { put: (event) => this.#put(event) };
  };

  async #put(identified: IdentifiedEvent): Promise<'stored' | 'duplicate'> {
    const { hash, event } = identified;
    const prior = this.#held.find((h) => h.identified.hash === hash && !h.declaration)?.identified.event ?? await this.feeds.storedEvent(hash);
    if (prior === undefined) {
      this.#held.push({ identified, declaration: false });
      return 'stored';
    }
    // The event hash leaves errorDeclaration out: a declaration of a stored event is accepted, once.
    const declares = hasDeclaration(event) && !hasDeclaration(prior)
      && !this.#held.some((h) => h.identified.hash === hash && h.declaration) && !(await this.jobs.declared(hash));
    if (!declares) return 'duplicate';
    this.#held.push({ identified, declaration: true });
    return 'stored';
  }

  readonly settle = async (outcome: MessageOutcome): Promise<MessageOutcome> => {
    const errors = captureProblems(outcome, this.capture.eventIds);
    if (errors.length > 0 && this.capture.behaviour === 'rollback') {
      this.errors = errors;
      return restated(outcome, outcome.records.map((r) => (r.status === 'stored' ? { ...r, status: 'failed', events: [], error: ROLLED_BACK } : r)));
    }
    const raced = new Set<number>();
    for (const { identified, declaration } of this.#held) {
      const ok = declaration
        ? await this.jobs.declare(identified.hash, identified.event, this.capture.id, this.capture.now().toISOString())
        : (await this.#store?.put(identified)) === 'stored';
      // The store applies an accepted declaration to the event it declares (its put answers duplicate).
      if (declaration && ok) await this.#store?.put(identified);
      if (!ok) raced.add(identified.recordIndex);
    }
    const records = outcome.records.map((r): RecordOutcome => (raced.has(r.index)
      ? { ...r, status: 'duplicate', events: r.events.map((e) => ({ ...e, stored: 'duplicate' })) } : r));
    this.errors = [...errors, ...captureProblems({ ...outcome, records: records.filter((r) => raced.has(r.index)) }, this.capture.eventIds)];
    return restated(outcome, records);
  };
}
