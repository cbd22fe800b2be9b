/**
 * The operator console: one page of plain HTML, ES modules and CSS under `/console`, served by the hub
 * itself with no build step and no external network, plus the playground API it needs. The page reads
 * the hub's own APIs with the session cookie (or, where there is no session endpoint, the key itself).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request } from 'express';
import type { Mount } from '../transports/contract.ts';
import { playgroundRouter, type PlaygroundParts } from './playground.ts';

/** Where the page's files are. */
export const CONSOLE_ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');

/**
 * Everything the page may load or call is the hub itself: scripts and styles only from files (nothing
 * inline; the standard's documentation shown in the page gets its stylesheet through the CSSOM).
 */
export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
  "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The console's languages; the first is the default when the browser asks for none of them. */
export const CONSOLE_LANGUAGES = ['zh-CN', 'en'] as const;

/** The page's language from `Accept-Language` (the page lets the reader switch and remembers the choice). */
export function languageOf(req: Request): (typeof CONSOLE_LANGUAGES)[number] {
  const chosen = req.acceptsLanguages('zh', 'zh-CN', 'zh-Hans', 'en');
  return typeof chosen === 'string' && chosen.startsWith('en') ? 'en' : 'zh-CN';
}

export function consoleRouter(): Router {
  const router = Router();
  const page = readFileSync(join(CONSOLE_ASSETS, 'index.html'), 'utf8');
  router.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONSOLE_CSP, 'Cache-Control': 'no-cache' });
    next();
  });
  router.get('/', (req, res) => {
    // `/console` and `/console/` are one page; relative asset URLs need the trailing slash.
    if (!req.originalUrl.split('?')[0]?.endsWith('/')) {
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    res.set('Vary', 'Accept-Language').type('html').send(page.replace('<html lang="zh-CN">', `<html lang="${languageOf(req)}">`));
  });
  router.use(express.static(CONSOLE_ASSETS, { index: false, fallthrough: true, redirect: false }));
  return router;
}

/** The console's mounts: the page at `/console` and its playground API at `/v1/playground` (raw bytes in). */
export function consoleMounts(parts: PlaygroundParts): Mount[] {
  return [
    { path: '/console', router: consoleRouter() },
    { path: '/v1/playground', router: playgroundRouter(parts), raw: true },
  ];
}
