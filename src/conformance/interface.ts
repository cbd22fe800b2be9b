/**
 * Interface mode: the suite drives a platform's live GS1 EPCIS 2.0 REST endpoint and judges its answers.
 *
 * - Capture: each case is captured alone (`POST <endpoint>/capture` with an EPCISDocument; a platform
 *   that answers 404 or 405 there is driven through `POST <endpoint>/events` with the single event).
 *   A capture is accepted when the answer is 2xx and, for a capture job (202 + `Location`), the job
 *   ends with `success: true`; it is refused when the answer is 4xx, or the job ends unsuccessful. A
 *   valid case MUST be accepted, an invalid one refused, and a refusal MUST say why: a 4xx status with
 *   an RFC 7807 body (`type` or `title`), or job `errors` of such objects.
 * - Query: `GET <endpoint>/events?perPage=…`, following `Link: <…>; rel="next"` (or a body
 *   `nextPageToken`): every accepted case MUST come back with the same CBV 2.0 event hash; pages
 *   MUST hold at most `perPage` events, never repeat one, and together give what one large page does.
 * - Duplicates: one accepted case captured again MUST be stored once (accepting or refusing the
 *   repeat are both fine); it is looked up with `EQ_eventID`.
 *
 * Each case's event times are moved by a run-unique number of milliseconds so that cases never collide
 * with each other or with an earlier run's events on the same platform; the evidence names the event
 * hashes actually sent.
 *
 * The other half — a platform implementing the SOAP service an adapter's WSDL describes, as a receiver
 * of what the hub sends it — is `soap-interface.ts`.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { SuyuanError } from '../errors.ts';
import { jsonDifferences } from '../mapping/index.ts';
import { eventHash } from '../standards/event-hash.ts';
import { isJsonObject } from '../standards/json.ts';
import { STANDARD_CONTEXT } from '../standards/paths.ts';
import { GS1_CONTEXT } from './documents.ts';
import { HttpPeer, type PeerAnswer } from './http-peer.ts';
import { buildReport, type ConformanceReport } from './report.ts';
import type { Finding, Requirement, Suite, SuiteCase } from './types.ts';

export interface InterfaceRunOptions {
  readonly suite: Suite;
  readonly endpoint: string;
  readonly platform?: string;
  /** Sent with every request (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Page size for the paging check (default 7). */
  readonly perPage?: number;
  readonly now?: () => Date;
}

const CONTEXT = [GS1_CONTEXT, STANDARD_CONTEXT];
/** Captures in flight at once. */
const CONCURRENCY = 6;
/** An interface-mode requirement of a suite (`interface/<id>`), with its title in both languages. */
export const interfaceRequirement = (suite: Suite, id: string, zh: string, en: string): Requirement => ({ id: `interface/${id}`, kind: 'interface', standard: suite.standard, profile: undefined, title: { zh, en } });
const ir = interfaceRequirement;

export function interfaceRequirements(suite: Suite): Requirement[] {
  return [
    ir(suite, 'capture/accepts-valid', '采集接口接受每个合规事件', 'The capture interface accepts every conforming event'),
    ir(suite, 'capture/refuses-invalid', '采集接口拒绝每个不合规事件', 'The capture interface refuses every non-conforming event'),
    ir(suite, 'capture/error-body', '拒绝时给出 4xx 状态和 RFC 7807 错误说明', 'A refusal has a 4xx status and an RFC 7807 problem body'),
    ir(suite, 'query/returns-stored', '查询接口返回所存事件，事件哈希不变', 'The query interface returns what was stored, with the same event hash'),
    ir(suite, 'query/paging', '查询分页正确（perPage、nextPageToken）', 'Query results page correctly (perPage, nextPageToken)'),
    ir(suite, 'capture/duplicate-once', '同一事件采集两次只存一次', 'The same event captured twice is stored once'),
  ];
}

