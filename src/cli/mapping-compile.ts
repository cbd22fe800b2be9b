/** `suyuan mapping compile --report`: which mappings (and version bridges) run compiled to JavaScript, and why any does not. */
import { Command } from 'commander';
import { compileReport } from '../mapping/compiler/report.ts';
import { repositoryRoot } from './context.ts';
import { printJson } from './output.ts';

export function mappingCompileCommand(): Command {
  return new Command('compile')
    .description('compile every mapping under mappings/ and every version bridge to JavaScript; with --report, list how each runs')
    .option('--report', 'list each mapping: compiled (native) or interpreted, and why')
    .option('--json', 'machine-readable output')
    .action((options: { report?: boolean; json?: boolean }) => {
      const rows = compileReport(repositoryRoot());
      const broken = rows.filter((r) => r.mode === 'syntax-error');
      process.exitCode = broken.length === 0 ? 0 : 1;
      if (options.json) return printJson(rows);
      if (options.report) {
        const width = Math.max(...rows.map((r) => `${r.id}@${r.version}`.length));
        for (const r of rows) {
          const mode = r.mode === 'native' ? 'compiled   ' : r.mode === 'interpreter' ? 'interpreted' : 'SYNTAX     ';
          process.stdout.write(`${`${`${r.id}@${r.version}`.padEnd(width)}  ${mode}${r.reason === undefined ? '' : `  ${r.reason}`}`.trimEnd()}\n`);
        }
      }
      const native = rows.filter((r) => r.mode === 'native').length;
      process.stdout.write(`${native} of ${rows.length} mapping(s) compiled, ${rows.length - native - broken.length} interpreted, ${broken.length} with syntax errors\n`);
    });
}
