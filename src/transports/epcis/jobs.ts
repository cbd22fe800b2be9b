/** EPCIS capture jobs and accepted error declarations: the capture interface's own tables. */
import type { Kysely, Migration } from 'kysely';
import { SuyuanError } from '../../errors.ts';
import type { CaptureProblem } from './problems.ts';

export type CaptureErrorBehaviour = 'rollback' | 'proceed';

interface CaptureJobRow {
  id: string;
  created_at: string;
  finished_at: string | null;
  running: number;
  success: number;
  behaviour: string;
  /** The API key that captured the document. */
  actor: string;
  /** The kept message (`messages`), once the pipeline has run. */
  message_id: string | null;
  events: number;
  /** JSON array of RFC 7807 problems, one per failing event. */
  errors: string;
}

interface DeclarationRow {
  /** The event hash of the event declared erroneous. */
  hash: string;
  /** The event as declared, with its `errorDeclaration`. */
  event: string;
  capture_id: string;
  declared_at: string;
}

export interface CaptureTables {
  capture_jobs: CaptureJobRow;
  capture_declarations: DeclarationRow;
}

export const CAPTURE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0006_epcis_capture_jobs': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('capture_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('running', 'integer', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('behaviour', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('events', 'integer', (c) => c.notNull())
        .addColumn('errors', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('capture_jobs_created').on('capture_jobs').columns(['created_at', 'id']).execute();
      await db.schema.createTable('capture_declarations')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('capture_id', 'text', (c) => c.notNull())
        .addColumn('declared_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

/** A capture job as GS1's binding shows it (`CaptureJob`), plus `messageId` and `events`. */
export interface CaptureJob {
  readonly captureID: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  readonly running: boolean;
  readonly success: boolean;
  readonly captureErrorBehaviour: CaptureErrorBehaviour;
  readonly errors: readonly CaptureProblem[];
  /** The kept message, to follow its path through the pipeline. */
  readonly messageId?: string;
  /** How many events the document holds. */
  readonly events: number;
}

function toJob(row: CaptureJobRow): CaptureJob {
  return {
    captureID: row.id, createdAt: row.created_at, ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    running: row.running === 1, success: row.success === 1, captureErrorBehaviour: row.behaviour as CaptureErrorBehaviour,
    errors: JSON.parse(row.errors) as CaptureProblem[], ...(row.message_id ? { messageId: row.message_id } : {}), events: row.events,
  };
}

const token = (row: { created_at: string; id: string }): string => Buffer.from(`${row.created_at}|${row.id}`).toString('base64url');

/** Capture jobs and declarations over the hub's database. */
export class CaptureJobs {
  readonly #db: Kysely<CaptureTables>;

  constructor(db: Kysely<CaptureTables>) {
    this.#db = db;
  }

  async create(job: { id: string; createdAt: string; behaviour: CaptureErrorBehaviour; actor: string; events: number }): Promise<CaptureJob> {
    const row: CaptureJobRow = {
      id: job.id, created_at: job.createdAt, finished_at: null, running: 1, success: 1, behaviour: job.behaviour,
      actor: job.actor, message_id: null, events: job.events, errors: '[]',
    };
    await this.#db.insertInto('capture_jobs').values(row).execute();
    return toJob(row);
  }

  async finish(id: string, result: { finishedAt: string; messageId?: string; errors: readonly CaptureProblem[] }): Promise<void> {
    await this.#db.updateTable('capture_jobs').set({
      finished_at: result.finishedAt, running: 0, success: result.errors.length === 0 ? 1 : 0,
      message_id: result.messageId ?? null, errors: JSON.stringify(result.errors),
    }).where('id', '=', id).execute();
  }

  /** A job; `actor`, when given, limits it to that key's jobs (another's is not found). */
  async get(id: string, actor?: string): Promise<CaptureJob | undefined> {
    let query = this.#db.selectFrom('capture_jobs').selectAll().where('id', '=', id);
    if (actor !== undefined) query = query.where('actor', '=', actor);
    const row = await query.executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /**
   * One page of jobs, oldest first; `next` is the token of the following page, absent on the last.
   * Throws `BAD_REQUEST` for a token this list did not give.
   */
  async list(page: { perPage: number; nextPageToken?: string; actor?: string }): Promise<{ jobs: CaptureJob[]; next?: string }> {
    let query = this.#db.selectFrom('capture_jobs').selectAll().orderBy('created_at').orderBy('id').limit(page.perPage + 1);
    if (page.actor !== undefined) query = query.where('actor', '=', page.actor);
    if (page.nextPageToken !== undefined) {
      const [at, id] = Buffer.from(page.nextPageToken, 'base64url').toString('utf8').split('|');
      if (!at || !id) throw new SuyuanError('BAD_REQUEST', 'nextPageToken is not a token this list gave', { detail: { parameter: 'nextPageToken' } });
      query = query.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
    }
    const rows = await query.execute();
    const more = rows.length > page.perPage;
    const shown = rows.slice(0, page.perPage);
    const last = shown.at(-1);
    return { jobs: shown.map(toJob), ...(more && last ? { next: token(last) } : {}) };
  }

  /** The declaration accepted for an event hash, if any. */
  async declared(hash: string): Promise<boolean> {
    return (await this.#db.selectFrom('capture_declarations').select('hash').where('hash', '=', hash).executeTakeFirst()) !== undefined;
  }

  /** Keeps an accepted error declaration; `false` when one was kept for that hash meanwhile. */
  async declare(hash: string, event: unknown, captureId: string, at: string): Promise<boolean> {
    const result = await this.#db.insertInto('capture_declarations').values({ hash, event: JSON.stringify(event), capture_id: captureId, declared_at: at })
      .onConflict((oc) => oc.column('hash').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
