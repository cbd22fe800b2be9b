/** The published documentation, open to all: `/docs` lists subjects, `/docs/<subject>/<version>` reads one. */
import { Router } from 'express';
import type { RegistryService } from '../../registry/service.ts';
import { renderDocument } from '../../standards/docs.ts';
import { markDeprecation } from './registry.ts';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function docsRouter(registry: RegistryService): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const items = registry.source.subjects().flatMap((subject) =>
      registry.source.released(subject).map((v) =>
        `<li><a href="/docs/${encodeURIComponent(subject)}/${v.version}">${escapeHtml(subject)} ${v.version}</a> <small>${v.status}</small></li>`));
    res.type('html').send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>交换标准 / Exchange standard</title></head><body><h1>交换标准 / Exchange standard</h1><ul>${items.join('')}</ul></body></html>`);
  });
  router.get('/:subject/:version', (req, res) => {
    const v = registry.source.get(String(req.params.subject), String(req.params.version));
    if (v.status === 'draft') {
      // Drafts are not published documentation.
      res.status(404).type('text').send('not published');
      return;
    }
    markDeprecation(res, registry, v);
    res.type('html').send(renderDocument([v], `${v.subject}@${v.version}`));
  });
  return router;
}
