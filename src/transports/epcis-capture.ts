/**
 * The GS1 EPCIS 2.0 capture interface (REST binding), so any EPCIS-speaking platform connects without
 * an adapter of its own. Under `/epcis`:
 * - `POST /capture` takes an EPCIS 2.0 document (`EPCISDocument` or `EPCISQueryDocument`) in JSON-LD
 *   (`application/ld+json`, `application/json`) or XML (`application/xml`, `text/xml`). It is read at
 *   once — 400 when it cannot be, 413 beyond `GS1-EPCIS-Capture-Limit` events or the body limit, 415
 *   for another media type — and answered 202 with `Location: /epcis/capture/<id>`; the job then runs
 *   the document through the pipeline as feed `epcis-capture` (no mapping, `trace.event@^1`; an event
 *   naming its `sy:category` is also held to that category's profile, as the conformance suite does).
 * - `GET /capture/<id>` answers the job (GS1's `CaptureJob`: `errors` has one RFC 7807 object per
 *   failing event); `GET /capture` lists jobs oldest first, `perPage` (30, at most 100) and
 *   `nextPageToken`, the next page in `Link: <…>; rel="next"`; `OPTIONS /capture` tells the limits.
 * - `GS1-Capture-Error-Behaviour: rollback` (the default) stores nothing when any event fails;
 *   `proceed` stores every event that fits. An event already stored is a duplicate (a job error of type
 *   `epcisException:ResourceAlreadyExistsException`, status 409), except the first error declaration of
 *   a stored event, which is accepted and kept beside it (`capture_declarations`).
 * Access: a key with the role `integrator` or `operator` (admin passes), whatever its scopes: the
 * interface is for platforms that have no adapter to scope to. An integrator sees only its own jobs.
 * Jobs run one at a time, in arrival order.
 */
import { randomUUID } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { hasRole } from '../auth/keys.ts';
import { tablesOf } from '../db/index.ts';
import { statusOf, SuyuanError } from '../errors.ts';
import { epcisFormat, type EpcisParsed } from '../formats/index.ts';
import { principalOf, requireKey } from '../http/auth.ts';
import { decodeStep, parseStep, splitStep, type InboundPlan } from '../pipeline/steps.ts';
import type { Mount, Transport, TransportContext } from './contract.ts';
import { CaptureRun } from './epcis/capture-run.ts';
import { CAPTURE_MIGRATIONS, CaptureJobs, type CaptureErrorBehaviour, type CaptureTables } from './epcis/jobs.ts';
import { captureErrorHandler, GS1_EXCEPTION, versionHeaders, type CaptureLimits } from './epcis/problems.ts';

/** The built-in feed captured documents are kept under. */
export const CAPTURE_FEED = 'epcis-capture';
const PLAN: InboundPlan = { feed: CAPTURE_FEED, format: epcisFormat, standard: { subject: 'trace.event', version: '^1' }, categoryProfiles: true };
const MEDIA_TYPES: Readonly<Record<string, EpcisParsed['syntax']>> = {
  'application/ld+json': 'json-ld', 'application/json': 'json-ld', 'application/xml': 'xml', 'text/xml': 'xml',
};
const PER_PAGE = { default: 30, max: 100 };

export interface EpcisCaptureOptions {
  /** Most events one capture may hold (`GS1-EPCIS-Capture-Limit`); 500 by default. */
  readonly captureLimit?: number;
}

/** The syntax and charset a request's `Content-Type` declares; `UNSUPPORTED_MEDIA_TYPE` for any other type. */
function mediaOf(req: Request): { syntax: EpcisParsed['syntax']; charset?: string } {
  const [type = '', ...params] = (req.get('content-type') ?? '').split(';').map((p) => p.trim());
  const syntax = MEDIA_TYPES[type.toLowerCase()];
  if (!syntax) throw new SuyuanError('UNSUPPORTED_MEDIA_TYPE', `不支持的内容类型 ${type} / capture takes ${Object.keys(MEDIA_TYPES).join(', ')}`, { detail: { contentType: type } });
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice(8).replace(/"/g, '');
  return charset ? { syntax, charset } : { syntax };
}

function headersOf(req: Request): CaptureErrorBehaviour {
  const version = req.get('gs1-epcis-version');
  if (version !== undefined && !/^2(\.\d+){0,2}$/.test(version.trim())) {
    throw new SuyuanError('BAD_REQUEST', `不支持 EPCIS ${version} / only EPCIS 2.0 is captured`, { detail: { header: 'GS1-EPCIS-Version', supported: '2.0.0' } });
  }
  const behaviour = (req.get('gs1-capture-error-behaviour') ?? 'rollback').trim();
  if (behaviour !== 'rollback' && behaviour !== 'proceed') {
    throw new SuyuanError('BAD_REQUEST', `GS1-Capture-Error-Behaviour must be rollback or proceed, not ${behaviour}`, { detail: { header: 'GS1-Capture-Error-Behaviour' } });
  }
  return behaviour;
}

const idOf = (value: unknown): string | undefined => {
  const id = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).eventID : undefined;
  return typeof id === 'string' ? id : undefined;
};

