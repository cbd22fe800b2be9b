import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardsPaths, type RegistryIndex } from '../src/standards/index.ts';
import { verifyRegistry, writeRelease } from '../src/standards/registry-files.ts';
import { tempRoot, widgetSchema, type TempRoot } from './helpers/temp-standard.ts';

describe('the repository registry', () => {
  it('has every released file with the sha256 its index records', () => {
    expect(verifyRegistry(standardsPaths())).toEqual([]);
  });

  it('never changed a released entry in any commit (append-only index)', (ctx) => {
    let shas: string[];
    try {
      shas = execFileSync('git', ['log', '--reverse', '--format=%H', '--', 'registry/index.json'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    } catch {
      console.warn('NOTICE: not a git checkout; the registry history check is skipped');
      ctx.skip();
      return;
    }
    const key = (e: RegistryIndex['versions'][number]) => JSON.stringify([e.subject, e.version, e.file, e.sha256]);
    let before: string[] = [];
    for (const sha of shas) {
      let index: RegistryIndex;
      try {
        index = JSON.parse(execFileSync('git', ['show', `${sha}:registry/index.json`], { encoding: 'utf8' })) as RegistryIndex;
      } catch {
        index = { standard: 'suyuan', versions: [] };
      }
      const now = index.versions.map(key);
      expect(now.slice(0, before.length), `registry/index.json at ${sha} rewrote an earlier entry`).toEqual(before);
      before = now;
    }
  });
});

describe('released files', () => {
  let repo: TempRoot;
  beforeEach(() => { repo = tempRoot(); });
  afterEach(() => repo.cleanup());

  it('are written once, and any change to one is found', () => {
    const paths = standardsPaths(repo.root);
    const entry = writeRelease(paths, 'test.widget', '1.0.0', widgetSchema() as never, new Date('2026-01-01T00:00:00Z'));
    expect(entry).toMatchObject({ subject: 'test.widget', version: '1.0.0', file: 'test.widget/1.0.0.schema.json', releasedAt: '2026-01-01T00:00:00.000Z' });
    expect(verifyRegistry(paths)).toEqual([]);
    expect(() => writeRelease(paths, 'test.widget', '1.0.0', widgetSchema() as never, new Date())).toThrow(expect.objectContaining({ code: 'VERSION_ALREADY_RELEASED' }));
    appendFileSync(join(paths.registry, entry.file), ' ');
    expect(verifyRegistry(paths).map((p) => p.message)).toEqual([expect.stringContaining('released file changed')]);
    repo.write('registry/test.widget/2.0.0.schema.json', {});
    expect(verifyRegistry(paths).map((p) => p.message)).toContain('schema file is not in index.json');
  });
});
