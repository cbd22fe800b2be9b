/**
 * Dead letters are listed from an index kept beside the queue: pages are ordered by the time of death
 * and disjoint, filters work in the database, a job that died behind the workers' backs is found, one
 * the queue no longer holds is dropped, and a listing does not read every dead job from the queue.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { listDeadLetters } from '../src/delivery/index.ts';
import { REPO_ROOT } from '../src/standards/index.ts';
import { destinationManifest, startDestination, type Destination } from './helpers/destination.ts';
import { slaughterCsv, slaughterManifest, slaughterRow } from './helpers/slaughter.ts';
import { tempRoot, type TempRoot } from './helpers/temp-standard.ts';
import { until } from './helpers/until.ts';

const ADMIN = 'dead-letter-index-admin-key-01';
let repo: TempRoot;
let dataDir: string;
let app: App;
let dest: Destination;

beforeAll(async () => {
  dest = await startDestination();
  dest.refusing = true; // every delivery is refused: a dead letter at once
  repo = tempRoot();
  for (const dir of ['registry', 'standards/code-lists', 'mappings']) cpSync(join(REPO_ROOT, dir), join(repo.root, dir), { recursive: true });
  repo.write('adapters/test-slaughter/adapter.json', slaughterManifest('example-slaughter'));
  repo.write('adapters/dest-a/adapter.json', destinationManifest('dest-a', dest.url));
  dataDir = mkdtempSync(join(tmpdir(), 'suyuan-dead-index-'));
  app = await createApp(loadConfig({ port: 0, dataDir, root: repo.root, adminKey: ADMIN, logLevel: 'silent', mappingWorkers: 0, workers: true, deliveryRate: 1000 }, {}));
  await app.listen(); // starts the workers
  await app.delivery.subscriptions.create({ subscriber: '苏州市', adapter: 'dest-a', filter: { categories: ['meat-poultry'] } });
  for (let i = 0; i < 7; i += 1) {
    const outcome = await app.feeds.receive('test-slaughter', slaughterCsv(slaughterRow(`DLI-${i}`)));
    expect(outcome.status).toBe('accepted');
  }
  await until(async () => (await app.delivery.queue('deliver-dest-a').counts()).dead === 7);
}, 60_000);
afterAll(async () => {
  await app.close();
  await dest.close();
  rmSync(dataDir, { recursive: true, force: true });
  repo.cleanup();
});

describe('the dead-letter index', () => {
  it('pages by time of death without overlap, and filters by code and time in the database', async () => {
    const all = await listDeadLetters(app.delivery, { adapter: 'dest-a' });
    expect(all).toHaveLength(7);
    const times = all.map((l) => l.deadAt ?? '');
    expect(times).toEqual([...times].sort());
    const pages = [0, 3, 6].map((offset) => listDeadLetters(app.delivery, { adapter: 'dest-a', limit: 3, offset }));
    const ids = (await Promise.all(pages)).map((p) => p.map((l) => l.id));
    expect(ids.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(ids.flat()).toEqual(all.map((l) => l.id));
    expect(await listDeadLetters(app.delivery, { code: 'DELIVERY_REFUSED' })).toHaveLength(7);
    expect(await listDeadLetters(app.delivery, { code: 'IO_FAILED' })).toHaveLength(0);
    const middle = times[3] ?? '';
    expect(await listDeadLetters(app.delivery, { since: middle })).toHaveLength(times.filter((t) => t >= middle).length);
    expect(await listDeadLetters(app.delivery, { until: middle })).toHaveLength(times.filter((t) => t < middle).length);
  });

  it('reads only the page\'s jobs from the queue once the index is up to date', async () => {
    const queue = app.delivery.queue('deliver-dest-a');
    const dead = queue.dead.bind(queue);
    let gets = 0;
    const get = queue.get.bind(queue);
    Object.assign(queue, { dead: () => { throw new Error('dead() read every dead job'); }, get: (id: string) => { gets += 1; return get(id); } });
    try {
      const page = await listDeadLetters(app.delivery, { adapter: 'dest-a', limit: 2 });
      expect(page).toHaveLength(2);
      expect(gets).toBe(2);
    } finally {
      Object.assign(queue, { dead, get });
    }
  });

  it('finds a job that died behind the workers\' backs, and drops one the queue no longer holds', async () => {
    const db = app.db;
    const [first] = await listDeadLetters(app.delivery, { adapter: 'dest-a', limit: 1 });
    // Another process's queue handle kills a job the index has not seen, and one dead job is purged.
    await sql`update queue_jobs set state = 'dead', attempts = ${JSON.stringify([{ startedAt: '2026-11-29T01:00:00.000Z', finishedAt: '2026-11-29T01:00:01.000Z', outcome: 'dead', code: 'JOB_STALLED' }])}
      where id = (select id from queue_jobs where queue = 'route' and state = 'done' limit 1)`.execute(db);
    await sql`delete from queue_jobs where id = ${first?.id ?? ''}`.execute(db);
    const route = await listDeadLetters(app.delivery, { code: 'JOB_STALLED' });
    expect(route).toMatchObject([{ queue: 'route', stage: 'queue', code: 'JOB_STALLED', reason: 'the worker holding the job died too often' }]);
    const dests = await listDeadLetters(app.delivery, { adapter: 'dest-a' });
    expect(dests).toHaveLength(6);
    expect(dests.map((l) => l.id)).not.toContain(first?.id);
  });
});