export function epcisCaptureTransport(options: EpcisCaptureOptions = {}): Transport {
  const captureLimit = options.captureLimit ?? 500;
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  function routes(ctx: TransportContext): Mount[] {
    const jobs = new CaptureJobs(tablesOf<CaptureTables>(ctx.db));
    const limits: CaptureLimits = { events: captureLimit, bytes: ctx.config.bodyLimit };
    const now = (): Date => new Date();

    async function run(id: string, plan: InboundPlan, bytes: Uint8Array, type: string, behaviour: CaptureErrorBehaviour, eventIds: Array<string | undefined>): Promise<void> {
      const capture = new CaptureRun(ctx.feeds, jobs, { id, behaviour, eventIds, now });
      try {
        const received = await ctx.feeds.runBuiltIn(plan, bytes, { type, events: capture.sink, settle: capture.settle });
        await jobs.finish(id, { finishedAt: now().toISOString(), messageId: received.messageId, errors: capture.errors });
      } catch (error) {
        // A resource that is away (the queue's Redis, the database) is said as such: capturing again later
        // is the remedy, and events already stored are then routed, not stored twice.
        const away = error instanceof SuyuanError && error.kind === 'operational';
        if (!away) ctx.log(error);
        await jobs.finish(id, {
          finishedAt: now().toISOString(),
          errors: [away
            ? { type: GS1_EXCEPTION.implementation, title: 'Temporarily unavailable', status: statusOf(error), detail: `the capture could not be completed: ${error.message}; capture again later`, code: error.code }
            : { type: GS1_EXCEPTION.implementation, title: 'Internal error', status: 500, detail: 'the capture could not be completed', code: 'INTERNAL' }],
        });
      }
    }

    const capture = async (req: Request, res: Response): Promise<void> => {
      const { syntax, charset } = mediaOf(req);
      const behaviour = headersOf(req);
      const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      const plan: InboundPlan = charset ? { ...PLAN, encoding: charset } : PLAN;
      // Read once here, to answer 400 or 413 before a job exists; the job reads it again in the pipeline.
      const parsed = parseStep(decodeStep(bytes, plan).text, plan) as EpcisParsed;
      if (parsed.syntax !== syntax) throw new SuyuanError('BAD_REQUEST', `the body is ${parsed.syntax}, the content type says ${syntax}`, { detail: { contentType: req.get('content-type') } });
      const records = splitStep(parsed, plan);
      if (records.length > captureLimit) {
        throw new SuyuanError('LIMIT_EXCEEDED', `${records.length} 个事件超过采集上限 ${captureLimit} / ${records.length} events exceed the capture limit`, { detail: { limit: 'GS1-EPCIS-Capture-Limit', max: captureLimit, events: records.length } });
      }
      if (stopped) throw new SuyuanError('IO_FAILED', 'the hub is stopping; capture again later');
      const id = randomUUID();
      const job = await jobs.create({ id, createdAt: now().toISOString(), behaviour, actor: principalOf(res)?.keyId ?? 'anonymous', events: records.length });
      const type = typeof parsed.document.type === 'string' ? parsed.document.type : 'EPCISDocument';
      queue = queue.then(() => run(id, plan, bytes, type, behaviour, records.map((r) => idOf(r.value)))).catch(ctx.log);
      versionHeaders(res);
      res.status(202).location(`${req.baseUrl}/capture/${id}`).json(job);
    };

    /** An integrator's own jobs only; an operator (or admin) sees every job. */
    const actorFilter = (res: Response): string | undefined => (hasRole(principalOf(res), 'operator') ? undefined : principalOf(res)?.keyId);

    const router = Router();
    const integrator = requireKey('integrator', 'operator');
    router.options('/capture', requireKey(), (_req, res) => {
      versionHeaders(res);
      res.set({
        Allow: 'OPTIONS, POST, GET', 'GS1-EPCIS-Min': '2.0.0', 'GS1-EPCIS-Max': '2.0.0', 'GS1-CBV-Min': '2.0.0', 'GS1-CBV-Max': '2.0.0',
        'GS1-EPCIS-Capture-Limit': String(limits.events), 'GS1-EPCIS-Capture-File-Size-Limit': String(limits.bytes), 'GS1-Capture-Error-Behaviour': 'all',
      }).status(204).end();
    });
    router.post('/capture', integrator, (req: Request, _res: Response, next: NextFunction) => { mediaOf(req); next(); },
      express.raw({ type: () => true, limit: ctx.config.bodyLimit }), capture);
    router.get('/capture', integrator, async (req, res) => {
      const perPage = req.query.perPage === undefined ? PER_PAGE.default : Number(req.query.perPage);
      if (!Number.isInteger(perPage) || perPage < 1) throw new SuyuanError('BAD_REQUEST', 'perPage must be a positive integer', { detail: { parameter: 'perPage' } });
      const token = typeof req.query.nextPageToken === 'string' ? req.query.nextPageToken : undefined;
      const shown = Math.min(perPage, PER_PAGE.max);
      const page = await jobs.list({ perPage: shown, ...(token ? { nextPageToken: token } : {}), ...(actorFilter(res) ? { actor: actorFilter(res) as string } : {}) });
      versionHeaders(res);
      if (page.next) res.set('Link', `<${req.baseUrl}/capture?perPage=${shown}&nextPageToken=${page.next}>; rel="next"`);
      res.json(page.jobs);
    });
    router.get('/capture/:id', integrator, async (req, res) => {
      const job = await jobs.get(String(req.params.id), actorFilter(res));
      if (!job) throw new SuyuanError('NOT_FOUND', `没有采集任务 ${String(req.params.id)} / no capture job`, { detail: { captureID: String(req.params.id) } });
      versionHeaders(res);
      res.json(job);
    });
    router.all(['/capture', '/capture/*rest'], () => { throw new SuyuanError('NOT_FOUND', 'no such capture resource'); });
    return [{ path: '/epcis', router, onError: captureErrorHandler(limits, ctx.log), raw: true }];
  }

  return {
    kind: 'epcis-capture',
    migrations: CAPTURE_MIGRATIONS,
    routes,
    /** Refuses new captures and waits for the queued ones to finish. */
    async stop() {
      stopped = true;
      await queue;
    },
  };
}
