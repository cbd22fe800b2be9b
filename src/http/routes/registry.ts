/**
 * The registry's native API under `/v1`: subjects, versions (by number, `latest`, or a semver
 * range), drafts and lifecycle, compatibility levels, validation, diff, and downloads of a version's
 * JSON Schema, TypeScript types and HTML documentation. Reads need a key; writes the standards-body role.
 */
import { Router, type Request, type Response } from 'express';
import { SuyuanError } from '../../errors.ts';
import { deleteSubject } from '../../registry/confluent-ops.ts';
import type { RegistryService } from '../../registry/service.ts';
import type { RegistryVersion } from '../../registry/source.ts';
import { describeDifferences, type CompatibilityLevel } from '../../standards/compat/index.ts';
import type { VersionStatus } from '../../standards/catalog.ts';
import { renderDocument } from '../../standards/docs.ts';
import { isJsonObject } from '../../standards/json.ts';
import { generateTypes } from '../../standards/types.ts';
import { actorOf, requireKey } from '../auth.ts';

/** The JSON face of a version (without its schema unless asked). */
export function versionView(v: RegistryVersion, withSchema = false): Record<string, unknown> {
  return {
    subject: v.subject, version: v.version, number: v.number, status: v.status, schemaId: v.schemaId,
    deprecated: v.status === 'deprecated', createdAt: v.createdAt, updatedAt: v.updatedAt,
    ...(withSchema ? { schema: v.schema } : {}),
  };
}

/**
 * Marks a response that uses a deprecated version (RFC 9745 `Deprecation`, with the newest published
 * version as `successor-version`), so every client that reads it is told.
 */
export function markDeprecation(res: Response, registry: RegistryService, v: RegistryVersion): void {
  if (v.status !== 'deprecated') return;
  res.set('Deprecation', `@${Math.floor(Date.parse(v.updatedAt) / 1000)}`);
  const successor = registry.source.released(v.subject).filter((x) => x.status === 'published').at(-1);
  if (successor) res.set('Link', `</v1/subjects/${encodeURIComponent(v.subject)}/versions/${successor.version}>; rel="successor-version"`);
}

const param = (req: Request, name: string): string => String(req.params[name] ?? '');

function body(req: Request): Record<string, unknown> {
  if (!isJsonObject(req.body)) throw new SuyuanError('BAD_REQUEST', 'the body must be a JSON object');
  return req.body;
}

