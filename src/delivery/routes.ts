/**
 * The delivery API, mounted under `/v1`: subscriptions (`/subscriptions`, CRUD), dead letters
 * (`/dead-letters`: list by adapter, error code and time, show, replay one or by filter), and the queues'
 * counts (`/delivery`). Operators and admins only; every change is audited. (Pausing a feed is the
 * operations API's: `src/ops/routes.ts`.)
 */
import { Router } from 'express';
import type { AuditLog } from '../audit/index.ts';
import { actorOf, requireKey } from '../http/auth.ts';
import { count, text } from '../http/query.ts';
import { listDeadLetters, replayDeadLetter, replayDeadLetters, showDeadLetter, type DeadLetterFilter } from './dead-letters.ts';
import type { Delivery } from './service.ts';

/** The filter of a list or a replay; `feed` is taken for `adapter` too (the console's word). */
function filterOf(source: unknown): DeadLetterFilter {
  const f: Record<string, string> = {};
  for (const name of ['adapter', 'code', 'since', 'until'] as const) {
    const v = text(source, name);
    if (v !== undefined) f[name] = v;
  }
  const feed = text(source, 'feed');
  if (feed !== undefined && f.adapter === undefined) f.adapter = feed;
  return f;
}

export function deliveryRouter(delivery: Delivery, audit: AuditLog): Router {
  const router = Router();
  const operator = requireKey('operator');

  router.get('/subscriptions', operator, async (req, res) => {
    const adapter = text(req.query, 'adapter');
    const subscriber = text(req.query, 'subscriber');
    res.json({ subscriptions: await delivery.subscriptions.list({ ...(adapter ? { adapter } : {}), ...(subscriber ? { subscriber } : {}) }) });
  });
  router.post('/subscriptions', operator, async (req, res) => {
    const created = await delivery.subscriptions.create(req.body);
    await audit.record(actorOf(res), 'subscription.create', `subscription:${created.id}`, { ...created });
    res.status(201).location(`/v1/subscriptions/${created.id}`).json(created);
  });
  router.get('/subscriptions/:id', operator, async (req, res) => {
    res.json(await delivery.subscriptions.get(String(req.params.id)));
  });
  router.put('/subscriptions/:id', operator, async (req, res) => {
    const updated = await delivery.subscriptions.replace(String(req.params.id), req.body);
    await audit.record(actorOf(res), 'subscription.update', `subscription:${updated.id}`, { ...updated });
    res.json(updated);
  });
  router.delete('/subscriptions/:id', operator, async (req, res) => {
    const removed = await delivery.subscriptions.remove(String(req.params.id));
    await audit.record(actorOf(res), 'subscription.delete', `subscription:${removed.id}`, { ...removed });
    res.status(204).end();
  });

  router.get('/dead-letters', operator, async (req, res) => {
    const limit = count(req.query, 'limit', 100, 1000) || 1;
    const offset = count(req.query, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const filter = filterOf(req.query);
    // A feed that sends nothing has no delivery dead letters (its inbound ones are at /v1/messages).
    if (filter.adapter !== undefined && delivery.adapters.has(filter.adapter) && !delivery.destinations.includes(filter.adapter)) {
      res.json({ deadLetters: [], limit, offset });
      return;
    }
    const page = await listDeadLetters(delivery, { ...filter, limit: limit + 1, offset });
    res.json({ deadLetters: page.slice(0, limit), limit, offset, ...(page.length > limit ? { next: offset + limit } : {}) });
  });
  router.post('/dead-letters/replay', operator, async (req, res) => {
    const force = (req.body as Record<string, unknown> | undefined)?.force === true;
    const limit = count(req.body, 'limit', 10_000, 100_000);
    const replayed = await replayDeadLetters(delivery, { ...filterOf(req.body), limit }, { actor: actorOf(res), audit, force });
    res.json({ replayed });
  });
  router.get('/dead-letters/:id', operator, async (req, res) => {
    res.json(await showDeadLetter(delivery, String(req.params.id)));
  });
  router.post('/dead-letters/:id/replay', operator, async (req, res) => {
    const result = await replayDeadLetter(delivery, String(req.params.id), { actor: actorOf(res), audit });
    res.status(201).json(result);
  });

  router.get('/delivery', operator, async (_req, res) => {
    res.json({ engine: delivery.config.redisUrl === undefined ? 'sqlite' : 'bullmq', workers: delivery.working, queues: await delivery.counts(), alerts: await delivery.alerts() });
  });
  return router;
}
