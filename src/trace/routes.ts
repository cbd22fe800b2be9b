/**
 * The trace store's HTTP face: the GS1 EPCIS 2.0 query interface (`/epcis/events`), traces and recall
 * impact (`/v1/trace/<code>`, `/v1/recall-impact`), and the public look-up (`/t/<code>` and GS1 Digital
 * Link URIs such as `/01/<gtin>/10/<lot>/21/<serial>`). Every event leaves through the caller's view:
 * without a key, only fields classified public.
 */
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import type { Config } from '../config.ts';
import { ERROR_CATALOGUE, SuyuanError } from '../errors.ts';
import { epcisJsonToXml, GS1_CONTEXT_URL } from '../formats/epcis/index.ts';
import { principalOf, requireKey } from '../http/auth.ts';
import { normalise } from '../http/problem.ts';
import type { SchemaSource, Standards } from '../standards/index.ts';
import type { JsonObject } from '../standards/json.ts';
import type { Mount } from '../transports/contract.ts';
import { gs1TypeOf, versionHeaders } from '../transports/epcis/problems.ts';
import { recallImpact, summarise, traceOf, type Hop } from './answers.ts';
import type { TraceStore } from './contract.ts';
import { PAGE_TOKEN_LIFETIME_MS, pageToken, readEventQuery } from './epcis-query.ts';
import { publicPage } from './public-page.ts';
import { PUBLIC_READER, readerOf, visibleFields, type Reader } from './views.ts';

export interface TraceRouteDeps {
  readonly store: TraceStore;
  readonly standards: () => Standards<SchemaSource>;
  readonly config: Config;
  readonly adapters: readonly LoadedAdapter[];
  readonly log: (error: unknown) => void;
}

