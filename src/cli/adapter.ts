/** `suyuan adapter new | test | lint`: the integrator's tools, offline on the repository's files. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { fixtureName, listFixtures, runFixture, runInbound } from '../adapters/fixtures.ts';
import { loadAdapter, loadAdapters, type LoadedAdapter } from '../adapters/manifest.ts';
import { SAMPLE_RECORD, scaffoldAdapter } from '../adapters/scaffold.ts';
import { SuyuanError } from '../errors.ts';
import { DEFAULT_CASE_NOW, MappingEngine } from '../mapping/index.ts';
import { REPO_ROOT } from '../standards/paths.ts';
import { openStandards, repositoryRoot } from './context.ts';
import { shown } from './output.ts';

const rootOf = (): string => repositoryRoot() ?? REPO_ROOT;

async function adaptersNamed(ids: readonly string[]): Promise<{ adapters: LoadedAdapter[]; standards: Awaited<ReturnType<typeof openStandards>> }> {
  const standards = await openStandards();
  const root = rootOf();
  const adapters = ids.length > 0 ? ids.map((id) => loadAdapter(join(root, 'adapters', id), standards, root)) : loadAdapters(standards, root);
  return { adapters, standards };
}

function newCommand(): Command {
  return new Command('new')
    .description('scaffold a working adapter: manifest, README, a mapping with a case, and a sample fixture')
    .argument('<id>', 'the adapter id')
    .option('--department <code>', 'department code (department code list)', 'commerce')
    .action(async (id: string, options: { department: string }) => {
      const root = rootOf();
      const files = scaffoldAdapter(root, id, options.department);
      // The sample's expected output is what the sample mapping gives today: a baseline to change from.
      const { adapters, standards } = await adaptersNamed([id]);
      const adapter = adapters[0] as LoadedAdapter;
      const [fixture] = listFixtures(adapter);
      if (!fixture) throw new SuyuanError('INTERNAL', 'the scaffold has no fixture');
      const outcome = await runInbound(adapter, fixture, standards, new MappingEngine(), new Date(DEFAULT_CASE_NOW));
      if (outcome.status !== 'accepted') throw new SuyuanError('INTERNAL', `the scaffold's sample is not accepted: ${JSON.stringify(outcome.records.map((r) => r.problems))}`);
      const events = outcome.records.flatMap((r) => r.events.map((e) => e.event));
      const expected = fixture.input.replace(/\.input\.json$/, '.expected.json');
      writeFileSync(expected, `${JSON.stringify(events, null, 2)}\n`);
      const cases = join(root, 'mappings', id, 'sample.cases.json');
      writeFileSync(cases, `${JSON.stringify([{ name: 'sample', input: SAMPLE_RECORD, now: DEFAULT_CASE_NOW, expected: events[0] }], null, 2)}\n`);
      for (const f of [...files, expected, cases]) process.stdout.write(`${shown(f)}\n`);
      process.stdout.write(`adapter ${id} created; run: suyuan adapter test ${id}\n`);
    });
}

function testCommand(): Command {
  return new Command('test')
    .description('run an adapter\'s fixtures offline through the real pipeline, with a readable diff of expected versus actual')
    .argument('[ids...]', 'adapter ids (default: all)')
    .action(async (ids: string[]) => {
      const { adapters, standards } = await adaptersNamed(ids);
      const engine = new MappingEngine();
      let passed = 0;
      let failed = 0;
      for (const adapter of adapters) {
        for (const fixture of listFixtures(adapter)) {
          const result = await runFixture(adapter, fixture, standards, engine);
          if (result.passed) passed += 1;
          else failed += 1;
          process.stdout.write(`${result.passed ? 'ok  ' : 'FAIL'} ${fixtureName(fixture, rootOf())}\n`);
          for (const line of result.differences) process.stdout.write(`       ${line}\n`);
        }
      }
      process.stdout.write(`${passed} passed, ${failed} failed\n`);
      process.exitCode = failed === 0 ? 0 : 1;
    });
}

function lintCommand(): Command {
  return new Command('lint')
    .description('check every adapter manifest, its README, its mappings compile, and each message type has fixtures')
    .action(async () => {
      const standards = await openStandards();
      const root = rootOf();
      const engine = new MappingEngine();
      const findings: string[] = [];
      const base = join(root, 'adapters');
      const ids = existsSync(base) ? readdirSync(base).filter((d) => existsSync(join(base, d, 'adapter.json'))).sort() : [];
      for (const id of ids) {
        let adapter: LoadedAdapter;
        try {
          adapter = loadAdapter(join(base, id), standards, root);
        } catch (error) {
          const e = error as SuyuanError;
          findings.push(`${id}: ${e.code} ${e.message}`);
          continue;
        }
        if (!existsSync(join(adapter.dir, 'README.md'))) findings.push(`${id}: no README.md`);
        for (const mapping of adapter.mappings.values()) {
          try { engine.compile(mapping.id, mapping.version, mapping.source); } catch (error) { findings.push(`${id}: mapping ${mapping.id}: ${(error as Error).message}`); }
        }
        const fixtures = listFixtures(adapter);
        for (const key of ['inbound', 'outbound'] as const) {
          for (const m of adapter.manifest[key]?.messages ?? []) {
            if (!fixtures.some((f) => f.direction === key && f.type === m.type)) findings.push(`${id}: ${key} message type "${m.type}" has no fixtures (fixtures/${key}/${m.type}/)`);
          }
        }
      }
      for (const f of findings) process.stdout.write(`${f}\n`);
      process.stdout.write(`${findings.length} finding(s) in ${ids.length} adapter(s)\n`);
      process.exitCode = findings.length === 0 ? 0 : 1;
    });
}

export function adapterCommand(): Command {
  return new Command('adapter')
    .description('scaffold, test and lint department adapters (offline, on the repository\'s files)')
    .addCommand(newCommand())
    .addCommand(testCommand())
    .addCommand(lintCommand());
}
