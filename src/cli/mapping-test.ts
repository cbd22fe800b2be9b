/** `suyuan mapping test [mapping...]`: every case of every mapping, with a readable diff of what differs. */
import { Command } from 'commander';
import { MappingEngine, loadMapping, loadMappings, runCases } from '../mapping/index.ts';
import { repositoryRoot } from './context.ts';

export function mappingTestCommand(): Command {
  return new Command('test')
    .description('run the cases of the mappings under mappings/ (input → expected output or expected error code)')
    .argument('[mappings...]', 'mapping ids (default: all)')
    .action(async (ids: string[]) => {
      const root = repositoryRoot();
      const mappings = ids.length > 0 ? ids.map((id) => loadMapping(id, root)) : loadMappings(root);
      const engine = new MappingEngine();
      let passed = 0;
      let failed = 0;
      for (const mapping of mappings) {
        for (const result of await runCases(engine, mapping)) {
          if (result.passed) passed += 1;
          else failed += 1;
          process.stdout.write(`${result.passed ? 'ok  ' : 'FAIL'} ${mapping.id} ${result.name}\n`);
          for (const line of result.differences) process.stdout.write(`       ${line}\n`);
        }
      }
      process.stdout.write(`${passed} passed, ${failed} failed\n`);
      process.exitCode = failed === 0 ? 0 : 1;
    });
}
