/** `suyuan mapping …`: tools for integrators writing JSONata mappings. */
import { Command } from 'commander';
import { mappingCompileCommand } from './mapping-compile.ts';
import { mappingRunCommand } from './mapping-run.ts';
import { mappingTestCommand } from './mapping-test.ts';

export function mappingCommand(): Command {
  return new Command('mapping')
    .description('run a mapping on a department message, or run every mapping\'s cases')
    .addCommand(mappingRunCommand())
    .addCommand(mappingTestCommand())
    .addCommand(mappingCompileCommand());
}
