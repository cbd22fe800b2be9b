/**
 * Kept inbound messages: `GET /v1/messages` (filtered, paged), one message's outcome, path and replays,
 * its original bytes, and replay — of one message or of every dead letter matching a filter. An
 * integrator sees only its own adapters' messages: any other is "not found", never "forbidden".
 */
import { Router, type Request, type Response } from 'express';
import type { AuditLog } from '../../audit/index.ts';
import { hasRole, type Principal } from '../../auth/keys.ts';
import { SuyuanError } from '../../errors.ts';
import { listMessages, replayLinks, replayMessage, replayMessages, type MessageFilter } from '../../feeds/replay.ts';
import type { FeedService } from '../../feeds/service.ts';
import { ProvenanceStore } from '../../pipeline/provenance.ts';
import { actorOf, principalOf, requireKey } from '../auth.ts';
import { count, text } from '../query.ts';

/** The adapters a caller may see: all (`undefined`) for operators and admins, else its scopes. */
function scopeOf(principal: Principal | undefined): readonly string[] | undefined {
  return hasRole(principal, 'operator') ? undefined : (principal?.scopes ?? []);
}

/** The filter fields shared by the list and the replay by filter, narrowed to what the caller may see. */
function filterOf(source: unknown, res: Response): MessageFilter {
  const feed = text(source, 'feed');
  const code = text(source, 'code');
  const since = text(source, 'since');
  const until = text(source, 'until');
  const scope = scopeOf(principalOf(res));
  return {
    ...(feed === undefined ? {} : { feed }), ...(code === undefined ? {} : { code }),
    ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }),
    ...(scope === undefined ? {} : { feeds: scope }),
  };
}

export function messagesRouter(feeds: FeedService, audit: AuditLog): Router {
  const router = Router();
  const reader = requireKey('integrator', 'operator');

  /** The kept message, when the caller may see it; `NOT_FOUND` otherwise. */
  const visible = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const kept = await feeds.message(id);
    const scope = scopeOf(principalOf(res));
    if (!kept || (scope !== undefined && !scope.includes(kept.feed))) throw new SuyuanError('NOT_FOUND', `no kept message ${id}`, { detail: { messageId: id } });
    return kept;
  };

  router.get('/', reader, async (req, res) => {
    const limit = count(req.query, 'limit', 100, 1000) || 1;
    const offset = count(req.query, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const status = text(req.query, 'status')?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const filter = { ...filterOf(req.query, res), ...(status ? { status } : {}) };
    const page = await listMessages(feeds, { ...filter, limit: limit + 1, offset });
    res.json({ messages: page.slice(0, limit), limit, offset, ...(page.length > limit ? { next: offset + limit } : {}) });
  });

  router.post('/replay', requireKey('operator', 'integrator'), async (req, res) => {
    const filter = filterOf(req.body, res);
    if (filter.feeds !== undefined && filter.feed !== undefined && !filter.feeds.includes(filter.feed)) {
      throw new SuyuanError('ADAPTER_NOT_FOUND', `no inbound adapter "${filter.feed}"`, { detail: { adapter: filter.feed } });
    }
    const force = (req.body as Record<string, unknown> | undefined)?.force === true;
    const replayed = await replayMessages(feeds, filter, { actor: actorOf(res), audit, force });
    res.json({ replayed });
  });

  router.get('/:id', reader, async (req, res) => {
    const kept = await visible(req, res);
    const path = feeds.kept.provenance instanceof ProvenanceStore ? await feeds.kept.provenance.path(kept.id) : [];
    // The failing stage: the first step that did not go through.
    const stage = path.find((s) => s.outcome === 'error' || s.outcome === 'invalid')?.step ?? null;
    res.json({ ...kept, stage, path, ...(await replayLinks(feeds, kept.id)) });
  });

  router.get('/:id/original', reader, async (req, res) => {
    const kept = await visible(req, res);
    const bytes = await feeds.kept.blobs.get(kept.original);
    if (!bytes) throw new SuyuanError('NOT_FOUND', `the original bytes of message ${kept.id} are gone`, { detail: { messageId: kept.id } });
    res.type('application/octet-stream').send(Buffer.from(bytes));
  });

  router.post('/:id/replay', requireKey('operator', 'integrator'), async (req, res) => {
    const kept = await visible(req, res);
    const result = await replayMessage(feeds, kept.id, { actor: actorOf(res), audit });
    res.status(201).location(`/v1/messages/${result.messageId ?? ''}`).json(result);
  });

  return router;
}
