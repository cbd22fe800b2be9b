/** Every route an express app mounts, as `METHOD /path` (express patterns; a route on several paths joins them with `|`). */
import type { Express } from 'express';

interface Layer {
  readonly route?: { readonly path: string | readonly string[]; readonly methods: Readonly<Record<string, boolean>> };
  readonly handle: { readonly stack?: readonly Layer[] };
  readonly rawPath?: unknown;
}

const clean = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

function walk(stack: readonly Layer[], prefix: string, out: string[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = (Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]) as string[];
      const path = paths.map((p) => clean(`${prefix}${p}`)).join('|');
      for (const method of Object.keys(layer.route.methods)) out.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${path}`);
    } else if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, `${prefix}${mount}`, out);
    }
  }
}

export function mountedRoutes(app: Express): string[] {
  const out: string[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out);
  return [...new Set(out)];
}