export function registryRouter(registry: RegistryService): Router {
  const router = Router();
  const read = requireKey();
  const write = requireKey('standards-body');
  const version = (req: Request): RegistryVersion => registry.source.get(param(req, 'subject'), param(req, 'version'));

  router.get('/subjects', read, (_req, res) => {
    res.json(registry.source.subjects().map((subject) => {
      const versions = registry.source.versions(subject);
      return { subject, level: registry.levelOf(subject), versions: versions.length, latest: versions.filter((v) => v.status !== 'draft').at(-1)?.version ?? null };
    }));
  });
  router.get('/subjects/:subject', read, (req, res) => {
    const subject = param(req, 'subject');
    res.json({ subject, level: registry.levelOf(subject), versions: registry.source.versions(subject).map((v) => versionView(v)) });
  });
  router.get('/subjects/:subject/versions', read, (req, res) => {
    res.json(registry.source.versions(param(req, 'subject')).map((v) => versionView(v)));
  });
  router.get('/subjects/:subject/versions/:version', read, (req, res) => {
    const v = version(req);
    markDeprecation(res, registry, v);
    res.json(versionView(v, true));
  });
  router.get('/subjects/:subject/versions/:version/schema', read, (req, res) => {
    const v = version(req);
    markDeprecation(res, registry, v);
    res.attachment(`${v.subject}-${v.version}.schema.json`).type('application/schema+json').send(`${JSON.stringify(v.schema, null, 2)}\n`);
  });
  router.get('/subjects/:subject/versions/:version/types', read, async (req, res) => {
    const v = version(req);
    markDeprecation(res, registry, v);
    res.attachment(`${v.subject}-${v.version}.d.ts`).type('application/typescript; charset=utf-8').send(await generateTypes(registry.source, v));
  });
  router.get('/subjects/:subject/versions/:version/docs', read, (req, res) => {
    const v = version(req);
    markDeprecation(res, registry, v);
    res.type('html').send(renderDocument([v], `${v.subject}@${v.version}`));
  });
  router.post('/subjects/:subject/versions/:version/validate', read, (req, res) => {
    const result = registry.validate(param(req, 'subject'), param(req, 'version'), req.body);
    markDeprecation(res, registry, registry.source.get(param(req, 'subject'), result.version));
    if (!result.valid) {
      throw new SuyuanError('VALIDATION_FAILED', `${result.problems.length} problem(s) against ${result.subject}@${result.version}`, {
        problems: result.problems, detail: { subject: result.subject, version: result.version, deprecated: result.deprecated },
      });
    }
    res.json(result);
  });
  router.get('/subjects/:subject/diff', read, (req, res) => {
    const subject = param(req, 'subject');
    const from = registry.source.get(subject, String(req.query.from ?? ''));
    const to = registry.source.get(subject, String(req.query.to ?? 'latest'));
    const description = describeDifferences(from.schema, to.schema, { resolve: registry.resolver() });
    res.json({ subject, from: from.version, to: to.version, ...description });
  });
  router.post('/subjects/:subject/compatibility', read, (req, res) => {
    const { schema, level, version: candidateVersion } = body(req);
    if (!isJsonObject(schema)) throw new SuyuanError('BAD_REQUEST', '"schema" must be a JSON Schema object');
    res.json(registry.compatibility(param(req, 'subject'), schema, {
      ...(typeof level === 'string' ? { level: level as CompatibilityLevel } : {}),
      ...(typeof candidateVersion === 'string' ? { version: candidateVersion } : {}),
    }));
  });

  router.post('/subjects/:subject/versions', write, async (req, res) => {
    const { version: v, schema } = body(req);
    const created = await registry.createDraft(actorOf(res), param(req, 'subject'), String(v ?? ''), schema);
    res.status(201).location(`/v1/subjects/${encodeURIComponent(created.subject)}/versions/${created.version}`).json(versionView(created, true));
  });
  router.put('/subjects/:subject/versions/:version', write, async (req, res) => {
    res.json(versionView(await registry.updateDraft(actorOf(res), param(req, 'subject'), param(req, 'version'), body(req).schema), true));
  });
  router.delete('/subjects/:subject/versions/:version', write, async (req, res) => {
    await registry.deleteDraft(actorOf(res), param(req, 'subject'), param(req, 'version'));
    res.status(204).end();
  });
  router.post('/subjects/:subject/versions/:version/status', write, async (req, res) => {
    const status = String(body(req).status ?? '') as VersionStatus;
    res.json(versionView(await registry.setStatus(actorOf(res), param(req, 'subject'), param(req, 'version'), status)));
  });

  router.delete('/subjects/:subject', write, async (req, res) => {
    const permanent = req.query.permanent === 'true';
    res.json({ subject: param(req, 'subject'), permanent, deleted: await deleteSubject(registry, actorOf(res), param(req, 'subject'), permanent) });
  });

  router.get('/config', read, (_req, res) => { res.json({ compatibility: registry.source.level('') }); });
  router.put('/config', write, async (req, res) => {
    res.json({ compatibility: await registry.setLevel(actorOf(res), undefined, String(body(req).compatibility ?? '')) });
  });
  router.get('/config/:subject', read, (req, res) => {
    const own = registry.source.snapshot.config.get(param(req, 'subject'));
    res.json({ subject: param(req, 'subject'), compatibility: own ?? null, effective: registry.levelOf(param(req, 'subject')) });
  });
  router.put('/config/:subject', write, async (req, res) => {
    res.json({ compatibility: await registry.setLevel(actorOf(res), param(req, 'subject'), String(body(req).compatibility ?? '')) });
  });
  router.delete('/config/:subject', write, async (req, res) => {
    res.json({ compatibility: await registry.deleteLevel(actorOf(res), param(req, 'subject')) });
  });
  router.get('/audit', requireKey('standards-body', 'operator', 'regulator'), async (req, res) => {
    const subject = typeof req.query.subject === 'string' ? req.query.subject : undefined;
    res.json(await registry.audit.list({ limit: Number(req.query.limit ?? 100), ...(subject ? { targetPrefix: `subject:${subject}` } : {}) }));
  });
  return router;
}
