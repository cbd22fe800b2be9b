/** API key administration under `/v1/keys`: admins create (the key is shown once), list and revoke. */
import { Router } from 'express';
import type { AuditLog } from '../../audit/index.ts';
import type { KeyStore, Role } from '../../auth/keys.ts';
import { SuyuanError } from '../../errors.ts';
import { isJsonObject } from '../../standards/json.ts';
import { actorOf, requireKey } from '../auth.ts';

export function keysRouter(keys: KeyStore, audit: AuditLog): Router {
  const router = Router();
  const admin = requireKey('admin');
  router.get('/', admin, async (_req, res) => { res.json(await keys.list()); });
  router.post('/', admin, async (req, res) => {
    const b: unknown = req.body;
    if (!isJsonObject(b) || typeof b.name !== 'string' || !Array.isArray(b.roles)) {
      throw new SuyuanError('BAD_REQUEST', 'a key needs "name" and "roles"');
    }
    const created = await keys.create({
      name: b.name,
      roles: b.roles.map(String) as Role[],
      ...(Array.isArray(b.scopes) ? { scopes: b.scopes.map(String) } : {}),
      ...(typeof b.expiresAt === 'string' ? { expiresAt: b.expiresAt } : {}),
    });
    await audit.record(actorOf(res), 'key.create', `key:${created.info.keyId}`, { name: created.info.name, roles: created.info.roles });
    res.status(201).json({ key: created.key, ...created.info });
  });
  router.delete('/:id', admin, async (req, res) => {
    await keys.revoke(String(req.params.id));
    await audit.record(actorOf(res), 'key.revoke', `key:${String(req.params.id)}`);
    res.status(204).end();
  });
  return router;
}