/** Primary keys of GS1 Digital Link URIs the resolver answers (the first path segment). */
const DIGITAL_LINK_KEYS = new Set(['01', '00', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8017', '8018']);

/** Query parameters that filter on fields the public may not see. */
const NON_PUBLIC_PARAMETERS = /^(EQ_bizTransaction_|EQ_source_|EQ_destination_)/;

const QUERY_PARAMETER_EXCEPTION = 'epcisException:QueryParameterException';

export function traceRoutes(deps: TraceRouteDeps): Mount[] {
  const departments = new Map(deps.adapters.map((a) => [a.manifest.id, a.manifest.department]));
  const readerFor = (res: Response): Reader => readerOf(principalOf(res), (adapter) => departments.get(adapter));
  const schema = (): JsonObject => deps.standards().catalog.get('trace.event', deps.config.canonical['trace.event'] ?? 'latest').schema;
  const view = (event: unknown, reader: Reader, feed: string): Record<string, unknown> =>
    (visibleFields(schema(), event, reader, { feed }) ?? {}) as Record<string, unknown>;

  /** A hop as the reader may see it: the summary is taken from the visible event only. */
  const hopView = (hop: Hop, reader: Reader): Record<string, unknown> => {
    const event = view(hop.event, reader, hop.feed);
    return {
      direction: hop.direction, via: hop.via, ...(reader === PUBLIC_READER ? {} : { code: hop.code }), hash: hop.hash,
      ...summarise(event), event,
    };
  };

  const epcis = Router();
  epcis.get('/events', async (req: Request, res: Response) => {
    const reader = readerFor(res);
    if (reader.level === 'public') {
      const hidden = Object.keys(req.query).find((k) => NON_PUBLIC_PARAMETERS.test(k));
      if (hidden) throw new SuyuanError('FORBIDDEN', `${hidden} filters on fields that are not public: it needs an API key`, { detail: { parameter: hidden } });
    }
    const now = new Date();
    const query = readEventQuery(req.query as Record<string, unknown>, undefined, now);
    // eventCountLimit: no more than what is left of it, in this page and the ones after.
    const perPage = query.left === undefined ? query.perPage : Math.min(query.perPage, query.left);
    const page = await deps.store.events(query.filter, { perPage, order: query.order, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) });
    const left = query.left === undefined ? undefined : query.left - page.events.length;
    // Events' own contexts move to the document's (XML declares prefixes on the root only).
    const prefixes: Record<string, unknown> = { sy: 'https://standards.suyuan.dev/ns/' };
    const eventList = page.events.map((e) => {
      const { '@context': context, ...rest } = view(e.event, reader, e.feed);
      for (const c of Array.isArray(context) ? context : [context]) if (typeof c === 'object' && c !== null) Object.assign(prefixes, c);
      return rest;
    });
    const document = {
      '@context': [GS1_CONTEXT_URL, prefixes],
      type: 'EPCISQueryDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } },
    };
    versionHeaders(res);
    if (page.nextCursor !== undefined && (left === undefined || left > 0)) {
      const params = new URLSearchParams(Object.entries(req.query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)] as [string, string])));
      const expires = new Date(now.getTime() + PAGE_TOKEN_LIFETIME_MS).toISOString();
      params.set('nextPageToken', pageToken({ cursor: page.nextCursor, order: query.order, ...(left !== undefined ? { left } : {}), expires }));
      res.set('Link', `<${req.baseUrl}${req.path}?${params.toString()}>; rel="next"`);
      res.set('GS1-Next-Page-Token-Expires', expires);
    }
    if (req.accepts(['application/ld+json', 'application/json', 'application/xml', 'text/xml']) === 'application/xml' || req.accepts(['application/json', 'application/ld+json', 'text/xml']) === 'text/xml') {
      res.type('application/xml').send(epcisJsonToXml(document));
      return;
    }
    res.type(req.accepts(['application/json', 'application/ld+json']) === 'application/ld+json' ? 'application/ld+json' : 'application/json').send(JSON.stringify(document));
  });
  const epcisErrors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const e = normalise(error);
    if (e.kind === 'unexpected') deps.log(error);
    versionHeaders(res);
    res.status(e.status).type('application/problem+json').send(JSON.stringify({
      type: e.code === 'QUERY_PARAMETER_INVALID' ? QUERY_PARAMETER_EXCEPTION : gs1TypeOf(e), title: ERROR_CATALOGUE[e.code].title,
      status: e.status, detail: e.message, instance: req.originalUrl, code: e.code, ...e.detail,
    }));
  };
  epcis.use(epcisErrors);

  const codeOf = (req: Request): string => {
    const raw = req.params.code as unknown;
    return Array.isArray(raw) ? raw.join('/') : String(raw ?? '');
  };

  /** The public answer for a code: HTML for browsers, JSON otherwise; 404 (with a page) when nothing names it. */
  const lookup = async (code: string, req: Request, res: Response): Promise<void> => {
    let hops: Array<Record<string, unknown>> = [];
    let status = 200;
    try {
      hops = (await traceOf(deps.store, code)).hops.map((h) => hopView(h, PUBLIC_READER));
    } catch (error) {
      if (!(error instanceof SuyuanError && error.code === 'TRACE_CODE_UNKNOWN')) throw error;
      if (req.accepts(['json', 'html']) !== 'html') throw error;
      status = 404;
    }
    if (req.accepts(['json', 'html']) === 'html') {
      res.status(status).set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").type('html')
        .send(publicPage(code, hops.map((h) => ({ ...(h as ReturnType<typeof summarise>), direction: String(h.direction), event: h.event }))));
      return;
    }
    res.json({ code, hops });
  };

  const api = Router();
  api.get('/v1/trace/*code', async (req, res) => {
    const reader = readerFor(res);
    const trace = await traceOf(deps.store, codeOf(req));
    res.json({ code: trace.code, identifiers: trace.identifiers, hops: trace.hops.map((h) => hopView(h, reader)) });
  });
  api.get('/v1/recall-impact', requireKey('regulator', 'operator'), async (req, res) => {
    const given = (['lot', 'class', 'code'] as const).filter((k) => typeof req.query[k] === 'string' && req.query[k] !== '');
    if (given.length !== 1) throw new SuyuanError('BAD_REQUEST', 'name exactly one of lot, class or code', { detail: { parameter: 'lot' } });
    const key = given[0] as 'lot' | 'class' | 'code';
    res.json(await recallImpact(deps.store, String(req.query[key])));
  });
  api.get('/t/*code', async (req, res) => { await lookup(codeOf(req), req, res); });
  api.get('/*path', async (req, res, next) => {
    const first = req.path.split('/')[1] ?? '';
    if (!DIGITAL_LINK_KEYS.has(first)) { next(); return; }
    await lookup(`https://id.gs1.org${req.path}`, req, res);
  });

  return [
    { path: '/epcis', router: epcis },
    { path: '/', router: api },
  ];
}
