/**
 * The mapping playground's API: run a department message through an adapter's inbound plan — decode,
 * parse, split, map, validate, identify — in memory, storing nothing, and answer every mapped event,
 * every problem and every step. An integrator sees only its own adapters: any other is "not found".
 *
 * - `GET  /v1/playground` — the adapters the caller may try, with their message types and sample fixtures
 * - `GET  /v1/playground/:adapter/sample?type=<message type>&name=<case>` — a sample's bytes, as the department sends them
 * - `POST /v1/playground/:adapter[?type=<message type>]` — the department's bytes in, the dry run out
 *
 * Decision: the playground's time is the request's time (fixtures pin theirs in `<case>.hints.json`,
 * which the playground does not read), so a mapping that checks times against "now" behaves as live.
 */
import { readFileSync } from 'node:fs';
import express, { Router, type Request, type Response } from 'express';
import type { LoadedAdapter } from '../adapters/manifest.ts';
import { listFixtures } from '../adapters/fixtures.ts';
import { chooseMessage, inboundPlan, sniffHints } from '../adapters/plans.ts';
import { hasRole } from '../auth/keys.ts';
import { SuyuanError } from '../errors.ts';
import type { FeedService } from '../feeds/service.ts';
import { principalOf, requireKey } from '../http/auth.ts';
import { recordProblems } from '../http/routes/feeds.ts';
import type { MappingEvaluator } from '../mapping/index.ts';
import { MemoryEventSink } from '../pipeline/events.ts';
import { MemoryProvenance } from '../pipeline/provenance.ts';
import { failureOf, runMessage } from '../pipeline/run.ts';
import type { SchemaSource } from '../standards/catalog.ts';
import type { Standards } from '../standards/validator.ts';

export interface PlaygroundParts {
  readonly feeds: FeedService;
  readonly standards: () => Standards<SchemaSource>;
  readonly evaluator: MappingEvaluator;
  readonly bodyLimit: number;
}

/** The inbound adapter `id` when the caller may use it; `ADAPTER_NOT_FOUND` otherwise (never "forbidden"). */
function adapterFor(parts: PlaygroundParts, req: Request, res: Response): LoadedAdapter {
  const id = String(req.params.adapter ?? '');
  const principal = principalOf(res);
  const adapter = parts.feeds.adapters.get(id);
  const allowed = hasRole(principal, 'operator', 'standards-body') || (principal?.scopes.includes(id) ?? false);
  if (!adapter?.manifest.inbound || !allowed) throw new SuyuanError('ADAPTER_NOT_FOUND', `no inbound adapter "${id}"`, { detail: { adapter: id } });
  return adapter;
}

function describe(adapter: LoadedAdapter): Record<string, unknown> {
  const inbound = adapter.manifest.inbound;
  const samples = listFixtures(adapter).filter((f) => f.direction === 'inbound')
    .map((f) => ({ type: f.type, name: f.name, expect: f.expected ? 'accepted' : 'rejected', file: f.input.split(/[\\/]/).pop() ?? f.name }));
  return {
    id: adapter.manifest.id, department: adapter.manifest.department, summary: adapter.manifest.summary,
    format: inbound?.format.kind ?? null, encoding: inbound?.format.encoding ?? 'UTF-8',
    messages: (inbound?.messages ?? []).map((m) => ({ type: m.type, summary: m.summary ?? null, format: m.format?.kind ?? inbound?.format.kind ?? null, mapping: m.mapping })),
    samples,
  };
}

export function playgroundRouter(parts: PlaygroundParts): Router {
  const router = Router();
  const user = requireKey('integrator', 'operator', 'standards-body');

  router.get('/', user, (_req, res) => {
    const principal = principalOf(res);
    const all = hasRole(principal, 'operator', 'standards-body');
    const adapters = [...parts.feeds.adapters.values()]
      .filter((a) => a.manifest.inbound && (all || principal?.scopes.includes(a.manifest.id)))
      .map(describe);
    res.json({ adapters });
  });

  router.get('/:adapter/sample', user, (req, res) => {
    const adapter = adapterFor(parts, req, res);
    const { type, name } = req.query;
    if (typeof type !== 'string' || typeof name !== 'string' || type === '' || name === '') {
      throw new SuyuanError('BAD_REQUEST', 'name the sample: ?type=<message type>&name=<case>', { detail: { type: type ?? null, name: name ?? null } });
    }
    const sample = listFixtures(adapter).find((f) => f.direction === 'inbound' && f.type === type && f.name === name);
    if (!sample) throw new SuyuanError('NOT_FOUND', `no sample ${type}/${name} of ${adapter.manifest.id}`, { detail: { adapter: adapter.manifest.id, type, name } });
    res.type('application/octet-stream').send(readFileSync(sample.input));
  });

  router.post('/:adapter', user, express.raw({ type: () => true, limit: parts.bodyLimit }), async (req, res) => {
    const adapter = adapterFor(parts, req, res);
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    const type = typeof req.query.type === 'string' && req.query.type !== '' ? req.query.type : undefined;
    const fileName = req.get('x-file-name');
    const hints = { ...(type ? { type } : {}), ...(fileName ? { fileName } : {}) };
    const id = adapter.manifest.id;
    let message;
    try {
      message = chooseMessage(adapter, sniffHints(adapter, bytes, hints));
    } catch (error) {
      res.json({ adapter: id, type: null, status: 'rejected', error: failureOf(error), records: [], problems: [], steps: [] });
      return;
    }
    const plan = inboundPlan(adapter, message);
    const provenance = new MemoryProvenance();
    const outcome = await runMessage(bytes, plan, {
      standards: parts.standards(), evaluator: parts.evaluator, provenance, events: new MemoryEventSink(),
    }, `playground:${id}`);
    res.json({
      adapter: id, type: message.type, standard: `${plan.standard.subject}@${plan.standard.version}`,
      mapping: plan.mapping ? `${plan.mapping.id}@${plan.mapping.version}` : null, status: outcome.status,
      ...(outcome.error ? { error: outcome.error } : {}),
      records: outcome.records.map((r) => ({
        index: r.index, position: r.position, status: r.status, problems: r.problems,
        ...(r.error ? { error: r.error } : {}), events: r.events.map((e) => ({ hash: e.hash, event: e.event })),
      })),
      problems: recordProblems({ ...outcome, type: message.type }),
      steps: provenance.records.map(({ messageId: _m, ...step }) => step),
    });
  });
  return router;
}