const shiftTime = (value: unknown, ms: number): unknown => {
  if (typeof value !== 'string') return value;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return value;
  const offset = /([+-]\d{2}:\d{2}|Z)$/.exec(value)?.[1] ?? 'Z';
  if (offset === 'Z') return new Date(at + ms).toISOString();
  const minutes = (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return `${new Date(at + ms + minutes * 60_000).toISOString().slice(0, -1)}${offset}`;
};

/** The case's event, moved in time by `ms`. */
function eventOf(c: SuiteCase, ms: number): Record<string, unknown> {
  const event = structuredClone(c.document) as Record<string, unknown>;
  for (const k of ['eventTime', 'recordTime']) if (event[k] !== undefined) event[k] = shiftTime(event[k], ms);
  return event;
}

const documentOf = (events: readonly unknown[]): Record<string, unknown> => ({
  '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList: events },
});

const isProblemBody = (b: unknown): boolean => isJsonObject(b) && (typeof b.type === 'string' || typeof b.title === 'string');

interface CaptureResult {
  readonly accepted: boolean;
  /** For a refusal: whether it said why properly. */
  readonly proper: boolean;
  readonly evidence: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runInterface(options: InterfaceRunOptions): Promise<ConformanceReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { suite } = options;
  const peer = new HttpPeer(options.endpoint, options.headers);
  const perPage = options.perPage ?? 7;
  const findings: Finding[] = [];
  const add = (requirement: string, subjectOf: string, verdict: 'pass' | 'fail', evidence: string, path?: string): void => {
    findings.push({ requirement, subjectOf, verdict, evidence, ...(path === undefined ? {} : { path }) });
  };
  const cases = suite.cases.filter((c) => isJsonObject(c.document) && typeof c.document.eventTime === 'string');
  if (cases.length === 0) throw new SuyuanError('BAD_REQUEST', `${suite.standard} 没有事件用例 / the suite of ${suite.standard} has no event cases to capture`);
  let route: 'capture' | 'events' = 'capture';

  const finishJob = async (answer: PeerAnswer): Promise<PeerAnswer> => {
    const location = answer.headers.get('location');
    if (answer.status !== 202 || !location) return answer;
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const job = await peer.request('GET', location);
      if (job.status !== 200 || !isJsonObject(job.body) || job.body.running !== true) return job;
      await sleep(Math.min(5 * 2 ** attempt, 200));
    }
    return { status: 504, headers: new Headers(), body: 'the capture job did not finish' };
  };

  const capture = async (event: Record<string, unknown>): Promise<CaptureResult> => {
    let answer = route === 'capture'
      ? await peer.request('POST', 'capture', { type: 'application/ld+json', text: JSON.stringify(documentOf([event])) })
      : await peer.request('POST', 'events', { type: 'application/ld+json', text: JSON.stringify({ '@context': CONTEXT, ...event }) });
    if (route === 'capture' && (answer.status === 404 || answer.status === 405)) {
      route = 'events';
      return capture(event);
    }
    const first = answer.status;
    answer = await finishJob(answer);
    if (first === 202 && answer !== undefined && isJsonObject(answer.body) && 'success' in answer.body) {
      const job = answer.body;
      const errors = Array.isArray(job.errors) ? job.errors : [];
      if (job.success === true) return { accepted: true, proper: true, evidence: `202, job succeeded` };
      const proper = errors.length > 0 && errors.every((e) => isProblemBody(e) && (!isJsonObject(e) || e.status === undefined || (Number(e.status) >= 400 && Number(e.status) < 500)));
      const codes = errors.map((e) => (isJsonObject(e) ? String(e.code ?? e.type ?? e.title) : String(e))).join(', ');
      return { accepted: false, proper, evidence: `202, job failed: ${codes || 'no errors given'}` };
    }
    if (answer.status >= 200 && answer.status < 300) return { accepted: true, proper: true, evidence: `${answer.status}` };
    const body = isJsonObject(answer.body) ? String(answer.body.code ?? answer.body.type ?? answer.body.title ?? '') : '';
    const refused = answer.status >= 400 && answer.status < 500;
    return { accepted: false, proper: refused && isProblemBody(answer.body), evidence: `${answer.status}${body ? ` ${body}` : ''}` };
  };

  // 1. Capture every case.
  const base = randomInt(0, 1_000_000) * 10_000;
  const sent: Array<{ c: SuiteCase; event: Record<string, unknown>; hash: string }> = [];
  const events = cases.map((c, i) => eventOf(c, base + i));
  const results: CaptureResult[] = new Array<CaptureResult>(cases.length);
  // The first capture alone (it finds the route), then a few at a time.
  results[0] = await capture(events[0] as Record<string, unknown>);
  let cursor = 1;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = cursor++; i < cases.length; i = cursor++) results[i] = await capture(events[i] as Record<string, unknown>);
  }));
  for (const [i, c] of cases.entries()) {
    const event = events[i] as Record<string, unknown>;
    const result = results[i] as CaptureResult;
    if (c.expect === 'valid') {
      add(c.requirement, c.id, result.accepted ? 'pass' : 'fail', result.accepted ? `accepted (${result.evidence})` : `refused a valid event: ${result.evidence}`);
      add('interface/capture/accepts-valid', c.id, result.accepted ? 'pass' : 'fail', result.evidence);
      if (result.accepted) sent.push({ c, event, hash: eventHash(event, { context: CONTEXT }) });
    } else {
      const expected = `${c.code ?? ''} at ${c.path || '/'}`;
      add(c.requirement, c.id, result.accepted ? 'fail' : 'pass', result.accepted ? `accepted an event the standard refuses (${expected})` : `refused (${result.evidence}); expected ${expected}`, c.path);
      add('interface/capture/refuses-invalid', c.id, result.accepted ? 'fail' : 'pass', result.accepted ? `accepted; expected ${expected}` : result.evidence, c.path);
      if (!result.accepted) add('interface/capture/error-body', c.id, result.proper ? 'pass' : 'fail', result.evidence);
    }
  }

  // 2. What the platform returns.
  const large = await queryAll(peer, 100, findings);
  const returned = new Map<string, unknown>();
  for (const e of large.events) returned.set(e.hash, e.event);
  const byTime = new Map<string, unknown>();
  for (const e of large.events) if (isJsonObject(e.event) && typeof e.event.eventTime === 'string') byTime.set(`${String(e.event.type)}|${Date.parse(e.event.eventTime)}`, e.event);
  for (const s of sent) {
    if (returned.has(s.hash)) {
      add('interface/query/returns-stored', s.c.id, 'pass', s.hash);
      continue;
    }
    const near = byTime.get(`${String(s.event.type)}|${Date.parse(String(s.event.eventTime))}`);
    const differences = near === undefined ? [] : jsonDifferences(s.event, stripContext(near)).slice(0, 5);
    add('interface/query/returns-stored', s.c.id, 'fail', near === undefined
      ? `event ${s.hash} not returned`
      : `returned with another hash: ${differences.join('; ')}`);
  }

  // 3. Paging.
  const small = await queryAll(peer, perPage, findings);
  const pageProblems: string[] = [];
  small.pages.forEach((n, i) => { if (n > perPage) pageProblems.push(`page ${i + 1} holds ${n} events, perPage is ${perPage}`); });
  const seen = new Set<string>();
  for (const e of small.events) {
    if (seen.has(e.hash)) pageProblems.push(`event ${e.hash} returned on two pages`);
    seen.add(e.hash);
  }
  const missing = [...returned.keys()].filter((h) => !seen.has(h));
  if (missing.length > 0) pageProblems.push(`${missing.length} events of the single large page never came in pages of ${perPage}`);
  if (small.pages.length < 2 && large.events.length > perPage) pageProblems.push(`${large.events.length} events came in one page of perPage ${perPage}`);
  add('interface/query/paging', `perPage=${perPage}`, pageProblems.length === 0 ? 'pass' : 'fail',
    pageProblems.length === 0 ? `${small.events.length} events in ${small.pages.length} pages of at most ${perPage}` : pageProblems.slice(0, 5).join('; '));

  // 4. The same event twice.
  const probe = sent[0];
  if (probe) {
    const eventID = `urn:uuid:${randomUUID()}`;
    const event = { ...eventOf(probe.c, base + cases.length + 1), eventID };
    const hash = eventHash(event, { context: CONTEXT });
    const first = await capture(event);
    const second = await capture(event);
    const found = first.accepted ? (await queryAll(peer, 100, findings, `EQ_eventID=${encodeURIComponent(eventID)}`)).events.filter((e) => e.hash === hash).length : 0;
    const verdict = first.accepted && found === 1 ? 'pass' : 'fail';
    add('interface/capture/duplicate-once', probe.c.id, verdict, `first capture ${first.evidence}; second ${second.evidence}; stored ${found} time(s) (${hash})`);
  }

  return buildReport({
    platform: options.platform ?? new URL(options.endpoint).host, mode: 'interface', target: options.endpoint, suite,
    extra: interfaceRequirements(suite), findings,
    directionOf: (r) => (r.id.startsWith('interface/query/') ? 'sends' : 'receives'), startedAt, finishedAt: now(),
  });
}

