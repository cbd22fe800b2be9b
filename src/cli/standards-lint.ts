/** `suyuan standards lint [subject...]`: the conventions of `standards/README.md`, checked. */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { openStandards } from './context.ts';
import { Command } from 'commander';
import { lintStandards } from '../standards/lint.ts';
import { printJson, shown } from './output.ts';

export function standardsLintCommand(): Command {
  return new Command('lint')
    .description('check every schema compiles, has bilingual titles and classifications, and its examples behave as labelled')
    .argument('[subjects...]', 'subjects to lint (default: all)')
    .option('--json', 'machine-readable output')
    .action(async (subjects: string[], options: { json?: boolean }) => {
      const standards = await openStandards();
      const findings = lintStandards(standards, subjects);
      if (options.json) printJson(findings);
      else {
        for (const f of findings) {
          const where = isAbsolute(f.where) && existsSync(f.where) ? shown(f.where) : f.where;
          process.stdout.write(`${f.subject}@${f.version}  ${f.code}  ${where}  ${f.message}\n`);
        }
        const versions = (subjects.length > 0 ? subjects : standards.catalog.subjects()).reduce((n, s) => n + standards.catalog.versions(s).length, 0);
        process.stdout.write(`${findings.length} finding(s) in ${versions} subject version(s)\n`);
      }
      process.exitCode = findings.length === 0 ? 0 : 1;
    });
}
