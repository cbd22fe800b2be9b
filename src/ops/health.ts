/**
 * Liveness and readiness. `/healthz` answers as long as the process serves HTTP; `/readyz` runs every
 * readiness check (database, queue, Redis when configured, adapters loaded) and answers 503 naming
 * each check that failed, so a load balancer stops sending work and an operator sees why.
 */
import { Router } from 'express';

/** One readiness check: resolves (optionally with a detail to show) when the part can serve, rejects saying why not. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void | Readonly<Record<string, unknown>>>;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A check that fails when it has not answered within `ms`. */
function timed(check: ReadinessCheck, ms: number): Promise<void | Readonly<Record<string, unknown>>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([check.check(), timeout]).finally(() => clearTimeout(timer));
}

/** The checks a hub runs; parts that come later (a queue, a Redis client) add theirs with `add`. */
export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();
  readonly #timeoutMs: number;

  constructor(timeoutMs = 2_000) {
    this.#timeoutMs = timeoutMs;
  }

  /** Adds a check, replacing one of the same name. */
  add(check: ReadinessCheck): void {
    this.#checks.set(check.name, check);
  }

  get names(): readonly string[] {
    return [...this.#checks.keys()];
  }

  async run(): Promise<{ ready: boolean; checks: CheckResult[] }> {
    const checks = await Promise.all([...this.#checks.values()].map(async (c): Promise<CheckResult> => {
      const started = performance.now();
      try {
        const detail = await timed(c, this.#timeoutMs);
        return { name: c.name, ok: true, ms: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
      } catch (error) {
        return { name: c.name, ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
      }
    }));
    return { ready: checks.every((c) => c.ok), checks };
  }
}

/** `GET /healthz` and `GET /readyz`, open to everyone (they say nothing about messages or parties). */
export function healthRouter(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness.run();
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}