const stripContext = (e: unknown): unknown => {
  if (!isJsonObject(e)) return e;
  const { '@context': _c, ...rest } = e;
  return rest;
};

interface QueryResult {
  readonly events: Array<{ hash: string; event: unknown }>;
  /** Events per page, in order. */
  readonly pages: number[];
}

/** Every page of `GET events?perPage=n[&filter]`, following the platform's next-page links. */
async function queryAll(peer: HttpPeer, perPage: number, findings: Finding[], filter?: string): Promise<QueryResult> {
  const events: QueryResult['events'] = [];
  const pages: number[] = [];
  let next: string | undefined = `events?perPage=${perPage}${filter ? `&${filter}` : ''}`;
  for (let page = 0; next !== undefined && page < 10_000; page += 1) {
    const answer = await peer.request('GET', next);
    if (answer.status !== 200 || !isJsonObject(answer.body)) {
      findings.push({ requirement: 'interface/query/returns-stored', subjectOf: next, verdict: 'fail', evidence: `GET ${next}: ${answer.status}` });
      break;
    }
    const doc = answer.body;
    const body = isJsonObject(doc.epcisBody) ? doc.epcisBody : {};
    const results = isJsonObject(body.queryResults) && isJsonObject(body.queryResults.resultsBody) ? body.queryResults.resultsBody : body;
    const list = Array.isArray(results.eventList) ? results.eventList : [];
    pages.push(list.length);
    for (const event of list) {
      let hash: string;
      try {
        hash = eventHash(event, { context: doc['@context'] });
      } catch {
        // An event the hash cannot read (the platform stored something the standard refuses) is still told apart from the others.
        hash = `unhashable:${createHash('sha256').update(JSON.stringify(event)).digest('hex')}`;
      }
      events.push({ hash, event });
    }
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(answer.headers.get('link') ?? '')?.[1];
    const token = typeof doc.nextPageToken === 'string' ? doc.nextPageToken : undefined;
    next = link ?? (token ? `events?perPage=${perPage}&nextPageToken=${encodeURIComponent(token)}${filter ? `&${filter}` : ''}` : undefined);
  }
  return { events, pages };
}
