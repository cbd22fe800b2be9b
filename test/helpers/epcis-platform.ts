/**
 * A stand-in third-party platform: a small GS1 EPCIS 2.0 capture and query server on port 0, storing
 * in memory, validating with the standard. `flaws` make it break chosen rules, as real platforms do.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { eventHash } from '../../src/standards/event-hash.ts';
import type { Standards } from '../../src/standards/index.ts';

export interface PlatformFlaws {
  /** Stores events the standard refuses. */
  readonly acceptInvalid?: boolean;
  /** Drops this member from every event it stores. */
  readonly loseField?: string;
  /** Starts each next page on the last event of the page before. */
  readonly pageWrong?: boolean;
  /** Stores the same event (same event hash) again. */
  readonly storeDuplicates?: boolean;
}

export interface Platform {
  readonly url: string;
  readonly stored: ReadonlyArray<Record<string, unknown>>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { sy: 'https://standards.suyuan.dev/ns/' }];

export async function startPlatform(standards: Standards, flaws: PlatformFlaws = {}): Promise<Platform> {
  const stored: Json[] = [];
  const hashes: string[] = [];
  const jobs = new Map<string, Json>();
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/ld+json'], limit: '5mb' }));

  const subjectOf = (event: Json): string => {
    const category = typeof event['sy:category'] === 'string' ? `profile.${event['sy:category']}` : undefined;
    return category && standards.catalog.subjects().includes(category) ? category : 'trace.event';
  };

  app.post('/capture', (req, res) => {
    const doc = req.body as Json;
    const events = (doc.epcisBody as Json | undefined)?.eventList;
    if (doc.type !== 'EPCISDocument' || !Array.isArray(events)) {
      res.status(400).type('application/problem+json').json({ type: 'epcisException:ValidationException', title: 'Not an EPCIS document', status: 400 });
      return;
    }
    const errors: Json[] = [];
    for (const [i, raw] of (events as Json[]).entries()) {
      const { '@context': _own, ...event } = raw;
      const result = standards.validate(subjectOf(event), 'latest', event);
      if (!result.valid && !flaws.acceptInvalid) {
        errors.push({ type: 'epcisException:ValidationException', title: 'Invalid event', status: 400, detail: result.problems.map((p) => `${p.code}@${p.path}`).join(', '), event: i });
        continue;
      }
      let hash: string;
      try {
        hash = eventHash(event, { context: doc['@context'] });
      } catch {
        hash = JSON.stringify(event); // an event the standard refuses may have no hash
      }
      if (hashes.includes(hash) && !flaws.storeDuplicates) {
        errors.push({ type: 'epcisException:ResourceAlreadyExistsException', title: 'Duplicate', status: 409, event: i });
        continue;
      }
      const kept: Json = { ...event, recordTime: new Date().toISOString() };
      if (flaws.loseField) delete kept[flaws.loseField];
      stored.push(kept);
      hashes.push(hash);
    }
    const id = String(jobs.size + 1);
    jobs.set(id, { captureID: id, running: false, success: errors.length === 0, errors });
    res.status(202).location(`/capture/${id}`).json({ captureID: id, running: true });
  });
  app.get('/capture/:id', (req, res) => {
    const job = jobs.get(req.params.id);
    if (!job) res.status(404).json({ type: 'epcisException:NoSuchResourceException', title: 'No such capture job', status: 404 });
    else res.json(job);
  });
  app.get('/events', (req, res) => {
    const perPage = Number(req.query.perPage ?? 30);
    const offset = Number(req.query.nextPageToken ?? 0);
    const eventId = typeof req.query.EQ_eventID === 'string' ? req.query.EQ_eventID : undefined;
    const list = eventId === undefined ? stored : stored.filter((e) => e.eventID === eventId);
    const page = list.slice(offset, offset + perPage);
    if (offset + perPage < list.length) {
      const next = flaws.pageWrong ? offset + perPage - 1 : offset + perPage;
      res.set('Link', `</events?perPage=${perPage}&nextPageToken=${next}${eventId ? `&EQ_eventID=${encodeURIComponent(eventId)}` : ''}>; rel="next"`);
    }
    res.type('application/ld+json').json({
      '@context': CONTEXT, type: 'EPCISQueryDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page } } },
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stored,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
