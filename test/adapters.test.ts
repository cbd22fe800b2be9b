/**
 * Every adapter under adapters/: its manifest loads, each message type has at least five accepted and
 * three rejected fixtures, and every fixture passes through the real pipeline. Adding a fixture pair
 * adds a test here.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureName, listFixtures, runFixture } from '../src/adapters/fixtures.ts';
import { loadAdapters } from '../src/adapters/manifest.ts';
import { MappingEngine } from '../src/mapping/index.ts';
import { REPO_ROOT, loadStandards } from '../src/standards/index.ts';
import { runCli } from './helpers/cli.ts';

const standards = await loadStandards();
const adapters = loadAdapters(standards, REPO_ROOT);
// Generous limits: the limits themselves are tested in mapping-engine.test.ts; here a loaded machine must not fail a case.
const engine = new MappingEngine({ limits: { timeoutMs: 10_000 } });

describe.each(adapters.map((a) => [a.manifest.id, a] as const))('adapter %s', (_id, adapter) => {
  const fixtures = listFixtures(adapter);
  for (const key of ['inbound', 'outbound'] as const) {
    for (const message of adapter.manifest[key]?.messages ?? []) {
      it(`${key} ${message.type}: at least 5 accepted and 3 rejected fixtures`, () => {
        const own = fixtures.filter((f) => f.direction === key && f.type === message.type);
        expect(own.filter((f) => f.expected).length).toBeGreaterThanOrEqual(5);
        expect(own.filter((f) => f.rejected).length).toBeGreaterThanOrEqual(3);
      });
    }
  }
  for (const fixture of fixtures) {
    it(fixtureName(fixture, REPO_ROOT), async () => {
      const result = await runFixture(adapter, fixture, standards, engine);
      expect(result.differences).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }
});

describe('suyuan adapter new, test and lint', () => {
  it('scaffolds a working adapter whose sample fixture and mapping case pass', async () => {
    const root = mkdtempSync(join(tmpdir(), 'suyuan-scaffold-'));
    try {
      for (const dir of ['registry', 'standards', 'mappings']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
      const env = { SUYUAN_ROOT: root };
      expect((await runCli(['adapter', 'new', 'demo-feed', '--department', 'agriculture'], env)).code).toBe(0);
      const tested = await runCli(['adapter', 'test', 'demo-feed'], env);
      expect(tested.stdout).toContain('1 passed, 0 failed');
      expect((await runCli(['adapter', 'lint'], env)).stdout).toContain('0 finding(s) in 1 adapter(s)');
      expect((await runCli(['mapping', 'test', 'demo-feed'], env)).code).toBe(0);
      expect((await runCli(['adapter', 'new', 'demo-feed'], env)).code).toBe(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
