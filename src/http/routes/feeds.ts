/**
 * HTTP push: `POST /v1/feeds/<adapter>/messages[/<type>]` takes the department's own bytes (JSON, XML,
 * CSV, in any declared encoding) and answers 202 with the message id when every record fits, or a
 * problem document listing every problem of every record (422), or why the message could not be read
 * (400, 413, 415). Whatever the answer, the message is kept with its outcome for replay.
 */
import express, { Router, type Request, type Response } from 'express';
import { hasRole } from '../../auth/keys.ts';
import { SuyuanError, type Problem } from '../../errors.ts';
import type { FeedService, Received } from '../../feeds/service.ts';
import { principalOf, requireKey } from '../auth.ts';

/**
 * Every problem of every record, each naming its record and where the record sits in the message;
 * a record whose mapping failed names the underlying check too (`problem`, e.g. `USCC_CHECK`).
 */
export function recordProblems(outcome: Received): Array<Problem & { record: number; position: string; problem?: string }> {
  return outcome.records.flatMap((r) => {
    const at = { record: r.index, position: r.position.path };
    if (r.problems.length > 0) return r.problems.map((p) => ({ ...p, ...at }));
    if (!r.error) return [];
    const problem = typeof r.error.detail.problem === 'string' ? { problem: r.error.detail.problem } : {};
    return [{ code: r.error.code, path: '', message: r.error.message, ...at, ...problem }];
  });
}

function summary(outcome: Received): Record<string, unknown> {
  return {
    messageId: outcome.messageId, feed: outcome.feed, type: outcome.type, status: outcome.status,
    records: outcome.records.map((r) => ({ index: r.index, position: r.position, status: r.status, events: r.events.map((e) => ({ hash: e.hash, stored: e.stored })) })),
  };
}

export function feedsRouter(feeds: FeedService, bodyLimit: number): Router {
  const router = Router();
  const receive = async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params.adapter);
    const principal = principalOf(res);
    // An integrator sees only its own adapters: any other is "not found", never "forbidden".
    if (!hasRole(principal, 'operator') && !principal?.scopes.includes(id)) throw new SuyuanError('ADAPTER_NOT_FOUND', `no inbound adapter "${id}"`, { detail: { adapter: id } });
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    const type = typeof req.params.type === 'string' ? req.params.type : undefined;
    const fileName = req.get('x-file-name');
    const outcome = await feeds.receive(id, bytes, { ...(type ? { type } : {}), ...(fileName ? { fileName } : {}) });
    if (outcome.error) {
      throw new SuyuanError(outcome.error.code as never, outcome.error.message, { detail: { ...outcome.error.detail, messageId: outcome.messageId } });
    }
    if (outcome.status !== 'accepted') {
      throw new SuyuanError('MESSAGE_REJECTED', `${outcome.records.filter((r) => r.status === 'invalid' || r.status === 'failed').length} of ${outcome.records.length} record(s) do not fit the standard`, {
        problems: recordProblems(outcome), detail: summary(outcome),
      });
    }
    res.status(202).location(`/v1/messages/${outcome.messageId}`).json(summary(outcome));
  };
  const raw = express.raw({ type: () => true, limit: bodyLimit });
  router.post('/:adapter/messages', requireKey('integrator', 'operator'), raw, receive);
  router.post('/:adapter/messages/:type', requireKey('integrator', 'operator'), raw, receive);
  return router;
}
